"""The scheduler is off for a week: when it comes back, each missed step happens once.

Simulated time. Until Monday 07/12/2026 the scheduler ran every morning at 09:00 (its real
job: lease, sweep, e-mail, checkpoint). Then nothing ran for seven days, while people went on
working, and nominations, report obligations and a plan's submission window passed their
milestones. On Monday 14/12 at 09:00 two schedulers start at once (APScheduler, the lease,
one-second interval). Demo calendar facts: 24/11/2026 is a day off; the council has 10
working days, the unit head 5; a reminder comes 3 working days before a due date at 08:00;
level 2 follows 5 working days after it.

| who | before the outage | missed while off | once, at restart |
|---|---|---|---|
| council, submitted 23/11 (due 08/12) | reminded 03/12 | level 1 | level 1 |
| council, submitted 27/11 (due 11/12) | – | reminder 08/12, level 1 | level 1 (no late reminder) |
| council, submitted 30/11 (due 14/12) | – | reminder 09/12 | the reminder (before the due date) |
| unit head since 23/11 (due 01/12) | reminded, level 1 on 02/12 | level 2 (08/12) | level 2 |
| council, submitted 23/11, voted 10/12 | reminded 03/12 | – (the council acted) | the unit head's reminder |
| submitted 09/12 during the outage | – | – | nothing |
| drafts of a plan closing on 09/12 | – | expiry | expired |
| reports due 08/12 (every unit taking part) | reminded 03/12 | level 1 | level 1 |
| reports due 11/12 | – | reminder 08/12, level 1 | level 1 |
| reports due 17/12 | – | – | the reminder of 14/12, 08:00 |
"""
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta

from sqlalchemy import func, select

from scheduler.jobs import SweepJob
from scheduler.lease import current
from scheduler.runner import SchedulerHandle
from workflow.audit.chain import signing_key
from workflow.audit.verify import verify
from workflow.config import load_settings
from workflow.kernel.db import Database
from workflow.models import (AuditEvent, Deadline, Nomination, Notification, Obligation, OutboxMessage, PlanUnit,
                             User)
from workflow.plans import service as plans
from workflow.calendar.workdays import local_date

from tests.crash_support import env_for, wait_for
from tests.scenarios import FULL_VOTE, act, draft
from tests.integration.test_outbox import smtp  # noqa: F401  (the real SMTP server fixture)
from tests.integration.test_sweep import at

OFF_FROM, BACK_AT = at("2026-12-07"), at("2026-12-14")


class SimulatedClock:
    """Simulated time that runs at the speed of real time from `start`."""

    def __init__(self, start: datetime):
        self.start, self.t0 = start, time.monotonic()

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self.t0)


def settings_for(db, tmp_path, smtp_url):
    return load_settings({"database_url": db.url, "secret_key": "outage-secret", "smtp_url": smtp_url,
                          "instance_path": tmp_path, "sweep_seconds": 1, "checkpoint_minutes": 60})


def submitted(db, users, plan_id, name, day, *, award="bang_khen_thu_tuong"):
    n = draft(db, users, plan_id, name=name, award=award, now=at(day))
    return act(db, users, "vtc.canbo", n.id, "submit", now=at(day))


def events_since(db, event_id: int) -> dict[str, list[tuple]]:
    """The audit events written after `event_id`, per chain: (action, escalation level)."""
    with db.read() as s:
        rows = s.execute(select(AuditEvent.chain, AuditEvent.action, AuditEvent.payload)
                         .where(AuditEvent.id > event_id).order_by(AuditEvent.id)).all()
    out = defaultdict(list)
    for chain, action, payload in rows:
        out[chain].append((action, (payload or {}).get("level") if action == "escalate" else None))
    return dict(out)


def footprint(db) -> tuple:
    """Everything a sweep can write."""
    with db.read() as s:
        return tuple(s.execute(select(func.count()).select_from(m)).scalar_one()
                     for m in (AuditEvent, Notification, OutboxMessage)) + (
            tuple(s.execute(select(Nomination.version).order_by(Nomination.id)).scalars()),
            tuple(s.execute(select(Obligation.version).order_by(Obligation.id)).scalars()),
            tuple(s.execute(select(Deadline.stage).order_by(Deadline.id)).scalars()))


def last_event_id(db) -> int:
    with db.read() as s:
        return s.execute(select(func.coalesce(func.max(AuditEvent.id), 0))).scalar_one()


