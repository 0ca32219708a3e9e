"""The rows a change of a plan obligation writes besides itself: its audit event and its deadlines.

Shared by the obligation service (workflow/services/obligations.py) and the sweep, as
`engine.record_change` and the engine's deadline rows are for nominations. The audit chain is
"o:<id>", its head kept on the row, so the version check that serialises commands on an
obligation also serialises its chain.
"""
from datetime import datetime, UTC

from sqlalchemy import update
from sqlalchemy.orm import Session

from workflow.audit import chain as audit
from workflow.access.actors import Actor, RequestContext
from workflow.models import Deadline, Obligation
from workflow.calendar.timelimits import REMIND_HOUR, calendar_for
from workflow.calendar.workdays import TZ, local_date


def schedule(session: Session, ob: Obligation, due_at: datetime, now: datetime,
             remind_days_before: int) -> None:
    """A deadline row for the sweep: remind before `due_at`, escalate after it."""
    remind_at = None
    if remind_days_before > 0:
        day = calendar_for(session).subtract_working_days(local_date(due_at), remind_days_before)
        remind_at = datetime.combine(day, REMIND_HOUR, TZ).astimezone(UTC)
    early = remind_at is not None and remind_at > now
    session.add(Deadline(subject="obligation", subject_id=ob.id, version=ob.version, state=ob.state,
                         due_at=due_at, remind_at=remind_at, stage="remind" if early else "escalate1",
                         next_at=remind_at if early else due_at))


def retire_deadlines(session: Session, ob: Obligation) -> None:
    """The unit reported: its pending reminders and escalations will never fire."""
    session.execute(update(Deadline).where(
        Deadline.subject == "obligation", Deadline.subject_id == ob.id, Deadline.next_at.is_not(None))
        .values(next_at=None, stage="retired").execution_options(synchronize_session=False))


def record(session: Session, ob: Obligation, actor: Actor, action: str, now: datetime,
           ctx: RequestContext, *, from_state: str | None, reason: str | None = None,
           payload: dict | None = None, bump: bool = True) -> None:
    """Append the audit event of a change to `ob` (and bump its version)."""
    if bump:
        ob.version = ob.version + 1
    ev = audit.new_event(
        session, chain=f"o:{ob.id}", seq=ob.audit_seq + 1, prev_hash=ob.audit_head, at=now,
        actor=actor, ctx=ctx, action=action, entity="obligation", entity_id=ob.id,
        from_state=from_state, to_state=ob.state, reason=reason, payload=payload,
        org_id=ob.org_id if actor.is_system else actor.org_id)
    ob.audit_seq = ev.seq
    ob.audit_head = ev.hash
