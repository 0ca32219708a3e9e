"""Inspectors and officials read the audit log: filters, pages, and who may see what."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from workflow.audit import chain as audit
from workflow.access.actors import NO_CONTEXT
from workflow.errors import InvalidInput
from workflow.models import AuditEvent, OrgUnit
from workflow.audit import log as audit_log
from workflow.access.loading import load_actor

from tests.conftest import NOW
from tests.scenarios import FULL_VOTE, act, draft

RETURN_REASON = "Thiếu biên bản họp Hội đồng; tỷ lệ phiếu 100%_đạt chưa ghi rõ"
LATER = NOW + timedelta(days=1)      # Tuesday 24/11/2026, 09:00 in Hà Nội
LATEST = NOW + timedelta(days=2)


@pytest.fixture
def activity(db, users, open_plan):
    """VTC's nomination returned by the ministry a day later and resubmitted the day after;
    a submitted nomination of Cục Báo chí; a VTC draft never sent; a province nomination
    returned by the province."""
    a = draft(db, users, open_plan, name="Nguyễn Văn An").id
    act(db, users, "vtc.canbo", a, "submit")
    act(db, users, "vtc.hoidong", a, "vote", votes=FULL_VOTE)
    act(db, users, "vtc.thutruong", a, "approve")
    act(db, users, "bo.chuyenvien", a, "return", now=LATER, reason=RETURN_REASON)
    act(db, users, "vtc.canbo", a, "resubmit", now=LATEST)
    c = draft(db, users, open_plan, name="Phạm Văn Chiến", officer="baochi.canbo").id
    act(db, users, "baochi.canbo", c, "submit")
    d = draft(db, users, open_plan, name="Đinh Thị Dung").id
    p = draft(db, users, open_plan, name="Hoàng Thị Phương", officer="tinh.canbo", award="bang_khen_bo").id
    act(db, users, "tinh.canbo", p, "submit")
    act(db, users, "tinh.hoidong", p, "vote", votes=FULL_VOTE)
    act(db, users, "tinh.thutruong", p, "approve")
    act(db, users, "tinh.chuyenvien", p, "return", now=LATER, reason="Thiếu biên bản họp Hội đồng")
    return {"a": a, "c": c, "d": d, "p": p}


def everything(db, user_id, **filters) -> list:
    """Every event the user may see with these filters, walking the pages."""
    items, cursor = [], None
    while True:
        page = audit_log.query_audit(db, user_id, filters, cursor, 500)
        items += page.items
        if not page.next_cursor:
            return items
        cursor = page.next_cursor


def noms(events) -> set:
    return {e.nomination_id for e in events if e.nomination_id is not None}


def org_id(db, code: str) -> int:
    with db.read() as s:
        return s.execute(select(OrgUnit.id).where(OrgUnit.code == code)).scalar_one()


def test_the_ministry_auditor_sees_its_units_but_not_the_province(db, users, activity):
    seen = everything(db, users["kiemtra"])
    assert noms(seen) == {activity["a"], activity["c"], activity["d"]}  # drafts too: it is evidence
    province = {org_id(db, "UBND-TN"), org_id(db, "VPDBQH-TN")}
    assert not any(e.org_id in province for e in seen)
    assert any(e.action == "return" and e.actor == "bo.chuyenvien" for e in seen)
    everyone = everything(db, users["admin"])
    assert activity["p"] in noms(everyone) and len(everyone) > len(seen)


def test_a_unit_officer_sees_only_the_history_of_their_units_nominations(db, users, activity):
    vtc = everything(db, users["vtc.canbo"])
    assert noms(vtc) == {activity["a"], activity["d"]}
    assert all(e.nomination_id is not None for e in vtc)  # no plans, logins or administration
    assert noms(everything(db, users["baochi.canbo"])) == {activity["c"]}
    assert noms(everything(db, users["tinh.canbo"])) == {activity["p"]}
    # the ministry reviewer sees what was submitted to it, not VTC's unsent draft
    assert noms(everything(db, users["bo.chuyenvien"])) == {activity["a"], activity["c"]}


def test_filters_narrow_the_log_as_an_inspector_asks(db, users, activity):
    k = users["kiemtra"]
    a_events = everything(db, k, nomination_id=str(activity["a"]))
    assert [e.action for e in reversed(a_events)] == ["create", "submit", "vote", "approve", "return", "resubmit"]
    assert [e.action for e in everything(db, k, actor="bo.chuyenvien")] == ["return"]
    assert {e.nomination_id for e in everything(db, k, action="submit")} == {activity["a"], activity["c"]}
    assert {(e.nomination_id, e.action) for e in everything(db, k, state="returned")} == {
        (activity["a"], "return"), (activity["a"], "resubmit")}
    assert noms(everything(db, k, org_id=str(org_id(db, "CBC")))) == {activity["c"]}
    # an org filter outside the auditor's subtree finds nothing rather than leaking
    assert everything(db, k, org_id=str(org_id(db, "VPDBQH-TN"))) == []
    assert noms(everything(db, users["admin"], org_id=org_id(db, "UBND-TN"))) == {activity["p"]}


def test_time_range_is_read_in_hanoi_time_and_a_date_means_the_whole_day(db, users, activity):
    k = users["kiemtra"]
    day = everything(db, k, since="2026-11-24", until="2026-11-24")
    assert [(e.action, e.nomination_id) for e in day] == [("return", activity["a"])]
    assert everything(db, k, since="2026-11-24T09:00:00", until="2026-11-24T09:00:00") == day
    assert everything(db, k, since="2026-11-24T02:00:01+00:00", until="2026-11-24T23:00:00+07:00") == []
    assert [e.action for e in everything(db, k, since="2026-11-25T00:00+07:00")] == ["resubmit"]


def test_text_in_the_reason_takes_percent_and_underscore_literally(db, users, activity):
    admin = users["admin"]
    assert {e.nomination_id for e in everything(db, admin, q="biên bản họp")} == {activity["a"], activity["p"]}
    assert noms(everything(db, admin, q="100%_đạt")) == {activity["a"]}
    assert everything(db, admin, q="100%x") == everything(db, admin, q="1_0") == []
    assert noms(everything(db, admin, q="%")) == noms(everything(db, admin, q="_")) == {activity["a"]}
    # typed in lower case, it finds the reason written with a capital letter
    assert noms(everything(db, admin, q="thiếu biên bản họp")) == {activity["a"], activity["p"]}


def test_pages_run_newest_first_without_gaps_or_repeats(db, users, activity):
    k, pages, cursor = users["kiemtra"], [], None
    while True:
        page = audit_log.query_audit(db, k, {}, cursor, 2)
        pages.append([e.id for e in page.items])
        cursor = page.next_cursor
        if cursor is None:
            break
    flat = [i for p in pages for i in p]
    assert len(pages) >= 4 and all(len(p) == 2 for p in pages[:-1]) and pages[-1]
    assert flat == sorted(flat, reverse=True) == [e.id for e in everything(db, k)]


@pytest.mark.parametrize("filters,field", [
    ({"state": "đã duyệt"}, "state"), ({"since": "hôm qua"}, "since"), ({"until": "2026-02-30"}, "until"),
    ({"nomination_id": "abc"}, "nomination_id"), ({"org_id": "999999"}, "org_id"),
    ({"since": "2026-11-25", "until": "2026-11-24"}, "since"), ({"unit": "VTC"}, "unit"),
])
def test_a_bad_filter_is_refused_naming_the_field(db, users, filters, field):
    with pytest.raises(InvalidInput) as e:
        audit_log.query_audit(db, users["kiemtra"], filters)
    assert e.value.field == field


def test_a_bad_cursor_or_page_size_is_refused(db, users):
    for cursor, limit, field in (("!!không-phải", 50, "cursor"), (None, 0, "limit"), (None, 501, "limit")):
        with pytest.raises(InvalidInput) as e:
            audit_log.query_audit(db, users["kiemtra"], {}, cursor, limit)
        assert e.value.field == field


def test_an_administrative_change_is_recorded_in_the_same_transaction_or_not_at_all(db, users):
    with pytest.raises(RuntimeError), db.write() as s:
        admin = load_actor(s, users["admin"])
        audit.admin_event(s, admin, NO_CONTEXT, NOW, "role_change", "user", users["vtc.canbo"],
                          {"role": "unit_head"})
        raise RuntimeError("the change itself failed")
    assert everything(db, users["admin"], action="role_change") == []
    with db.write() as s:
        admin = load_actor(s, users["admin"])
        for day in (NOW, LATER):
            audit.admin_event(s, admin, NO_CONTEXT, day, "calendar_day_off", "calendar", None,
                              {"day": "2026-12-31", "note": "Nghỉ bù Tết Dương lịch"})
    events = everything(db, users["admin"], action="calendar_day_off")
    assert [(e.chain, e.seq, e.actor) for e in events] == [("admin:calendar", 2, "admin"), ("admin:calendar", 1, "admin")]
    assert events[0].payload["note"] == "Nghỉ bù Tết Dương lịch"
    assert everything(db, users["vtc.canbo"], action="calendar_day_off") == []


def test_a_failed_login_with_the_longest_username_is_still_recorded(db, users):
    from workflow.errors import Unauthenticated
    from workflow.auth import service as auth
    name = "cán.bộ." + "x" * 73  # 80 characters: the chain is "auth:" + the name
    with pytest.raises(Unauthenticated):
        auth.check_password(db, name, "sai", now=NOW)
    with db.read() as s:
        ev = s.execute(select(AuditEvent).where(AuditEvent.action == "login_failed")).scalar_one()
    assert ev.chain == f"auth:{name}" and ev.actor == name
