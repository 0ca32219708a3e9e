"""Audit log at scale: query times, export time and peak memory, verification, 1,000,000 events.

    python -m bench.audit --n 1000000 [--db postgresql://postgres@127.0.0.1:5432/postgres]

Builds a scratch database with the demo (bench.common.scratch_database), writes `--n` events
with valid chain hashes in bulk (seeded: the same log every run), times typical queries as
the service runs them (p50/p95), then exports CSV and XLSX and verifies the log, each in a
child process whose peak RSS is read back. Ends with one JSON line of figures.
"""
import argparse
import json
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert, select, text

from bench.common import NOW, Timer, emit, machine, scratch_database

ROOT = Path(__file__).resolve().parents[1]


# --- a realistic log, generated in bulk with valid hashes ---------------------------------------

UNITS = {  # unit: (officer, council secretary, head, ministry, reviewer, leader)
    "VTC": ("vtc.canbo", "vtc.hoidong", "vtc.thutruong", "BTTTT", "bo.chuyenvien", "bo.lanhdao"),
    "CBC": ("baochi.canbo", "baochi.hoidong", "baochi.thutruong", "BTTTT", "bo.chuyenvien", "bo.lanhdao"),
    "VPDBQH-TN": ("tinh.canbo", "tinh.hoidong", "tinh.thutruong", "UBND-TN", "tinh.chuyenvien", "tinh.lanhdao"),
}
REASONS = ("Thiếu biên bản họp Hội đồng Thi đua - Khen thưởng", "Bổ sung báo cáo thành tích có xác nhận",
           "Chưa đủ tỷ lệ phiếu đồng ý theo quy định", "Sai họ tên người được đề nghị so với CCCD",
           "Thành tích chưa tiêu biểu so với tiêu chuẩn Bằng khen", "Thiếu tờ trình của đơn vị")
BATCH = 20_000


def _steps(rng, unit: str) -> tuple[str, list[tuple]]:
    """(award code, [(actor, role, org code, action, from, to, reason, payload, on_behalf_of)])."""
    officer, secretary, head, ministry, reviewer, leader = UNITS[unit]
    s = [(officer, "unit_officer", unit, "create", None, "draft", None, None, None),
         (officer, "unit_officer", unit, "submit", "draft", "council_review", None, None, None),
         (secretary, "council_secretary", unit, "vote", "council_review", "unit_review", None,
          {"votes": {"members": 11, "present": 10, "yes": rng.randint(8, 10), "no": 0}}, None),
         (head, "unit_head", unit, "approve", "unit_review", "ministry_review", None, None, None)]
    for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
        tail = " — nghi giả mạo chữ ký" if rng.random() < 0.0005 else f" (lần {rng.randint(1, 9)})"
        reason = rng.choice(REASONS) + tail
        s += [(reviewer, "ministry_reviewer", ministry, "return", "ministry_review", "returned", reason, None, None),
              (officer, "unit_officer", unit, "resubmit", "returned", "ministry_review", None, None, None)]
    if rng.random() < 0.3:
        s.append(("system", "system", ministry, "escalate", "ministry_review", "ministry_review", None,
                  {"level": 1}, None))
    end, award = rng.random(), "bang_khen_bo"
    decision = {"decision": {"number": f"{rng.randint(1, 9999)}/QĐ-BTTTT", "date": "2025-12-01"}}
    if end < 0.6:
        s.append((leader, "ministry_leader", ministry, "decide", "ministry_review", "awarded", None, decision,
                  "KT. BỘ TRƯỞNG" if rng.random() < 0.4 else None))
    elif end < 0.8:
        award = "bang_khen_thu_tuong"
        s += [(reviewer, "ministry_reviewer", ministry, "approve", "ministry_review", "central_review", None, None,
               None),
              ("tw.lanhdao", "central_leader", "TW", "decide", "central_review", "awarded", None, decision, None)]
    elif end < 0.97:
        s.append((leader, "ministry_leader", ministry, "reject", "ministry_review", "rejected", rng.choice(REASONS),
                  None, None))
    else:
        s.append(("system", "system", ministry, "expire", "ministry_review", "expired", None, None, None))
    return award, s


