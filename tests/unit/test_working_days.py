"""The Vietnamese working-day calendar. Every expected date below was worked out by hand from the
law and the Government's holiday notices (BLLĐ 2019 Art. 112, BLDS 2015 Art. 147-148, VPCP/BNV
schedules), not computed with the code under test."""
import time
from datetime import date, datetime, timedelta, UTC

import pytest

from workflow.calendar.workdays import TZ, WorkCalendar, end_of_day_utc, local_date

CAL = WorkCalendar()


@pytest.mark.parametrize("day", [
    date(2025, 1, 1),                                            # Tết Dương lịch
    *(date(2025, 1, d) for d in range(27, 32)),                  # Tết Ất Tỵ: Mon 27 – Fri 31/01/2025
    *(date(2026, 2, d) for d in range(16, 21)),                  # Tết Bính Ngọ: Mon 16 – Fri 20/02/2026
    date(2025, 4, 7),                                            # Giỗ Tổ Hùng Vương (10/3 âm lịch)
    date(2026, 4, 27),                                           # Giỗ Tổ on Sun 26/04/2026, compensated Mon
    date(2025, 4, 30), date(2025, 5, 1),                         # 30/4 and 1/5
    date(2025, 5, 2),                                            # swapped: off, worked on Sat 26/04/2025
    date(2024, 4, 29),                                           # swapped: off, worked on Sat 04/05/2024
    date(2025, 9, 1), date(2025, 9, 2),                          # Quốc khánh, two days
    date(2026, 8, 31), date(2026, 9, 1), date(2026, 9, 2),       # Quốc khánh 2026 plus swapped Mon 31/08
    date(2015, 1, 2),                                            # swapped across years: worked Sat 27/12/2014
])
def test_public_holidays_and_swapped_days_are_days_off(day):
    assert day.weekday() < 5
    assert not CAL.is_working_day(day)


@pytest.mark.parametrize("saturday", [date(2024, 5, 4), date(2025, 4, 26), date(2026, 8, 22), date(2014, 12, 27)])
def test_saturdays_swapped_into_working_days_are_working_days(saturday):
    assert saturday.weekday() == 5
    assert CAL.is_working_day(saturday)


@pytest.mark.parametrize("day, working", [
    (date(2025, 1, 24), True),    # Fri before Tết 2025
    (date(2025, 2, 3), True),     # Mon after Tết 2025
    (date(2026, 2, 13), True),    # Fri before Tết 2026
    (date(2026, 2, 23), True),    # Mon after Tết 2026
    (date(2025, 4, 29), True),    # Tue between the weekend and 30/4
    (date(2025, 4, 27), False),   # an ordinary Sunday
    (date(2025, 5, 3), False),    # an ordinary Saturday
])
def test_ordinary_weekdays_work_and_weekends_rest(day, working):
    assert CAL.is_working_day(day) is working


def test_holiday_names_are_vietnamese():
    assert CAL.holiday_name(date(2025, 9, 2)) == "Quốc khánh"
    assert CAL.holiday_name(date(2025, 4, 30)) == "Ngày Chiến thắng"
    assert "Tết" in CAL.holiday_name(date(2025, 1, 29))
    assert CAL.holiday_name(date(2025, 1, 24)) is None


def test_first_working_day_after_friday_before_tet_2025_is_monday_after_tet():
    assert CAL.add_working_days(date(2025, 1, 24), 1) == date(2025, 2, 3)


def test_twenty_working_days_from_late_january_2026_skip_the_tet_week():
    # Feb 2-6 (5), Feb 9-13 (10), Feb 16-20 Tết, Feb 23-27 (15), Mar 2-6 (20)
    assert CAL.add_working_days(date(2026, 1, 30), 20) == date(2026, 3, 6)


def test_twenty_working_days_from_mid_january_2026_end_before_tet():
    # Jan 13-16 (4), 19-23 (9), 26-30 (14), Feb 2-6 (19), Mon 9 Feb (20)
    assert CAL.add_working_days(date(2026, 1, 12), 20) == date(2026, 2, 9)


def test_twenty_working_days_across_the_swapped_saturday_and_30_4_2025():
    # Sat 26/4 (1), 28 (2), 29 (3), 30/4-2/5 off, May 5-9 (8), 12-16 (13), 19-23 (18), 26 (19), 27 (20)
    assert CAL.add_working_days(date(2025, 4, 25), 20) == date(2025, 5, 27)


def test_counting_starts_the_day_after_the_trigger_even_on_a_working_day():
    assert CAL.add_working_days(date(2025, 6, 2), 1) == date(2025, 6, 3)   # Mon → Tue
    assert CAL.add_working_days(date(2025, 6, 6), 1) == date(2025, 6, 9)   # Fri → Mon


