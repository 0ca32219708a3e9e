"""The workbench's pages without JavaScript (the test client as a browser): every figure of the
dashboard opens its list, a decision on ticked rows is asked again before it runs, and a
tờ trình's table is searched, filtered and its "all matching" rows forwarded."""
import re

from tests.browser_support import *
from tests.conftest import snapshot
from tests.integration.test_dossier_lifecycle import person_row, workbook
from workflow.dossiers import importing, review, service as dossiers
from tests.conftest import NOW


def dossier_voted(db, people, plan, names) -> tuple[int, list[int]]:
    d = dossiers.create_dossier(db, people["vtc.canbo"], plan_id=plan, number="45/TTr-VTC", now=NOW)
    out = importing.import_list(db, people["vtc.canbo"], d.id, workbook([person_row(i + 1, n) for i, n in enumerate(names)]),
                                filename="ds.xlsx", now=NOW)
    review.submit_dossier(db, people["vtc.canbo"], d.id, now=NOW)
    review.record_council_votes(db, people["vtc.hoidong"], d.id, {
        "members": 9, "present": 9, "results": [{"nomination_id": i, "yes": 9, "no": 0} for i in out.nomination_ids]},
        now=NOW)
    return d.id, out.nomination_ids


def test_every_figure_of_the_dashboard_opens_its_list(web, sqlite_db, people, plan):
    dossier_voted(sqlite_db, people, plan, ["Nguyễn Văn An", "Trần Thị Bình"])
    head = web("vtc.thutruong")
    page = WebUser.text(head.get(f"/dashboard?plan_id={plan}"))
    links = dict(re.findall(r'<a href="(/nominations\?[^"]+)">([^<]+)</a>', page))
    state_link = next(href for href, label in links.items() if label == "Thủ trưởng đơn vị xét")
    listed = WebUser.text(head.get(state_link.replace("&amp;", "&")))
    assert "trong tổng số 2 hồ sơ" in listed and "Nguyễn Văn An" in listed
    assert f'href="/nominations?overdue=1&amp;plan_id={plan}"' in page


def test_a_decision_on_ticked_rows_is_asked_again_and_names_them(web, sqlite_db, people, plan):
    did, ids = dossier_voted(sqlite_db, people, plan, ["Lê Văn Cường", "Phạm Thị Dung"])
    review.review_dossier(sqlite_db, people["vtc.thutruong"], did, {"action": "approve", "all": True}, now=NOW)
    leader = web("bo.lanhdao")
    leader.get("/inbox")
    form = {"action": "reject", "ids": [str(i) for i in ids], "reason": "Không đủ tiêu chuẩn."}
    r = leader.post("/inbox/bulk", form)
    body = WebUser.text(r)
    assert r.status_code == 200 and "Bạn sắp thực hiện “Không đề nghị” cho 2 hồ sơ." in body
    assert "Lê Văn Cường" in body and "Phạm Thị Dung" in body
    assert {snapshot(sqlite_db, i)[0] for i in ids} == {"ministry_review"}
    r = leader.post("/inbox/bulk", {**form, "confirmed": "1"})
    assert "Thành công 2 / 2 hồ sơ." in WebUser.text(r)
    assert {snapshot(sqlite_db, i)[0] for i in ids} == {"rejected"}


def test_the_unit_head_forwards_every_matching_row_of_a_long_list(web, sqlite_db, people, plan):
    names = [f"Nguyễn Văn Số {i:02d}" for i in range(30)] + [f"Trần Thị Số {i:02d}" for i in range(30)]
    did, ids = dossier_voted(sqlite_db, people, plan, names)
    head = web("vtc.thutruong")
    page = WebUser.text(head.get(f"/dossiers/{did}?q=tran thi&per_page=25"))
    assert "Hiển thị 1–25 trong tổng số 30 người/tập thể" in page and 'id="rows-match"' in page
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    r = head.post(f"/dossiers/{did}/review", {"version": version, "action": "approve", "match": "1",
                                               "q": "tran thi", "per_page": "25"})
    assert r.status_code == 200 and "Thành công 30 / 30 người." in WebUser.text(r)
    states = [snapshot(sqlite_db, i)[0] for i in ids]
    assert states[:30] == ["unit_review"] * 30 and states[30:] == ["ministry_review"] * 30
