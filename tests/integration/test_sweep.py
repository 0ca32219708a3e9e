"""The deadline sweep: reminders before a step's due date, escalations after it, expiry of drafts.

Time moves by sweeping "as if" at a later date, as `khenthuong scheduler tick --now` does. The
demo nomination is submitted on Monday 23/11/2026; Tuesday 24/11 is a holiday (Ngày Văn hóa
Việt Nam), so the council's 10 working days end on Tuesday 08/12/2026.
"""
from datetime import date, datetime, UTC

from sqlalchemy import func, select, update

from workflow.models import AuditEvent, Deadline, Nomination, Notification, OutboxMessage, Plan, User
from workflow.plans import service as plans
from workflow.sweep import Policy, run_sweep
from workflow.calendar.workdays import TZ, local_date

from tests.conftest import NOW
from tests.scenarios import FULL_VOTE, act, draft


def at(day: str, hour: int = 9) -> datetime:
    """A time in Hà Nội, as the sweep receives it (UTC)."""
    return datetime.combine(date.fromisoformat(day), datetime.min.time().replace(hour=hour), TZ
                            ).astimezone(UTC)


def history(db, nomination_id) -> list[tuple]:
    with db.read() as s:
        return s.execute(select(AuditEvent.action, AuditEvent.actor, AuditEvent.payload)
                         .where(AuditEvent.nomination_id == nomination_id).order_by(AuditEvent.id)).all()


def notices(db, nomination_id) -> list[tuple]:
    with db.read() as s:
        return s.execute(select(Notification.kind, Notification.role, Notification.org_id)
                         .where(Notification.nomination_id == nomination_id).order_by(Notification.id)).all()


def footprint(db) -> tuple:
    """Everything a sweep can write: must not move when a sweep is repeated."""
    with db.read() as s:
        return tuple(s.execute(select(func.count()).select_from(m)).scalar_one()
                     for m in (AuditEvent, Notification, OutboxMessage)) + (
            tuple(s.execute(select(Nomination.version).order_by(Nomination.id)).scalars()),)


def org_of(db, username) -> int:
    with db.read() as s:
        return s.execute(select(User.org_id).where(User.username == username)).scalar_one()


def submitted(db, users, plan_id, **kw):
    n = draft(db, users, plan_id, **kw)
    return act(db, users, "vtc.canbo", n.id, "submit")


def test_a_council_sitting_on_a_nomination_is_reminded_then_escalated_twice(db, users, open_plan):
    n = submitted(db, users, open_plan)
    assert local_date(n.due_at) == date(2026, 12, 8)
    assert run_sweep(db, at("2026-12-02")).reminded == 0       # 4 working days left: nothing yet
    r = run_sweep(db, at("2026-12-03"))                          # 3 working days before: reminder
    assert (r.reminded, r.escalated) == (1, 0)
    assert notices(db, n.id)[-1] == ("reminder", "council_secretary", org_of(db, "vtc.hoidong"))
    assert run_sweep(db, at("2026-12-08", 17)).escalated == 0    # the due day is not over yet
    r = run_sweep(db, at("2026-12-09"))
    assert (r.reminded, r.escalated) == (0, 1)
    assert {(k, role) for k, role, _ in notices(db, n.id)[-2:]} == {
        ("escalated", "council_secretary"), ("escalated", "unit_head")}
    assert run_sweep(db, at("2026-12-15", 20)).escalated == 0   # level 2: 5 working days after, 15/12
    r = run_sweep(db, at("2026-12-16"))
    assert r.escalated == 1 and r.events[0]["level"] == 2
    assert notices(db, n.id)[-1] == ("escalated", "ministry_leader", org_of(db, "bo.lanhdao"))
    actions = [(a, who, (p or {}).get("level")) for a, who, p in history(db, n.id)]
    assert actions[-3:] == [("remind", "system", None), ("escalate", "system", 1), ("escalate", "system", 2)]
    assert run_sweep(db, at("2027-01-08")).escalated == 0        # nothing beyond level 2


def test_an_escalation_shows_on_the_nomination_and_in_the_inbox(db, users, open_plan, login, clock):
    n = submitted(db, users, open_plan)
    run_sweep(db, at("2026-12-09"))
    clock.now = at("2026-12-09")
    view = login("vtc.hoidong").get(f"/nominations/{n.id}").get_json()
    assert view["escalation_level"] == 1 and view["version"] == n.version + 1
    assert view["state"] == "council_review" and "vote" in view["actions"]
    inbox = login("vtc.hoidong").get("/inbox").get_json()["items"]
    assert [(i["id"], i["escalation_level"], i["overdue"]) for i in inbox] == [(n.id, 1, True)]
    events = login("vtc.hoidong").get(f"/nominations/{n.id}/history").get_json()["items"]
    assert events[-1]["action"] == "escalate" and events[-1]["actor"] == "system"
    assert "Quá hạn" in events[-1]["reason"]
    # A form opened before the escalation is stale: the version moved on.
    r = login("vtc.hoidong").post(f"/nominations/{n.id}/vote", json={"version": n.version, "votes": FULL_VOTE})
    assert r.status_code == 409


