"""Due dates computed again after the working-day calendar changed (lịch làm việc điều chỉnh).

A step's time limit counts working days from the day after the nomination reached the step
(Bộ luật Dân sự 2015 Art. 147-148; workflow/calendar/timelimits.py); a day off declared or
withdrawn later changes that count for every open step whose period runs over the day. Each
changed nomination is written through the kernel: its new due date, a new deadline row (the old
one retires with the version), and a `due_recompute` event naming the day.
"""
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from states.lifecycle import TERMINAL_STATES
from states.routes import ROUTES
from workflow.access.actors import Actor, RequestContext
from workflow.calendar.workdays import WorkCalendar, end_of_day_utc
from workflow.calendar.timelimits import step_due
from workflow.kernel.transition import Change, Due, apply
from workflow.models import AuditEvent, CalendarOverride, Nomination

ACTION = "due_recompute"


def _calendar(s: Session) -> WorkCalendar:
    """The calendar as this transaction sees it (the override just written included)."""
    rows = s.execute(select(CalendarOverride.day, CalendarOverride.working)).all()
    return WorkCalendar(extra_days_off=[d for d, w in rows if not w], extra_working_days=[d for d, w in rows if w])


def _entered(s: Session, nom: Nomination) -> datetime | None:
    """When the nomination reached the step it waits at: its last event that moved it there."""
    return s.execute(select(AuditEvent.at).where(
        AuditEvent.chain == f"n:{nom.id}", AuditEvent.to_state == nom.state,
        (AuditEvent.from_state.is_(None)) | (AuditEvent.from_state != AuditEvent.to_state))
        .order_by(AuditEvent.seq.desc()).limit(1)).scalar()


def recompute_due_dates(s: Session, actor: Actor, day: date, now: datetime, ctx: RequestContext) -> int:
    """Move the due dates of open nominations whose period runs over `day`; how many moved."""
    cal = _calendar(s)
    remind = s.info["settings"].remind_days_before if "settings" in s.info else 3
    noms = s.execute(select(Nomination).where(
        Nomination.state.not_in(TERMINAL_STATES), Nomination.due_at.is_not(None),
        Nomination.due_at >= end_of_day_utc(day - timedelta(days=1))).order_by(Nomination.id)).scalars().all()
    moved = 0
    for nom in noms:
        step = ROUTES[nom.route].step(nom.state)
        entered = _entered(s, nom) if step else None
        if step is None or entered is None:
            continue
        due_at, remind_at = step_due(cal, step, entered, remind)
        if due_at == nom.due_at:
            continue
        apply(s, nom, actor, Change(ACTION, values={"due_at": due_at}, due=Due(due_at, remind_at),
                                    payload={"day": day.isoformat(),
                                             "due_at": [nom.due_at.isoformat() if nom.due_at else None,
                                                        due_at.isoformat()]}), now, ctx)
        moved += 1
    return moved
