"""The administrator's calendar of extra days off and make-up working days (lịch làm việc).

The `holidays` package knows the public holidays, Tết and the swapped Saturdays; the
Government's yearly notices can add a day off or move a working day, and the package can lag
behind. An override says what a day is, whatever the package says. Changes are audited on the
chain "admin:calendar" and take effect for new time limits at once in this process (the cache
of other processes refreshes within 30 s). The due dates of open nominations that the day
touches are computed again from the day each entered its step, in the same transaction, each
through the kernel's write path (a new deadline row, an audited `due_recompute` event).
"""
from datetime import date, datetime

from sqlalchemy import extract, select

from workflow import validation as v

from workflow.audit import chain as audit
from workflow.access.actors import NO_CONTEXT, Actor, RequestContext
from workflow.kernel.db import Database
from workflow.kernel.uow import unit_of_work
from workflow.errors import Conflict, Forbidden, InvalidInput, NotFound
from workflow.models import CalendarOverride
from workflow.access.loading import load_actor
from workflow.calendar.timelimits import invalidate_calendar_cache
from workflow.calendar.recompute import recompute_due_dates
from workflow.calendar.workdays import WorkCalendar

CHAIN = "admin:calendar"
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _admin(s, actor_id: int) -> Actor:
    actor = load_actor(s, actor_id)
    if not actor.is_admin:
        raise Forbidden("Chỉ quản trị hệ thống được sửa lịch làm việc",
                        "Only the administrator may edit the working-day calendar")
    return actor


def override_dict(o: CalendarOverride) -> dict:
    public = WorkCalendar()
    return {"day": o.day.isoformat(), "working": o.working, "note": o.note,
            "public_holiday": public.holiday_name(o.day)}


def list_overrides(db: Database, actor_id: int, *, year=None) -> list[dict]:
    """Every override (of one year, if given), in date order."""
    with db.read() as s:
        _admin(s, actor_id)
        q = select(CalendarOverride).order_by(CalendarOverride.day)
        if year is not None:
            year = v.integer(year, "year", minimum=FIRST_YEAR, maximum=LAST_YEAR)
            q = q.where(extract("year", CalendarOverride.day) == year)
        return [override_dict(o) for o in s.execute(q).scalars()]


def _day(raw, field: str = "day") -> date:
    day = v.iso_date(raw, field)
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InvalidInput(f"Ngày {day.isoformat()} ngoài khoảng {FIRST_YEAR}–{LAST_YEAR}",
                           f"Day {day.isoformat()} is outside {FIRST_YEAR}–{LAST_YEAR}", field=field)
    return day


def _check_meaningful(day: date, working: bool) -> None:
    """An override must change something: refuse a day off on a day that is already off."""
    public = WorkCalendar()
    if public.is_working_day(day) == working:
        what_vi, what_en = ("ngày làm việc", "a working day") if working else ("ngày nghỉ", "a day off")
        raise InvalidInput(f"Ngày {day:%d/%m/%Y} đã là {what_vi} theo lịch nhà nước",
                           f"{day.isoformat()} is already {what_en} in the public calendar", field="working")


def add_override(db: Database, actor_id: int, body, *, now: datetime,
                 ctx: RequestContext = NO_CONTEXT) -> dict:
    """Declare a day off (`working: false`) or a make-up working day (`working: true`)."""
    if not isinstance(body, dict):
        raise InvalidInput("Nội dung phải là đối tượng JSON", "The body must be a JSON object", field="body")
    day = _day(body.get("day"))
    working = body.get("working")
    if not isinstance(working, bool):
        raise InvalidInput("Trường working phải là true hoặc false", "Field working must be true or false",
                           field="working")
    note = v.text(body.get("note"), "note", required=False, max_len=300)
    _check_meaningful(day, working)
    with unit_of_work(db) as s:
        actor = _admin(s, actor_id)
        if s.get(CalendarOverride, day) is not None:
            raise Conflict(f"Ngày {day:%d/%m/%Y} đã có điều chỉnh; hãy xoá trước khi đặt lại",
                           f"{day.isoformat()} already has an override; delete it first", field="day")
        row = CalendarOverride(day=day, working=working, note=note)
        s.add(row)
        s.flush()
        moved = recompute_due_dates(s, actor, day, now, ctx)
        audit.append(s, CHAIN, at=now, actor=actor, ctx=ctx, action="calendar_override_add",
                     entity="calendar", entity_id=None,
                     payload={"day": day.isoformat(), "working": working, "note": note, "due_dates_moved": moved})
        s.flush()
        result = {**override_dict(row), "due_dates_moved": moved}
    invalidate_calendar_cache()
    return result


def remove_override(db: Database, actor_id: int, day_text, *, now: datetime,
                    ctx: RequestContext = NO_CONTEXT) -> dict:
    """Delete an override: the day is again what the public calendar says."""
    day = _day(day_text)
    with unit_of_work(db) as s:
        actor = _admin(s, actor_id)
        row = s.get(CalendarOverride, day)
        if row is None:
            raise NotFound(f"Ngày {day:%d/%m/%Y} không có điều chỉnh", f"No override on {day.isoformat()}")
        result = override_dict(row)
        s.delete(row)
        s.flush()
        moved = recompute_due_dates(s, actor, day, now, ctx)
        result["due_dates_moved"] = moved
        audit.append(s, CHAIN, at=now, actor=actor, ctx=ctx, action="calendar_override_remove",
                     entity="calendar", entity_id=None,
                     payload={"day": day.isoformat(), "working": row.working, "note": row.note,
                              "due_dates_moved": moved})
    invalidate_calendar_cache()
    return result
