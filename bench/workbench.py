"""The workbench at an office's scale: a 400-name tờ trình and an inbox among many nominations.
p50 and p95 of the pages a reviewer uses all day — the tờ trình's page (its nominee table paged,
searched, sorted), /inbox searched without diacritics, sorted by name on a deep page, the
confirmation of "approve all N matching" — and of the API's searched list.

    python -m bench workbench [--n 100000] [--names 400] [--db URL] [--requests 50]
"""
import argparse
import io
import re
import time

from bench.common import NOW, PASSWORD, Timer, emit, machine, scratch_database
from bench.data import generate

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hồng Nhung", "Thanh Hương"]
HEADER = ["STT", "Họ và tên / Tên tập thể", "Chức vụ, chức danh", "Đơn vị", "Cá nhân / Tập thể",
          "Mã hình thức khen thưởng", "Tóm tắt thành tích"]
VTC = "Tổng công ty Truyền thông đa phương tiện (VTC)"


def _workbook(names: list[str]) -> bytes:
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for i, name in enumerate(names, start=1):
        ws.append([i, name, "Chuyên viên", VTC, "Cá nhân", "bang_khen_thu_tuong", "Hoàn thành xuất sắc nhiệm vụ."])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def dossier_at_the_ministry(db, size: int) -> int:
    """A VTC tờ trình of `size` people, imported, voted (one result for all) and forwarded."""
    from sqlalchemy import select

    from workflow.dossiers import importing, review, service as dossiers
    from workflow.models import Plan, User
    with db.read() as s:
        users = {u.username: u.id for u in s.execute(select(User)).scalars()}
        plan = s.execute(select(Plan.id).where(Plan.title.like("Kế hoạch thi đua, khen thưởng năm %"))).scalar_one()
    names = [f"{FAMILY[i % 10]} Văn {GIVEN[i % 8]} {i + 1:03d}" for i in range(size)]
    d = dossiers.create_dossier(db, users["vtc.canbo"], plan_id=plan, number="45/TTr-VTC", now=NOW)
    out = importing.import_list(db, users["vtc.canbo"], d.id, _workbook(names), filename="danh-sach.xlsx", now=NOW)
    review.submit_dossier(db, users["vtc.canbo"], d.id, now=NOW)
    review.record_council_votes(db, users["vtc.hoidong"], d.id, {
        "members": 15, "present": 15,
        "results": [{"nomination_id": i, "yes": 15, "no": 0} for i in out.nomination_ids]}, now=NOW)
    review.review_dossier(db, users["vtc.thutruong"], d.id, {"action": "approve", "all": True}, now=NOW)
    return d.id


def _client(db):
    from web import create_app
    app = create_app({"db": db, "database_url": db.url, "clock": lambda: NOW, "secret_key": "bench"})
    return app.test_client()


def _login(client, username: str) -> str:
    """Logs the client in through the form; the CSRF token of the session."""
    r = client.get("/login")
    token = re.search(rb'name="csrf_token" value="([^"]+)"', r.data).group(1).decode()
    assert client.post("/login", data={"username": username, "password": PASSWORD,
                                       "csrf_token": token}).status_code == 302
    page = client.get("/inbox")
    return re.search(rb'name="csrf_token" value="([^"]+)"', page.data).group(1).decode()


def _measure(k: int, call) -> Timer:
    timer = Timer()
    for _ in range(k):
        with timer.measure():
            r = call()
        assert r.status_code == 200, (r.status_code, r.data[:300])
    return timer


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(prog="python -m bench workbench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000, help="other nominations in the database")
    ap.add_argument("--names", type=int, default=400, help="people on the tờ trình")
    ap.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    ap.add_argument("--requests", type=int, default=50, help="requests per measured case")
    args = ap.parse_args(argv)
    with scratch_database(args.db) as db:
        t = time.perf_counter()
        generate(db, args.n)
        did = dossier_at_the_ministry(db, args.names)
        setup_s = time.perf_counter() - t
        print(f"generated {args.n} nominations and a {args.names}-name tờ trình in {setup_s:.1f} s")
        client = _client(db)
        csrf = _login(client, "bo.chuyenvien")
        token = client.post("/api/v1/auth/token", json={"username": "bo.chuyenvien", "password": PASSWORD})
        api = {"Authorization": f"Bearer {token.get_json()['token']}"}
        deep = max(1, args.names // 50)
        cases = {
            "dossier_page": lambda: client.get(f"/dossiers/{did}"),
            "dossier_searched_sorted": lambda: client.get(f"/dossiers/{did}?q=nguyen&sort=name"),
            "inbox_search_no_diacritics": lambda: client.get("/inbox?q=nguyen van hong nhung"),
            "inbox_sorted_deep_page": lambda: client.get(f"/inbox?sort=name&page={deep}"),
            "confirm_all_matching": lambda: client.post("/inbox/bulk", data={
                "csrf_token": csrf, "scope": "matching", "q": "45/TTr-VTC", "action": "approve"}),
            "api_inbox_search": lambda: client.get("/api/v1/inbox?q=nguyen&sort=name", headers=api),
        }
        figures: dict = {"db": db.dialect, "n": args.n, "names": args.names, "setup_s": round(setup_s, 1)}
        for name, call in cases.items():
            timer = _measure(args.requests, call)
            figures[f"{name}_p50_ms"] = round(timer.median * 1e3, 2)
            figures[f"{name}_p95_ms"] = round(timer.pct(95) * 1e3, 2)
        html = client.get(f"/dossiers/{did}").data
        figures["dossier_page_kb"] = round(len(html) / 1024, 1)
    figures["machine"] = machine()
    for k, v in figures.items():
        if k.endswith("_ms") or k.endswith("_kb"):
            print(f"  {k:36s} {v:8.2f}")
    return emit("workbench", figures)


if __name__ == "__main__":
    main()