def test_the_same_sweep_run_twice_reminds_and_escalates_once(db, users, open_plan):
    submitted(db, users, open_plan)
    run_sweep(db, at("2026-12-03"))
    before = footprint(db)
    assert run_sweep(db, at("2026-12-03")).reminded == 0
    assert footprint(db) == before
    run_sweep(db, at("2026-12-09"))
    before = footprint(db)
    again = run_sweep(db, at("2026-12-09"))
    assert (again.reminded, again.escalated) == (0, 0) and footprint(db) == before


def test_after_downtime_the_first_sweep_catches_up_every_missed_stage_once(db, users, open_plan):
    n = submitted(db, users, open_plan)
    # No scheduler ran from the submission until 21/12: reminder, level 1 and level 2 all passed.
    r = run_sweep(db, at("2026-12-21"))
    assert (r.skipped_reminders, r.escalated) == (1, 2)
    assert [e["level"] for e in r.events] == [1, 2]
    actions = [a for a, _, _ in history(db, n.id)]
    assert actions.count("escalate") == 2 and "remind" not in actions  # a late reminder is useless
    before = footprint(db)
    assert run_sweep(db, at("2026-12-21")).escalated == 0 and footprint(db) == before
    with db.read() as s:
        assert s.get(Nomination, n.id).escalation_level == 2


def test_a_deadline_whose_nomination_moved_on_is_retired_without_escalating(db, users, open_plan):
    n = submitted(db, users, open_plan)
    act(db, users, "vtc.hoidong", n.id, "vote", votes=FULL_VOTE)  # on to the unit head, due 01/12
    r = run_sweep(db, at("2026-12-04"))                          # council's reminder was due 03/12
    assert (r.retired, r.reminded, r.escalated) == (1, 0, 1)     # retired; unit head escalated
    assert r.events[0]["id"] == n.id and r.events[0]["level"] == 1
    r = run_sweep(db, at("2026-12-09"))                          # unit head's level 2 (after 08/12)
    assert (r.retired, r.escalated) == (0, 1)
    with db.read() as s:
        council_row = s.execute(select(Deadline).where(Deadline.subject_id == n.id,
                                                       Deadline.state == "council_review")).scalar_one()
        assert (council_row.stage, council_row.next_at) == ("retired", None)
    assert [p["level"] for a, _, p in history(db, n.id) if a == "escalate"] == [1, 2]


def test_drafts_of_a_plan_whose_window_closed_expire_and_others_stay(db, users, open_plan):
    with db.read() as s:
        tw = s.execute(select(User.id).where(User.username == "tw.chuyenvien")).scalar_one()
    short = plans.create_plan(db, tw, {"number": "15/KH-BTĐKT", "title": "Khen thưởng đột xuất đợt 1",
                                       "kind": "ad_hoc", "milestones": [
                                           {"text": "trước ngày 01/12/2026", "purpose": "submission"}]},
                              now=NOW)
    closing = draft(db, users, short["id"], name="Phạm Văn Dũng")
    staying = draft(db, users, open_plan, name="Hoàng Thị Em")
    assert run_sweep(db, at("2026-11-30", 23)).expired == 0     # the window is open through 30/11
    r = run_sweep(db, at("2026-12-01"))
    assert r.expired == 1 and r.events[0]["id"] == closing.id and r.plans_closed == 1
    with db.read() as s:
        assert s.get(Nomination, closing.id).state == "expired"
        assert s.get(Nomination, staying.id).state == "draft"
        assert s.get(Plan, short["id"]).drafts_expired_at == at("2026-12-01")
    assert history(db, closing.id)[-1][:2] == ("expire", "system")
    assert notices(db, closing.id)[-1][:2] == ("expired", "unit_officer")
    assert run_sweep(db, at("2026-12-02")).expired == 0


def test_a_row_that_fails_is_logged_and_set_aside_while_the_others_go_on(db, users, open_plan):
    broken = submitted(db, users, open_plan, name="Hồ sơ hỏng")
    healthy = submitted(db, users, open_plan, name="Hồ sơ lành")
    with db.write() as s:  # a route that no longer exists: the engine cannot escalate it
        s.execute(update(Nomination).where(Nomination.id == broken.id).values(route="da_bo"))
    r = run_sweep(db, at("2026-12-09"))
    assert (r.escalated, r.failed) == (1, 1)
    assert r.events[0]["id"] == healthy.id and r.errors[0]["id"] == broken.id
    assert "da_bo" in r.errors[0]["error"]
    assert run_sweep(db, at("2026-12-09", 9)).failed == 0        # set aside for a while
    with db.write() as s:
        s.execute(update(Nomination).where(Nomination.id == broken.id).values(route="central"))
    r = run_sweep(db, at("2026-12-09", 10))                      # retried once the pause is over
    assert (r.escalated, r.failed) == (1, 0) and r.events[0]["id"] == broken.id


def test_reminders_and_the_second_level_follow_the_settings(db, users, open_plan):
    submitted(db, users, open_plan)
    policy = Policy(remind_days_before=3, escalate2_after_days=2)
    assert run_sweep(db, at("2026-12-09"), policy=policy).escalated == 1
    assert run_sweep(db, at("2026-12-10", 20), policy=policy).escalated == 0  # level 2 after 10/12
    assert run_sweep(db, at("2026-12-11"), policy=policy).escalated == 1
