"""`scheduler tick` was documented as a rehearsal but applied the sweep (M10): now the sweep
runs inside one transaction that is rolled back, on both databases, and reports exactly what
the real sweep then does."""
from datetime import datetime, UTC

from sqlalchemy import func, select

from workflow.models import AuditEvent, Deadline, Nomination, Notification
from workflow.sweep import run_sweep
from workflow.sweep.rehearsal import Rehearsal

from tests.scenarios import act, draft

LATE = datetime(2026, 12, 9, 2, 0, tzinfo=UTC)  # after the unit's step is due


def footprint(db, n):
    with db.read() as s:
        nom = s.get(Nomination, n)
        return (nom.escalation_level, nom.version, nom.audit_seq,
                s.execute(select(func.count()).select_from(AuditEvent)).scalar(),
                s.execute(select(func.count()).select_from(Notification)).scalar(),
                tuple(s.execute(select(Deadline.stage, Deadline.version).order_by(Deadline.id)).all()))


def test_a_rehearsed_sweep_counts_what_the_real_one_does_and_changes_nothing(db, users, open_plan):
    n = draft(db, users, open_plan, name="Hứa Văn Sơn").id
    act(db, users, "vtc.canbo", n, "submit")
    before = footprint(db, n)
    rehearsal = Rehearsal(db)
    try:
        rehearsed = run_sweep(rehearsal, LATE)  # type: ignore[arg-type]
    finally:
        rehearsal.close()
    assert rehearsed.escalated >= 1 and any(e["id"] == n for e in rehearsed.events)
    assert footprint(db, n) == before
    applied = run_sweep(db, LATE)
    assert (applied.escalated, applied.reminded, applied.expired) == (
        rehearsed.escalated, rehearsed.reminded, rehearsed.expired)
    assert footprint(db, n)[0] == 1
