"""Due dates of review steps in Vietnamese working days (domain.md §5, §7).

Counting follows the Civil Code: the period starts the day after the nomination reaches the
step, and a due date falling on a day off moves to the next working day.
"""
import threading
import time
from datetime import datetime, time as dtime, timedelta, UTC

from sqlalchemy import select
from sqlalchemy.orm import Session

from states.routes import Step
from workflow.kernel.db import identity
from workflow.models import CalendarOverride
from workflow.calendar.workdays import TZ, WorkCalendar, end_of_day_utc, local_date

_TTL = 30.0
_cache: dict[tuple, tuple[float, WorkCalendar]] = {}
_lock = threading.Lock()
REMIND_HOUR = dtime(8, 0)


def calendar_for(session: Session) -> WorkCalendar:
    """The working-day calendar with the administrator's overrides, cached briefly."""
    key = identity(session)
    hit = _cache.get(key)
    if hit and time.monotonic() - hit[0] < _TTL:
        return hit[1]
    rows = session.execute(select(CalendarOverride.day, CalendarOverride.working)).all()
    cal = WorkCalendar(extra_days_off=[d for d, w in rows if not w],
                       extra_working_days=[d for d, w in rows if w])
    with _lock:
        _cache[key] = (time.monotonic(), cal)
    return cal


def invalidate_calendar_cache() -> None:
    with _lock:
        _cache.clear()


def step_due(cal: WorkCalendar, step: Step, now: datetime, remind_days_before: int
             ) -> tuple[datetime, datetime | None]:
    """(due_at, remind_at) in UTC for a nomination entering `step` at `now`."""
    start = local_date(now)
    due_day = cal.period_end(cal.add_working_days(start, step.time_limit_days))
    due_at = end_of_day_utc(due_day)
    remind_at = None
    if remind_days_before > 0 and step.time_limit_days > remind_days_before:
        remind_day = cal.subtract_working_days(due_day, remind_days_before)
        remind_at = datetime.combine(remind_day, REMIND_HOUR, TZ).astimezone(UTC)
    return due_at, remind_at


def working_days_left(cal: WorkCalendar, due_at: datetime | None, now: datetime) -> int | None:
    """Working days from today to the due date (negative when overdue)."""
    if due_at is None:
        return None
    return cal.working_days_between(local_date(now), local_date(due_at - timedelta(microseconds=1)))
