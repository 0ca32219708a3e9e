"""Searching the register (tra cứu hồ sơ thành tích): p50 and p95 of `GET /api/v1/people?q=` with
many people, for a ministry reviewer (a subtree) and the administrator (everyone). Queries are
drawn from the generated names: whole names typed without diacritics, given names in capitals,
surname prefixes, "middle given" pairs, identity-number prefixes; and the duplicate check of a
new record (`POST /people`, refused as a likely duplicate, so nothing is written).

    python -m bench people [--n 1000000] [--db URL] [--requests 300]
"""
import random
import time
from datetime import date, timedelta

from sqlalchemy import insert, select

from bench.common import NOW, PASSWORD, Timer, arguments, emit, machine, scratch_database

FAMILY = ["Nguyễn"] * 38 + ["Trần"] * 11 + ["Lê"] * 10 + ["Phạm"] * 7 + ["Hoàng"] * 5 + ["Huỳnh"] * 5 + \
    ["Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Lương", "Mai"] * 2
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thu", "Thanh", "Ngọc", "Quốc", "Hoài", "Xuân", "Kim", "Bảo",
          "Gia", "Anh", "Thuỳ", "Hải", "Công", "Trọng", "Mạnh"]
GIVEN = ["Hùng", "Hoà", "Hòa", "Lan", "Hương", "Dũng", "Tuấn", "Hà", "Nam", "Trang", "Linh", "Thảo", "Quân",
         "Phương", "Yến", "Long", "Sơn", "Hải", "Hạnh", "Khánh", "Tâm", "Thuý", "Vy", "Bình", "Châu", "Đạt",
         "Giang", "Huy", "Khoa", "Lâm", "Mai", "Ngân", "Oanh", "Phúc", "Quỳnh", "Tùng", "Uyên", "Việt", "Xuân",
         "Yên", "Hiếu", "Trung", "Thắng", "Toàn", "Nhung", "Hằng", "Diệp", "Cường", "Kiên", "Lộc"]
CHUNK = 50_000


def add_units(db, count: int) -> list[int]:
    """`count` more units under the demo's ministry and province (an office's size: a unit holds
    a few thousand people, not a third of a million)."""
    from sqlalchemy import func
    from workflow.models import OrgUnit
    from workflow.orgs.tree import invalidate_org_cache
    with db.read() as s:
        parents = list(s.execute(select(OrgUnit).where(OrgUnit.level == "ministry")).scalars())
        next_id = s.execute(select(func.max(OrgUnit.id))).scalar_one() + 1
    rows = []
    for i in range(count):
        parent = parents[i % len(parents)]
        uid = next_id + i
        rows.append({"id": uid, "code": f"bench-{uid}", "name": f"Đơn vị thử {i + 1}", "level": "unit",
                     "parent_id": parent.id, "path": f"{parent.path}{uid}/"})
    if rows:
        with db.engine.begin() as conn:
            conn.execute(insert(OrgUnit), rows)
    invalidate_org_cache()
    with db.read() as s:
        return [o.id for o in s.execute(select(OrgUnit).where(OrgUnit.level == "unit")).scalars()]


def generate(db, n: int, seed: int = 42) -> list[tuple[str, str | None]]:
    """n people in about n / 3000 units (Core executemany); returns (name, id_number) samples."""
    from workflow.models import Person
    from workflow.people.identity import keys
    rnd = random.Random(seed)
    units = add_units(db, min(400, n // 3000))
    cache: dict[str, dict] = {}
    samples: list[tuple[str, str | None]] = []
    born0 = date(1960, 1, 1)
    with db.engine.begin() as conn:
        for start in range(0, n, CHUNK):
            rows = []
            for i in range(start, min(n, start + CHUNK)):
                name = f"{rnd.choice(FAMILY)} {rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}"
                k = cache.get(name) or cache.setdefault(name, keys(name))
                ident = f"{i:012d}" if i % 2 == 0 else None
                rows.append({"kind": "individual", "name": name, **k, "org_id": rnd.choice(units),
                             "birth_date": born0 + timedelta(days=rnd.randrange(15000)), "id_number": ident,
                             "created_at": NOW})
                if rnd.random() < 0.001:
                    samples.append((name, ident))
            conn.execute(insert(Person), rows)
    return samples


def queries(samples: list[tuple[str, str | None]], k: int, seed: int = 7) -> list[str]:
    from workflow.text import search_key
    rnd = random.Random(seed)
    out = []
    for i in range(k):
        name, ident = rnd.choice(samples)
        words = name.split()
        kind = i % 5
        if kind == 0:
            out.append(search_key(name))                       # whole name, no diacritics
        elif kind == 1:
            out.append(words[-1].upper())                       # given name in capitals
        elif kind == 2:
            out.append(f"{words[0]} {words[1][:2]}")            # surname + start of the middle name
        elif kind == 3:
            out.append(f"{words[1]} {words[2]}".lower())       # middle and given name
        else:
            out.append((ident or "000000")[:7])                 # identity-number prefix
    return out


def main(argv=None) -> dict:
    ap = arguments("people", __doc__, 1_000_000, "people in the register")
    ap.add_argument("--requests", type=int, default=300, help="searches per measured caller")
    args = ap.parse_args(argv)
    from web import create_app
    with scratch_database(args.db) as db:
        t = time.perf_counter()
        samples = generate(db, args.n)
        if not samples:
            samples = [("Nguyễn Văn Hùng", "000000000000")]
        gen_s = time.perf_counter() - t
        print(f"generated {args.n} people in {gen_s:.1f} s")
        client = create_app({"db": db, "database_url": db.url, "clock": lambda: NOW,
                             "secret_key": "bench"}).test_client()
        figures = {"db": db.dialect, "n": args.n, "generate_s": round(gen_s, 1)}
        qs = queries(samples, args.requests)
        for who in ("bo.chuyenvien", "admin"):
            r = client.post("/api/v1/auth/token", json={"username": who, "password": PASSWORD})
            headers = {"Authorization": f"Bearer {r.get_json()['token']}"}
            timer, found = Timer(), 0
            for q in qs:
                with timer.measure():
                    r = client.get("/api/v1/people", query_string={"q": q, "limit": 20}, headers=headers)
                assert r.status_code == 200, (q, r.status_code, r.data[:300])
                found += bool(r.get_json()["items"])
            tag = "ministry" if who == "bo.chuyenvien" else "admin"
            figures[f"search_{tag}_p50_ms"] = round(timer.median * 1e3, 2)
            figures[f"search_{tag}_p95_ms"] = round(timer.pct(95) * 1e3, 2)
            figures[f"search_{tag}_hit_rate"] = round(found / len(qs), 3)
        r = client.post("/api/v1/auth/token", json={"username": "vtc.canbo", "password": PASSWORD})
        headers = {"Authorization": f"Bearer {r.get_json()['token']}"}
        timer = Timer()
        for name, _ in samples[: max(1, args.requests // 10)]:
            with timer.measure():
                r = client.post("/api/v1/people", json={"name": name}, headers=headers)
            assert r.status_code in (201, 409), r.data[:300]
        figures["duplicate_check_p95_ms"] = round(timer.pct(95) * 1e3, 2)
    figures["machine"] = machine()
    for key, val in figures.items():
        if key.endswith("_ms"):
            print(f"  {key:28s} {val:8.2f}")
    return emit("people", figures)


if __name__ == "__main__":
    main()