def run_two_schedulers(db, settings, clock, sweeps: int) -> tuple[str, str]:
    """Two schedulers (each its own engine, as two processes) started at the same instant,
    until the lease holder has swept `sweeps` times; then both stop."""
    own = [Database(db.url), Database(db.url)]
    handles = [SchedulerHandle(d, settings, clock=clock) for d in own]
    seen: set = set()
    try:
        barrier = threading.Barrier(2)
        starters = [threading.Thread(target=lambda h=h: (barrier.wait(), h.start())) for h in handles]
        for t in starters:
            t.start()
        for t in starters:
            t.join(30)

        def swept_enough():
            lease = current(db) or {}
            if lease.get("last_sweep_at"):
                seen.add(lease["last_sweep_at"])
            return len(seen) >= sweeps

        wait_for(swept_enough, 120, f"{sweeps} sweeps of the lease holder", 0.05)
    finally:
        for h in handles:
            h.stop()
        for d in own:
            d.dispose()
    return handles[0].holder, handles[1].holder


def test_after_a_week_without_scheduler_each_missed_reminder_and_escalation_happens_once(
        db, users, open_plan, smtp, tmp_path):
    settings = settings_for(db, tmp_path, smtp.url)
    days = [at("2026-11-23") + timedelta(days=i) for i in range((OFF_FROM - at("2026-11-23")).days + 1)]
    clock_now = [days[0]]
    daily = SweepJob(db, settings, "scheduler-before-the-outage", lambda: clock_now[0], threading.Event())

    # --- three weeks of work, the scheduler sweeping every morning until 07/12 --------------
    plan = plans.create_plan(db, users["tw.chuyenvien"], {
        "number": "99/KH-BTĐKT", "title": "Đợt thi đua chào mừng cuối năm 2026", "kind": "thematic",
        "milestones": [{"text": "trước ngày 10/12/2026", "purpose": "submission"},
                       {"text": "trước ngày 09/12/2026", "purpose": "report"},
                       {"text": "trước ngày 12/12/2026", "purpose": "report"},
                       {"text": "trước ngày 18/12/2026", "purpose": "report"}]}, now=at("2026-11-23"))
    late_drafts = [draft(db, users, plan["id"], name=f"Tập thể phòng {i}", kind="collective",
                         award="giay_khen", now=at("2026-11-23")).id for i in (1, 2)]
    council_due_0812 = [submitted(db, users, open_plan, f"Nguyễn Văn A{i}", "2026-11-23").id for i in (1, 2)]
    voted_late = submitted(db, users, open_plan, "Trần Thị Bình", "2026-11-23").id
    unit_head_due_0112 = []
    for i in (1, 2):
        n = submitted(db, users, open_plan, f"Lê Văn D{i}", "2026-11-23")
        unit_head_due_0112.append(act(db, users, "vtc.hoidong", n.id, "vote", now=at("2026-11-23"),
                                      votes=FULL_VOTE).id)
    council_due_1112, council_due_1412 = [], []
    for day in days:
        if day == at("2026-11-27"):
            council_due_1112 += [submitted(db, users, open_plan, f"Phạm Văn C{i}", "2026-11-27").id for i in (1, 2)]
        if day == at("2026-11-30"):
            council_due_1412 += [submitted(db, users, open_plan, f"Hoàng Văn B{i}", "2026-11-30").id for i in (1, 2)]
        clock_now[0] = day
        assert daily.run_once() is not None, f"the scheduler did not sweep on {day}"
    reports = _obligations_by_due_day(db)
    with db.read() as s:
        dues = {nid: local_date(s.get(Nomination, nid).due_at) for nid in
                council_due_0812 + council_due_1112 + council_due_1412 + unit_head_due_0112}
    assert sorted(set(dues.values())) == [datetime(2026, 12, d).date() for d in (1, 8, 11, 14)]
    assert {d for d in reports if d.year == 2026} == {datetime(2026, 12, d).date() for d in (8, 11, 17)}
    with db.read() as s:
        taking_part = s.execute(select(func.count()).select_from(PlanUnit)
                                .where(PlanUnit.plan_id == plan["id"])).scalar()
    # the demo's units under the centre: VTC, Cục Báo chí, the province's office, the Sở GD&ĐT,
    # its school and the commune
    assert taking_part == 6
    assert all(len(reports[d]) == taking_part for d in reports if d.year == 2026)
    already = events_since(db, 0)
    assert [a for a, _ in already[f"n:{unit_head_due_0112[0]}"]][-1] == "escalate"   # level 1 on 02/12
    assert ("remind", None) in already[f"n:{council_due_0812[0]}"]                      # reminded 03/12

    # --- the outage: no scheduler from 07/12 09:00 to 14/12 09:00; people keep working ------
    act(db, users, "vtc.hoidong", voted_late, "vote", now=at("2026-12-10"), votes=FULL_VOTE)
    quiet = submitted(db, users, open_plan, "Đỗ Thị E", "2026-12-09").id
    mark = last_event_id(db)
    sent_before = Counter(smtp.keys())

    # --- Monday 14/12, 09:00: two schedulers start at once ---------------------------------
    holders = run_two_schedulers(db, settings, SimulatedClock(BACK_AT), sweeps=3)
    happened = events_since(db, mark)
    expected = {
        **{f"n:{n}": [("escalate", 1)] for n in council_due_0812 + council_due_1112},
        **{f"n:{n}": [("remind", None)] for n in council_due_1412 + [voted_late]},
        **{f"n:{n}": [("escalate", 2)] for n in unit_head_due_0112},
        **{f"n:{n}": [("expire", None)] for n in late_drafts},
        **{f"o:{o}": [("escalate", 1)] for o in reports[datetime(2026, 12, 8).date()]
           + reports[datetime(2026, 12, 11).date()]},
        **{f"o:{o}": [("remind", None)] for o in reports[datetime(2026, 12, 17).date()]},
    }
    checkpoints = happened.pop("audit:checkpoint", [])
    assert happened == expected
    assert f"n:{quiet}" not in happened and len(checkpoints) == 1
    with db.read() as s:
        workers = set(s.execute(select(Deadline.claimed_by).where(Deadline.fired_at >= BACK_AT)).scalars())
        levels = {n.id: n.escalation_level for n in s.execute(select(Nomination).where(Nomination.id.in_(
            council_due_0812 + council_due_1112 + unit_head_due_0112 + council_due_1412))).scalars()}
        states = dict(s.execute(select(Nomination.id, Nomination.state).where(
            Nomination.id.in_(late_drafts + [voted_late, quiet]))).all())
    assert len(workers) == 1 and workers <= set(holders)  # one scheduler did it all, under the lease
    assert levels == {**dict.fromkeys(council_due_0812 + council_due_1112, 1), **dict.fromkeys(unit_head_due_0112, 2),
                      **dict.fromkeys(council_due_1412, 0)}
    assert states == {late_drafts[0]: "expired", late_drafts[1]: "expired", voted_late: "unit_review",
                      quiet: "council_review"}
    # Each e-mail of the catch-up went out once, and nothing sent before the outage again.
    received = smtp.keys()
    with db.read() as s:
        queued = list(s.execute(select(OutboxMessage.dedup_key, OutboxMessage.sent_at)))
    assert all(sent_at is not None for _, sent_at in queued)
    assert received == Counter({k: 1 for k, _ in queued})
    new_mail = {k for k in received if k not in sent_before}
    # A unit without any account (the demo's school) has nobody to mail: its obligations are
    # reminded and escalated all the same (above), in the audit log and the owner's lists.
    with db.read() as s:
        staffed = set(s.execute(select(User.org_id).where(User.active.is_(True), User.email.is_not(None))).scalars())
        unstaffed = {f"o:{o.id}" for o in s.execute(select(Obligation).where(
            Obligation.plan_id == plan["id"], Obligation.org_id.not_in(staffed))).scalars()}
    assert len(unstaffed) == 3  # the school's three reports
    assert {k.split(":")[0] + ":" + k.split(":")[1] for k in new_mail if ":esc" in k or ":remind" in k} == {
        c for c, evs in expected.items() if evs[0][0] in ("escalate", "remind") and c not in unstaffed}

    # --- a second start, and an operator's two ticks at once: nothing more -----------------
    before = footprint(db)
    run_two_schedulers(db, settings, SimulatedClock(BACK_AT + timedelta(minutes=5)), sweeps=2)
    env = env_for(db.url, tmp_path, KHENTHUONG_SMTP_URL=smtp.url)
    ticks = [subprocess.Popen([sys.executable, "-m", "web.cli", "scheduler", "tick", "--apply", "--now",
                               "2026-12-14T09:30:00+07:00"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in ticks]
    assert [p.returncode for p in ticks] == [0, 0], outs
    assert all("0 reminder(s), 0 escalation(s), 0 expired" in out for out, _ in outs), outs
    assert footprint(db) == before
    assert smtp.keys() == received
    assert verify(db, signing_key(settings)).ok


def _obligations_by_due_day(db) -> dict:
    with db.read() as s:
        rows = s.execute(select(Obligation.id, Obligation.due_at)).all()
    out = defaultdict(list)
    for oid, due in rows:
        out[local_date(due)].append(oid)
    return dict(out)
