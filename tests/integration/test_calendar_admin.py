"""The administrator keeps the calendar of extra days off and make-up working days."""
from datetime import date

from sqlalchemy import select

from workflow.models import AuditEvent, Deadline, Nomination
from workflow.calendar.timelimits import calendar_for

from tests.scenarios import act, draft


def test_an_extra_day_off_moves_the_due_date_of_what_arrives_afterwards(login, db, users, open_plan):
    admin = login("admin")
    before = act(db, users, "vtc.canbo", draft(db, users, open_plan, name="Trước").id, "submit")
    assert before.due_at.date() == date(2026, 12, 8)
    r = admin.post("/calendar/overrides", json={"day": "2026-12-01", "working": False,
                                                "note": "Nghỉ bù theo Thông báo của Chính phủ"})
    assert r.status_code == 201, r.get_json()
    assert r.get_json() == {"day": "2026-12-01", "working": False, "note": "Nghỉ bù theo Thông báo của Chính phủ",
                            "public_holiday": None, "due_dates_moved": 1}
    after = act(db, users, "vtc.canbo", draft(db, users, open_plan, name="Sau").id, "submit")
    assert after.due_at.date() == date(2026, 12, 9)   # one working day fewer in between
    # The open step's due date was computed again, on its own chain, with a fresh deadline row.
    with db.read() as s:
        moved = s.get(Nomination, before.id)
        assert moved.due_at.date() == date(2026, 12, 9) and moved.version == before.version + 1
        event = s.execute(select(AuditEvent).where(AuditEvent.chain == f"n:{before.id}")
                          .order_by(AuditEvent.seq.desc())).scalars().first()
        assert event.action == "due_recompute" and event.changes is None or "version" in event.changes
        assert s.execute(select(Deadline.due_at).where(Deadline.subject_id == before.id,
                                                       Deadline.version == moved.version)).scalar().date() \
            == date(2026, 12, 9)
    r = admin.delete("/calendar/overrides/2026-12-01")
    assert r.status_code == 200 and r.get_json()["due_dates_moved"] == 2
    with db.read() as s:
        assert s.get(Nomination, before.id).due_at.date() == date(2026, 12, 8)
    assert admin.post("/calendar/overrides", json={"day": "2026-12-01", "working": False}).status_code == 201
    with db.read() as s:
        assert not calendar_for(s).is_working_day(date(2026, 12, 1))
    assert admin.get("/calendar/overrides").get_json()["items"][0]["day"] == "2026-12-01"


def test_a_make_up_working_saturday_counts_and_removing_it_restores_the_calendar(login, db):
    admin = login("admin")
    saturday = "2026-12-05"
    assert admin.post("/calendar/overrides", json={"day": saturday, "working": True}).status_code == 201
    with db.read() as s:
        assert calendar_for(s).add_working_days(date(2026, 12, 4), 1) == date(2026, 12, 5)
    r = admin.client.delete(f"/api/v1/calendar/overrides/{saturday}", headers=admin.headers)
    assert r.status_code == 200 and r.get_json()["working"] is True
    with db.read() as s:
        assert calendar_for(s).add_working_days(date(2026, 12, 4), 1) == date(2026, 12, 7)
    again = admin.client.delete(f"/api/v1/calendar/overrides/{saturday}", headers=admin.headers)
    assert again.status_code == 404
    with db.read() as s:
        actions = s.execute(select(AuditEvent.action, AuditEvent.actor).where(AuditEvent.chain == "admin:calendar")
                            .order_by(AuditEvent.seq)).all()
    assert actions == [("calendar_override_add", "admin"), ("calendar_override_remove", "admin")]


def test_only_the_administrator_edits_the_calendar(login):
    for user in ("bo.lanhdao", "vtc.canbo", "kiemtra"):
        api = login(user)
        assert api.post("/calendar/overrides", json={"day": "2026-12-01", "working": False}).status_code == 403
        assert api.get("/calendar/overrides").status_code == 403
    assert login("admin").get("/calendar/overrides").get_json() == {"items": []}


def test_an_override_must_change_something_and_be_well_formed(login):
    admin = login("admin")
    cases = [
        ({"day": "2026-12-06", "working": False}, "working"),   # a Sunday is already off
        ({"day": "2026-12-07", "working": True}, "working"),    # a Monday already works
        ({"day": "2026-02-17", "working": True, "note": None}, None),  # Tết: allowed (odd, but real)
        ({"day": "07/12/2026", "working": False}, "day"),
        ({"day": "2026-02-30", "working": False}, "day"),
        ({"day": "2026-12-08", "working": "no"}, "working"),
        ({"day": "2026-12-08"}, "working"),
    ]
    for body, field in cases:
        r = admin.post("/calendar/overrides", json=body)
        if field is None:
            assert r.status_code == 201, r.get_json()
        else:
            assert r.status_code == 422 and r.get_json()["error"]["field"] == field, (body, r.get_json())
    assert admin.post("/calendar/overrides", json={"day": "2026-02-17", "working": True}).status_code == 409
    assert admin.get("/calendar/overrides?year=2026").get_json()["items"][0]["public_holiday"]
    assert admin.get("/calendar/overrides?year=2027").get_json()["items"] == []
