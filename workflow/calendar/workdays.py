"""The Vietnamese civil-service working-day calendar, and the time zone the engine reasons in.

Working days are Monday–Friday minus public holidays (Bộ luật Lao động 2019 Art. 112), plus the
Saturdays the Government swaps into working days. Both come from the `holidays` package (VN,
language "vi"): its `weekend_workdays` lists the swapped working Saturdays (e.g. 04/05/2024,
26/04/2025, 22/08/2026) and the matching weekdays off are ordinary entries ("Ngày nghỉ (thay cho
ngày …)"). The package can lag the Government's yearly notices, so an administrator adds
`extra_days_off` and `extra_working_days`; these override the package.

Counting follows Bộ luật Dân sự 2015: a period starts the day after its trigger (Art. 147) and a
last day that falls on a day off moves to the next working day (Art. 148).
"""
from __future__ import annotations

from functools import lru_cache
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, UTC
from zoneinfo import ZoneInfo

import holidays

__all__ = ["TZ", "WorkCalendar", "end_of_day_utc", "local_date"]

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
EXTRA_DAY_OFF_NAME = "Ngày nghỉ bổ sung"
_DAY = timedelta(days=1)


class WorkCalendar:
    def __init__(self, extra_days_off: Iterable[date] = (), extra_working_days: Iterable[date] = ()) -> None:
        self._extra_off = frozenset(extra_days_off)
        self._extra_work = frozenset(extra_working_days)
        if both := self._extra_off & self._extra_work:
            raise ValueError(f"dates both off and working: {sorted(both)}")
        # year -> (public holidays by date, swapped working Saturdays of that year)
        self._years: dict[int, tuple[dict[date, str], frozenset[date]]] = {}
        # The calendar never changes once built, so day counts are memoised: every transition
        # and every inbox row asks them, mostly for the same few dates.
        self._counted: dict[tuple[str, date, date | int], date | int] = {}

    def _year(self, year: int) -> tuple[dict[date, str], frozenset[date]]:
        cached = self._years.get(year)
        if cached is None:
            vn = holidays.country_holidays("VN", years=year, language="vi")
            # weekend_workdays also carries swaps of other years (e.g. 27/12/2014 for 02/01/2015).
            workdays = frozenset(d for d in getattr(vn, "weekend_workdays", ()) if d.year == year)
            cached = self._years[year] = ({d: name for d, name in vn.items() if d.year == year}, workdays)
        return cached

    def is_working_day(self, d: date) -> bool:
        if d in self._extra_work:
            return True
        if d in self._extra_off:
            return False
        public, swapped = self._year(d.year)
        if d.weekday() >= 5:  # Saturday, Sunday
            return d in swapped
        return d not in public

    def holiday_name(self, d: date) -> str | None:
        if d in self._extra_off:
            return EXTRA_DAY_OFF_NAME
        return self._year(d.year)[0].get(d)

    def next_working_day(self, d: date) -> date:
        while not self.is_working_day(d):
            d += _DAY
        return d

    def previous_working_day(self, d: date) -> date:
        while not self.is_working_day(d):
            d -= _DAY
        return d

    def _memo(self, kind: str, a: date, b, count):
        key = (kind, a, b)
        hit = self._counted.get(key)
        if hit is None:
            if len(self._counted) > 100_000:
                self._counted.clear()
            hit = self._counted[key] = count(a, b)
        return hit

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after d; counting starts the day after d (Art. 147)."""
        return self._memo("add", d, n, self._add_working_days)

    def subtract_working_days(self, d: date, n: int) -> date:
        """The n-th working day before d (for "remind N working days before the due date")."""
        return self._memo("subtract", d, n, self._subtract_working_days)

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in (a, b]; negative (minus those in (b, a]) when b is before a."""
        return self._memo("between", a, b, self._working_days_between)

    def _add_working_days(self, d: date, n: int) -> date:
        if n < 0:
            raise ValueError("n must be >= 0; use subtract_working_days")
        if n == 0:
            return self.next_working_day(d)
        while n:
            d += _DAY
            n -= self.is_working_day(d)
        return d

    def _subtract_working_days(self, d: date, n: int) -> date:
        if n < 0:
            raise ValueError("n must be >= 0; use add_working_days")
        if n == 0:
            return self.previous_working_day(d)
        while n:
            d -= _DAY
            n -= self.is_working_day(d)
        return d

    def _working_days_between(self, a: date, b: date) -> int:
        if b < a:
            return -self.working_days_between(b, a)
        count, d = 0, a
        while d < b:
            d += _DAY
            count += self.is_working_day(d)
        return count

    def period_end(self, d: date) -> date:
        """A period whose last day is a day off ends on the next working day (Art. 148)."""
        return self.next_working_day(d)


def end_of_day_utc(d: date) -> datetime:
    """The last instant of calendar day d in Vietnam, as an aware UTC datetime."""
    return datetime.combine(d, time.max, tzinfo=TZ).astimezone(UTC)


@lru_cache(maxsize=4096)  # a bulk move asks for the same few moments thousands of times
def local_date(dt: datetime) -> date:
    """The calendar date in Vietnam of an aware datetime (equal instants: the same date)."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("local_date needs an aware datetime")
    return dt.astimezone(TZ).date()
