"""Warnings about a plan's milestone once its deadline is read (issue 15).

A milestone is kept as written, but two things are worth telling whoever issues the plan:

- it ends **before the issue date**: whoever must meet it cannot (usually a year written wrong, or
  a year-less date meant for another year);
- it ends on a **day off** (a Saturday or Sunday, a public holiday of Bộ luật Lao động 2019
  Art. 112, or a day off the administrator added to the calendar): by Bộ luật Dân sự 2015 Art. 148
  the period then ends at the end of the next working day, which is named in the warning.

Each warning is a pair (Vietnamese, English); dates are written dd/mm/yyyy, day before month as in
administrative documents (NĐ 30/2020/NĐ-CP, Phụ lục I, "địa danh và thời gian ban hành văn bản").
"""
from __future__ import annotations

from datetime import date

from workflow.calendar.deadlines import Deadline
from workflow.calendar.workdays import EXTRA_DAY_OFF_NAME, WorkCalendar

__all__ = ["milestone_warnings"]

_WEEKEND = {5: ("thứ Bảy", "a Saturday"), 6: ("Chủ nhật", "a Sunday")}


def _day_off(cal: WorkCalendar, day: date) -> tuple[str, str]:
    """Why `day` is a day off, in Vietnamese and English."""
    name = cal.holiday_name(day)
    if name == EXTRA_DAY_OFF_NAME:
        return "ngày nghỉ bổ sung theo lịch làm việc", "a day off added to the working-day calendar"
    if name:
        return f"ngày nghỉ lễ, tết: {name}", f"a public holiday ({name})"
    return _WEEKEND.get(day.weekday(), ("ngày nghỉ", "a day off"))


def milestone_warnings(deadline: Deadline, issued: date | None, calendar: WorkCalendar) -> list[tuple[str, str]]:
    """What is wrong with each period of `deadline`: ends before `issued`, or on a day off."""
    out: list[tuple[str, str]] = []
    text = deadline.text.strip()
    for period in deadline.periods:
        end = period.end
        if issued is not None and end < issued:
            out.append((f'Thời hạn "{text}" kết thúc ngày {end:%d/%m/%Y}, trước ngày ban hành {issued:%d/%m/%Y}',
                        f'The deadline "{text}" ends on {end:%d/%m/%Y}, before the issue date {issued:%d/%m/%Y}'))
        if not calendar.is_working_day(end):
            why_vi, why_en = _day_off(calendar, end)
            moved = calendar.period_end(end)
            out.append((f'Thời hạn "{text}" kết thúc ngày {end:%d/%m/%Y} là {why_vi}; theo Điều 148 Bộ luật '
                         f'Dân sự 2015, thời hạn kết thúc vào cuối ngày làm việc tiếp theo {moved:%d/%m/%Y}',
                         f'The deadline "{text}" ends on {end:%d/%m/%Y}, {why_en}; by Art. 148 of the Civil '
                         f'Code 2015 it ends at the end of the next working day, {moved:%d/%m/%Y}'))
    return out
