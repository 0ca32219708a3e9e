"""Warnings on a plan's milestones (issue 15): a milestone that ends before the plan is issued, or on
a day off. Weekdays and holidays below were worked out by hand from the calendar and the Government's
holiday notices (BLLĐ 2019 Art. 112), not with the code under test."""
from datetime import date

import pytest

from workflow.calendar.deadlines import parse_deadline
from workflow.calendar.milestones import milestone_warnings
from workflow.calendar.workdays import WorkCalendar

D = date
CAL = WorkCalendar()


def warnings(phrase, issued, cal=CAL):
    return milestone_warnings(parse_deadline(phrase, issued=issued), issued, cal)


@pytest.mark.parametrize("phrase, issued", [
    ("trước ngày 20/11/2025", D(2025, 10, 1)),             # Wed 19/11/2025
    ("trước 17h00 ngày 20/11/2025", D(2025, 10, 1)),       # Thu 20/11/2025
    ("trước ngày 10/01", D(2026, 1, 5)),                   # Fri 09/01/2026
    ("từ nay đến hết tháng 6 năm 2026", D(2026, 3, 2)),    # Tue 30/06/2026
    ("trước ngày 04/12", D(2026, 12, 3)),                  # Thu 03/12/2026, the issue date itself
])
def test_a_milestone_on_a_working_day_after_the_issue_date_has_no_warning(phrase, issued):
    assert warnings(phrase, issued) == []


def test_the_issues_plan_due_on_a_saturday_is_warned_with_the_next_working_day():
    # issued 05/12/2026, "trước ngày 10/01" → 09/01/2027, a Saturday; Monday 11/01/2027 is the next working day
    (vi, en), = warnings("trước ngày 10/01", D(2026, 12, 5))
    assert vi == ('Thời hạn "trước ngày 10/01" kết thúc ngày 09/01/2027 là thứ Bảy; theo Điều 148 Bộ luật '
                  'Dân sự 2015, thời hạn kết thúc vào cuối ngày làm việc tiếp theo 11/01/2027')
    assert en == ('The deadline "trước ngày 10/01" ends on 09/01/2027, a Saturday; by Art. 148 of the Civil '
                  'Code 2015 it ends at the end of the next working day, 11/01/2027')


@pytest.mark.parametrize("phrase, off, why_vi, why_en, next_day", [
    ("chậm nhất ngày 16/11/2025", "16/11/2025", "Chủ nhật", "a Sunday", "17/11/2025"),
    ("đến hết ngày 01/05/2026", "01/05/2026", "ngày nghỉ lễ, tết: Ngày Quốc tế Lao động",
     "a public holiday (Ngày Quốc tế Lao động)", "04/05/2026"),
    ("trước ngày 18/02/2026", "17/02/2026", "ngày nghỉ lễ, tết: Tết Nguyên Đán",
     "a public holiday (Tết Nguyên Đán)", "23/02/2026"),
    ("15 - 20/12/2025", "20/12/2025", "thứ Bảy", "a Saturday", "22/12/2025"),
])
def test_a_milestone_ending_on_a_weekend_or_public_holiday_is_warned(phrase, off, why_vi, why_en, next_day):
    (vi, en), = warnings(phrase, D(2025, 10, 1))
    assert f"kết thúc ngày {off} là {why_vi};" in vi and vi.endswith(next_day)
    assert f"ends on {off}, {why_en};" in en and en.endswith(next_day)


def test_an_administrators_extra_day_off_is_a_day_off_and_a_make_up_working_day_is_not():
    # Mon 24/11/2025 is a working day in the public calendar; Sat 20/12/2025 is not
    cal = WorkCalendar(extra_days_off=[D(2025, 11, 24)], extra_working_days=[D(2025, 12, 20)])
    (vi, en), = warnings("chậm nhất ngày 24/11/2025", D(2025, 10, 1), cal)
    assert "24/11/2025 là ngày nghỉ bổ sung theo lịch làm việc" in vi and vi.endswith("25/11/2025")
    assert "24/11/2025, a day off added to the working-day calendar" in en
    assert warnings("chậm nhất ngày 24/11/2025", D(2025, 10, 1)) == []
    assert warnings("15 - 20/12/2025", D(2025, 10, 1), cal) == []


def test_a_milestone_ending_before_the_issue_date_is_warned():
    # the year written wrong: issued 05/12/2026 with "trước ngày 10/01/2026" → Fri 09/01/2026
    (vi, en), = warnings("trước ngày 10/01/2026", D(2026, 12, 5))
    assert vi == 'Thời hạn "trước ngày 10/01/2026" kết thúc ngày 09/01/2026, trước ngày ban hành 05/12/2026'
    assert en == 'The deadline "trước ngày 10/01/2026" ends on 09/01/2026, before the issue date 05/12/2026'


def test_each_period_is_checked_and_both_warnings_can_apply():
    # 31/12/2024 (Tue) is before the issue date; 31/12/2025 (Wed) is fine
    assert [en for _, en in warnings("cuối năm 2024 và 2025", D(2025, 6, 2))] == [
        'The deadline "cuối năm 2024 và 2025" ends on 31/12/2024, before the issue date 02/06/2025']
    # Sun 16/11/2025, before an issue date of 01/12/2025: both
    past, day_off = warnings("chậm nhất ngày 16/11/2025", D(2025, 12, 1))
    assert past[1].endswith("ends on 16/11/2025, before the issue date 01/12/2025")
    assert "ends on 16/11/2025, a Sunday;" in day_off[1] and day_off[1].endswith("17/11/2025")


def test_without_an_issue_date_only_days_off_are_reported():
    assert warnings("trước ngày 10/01/2026", None) == []
    assert len(warnings("chậm nhất ngày 16/11/2025", None)) == 1