class LogWriter:
    """Writes events in id order, chains interleaved as real traffic interleaves them."""

    def __init__(self, db, n: int, seed: int):
        import random
        from workflow.models import AuditEvent, AwardType, Nomination, OrgUnit, Plan, User
        self.db, self.n, self.rng = db, n, random.Random(seed)
        self.events_t, self.noms_t = AuditEvent.__table__, Nomination.__table__
        with db.read() as s:
            self.orgs = dict(s.execute(select(OrgUnit.code, OrgUnit.id)).all())
            self.users = dict(s.execute(select(User.username, User.id)).all())
            self.routes = dict(s.execute(select(AwardType.code, AwardType.route)).all())
            self.plan = s.execute(select(Plan.id).order_by(Plan.id.desc())).scalars().first()
            self.next_id = (s.execute(select(text("max(id)")).select_from(AuditEvent)).scalar() or 0) + 1
        self.at = NOW - timedelta(days=730)
        self.step = timedelta(days=729) / n
        self.chains, self.events, self.noms, self.nom_count, self.sample = {}, [], [], 0, []
        self.pool = [self._new_nomination() for _ in range(2000)]

    def _new_nomination(self) -> dict:
        self.nom_count += 1
        unit = self.rng.choice(tuple(UNITS))
        award, steps = _steps(self.rng, unit)
        return {"id": self.nom_count, "unit": unit, "award": award, "steps": steps, "pos": 0, "seq": 0,
                "head": None, "created": None, "submitted": None}

    def _event(self, chain, seq, prev, actor, role, org, action, src, dst, reason, payload, behalf, **ids) -> dict:
        from workflow.audit.chain import compute_hash
        self.at += self.step * self.rng.uniform(0.2, 1.8)
        ev = {"chain": chain, "seq": seq, "at": self.at, "actor_id": self.users.get(actor), "actor": actor,
              "role": role, "org_id": self.orgs.get(org), "on_behalf_of": behalf, "action": action,
              "entity_id": ids.get("entity_id"), "nomination_id": ids.get("nomination_id"), "from_state": src,
              "to_state": dst, "reason": reason, "payload": payload, "entity": ids.get("entity", "nomination"),
              "request_id": f"{self.rng.getrandbits(128):032x}", "prev_hash": prev,
              "client_ip": f"10.{self.rng.randint(0, 255)}.{self.rng.randint(0, 255)}.{self.rng.randint(1, 254)}"}
        ev["hash"], ev["id"] = compute_hash(ev), self.next_id
        self.next_id += 1
        self.events.append(ev)
        return ev

    def _nomination_event(self) -> None:
        i = self.rng.randrange(len(self.pool))
        n = self.pool[i]
        step = n["steps"][n["pos"]]
        ev = self._event(f"n:{n['id']}", n["seq"] + 1, n["head"], *step, entity_id=n["id"], nomination_id=n["id"])
        n["pos"], n["seq"], n["head"] = n["pos"] + 1, ev["seq"], ev["hash"]
        n["created"] = n["created"] or ev["at"]
        n["submitted"] = n["submitted"] or (ev["at"] if ev["action"] == "submit" else None)
        n["state"] = ev["to_state"]
        if n["pos"] == len(n["steps"]):
            self._row(n)
            self.pool[i] = self._new_nomination()

    def _other_event(self, r: float) -> None:
        if r < 0.08:  # a failed login
            name = f"canbo{self.rng.randint(1, 3000):04d}"
            chain, args = f"auth:{name}", (name, "anonymous", None, "login_failed", None, None, None, None, None)
            entity = {"entity": "user"}
        else:
            kind = self.rng.choice(("user", "award_type", "calendar"))
            chain, entity = f"admin:{kind}", {"entity": kind}
            args = ("admin", "admin", "TW", f"{kind}_update", None, None, None, {"note": "cập nhật"}, None)
        seq, prev = self.chains.get(chain, (0, None))
        ev = self._event(chain, seq + 1, prev, *args, **entity)
        self.chains[chain] = (ev["seq"], ev["hash"])

    def _row(self, n: dict) -> None:
        from states.lifecycle import STATE_LEVEL, TERMINAL_STATES
        unit, ministry = self.orgs[n["unit"]], self.orgs[UNITS[n["unit"]][3]]
        holder = {"ministry_review": ministry, "central_review": self.orgs["TW"]}.get(n["state"], unit)
        self.noms.append({
            "id": n["id"], "plan_id": self.plan, "award_code": n["award"], "unit_id": unit,
            "nominee_kind": "individual", "nominee_name": f"Nguyễn Văn {n['id']}",
            "nominee_key": f"nguyễn văn {n['id']}",
            "achievements": "Hoàn thành xuất sắc nhiệm vụ", "state": n["state"], "version": n["seq"],
            "route": self.routes[n["award"]], "definition_version": 1, "level": STATE_LEVEL.get(n["state"]),
            "holder_org_id": None if n["state"] in TERMINAL_STATES else holder, "escalation_level": 0,
            "submitted_at": n["submitted"], "created_at": n["created"], "updated_at": self.at,
            "audit_seq": n["seq"], "audit_head": n["head"]})
        if len(self.sample) < 200 and n["unit"] != "VPDBQH-TN" and self.rng.random() < 0.01:  # the auditor's
            self.sample.append(n["id"])

    def _flush(self, force: bool = False) -> None:
        if len(self.events) >= BATCH or force:
            with self.db.engine.begin() as c:
                if self.events:
                    c.execute(insert(self.events_t), self.events)
                if self.noms:
                    c.execute(insert(self.noms_t), self.noms)
            self.events, self.noms = [], []

    def run(self) -> dict:
        for _ in range(self.n):
            r = self.rng.random()
            self._nomination_event() if r >= 0.1 else self._other_event(r)
            self._flush()
        for n in self.pool:
            if n["seq"]:
                self._row(n)
        self._flush(force=True)
        with self.db.engine.begin() as c:
            if self.db.dialect == "postgresql":  # explicit ids: move the sequences past them
                for table in ("audit_events", "nominations"):
                    c.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}")
            c.exec_driver_sql("ANALYZE")
        return {"nominations": self.nom_count, "orgs": self.orgs, "users": self.users, "sample": self.sample}


