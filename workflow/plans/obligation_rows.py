"""How a plan obligation (nghĩa vụ báo cáo) is written: through the kernel's one write path.

Its audit chain is "o:<id>", head on the row, so the version check that serialises commands on
an obligation also serialises its chain; its deadline row lets the sweep remind and escalate a
unit that has not reported. Used by the obligation service (workflow/plans/obligations.py) and
the sweep (workflow/sweep/effects.py).
"""
from datetime import UTC, datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from workflow.access.actors import Actor, RequestContext
from workflow.calendar.timelimits import REMIND_HOUR, calendar_for
from workflow.calendar.workdays import TZ, local_date
from workflow.kernel.transition import Change, Due, apply
from workflow.models import Deadline, Obligation


def due(session: Session, due_at: datetime) -> Due:
    """A report due at `due_at`: reminded the configured working days before, at 08:00."""
    days = session.info["settings"].remind_days_before
    remind_at = None
    if days > 0:
        day = calendar_for(session).subtract_working_days(local_date(due_at), days)
        remind_at = datetime.combine(day, REMIND_HOUR, TZ).astimezone(UTC)
    return Due(due_at, remind_at)


def retire_deadlines(session: Session, ob: Obligation) -> None:
    """The unit reported: its pending reminders and escalations will never fire (the sweep would
    retire them by their stale version anyway; this keeps them out of its way)."""
    session.execute(update(Deadline).where(
        Deadline.subject == "obligation", Deadline.subject_id == ob.id, Deadline.next_at.is_not(None))
        .values(next_at=None, stage="retired").execution_options(synchronize_session=False))


def record(session: Session, ob: Obligation, actor: Actor, action: str, now: datetime, ctx: RequestContext, *,
           reason: str | None = None, payload: dict | None = None, values: dict | None = None, bump: bool = True,
           created: bool = False, due: Due | None = None, notices=None) -> None:
    """Write a change of `ob` with its audit event (and deadline row, and notices)."""
    apply(session, ob, actor, Change(action, values=values or {}, reason=reason, payload=payload, bump=bump,
                                     due=due, notices=notices), now, ctx, created=created)