def test_adding_zero_working_days_gives_the_next_working_day():
    assert CAL.add_working_days(date(2025, 6, 3), 0) == date(2025, 6, 3)
    assert CAL.add_working_days(date(2025, 1, 25), 0) == date(2025, 2, 3)  # Sat before Tết


def test_negative_working_days_are_refused():
    with pytest.raises(ValueError):
        CAL.add_working_days(date(2025, 6, 3), -1)
    with pytest.raises(ValueError):
        CAL.subtract_working_days(date(2025, 6, 3), -1)


def test_subtracting_working_days_for_reminders():
    assert CAL.subtract_working_days(date(2025, 2, 3), 1) == date(2025, 1, 24)
    # 4-3/5 weekend, 2/5-30/4 off, Tue 29 (1), Mon 28 (2), Sat 26/4 swapped working (3)
    assert CAL.subtract_working_days(date(2025, 5, 5), 3) == date(2025, 4, 26)
    assert CAL.subtract_working_days(date(2026, 3, 6), 20) == date(2026, 1, 30)


def test_working_days_between_counts_the_half_open_interval():
    assert CAL.working_days_between(date(2025, 1, 24), date(2025, 2, 3)) == 1
    assert CAL.working_days_between(date(2025, 2, 3), date(2025, 1, 24)) == -1
    assert CAL.working_days_between(date(2025, 6, 3), date(2025, 6, 3)) == 0
    assert CAL.working_days_between(date(2026, 1, 30), date(2026, 3, 6)) == 20


@pytest.mark.parametrize("last_day, moved_to", [
    (date(2025, 6, 15), date(2025, 6, 16)),   # Sunday → Monday
    (date(2025, 4, 30), date(2025, 5, 5)),    # 30/4, 1/5, swapped 2/5, weekend → Mon 5/5
    (date(2026, 2, 16), date(2026, 2, 23)),   # first day of Tết 2026 → Mon after Tết
    (date(2025, 6, 13), date(2025, 6, 13)),   # a working Friday stays
    (date(2025, 4, 26), date(2025, 4, 26)),   # a swapped working Saturday stays
])
def test_a_deadline_on_a_day_off_moves_to_the_next_working_day(last_day, moved_to):
    assert CAL.period_end(last_day) == moved_to


def test_an_extra_day_off_overrides_the_package():
    cal = WorkCalendar(extra_days_off=[date(2026, 11, 23)])   # a bridge Monday decided by the Government
    assert not cal.is_working_day(date(2026, 11, 23))
    assert cal.holiday_name(date(2026, 11, 23)) == "Ngày nghỉ bổ sung"
    assert cal.add_working_days(date(2026, 11, 20), 1) == date(2026, 11, 25)  # 23 extra, 24/11 holiday
    assert CAL.is_working_day(date(2026, 11, 23))                             # other calendars unaffected


def test_an_extra_working_saturday_and_a_cancelled_holiday():
    cal = WorkCalendar(extra_working_days=[date(2026, 2, 7), date(2026, 11, 24)])
    assert cal.is_working_day(date(2026, 2, 7))                      # make-up Saturday
    assert cal.add_working_days(date(2026, 2, 6), 1) == date(2026, 2, 7)
    assert cal.is_working_day(date(2026, 11, 24))                    # Ngày Văn hóa not applied
    assert not CAL.is_working_day(date(2026, 11, 24))


def test_a_date_cannot_be_both_off_and_working():
    with pytest.raises(ValueError):
        WorkCalendar(extra_days_off=[date(2026, 2, 7)], extra_working_days=[date(2026, 2, 7)])


def test_end_of_day_is_just_before_midnight_in_vietnam():
    due = end_of_day_utc(date(2026, 1, 5))
    assert due == datetime(2026, 1, 5, 16, 59, 59, 999999, tzinfo=UTC)
    assert due.isoformat() == "2026-01-05T16:59:59.999999+00:00"
    assert due.utcoffset() == timedelta(0)


def test_local_date_uses_the_vietnamese_calendar_day():
    assert local_date(datetime(2026, 1, 5, 16, 59, tzinfo=UTC)) == date(2026, 1, 5)
    assert local_date(datetime(2026, 1, 5, 17, 0, tzinfo=UTC)) == date(2026, 1, 6)
    assert local_date(datetime(2026, 1, 6, 0, 30, tzinfo=TZ)) == date(2026, 1, 6)
    with pytest.raises(ValueError):
        local_date(datetime(2026, 1, 5, 12, 0))


def test_adding_twenty_working_days_is_fast_after_warm_up():
    cal = WorkCalendar()
    cal.add_working_days(date(2026, 1, 30), 20)
    started = time.perf_counter()
    for _ in range(1000):
        cal.add_working_days(date(2026, 1, 30), 20)
    assert (time.perf_counter() - started) / 1000 < 0.001   # well under a millisecond each