def generate(db, n: int, seed: int) -> dict:
    return LogWriter(db, n, seed).run()



def _queries(ids: dict, sample_noms: list[int], n_max: int) -> list[tuple[str, str, callable]]:
    """(name, user, filters-and-cursor maker) for typical questions an inspector asks."""
    def month(i: int) -> dict:
        start = NOW - timedelta(days=700) + timedelta(days=30 * (i % 20))
        return {"actor": "bo.chuyenvien", "since": start.isoformat(), "until": (start + timedelta(days=30)).isoformat()}
    deep = max(1, n_max // 100)
    return [
        ("by_nomination", "kiemtra", lambda i: ({"nomination_id": sample_noms[i % len(sample_noms)]}, None)),
        ("actor_and_month", "kiemtra", lambda i: (month(i), None)),
        ("month_only", "kiemtra", lambda i: ({k: v for k, v in month(i).items() if k != "actor"}, None)),
        ("org_subtree", "admin", lambda i: ({"org_id": ids["VTC" if i % 2 else "BTTTT"]}, None)),
        ("auditor_default_view", "kiemtra", lambda i: ({}, None)),
        ("unit_officer_view", "vtc.canbo", lambda i: ({}, None)),
        ("state_returned", "kiemtra", lambda i: ({"state": "returned"}, None)),
        ("state_rare_expired", "admin", lambda i: ({"state": "expired"}, None)),
        ("text_common", "kiemtra", lambda i: ({"q": "biên bản"}, None)),
        ("text_rare", "admin", lambda i: ({"q": "giả mạo chữ ký"}, None)),
        ("deep_keyset_page", "kiemtra", lambda i: ({}, _cursor(deep + i))),
    ]


def _cursor(event_id: int) -> str:
    import base64
    return base64.urlsafe_b64encode(str(event_id).encode()).decode().rstrip("=")


def time_queries(db, runs: int, ids: dict, users: dict, sample: list[int], n_max: int) -> dict:
    from workflow.audit.log import query_audit
    out = {}
    for name, user, make in _queries(ids, sample, n_max):
        timer, rows = Timer(), 0
        for i in range(runs):
            filters, cursor = make(i)
            with timer.measure():
                rows = len(query_audit(db, users[user], filters, cursor, 50).items)
        out[name] = {"p50_ms": round(timer.median * 1000, 2), "p95_ms": round(timer.pct(95) * 1000, 2),
                     "rows": rows}
        print(f"  {name:<22} p50 {out[name]['p50_ms']:>9.2f} ms   p95 {out[name]['p95_ms']:>9.2f} ms"
              f"   ({rows} rows/page)", flush=True)
    return out


# --- child processes: one export or verification each, so their peak RSS is theirs alone ---------

def child(kind: str, url: str, out: str | None) -> None:
    from workflow.kernel.db import Database
    db = Database(url)
    started, cpu = time.perf_counter(), time.process_time()
    if kind == "csv":
        from workflow.audit.log import export_csv
        with open(out, "wb") as f:
            for chunk in export_csv(db, None, {}):
                f.write(chunk)
    elif kind == "xlsx":
        from workflow.audit.log import export_xlsx
        with open(out, "wb") as f:
            export_xlsx(db, None, {}, f)
    elif kind == "verify":
        from workflow.audit.verify import verify
        result = verify(db, b"bench-key")
        assert result.ok, result.to_dict()
    elif kind == "baseline":  # what the imports alone cost
        import workflow.audit.verify
        import workflow.audit.log  # noqa: F401
    # VmHWM is this process's own peak (ru_maxrss would carry the parent's peak across exec)
    status = Path("/proc/self/status").read_text()
    peak_kb = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))
    print(json.dumps({"seconds": time.perf_counter() - started, "cpu_seconds": time.process_time() - cpu,
                      "peak_kb": peak_kb}))


