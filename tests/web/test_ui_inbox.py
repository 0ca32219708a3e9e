"""/inbox: what waits for me, most urgent first, filters, paging, and one action on many."""
import re
from datetime import timedelta

from sqlalchemy import event, select

from workflow.access.actors import NO_CONTEXT, SYSTEM_ACTOR
from workflow.kernel.transition import Change
from workflow.nominations import transitions
from workflow.models import Nomination, OrgUnit
from workflow.orgs.tree import org_tree
from workflow import pages as ui_views
from tests.browser_support import *
from tests.conftest import NOW, snapshot
from tests.scenarios import act, draft, drive_to


def escalate(db, nomination_id: int, now) -> None:
    """What the scheduler does to a nomination past its due date: the same engine, as the system."""
    with db.write() as s:
        nom = s.get(Nomination, nomination_id)
        transitions.check(SYSTEM_ACTOR, nom, "escalate")
        transitions.write(s, org_tree(s), nom, SYSTEM_ACTOR, Change("escalate"), now, NO_CONTEXT)


def rows_of(body: str) -> list[tuple[str, int]]:
    """(row class, nomination id) of the inbox table, top to bottom."""
    return [(cls, int(nid)) for cls, nid in re.findall(r'<tr class="([^"]*)">\s*<td class="check">'
                                                       r'<input type="checkbox" name="ids" value="(\d+)"', body)]


def org_id(db, code: str) -> int:
    with db.read() as s:
        return s.execute(select(OrgUnit.id).where(OrgUnit.code == code)).scalar_one()


def test_the_most_urgent_comes_first_with_overdue_and_escalated_marked(web_on, db, users, open_plan, clock):
    first = draft(db, users, open_plan, name="Nguyễn Văn Sớm")
    drive_to(db, users, first.id, "ministry_review")          # due 22/12/2026 (24/11 is a holiday)
    later = NOW + timedelta(days=7)
    second = draft(db, users, open_plan, name="Lê Thị Muộn", now=later)
    drive_to(db, users, second.id, "ministry_review", now=later)  # due 28/12/2026
    third = draft(db, users, open_plan, name="Phạm Toàn Quốc", award="chien_si_thi_dua_toan_quoc", now=later)
    drive_to(db, users, third.id, "ministry_review", now=later)
    escalate(db, first.id, NOW + timedelta(days=30))
    clock.now = NOW + timedelta(days=30)  # Wednesday 23/12/2026
    body = WebUser.text(web_on("bo.chuyenvien").get("/inbox"))
    rows = rows_of(body)
    assert [nid for _, nid in rows] == [first.id, second.id, third.id]
    assert rows[0][0].split() == ["overdue", "escalated"] and rows[1][0] == ""
    assert "22/12/2026" in body and "(quá hạn 1 ngày làm việc)" in body
    assert "28/12/2026" in body and "(còn 3 ngày làm việc)" in body
    assert "Đã nhắc, chuyển cấp (1)" in body


def test_the_filters_narrow_the_inbox(web_on, db, users, open_plan):
    a = draft(db, users, open_plan, name="Trần Bình")
    b = draft(db, users, open_plan, name="Đoàn Toàn Quốc", award="chien_si_thi_dua_toan_quoc")
    for n in (a, b):
        drive_to(db, users, n.id, "ministry_review")
    reviewer = web_on("bo.chuyenvien")
    ids = lambda query: [nid for _, nid in rows_of(WebUser.text(reviewer.get(f"/inbox?{query}")))]  # noqa: E731
    assert ids("award_type=chien_si_thi_dua_toan_quoc") == [b.id]
    assert ids(f"unit_id={org_id(db, 'VTC')}") == [a.id, b.id]
    assert ids(f"unit_id={org_id(db, 'CBC')}") == []
    assert ids(f"plan_id={open_plan}&state=ministry_review") == [a.id, b.id]
    page = WebUser.text(reviewer.get("/inbox"))
    assert 'value="ministry_review"' in page and 'value="draft"' not in page  # only states of my inbox


def test_approve_many_at_once_with_a_result_for_each(web, sqlite_db, people, plan):
    ready = [draft(sqlite_db, people, plan, name=f"Cán bộ số {i}") for i in range(3)]
    for n in ready:
        drive_to(sqlite_db, people, n.id, "ministry_review")
    hidden = draft(sqlite_db, people, plan, name="Dự thảo chưa trình")
    reviewer = web("bo.chuyenvien")
    reviewer.get("/inbox")
    r = reviewer.post("/inbox/bulk", {"action": "approve", "ids": [str(n.id) for n in ready] + [str(hidden.id)]})
    body = WebUser.text(r)
    assert r.status_code == 200 and "Thành công 3 / 4 hồ sơ." in body
    assert body.count('class="ok"') == 3 and body.count('class="failed"') == 1
    assert f"Không tìm thấy hồ sơ #{hidden.id}" in body and "Dự thảo chưa trình" not in body
    # The appraisal forwards each to the ministry's council (Bằng khen Thủ tướng: its minutes).
    assert all(snapshot(sqlite_db, n.id)[0] == "ministry_council" for n in ready)
    assert snapshot(sqlite_db, hidden.id)[:2] == ("draft", 1)