def run_child(kind: str, url: str, out: Path | None = None, events: int | None = None) -> dict:
    """One job in its own process; with `events`, its rate per wall second and per CPU second (the
    second is what the code costs when other work shares the machine)."""
    cmd = [sys.executable, "-m", "bench.audit", "--child", kind, "--db", url]
    if out:
        cmd += ["--out", str(out)]
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=True)
    report = json.loads(r.stdout.strip().splitlines()[-1])
    figures = {"seconds": round(report["seconds"], 2), "cpu_seconds": round(report["cpu_seconds"], 2),
               "peak_rss_mb": round(report["peak_kb"] / 1024, 1)}
    if events:
        figures["events_per_s"] = round(events / report["seconds"])
        figures["events_per_cpu_s"] = round(events / max(report["cpu_seconds"], 1e-6))
    if out:
        figures["mb_written"] = round(out.stat().st_size / 2**20, 1)
    return figures


# --- main ----------------------------------------------------------------------------------

def main(argv=None) -> dict:
    p = argparse.ArgumentParser(prog="python -m bench.audit", description=__doc__.split("\n")[0])
    p.add_argument("--n", type=int, default=1_000_000, help="events to generate (default 1,000,000)")
    p.add_argument("--db", help="PostgreSQL server URL (a scratch database is made and dropped); default SQLite")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--runs", type=int, default=20, help="repetitions per query")
    p.add_argument("--skip-export", action="store_true")
    p.add_argument("--child", help=argparse.SUPPRESS)
    p.add_argument("--out", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        return child(args.child, args.db, args.out)
    print(f"audit bench: {args.n:,} events on {args.db or 'SQLite'}; {machine()}", flush=True)
    with scratch_database(args.db) as db:
        from workflow.audit.chain import write_checkpoint
        started = time.perf_counter()
        info = generate(db, args.n, args.seed)
        figures = {"n": args.n, "db": db.dialect, "generate_s": round(time.perf_counter() - started, 1),
                   "nominations": info["nominations"]}
        print(f"generated {args.n:,} events, {info['nominations']:,} nominations in {figures['generate_s']} s")
        started = time.perf_counter()
        with db.write() as s:
            write_checkpoint(s, NOW, b"bench-key")
        figures["checkpoint_s"] = round(time.perf_counter() - started, 2)
        print(f"checkpoint over all chains: {figures['checkpoint_s']} s\nqueries (50 per page):", flush=True)
        figures["queries"] = time_queries(db, args.runs, info["orgs"], info["users"], info["sample"], args.n)
        figures["baseline_child"] = run_child("baseline", db.url)
        jobs = [("verify", None)] + ([] if args.skip_export else [("csv", ".csv"), ("xlsx", ".xlsx")])
        for kind, ext in jobs:
            out = Path(os.environ.get("TMPDIR", "/tmp")) / f"kt-bench-audit{ext}" if ext else None
            figures[kind] = run_child(kind, db.url, out, events=args.n)
            print(f"{kind}: {figures[kind]}", flush=True)
            if out:
                out.unlink()
    return emit("audit", figures)


if __name__ == "__main__":
    main()