def test_returning_many_without_a_reason_says_so_once_and_changes_nothing(web, sqlite_db, people, plan):
    ready = [draft(sqlite_db, people, plan, name=f"Người thứ {i}") for i in range(2)]
    for n in ready:
        drive_to(sqlite_db, people, n.id, "ministry_review")
    before = [snapshot(sqlite_db, n.id) for n in ready]
    reviewer = web("bo.chuyenvien")
    r = reviewer.post("/inbox/bulk", {"action": "return", "reason": " ", "ids": [str(n.id) for n in ready]})
    body = WebUser.text(r)
    assert "Thành công 0 / 2 hồ sơ." in body and body.count("Hãy ghi lý do trả lại hồ sơ") == 3
    assert [snapshot(sqlite_db, n.id) for n in ready] == before
    r = reviewer.post("/inbox/bulk", {"action": "approve"})
    assert r.status_code == 303
    assert "Hãy chọn ít nhất một hồ sơ." in WebUser.text(reviewer.get(r.headers["Location"]))


def test_without_javascript_a_link_selects_every_row_of_the_page(web, sqlite_db, people, plan):
    for i in range(2):
        n = draft(sqlite_db, people, plan, name=f"Hồ sơ {i}")
        drive_to(sqlite_db, people, n.id, "ministry_review")
    reviewer = web("bo.chuyenvien")
    plain = WebUser.text(reviewer.get("/inbox"))
    assert plain.count('name="ids"') == 2 and " checked" not in plain
    picked = WebUser.text(reviewer.get("/inbox?select=all"))
    assert picked.count(" checked") == 2


def test_keyset_pages_walk_the_whole_inbox_once_in_order(db, users, open_plan):
    """Drafts are due when the plan closes; returned nominations have no due date and come last."""
    drafts = [draft(db, users, open_plan, name=f"Dự thảo {i}").id for i in range(3)]
    returned = []
    for i in range(2):
        n = draft(db, users, open_plan, name=f"Trả lại {i}")
        drive_to(db, users, n.id, "ministry_review")
        act(db, users, "bo.chuyenvien", n.id, "return", reason="Bổ sung minh chứng.")
        returned.append(n.id)
    seen, cursor = [], None
    while True:
        page = ui_views.inbox_page(db, users["vtc.canbo"], now=NOW, cursor=cursor, limit=2)
        seen += [r.view.id for r in page.rows]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert seen == drafts + returned
    assert page.bulk_actions == ["resubmit"]


def test_the_inbox_query_walks_its_index_without_sorting(sqlite_db, people, plan):
    """What keeps the inbox fast with a million rows: SQLite reads it in index order."""
    n = draft(sqlite_db, people, plan)
    drive_to(sqlite_db, people, n.id, "ministry_review")
    seen: list[tuple[str, tuple]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if "FROM nominations" in statement and "ORDER BY nominations.due_at" in statement:
            seen.append((statement, parameters))

    event.listen(sqlite_db.engine, "before_cursor_execute", capture)
    try:
        first = ui_views.inbox_page(sqlite_db, people["bo.chuyenvien"], now=NOW, limit=1)
        ui_views.inbox_page(sqlite_db, people["bo.chuyenvien"], now=NOW, limit=1, cursor=first.next_cursor)
    finally:
        event.remove(sqlite_db.engine, "before_cursor_execute", capture)
    assert len(seen) == 2
    with sqlite_db.engine.connect() as conn:
        for statement, params in seen:
            plan_rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params).all()
            detail = " | ".join(r[-1] for r in plan_rows)
            assert "ix_nominations_inbox" in detail, detail
            assert "TEMP B-TREE" not in detail, detail


def test_a_tampered_page_link_is_a_polite_refusal(web):
    """The inbox page is paged by number (the API's keyset cursors are checked in test_api)."""
    reviewer = web("bo.chuyenvien")
    for query, message in (("page=abc", "Trường page phải là số nguyên"), ("page=-1", "Trường page phải là số nguyên"),
                           ("sort=password", "Không sắp xếp được theo"),
                           ("sort=position", "Không sắp xếp được theo"),
                           ("per_page=100000", "per_page")):
        r = reviewer.get(f"/inbox?{query}")
        assert r.status_code == 422 and message in WebUser.text(r), query
