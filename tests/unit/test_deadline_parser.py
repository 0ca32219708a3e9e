"""Deadline phrases as officials write them in plans, and what they mean (domain.md §7).
Expected dates are written out by hand."""
import unicodedata
from datetime import date

import pytest

from workflow.calendar.deadlines import Deadline, DeadlineParseError, Period, parse_deadline

D = date

# (seed file prefix, phrase as written in the seed, issued, [(start, end)], expected)
SEED_PHRASES = [
    ("000", "vào cuối năm 2024 và 2025", None, [(None, D(2024, 12, 31)), (None, D(2025, 12, 31))], False),
    ("000", "vào năm 2025", None, [(D(2025, 1, 1), D(2025, 12, 31))], False),
    ("001", "từ nay đến hết tháng 6 năm 2023", D(2023, 5, 1), [(D(2023, 5, 1), D(2023, 6, 30))], False),
    ("001", "Thời gian thực hiện từ nay đến hết tháng 6 năm 2023.", D(2023, 5, 1),
     [(D(2023, 5, 1), D(2023, 6, 30))], False),
    ("001", "Dự kiến trước ngày 11/6/2023", None, [(None, D(2023, 6, 10))], True),
    ("001", "Thời gian tổ chức: Dự kiến trước ngày 11/6/2023.", None, [(None, D(2023, 6, 10))], True),
    ("003", "trước quý II năm 2015", None, [(None, D(2015, 3, 31))], False),
    ("003", "trong quý III năm 2015", None, [(D(2015, 7, 1), D(2015, 9, 30))], False),
    ("003", "trước tháng 8 năm 2014", None, [(None, D(2014, 7, 31))], False),
    ("004", "từ ngày 01/01/2024 đến ngày 06/01/2026", None, [(D(2024, 1, 1), D(2026, 1, 6))], False),
    ("004", "năm 2025", None, [(D(2025, 1, 1), D(2025, 12, 31))], False),
    ("004", "vào dịp 06/01/2026", None, [(D(2026, 1, 6), D(2026, 1, 6))], False),
    ("004", "06/01/1946 - 06/01/2026", None, [(D(1946, 1, 6), D(2026, 1, 6))], False),
    ("002", "2020 – 2025", None, [(D(2020, 1, 1), D(2025, 12, 31))], False),
]


def periods(*pairs):
    return tuple(Period(start, end) for start, end in pairs)


@pytest.mark.parametrize("seed, phrase, issued, expected_periods, expected", SEED_PHRASES)
def test_every_deadline_written_in_the_seed_plans_is_read(seed, phrase, issued, expected_periods, expected):
    deadline = parse_deadline(phrase, issued=issued)
    assert deadline == Deadline(phrase, periods(*expected_periods), expected)


@pytest.mark.parametrize("seed, phrase", [(s, p) for s, p, *_ in SEED_PHRASES])
def test_the_seed_phrases_are_quoted_verbatim_from_the_seed_files(seed, phrase, seeds_dir):
    (path,) = seeds_dir.glob(f"{seed}_*.txt")
    assert phrase in unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("line_start, expected_periods, expected", [
    ("Thời gian thực hiện", [(D(2023, 5, 1), D(2023, 6, 30))], False),
    ("Thời gian tổ chức: Dự kiến", [(None, D(2023, 6, 10))], True),
])
def test_seed_001_lines_stored_in_decomposed_unicode_parse_as_they_are(line_start, expected_periods, expected,
                                                                      seeds_dir):
    (path,) = seeds_dir.glob("001_*.txt")
    (raw,) = [line for line in path.read_text(encoding="utf-8").splitlines()
              if unicodedata.normalize("NFC", line).startswith(line_start)]
    assert raw != unicodedata.normalize("NFC", raw)   # the file really is not NFC
    deadline = parse_deadline(raw, issued=D(2023, 5, 1))
    assert deadline == Deadline(raw, periods(*expected_periods), expected)


def test_from_now_without_an_issue_date_has_no_start():
    assert parse_deadline("từ nay đến hết tháng 6 năm 2023").periods == periods((None, D(2023, 6, 30)))


@pytest.mark.parametrize("strict, end", [(True, D(2023, 6, 10)), (False, D(2023, 6, 11))])
def test_before_a_day_is_strict_or_lenient_by_setting(strict, end):
    deadline = parse_deadline("Dự kiến trước ngày 11/6/2023", strict_before=strict)
    assert deadline.periods == periods((None, end))
    assert deadline.expected is True


@pytest.mark.parametrize("phrase, end", [
    ("trước tháng 8 năm 2014", D(2014, 7, 31)),
    ("trước quý III năm 2014", D(2014, 6, 30)),
    ("trước năm 2015", D(2014, 12, 31)),
])
def test_before_a_month_quarter_or_year_ignores_the_strictness_setting(phrase, end):
    assert parse_deadline(phrase, strict_before=False).periods == periods((None, end))
    assert parse_deadline(phrase, strict_before=True).periods == periods((None, end))


@pytest.mark.parametrize("phrase, expected_periods", [
    # hurried typing without diacritics, and shouting
    ("truoc quy II nam 2015", [(None, D(2015, 3, 31))]),
    ("den het thang 6 nam 2023", [(None, D(2023, 6, 30))]),
    ("TRƯỚC THÁNG 8 NĂM 2014", [(None, D(2014, 7, 31))]),
    ("TRONG QUÝ III NĂM 2015", [(D(2015, 7, 1), D(2015, 9, 30))]),
    ("vao cuoi nam 2024 va 2025", [(None, D(2024, 12, 31)), (None, D(2025, 12, 31))]),
    # quarters, Roman or Arabic
    ("quý IV/2024", [(D(2024, 10, 1), D(2024, 12, 31))]),
    ("quý 4 năm 2024", [(D(2024, 10, 1), D(2024, 12, 31))]),
    ("Quý IV năm 2024", [(D(2024, 10, 1), D(2024, 12, 31))]),
    ("quý 1/2024", [(D(2024, 1, 1), D(2024, 3, 31))]),
    ("trước quý I năm 2015", [(None, D(2014, 12, 31))]),
    ("đến hết quý II năm 2024", [(None, D(2024, 6, 30))]),
    # months, halves, years
    ("trong tháng 6 năm 2023", [(D(2023, 6, 1), D(2023, 6, 30))]),
    ("tháng 2/2024", [(D(2024, 2, 1), D(2024, 2, 29))]),
    ("hết tháng 6/2023", [(None, D(2023, 6, 30))]),
    ("6 tháng đầu năm 2024", [(D(2024, 1, 1), D(2024, 6, 30))]),
    ("6 tháng cuối năm 2024", [(D(2024, 7, 1), D(2024, 12, 31))]),
    ("sáu tháng đầu năm 2024", [(D(2024, 1, 1), D(2024, 6, 30))]),
    ("trong năm 2025", [(D(2025, 1, 1), D(2025, 12, 31))]),
    ("trước năm 2015", [(None, D(2014, 12, 31))]),
    ("đến hết năm 2025", [(None, D(2025, 12, 31))]),
    # đầu / giữa / cuối (Civil Code Art. 146)
    ("cuối năm 2024, 2025", [(None, D(2024, 12, 31)), (None, D(2025, 12, 31))]),
    ("cuối năm 2024", [(None, D(2024, 12, 31))]),
    ("giữa năm 2024", [(None, D(2024, 6, 30))]),
    ("đầu năm 2025", [(None, D(2025, 1, 1))]),
    ("cuối tháng 6 năm 2023", [(None, D(2023, 6, 30))]),
    ("giữa tháng 6/2023", [(None, D(2023, 6, 15))]),
    ("đầu tháng 6/2023", [(None, D(2023, 6, 1))]),
    ("cuối tháng 2 năm 2024", [(None, D(2024, 2, 29))]),
    # inclusive ends
    ("đến ngày 30/6/2023", [(None, D(2023, 6, 30))]),
    ("đến hết ngày 30/6/2023", [(None, D(2023, 6, 30))]),
    ("hết ngày 30/6/2023", [(None, D(2023, 6, 30))]),
    ("chậm nhất là ngày 15/12/2024", [(None, D(2024, 12, 15))]),
    ("chậm nhất 15/12/2024", [(None, D(2024, 12, 15))]),
    ("muộn nhất ngày 15/12/2024", [(None, D(2024, 12, 15))]),
    ("hạn chót 15/12/2024", [(None, D(2024, 12, 15))]),
    # ranges
    ("từ 01/01/2024 đến 06/01/2026", [(D(2024, 1, 1), D(2026, 1, 6))]),
    ("từ ngày 01/01/2024 - 06/01/2026", [(D(2024, 1, 1), D(2026, 1, 6))]),
    ("từ 1-6-2023 đến 5-6-2023", [(D(2023, 6, 1), D(2023, 6, 5))]),
    ("từ ngày 15/5 đến ngày 11/6/2023", [(D(2023, 5, 15), D(2023, 6, 11))]),
    ("từ năm 2011 -2015", [(D(2011, 1, 1), D(2015, 12, 31))]),
    ("trong thời gian từ ngày 01/01/2024 đến hết ngày 06/01/2026", [(D(2024, 1, 1), D(2026, 1, 6))]),
    # single days, in every spelling
    ("ngày 11/6/2023", [(D(2023, 6, 11), D(2023, 6, 11))]),
    ("vào ngày 11/6/2023", [(D(2023, 6, 11), D(2023, 6, 11))]),
    ("11/6/2023", [(D(2023, 6, 11), D(2023, 6, 11))]),
    ("11-6-2023", [(D(2023, 6, 11), D(2023, 6, 11))]),
    ("11.6.2023", [(D(2023, 6, 11), D(2023, 6, 11))]),
    ("ngày 11 tháng 6 năm 2023", [(D(2023, 6, 11), D(2023, 6, 11))]),
    ("11 tháng 6 năm 2023", [(D(2023, 6, 11), D(2023, 6, 11))]),
    ("ngày 06 tháng 01 năm 2026", [(D(2026, 1, 6), D(2026, 1, 6))]),
    ("trước ngày 11 tháng 6 năm 2023", [(None, D(2023, 6, 10))]),
    ("trước 11/6/2023", [(None, D(2023, 6, 10))]),
    ("trước ngày 1/1/2024", [(None, D(2023, 12, 31))]),
])
def test_variants_officials_and_hurried_users_write(phrase, expected_periods):
    assert parse_deadline(phrase).periods == periods(*expected_periods)


@pytest.mark.parametrize("phrase", [
    "  Trước   ngày 11/6/2023 .", "“trước ngày 11/6/2023”", '"trước ngày 11/6/2023";', "trước ngày 11 / 6 / 2023",
    "Thời hạn: trước ngày 11/6/2023", "trước ngày *11*/6/2023",
])
def test_extra_whitespace_quotes_punctuation_and_labels_are_tolerated(phrase):
    deadline = parse_deadline(phrase)
    assert deadline.periods == periods((None, D(2023, 6, 10)))
    assert deadline.text == phrase


def test_du_kien_written_with_decomposed_unicode_is_still_read():
    phrase = unicodedata.normalize("NFD", "Dự kiến trước ngày 11/6/2023")
    assert parse_deadline(phrase).expected is True


@pytest.mark.parametrize("phrase, issued, end", [
    ("trước ngày 15/12", D(2024, 3, 1), D(2024, 12, 14)),
    ("đến ngày 10/12", D(2025, 1, 20), D(2025, 12, 10)),
    ("cuối năm nay", D(2024, 5, 1), D(2024, 12, 31)),
])
def test_a_date_without_a_year_takes_the_year_of_the_issue_date(phrase, issued, end):
    assert parse_deadline(phrase, issued=issued).periods == periods((None, end))


@pytest.mark.parametrize("phrase, issued, because", [
    ("31/02/2024", None, "31/02/2024"),
    ("trước ngày 30/2", D(2023, 1, 1), "30/02/2023"),
    ("ngày 0/6/2023", None, "00/06/2023"),
    ("quý V năm 2024", None, "quarter V"),
    ("quý 0 năm 2024", None, "quarter 0"),
    ("tháng 13 năm 2024", None, "month 13"),
    ("năm 1900", None, "1900"),
    ("trước năm 2101", None, "2101"),
    ("trước ngày 15/12", None, "no year"),
    ("từ ngày 10/6/2023 đến ngày 01/6/2023", None, "before the start"),
    ("từ nay đến hết tháng 6 năm 2023", D(2023, 7, 10), "before the issue date"),
    ("đến tháng 6 năm 2023", None, "ambiguous"),
])
def test_impossible_or_ambiguous_deadlines_are_refused_with_the_reason(phrase, issued, because):
    with pytest.raises(DeadlineParseError) as caught:
        parse_deadline(phrase, issued=issued)
    err = caught.value
    assert err.phrase == phrase
    assert f'"{phrase}"' in err.message_vi and f'"{phrase}"' in err.message_en
    assert because in str(err)


@pytest.mark.parametrize("phrase", [
    "", "   ", "Dự kiến", "trước, trong và sau Đại hội", "sau Đại hội", "sớm nhất có thể",
    "2025", "11/6/23", "cuối quý", "giữa quý năm 2024", "từ ngày 01/01/2024", "trước ngày", "ngày 11/6/2023 hoặc sớm hơn",
])
def test_free_text_and_half_phrases_are_refused_never_guessed(phrase):
    with pytest.raises(DeadlineParseError) as caught:
        parse_deadline(phrase)
    assert caught.value.message_vi.startswith(f'Không hiểu được thời hạn "{phrase}"')
    assert str(caught.value).startswith(f'Cannot read the deadline "{phrase}"')


def test_deadline_parse_error_is_a_value_error():
    with pytest.raises(ValueError):
        parse_deadline("quý V năm 2024")


def test_to_dict_is_the_normalised_deadline_of_the_api():
    assert parse_deadline("vào cuối năm 2024 và 2025").to_dict() == {
        "text": "vào cuối năm 2024 và 2025",
        "periods": [{"start": None, "end": "2024-12-31"}, {"start": None, "end": "2025-12-31"}],
        "expected": False,
    }
    assert parse_deadline("Dự kiến từ ngày 01/01/2024 đến ngày 06/01/2026").to_dict() == {
        "text": "Dự kiến từ ngày 01/01/2024 đến ngày 06/01/2026",
        "periods": [{"start": "2024-01-01", "end": "2026-01-06"}],
        "expected": True,
    }


def test_last_end_is_the_latest_occurrence_and_periods_are_sorted():
    deadline = parse_deadline("cuối năm 2025 và cuối năm 2024")
    assert [p.end for p in deadline.periods] == [D(2024, 12, 31), D(2025, 12, 31)]
    assert deadline.last_end == D(2025, 12, 31)


def test_an_issue_date_given_as_a_datetime_is_used_as_its_day():
    from datetime import datetime
    deadline = parse_deadline("từ nay đến hết tháng 6 năm 2023", issued=datetime(2023, 5, 1, 9, 30))
    assert deadline.to_dict()["periods"] == [{"start": "2023-05-01", "end": "2023-06-30"}]


# ---- issue 15: the phrases officials write that were refused or misread -------------------------
# Each case: (phrase, issue date, [(start, end)]); the expected dates are worked out by hand.

YEARLESS = [
    # A year-less date is its next occurrence on or after the issue date (the issue's own example:
    # a plan of 05/12/2026 with "trước ngày 10/01" is due 09/01/2027, not 09/01/2026).
    ("trước ngày 10/01", D(2026, 12, 5), [(None, D(2027, 1, 9))]),
    ("trước ngày 10/01", D(2026, 1, 10), [(None, D(2026, 1, 9))]),   # 10/01 itself is on or after
    ("trước ngày 10/01", D(2026, 1, 11), [(None, D(2027, 1, 9))]),
    ("chậm nhất ngày 15/01", D(2026, 12, 5), [(None, D(2027, 1, 15))]),
    ("hạn chót 05/12", D(2026, 12, 5), [(None, D(2026, 12, 5))]),
    ("ngày 20/11", D(2025, 11, 21), [(D(2026, 11, 20), D(2026, 11, 20))]),
    ("trong tháng 1", D(2026, 12, 5), [(D(2027, 1, 1), D(2027, 1, 31))]),
    ("trong tháng 12", D(2026, 12, 5), [(D(2026, 12, 1), D(2026, 12, 31))]),  # not over yet
    ("trước tháng 1", D(2026, 12, 5), [(None, D(2026, 12, 31))]),
    ("đến hết quý I", D(2026, 12, 5), [(None, D(2027, 3, 31))]),
    ("6 tháng đầu năm", D(2026, 7, 1), [(D(2027, 1, 1), D(2027, 6, 30))]),
    ("trước ngày 29/02", D(2027, 3, 1), [(None, D(2028, 2, 28))]),   # the next 29/02 is in 2028
    # within one phrase a year-less date still takes the year of a later date
    ("từ ngày 15/5 đến ngày 11/6/2023", D(2023, 7, 1), [(D(2023, 5, 15), D(2023, 6, 11))]),
    ("ngày 10/6 và 20/6/2023", D(2023, 7, 1), [(D(2023, 6, 10), D(2023, 6, 10)), (D(2023, 6, 20), D(2023, 6, 20))]),
    # ... and a list of year-less dates is each date's next occurrence
    ("ngày 15/11 và 15/01", D(2026, 10, 1), [(D(2026, 11, 15), D(2026, 11, 15)), (D(2027, 1, 15), D(2027, 1, 15))]),
    # windows across 31/12
    ("từ 15/12 đến 10/01", D(2026, 12, 1), [(D(2026, 12, 15), D(2027, 1, 10))]),
    ("từ ngày 15/12 đến ngày 10/01/2027", D(2026, 12, 1), [(D(2026, 12, 15), D(2027, 1, 10))]),
    ("từ ngày 15/12/2026 đến ngày 10/01", None, [(D(2026, 12, 15), D(2027, 1, 10))]),
    ("từ 15/12 đến 20/12", D(2026, 12, 25), [(D(2027, 12, 15), D(2027, 12, 20))]),
    ("từ tháng 11 đến hết tháng 2/2026", None, [(D(2025, 11, 1), D(2026, 2, 28))]),
    ("quý IV - I/2027", None, [(D(2026, 10, 1), D(2027, 3, 31))]),
]


@pytest.mark.parametrize("phrase, issued, expected_periods", YEARLESS)
def test_a_date_without_a_year_is_its_next_occurrence_after_the_issue_date(phrase, issued, expected_periods):
    assert parse_deadline(phrase, issued=issued).periods == periods(*expected_periods)


ENDS_TIMES_QUARTERS = [
    # "trước cuối X" reads "by the end of X": X's last day (BLDS 2015 Art. 146, 148)
    ("trước cuối năm 2025", None, [(None, D(2025, 12, 31))]),
    ("Trước cuối tháng 6", D(2026, 3, 1), [(None, D(2026, 6, 30))]),
    ("trước cuối tháng 2 năm 2028", None, [(None, D(2028, 2, 29))]),
    ("trước cuối quý I năm 2026", None, [(None, D(2026, 3, 31))]),
    ("trước đầu năm 2026", None, [(None, D(2025, 12, 31))]),   # "trước đầu X" keeps the day before
    # a time of day before or after the day: the day itself is on time
    ("trước 17h00 ngày 20/11/2025", None, [(None, D(2025, 11, 20))]),
    ("Trước 17 giờ ngày 20/11/2025", None, [(None, D(2025, 11, 20))]),
    ("trước 17h ngày 20/11/2025", None, [(None, D(2025, 11, 20))]),
    ("trước 17 giờ 00 phút ngày 20/11/2025", None, [(None, D(2025, 11, 20))]),
    ("trước 16h30 ngày 20 tháng 11 năm 2025", None, [(None, D(2025, 11, 20))]),
    ("trước 17:00 ngày 20/11/2025", None, [(None, D(2025, 11, 20))]),
    ("trước 17h00, thứ Năm, ngày 20/11/2025", None, [(None, D(2025, 11, 20))]),
    ("trước 17h00 ngày 20/11/2025 (thứ Năm)", None, [(None, D(2025, 11, 20))]),
    ("trước ngày 20/11/2025 lúc 17 giờ", None, [(None, D(2025, 11, 20))]),
    ("chậm nhất 17h00 ngày 20/11/2025", None, [(None, D(2025, 11, 20))]),
    ("trước 17h00 ngày 10/01", D(2026, 12, 5), [(None, D(2027, 1, 10))]),
    ("từ 8h00 ngày 15/12 đến 17h00 ngày 19/12/2025", None, [(D(2025, 12, 15), D(2025, 12, 19))]),
    # without a time "trước ngày" keeps the strict rule
    ("trước ngày 20/11/2025", None, [(None, D(2025, 11, 19))]),
    ("trước thứ Năm, ngày 20/11/2025", None, [(None, D(2025, 11, 19))]),
    # quarters: đầu / giữa / cuối quý
    ("cuối quý I năm 2026", None, [(None, D(2026, 3, 31))]),
    ("cuối quý II năm 2024", None, [(None, D(2024, 6, 30))]),
    ("đầu quý III năm 2026", None, [(None, D(2026, 7, 1))]),
    ("giữa quý III/2026", None, [(None, D(2026, 8, 15))]),
    ("giữa quý 1 năm 2026", None, [(None, D(2026, 2, 15))]),
    ("vào cuối quý IV/2025", None, [(None, D(2025, 12, 31))]),
    ("đầu quý III", D(2026, 12, 5), [(None, D(2027, 7, 1))]),
    ("cuối quý I", D(2026, 12, 5), [(None, D(2027, 3, 31))]),
    ("cuối quý IV", D(2026, 12, 31), [(None, D(2026, 12, 31))]),
    ("đến cuối quý II năm 2026", None, [(None, D(2026, 6, 30))]),
]


@pytest.mark.parametrize("phrase, issued, expected_periods", ENDS_TIMES_QUARTERS)
def test_ends_of_periods_times_of_day_and_quarter_points(phrase, issued, expected_periods):
    assert parse_deadline(phrase, issued=issued).periods == periods(*expected_periods)


@pytest.mark.parametrize("strict", [True, False])
def test_a_time_of_day_makes_the_day_on_time_whatever_the_strictness_setting(strict):
    assert parse_deadline("trước 17h00 ngày 20/11/2025", strict_before=strict).periods == \
        periods((None, D(2025, 11, 20)))
    assert parse_deadline("trước cuối năm 2025", strict_before=strict).periods == periods((None, D(2025, 12, 31)))


RANGES = [
    ("15 - 20/12/2025", [(D(2025, 12, 15), D(2025, 12, 20))]),
    ("15-20/12/2025", [(D(2025, 12, 15), D(2025, 12, 20))]),
    ("từ ngày 15 đến ngày 20/12/2025", [(D(2025, 12, 15), D(2025, 12, 20))]),
    ("từ ngày 15 - 20/12/2025", [(D(2025, 12, 15), D(2025, 12, 20))]),
    ("trong ngày 15 - 16/12/2025", [(D(2025, 12, 15), D(2025, 12, 16))]),
    ("tháng 11 - 12/2025", [(D(2025, 11, 1), D(2025, 12, 31))]),
    ("tháng 11-12/2025", [(D(2025, 11, 1), D(2025, 12, 31))]),
    ("trong tháng 11 - 12/2025", [(D(2025, 11, 1), D(2025, 12, 31))]),
    ("tháng 11 đến tháng 12 năm 2025", [(D(2025, 11, 1), D(2025, 12, 31))]),
    ("từ tháng 11 đến hết tháng 12 năm 2025", [(D(2025, 11, 1), D(2025, 12, 31))]),
    ("quý III - IV/2025", [(D(2025, 7, 1), D(2025, 12, 31))]),
    ("quý III - quý IV năm 2025", [(D(2025, 7, 1), D(2025, 12, 31))]),
    ("từ 28/11 - 05/12/2025", [(D(2025, 11, 28), D(2025, 12, 5))]),
]


@pytest.mark.parametrize("phrase, expected_periods", RANGES)
def test_day_month_and_quarter_ranges(phrase, expected_periods):
    assert parse_deadline(phrase).periods == periods(*expected_periods)


LABELS_AND_PURPOSES = [
    ("Hạn nộp hồ sơ: trước ngày 15/11/2025", [(None, D(2025, 11, 14))]),
    ("Hạn nộp hồ sơ trước ngày 15/11/2025", [(None, D(2025, 11, 14))]),
    ("Hạn nộp hồ sơ đề nghị khen thưởng: chậm nhất ngày 15/11/2025", [(None, D(2025, 11, 15))]),
    ("Thời hạn gửi báo cáo: trước ngày 15/11/2025", [(None, D(2025, 11, 14))]),
    ("Thời hạn gửi báo cáo tổng kết trước ngày 15/11/2025", [(None, D(2025, 11, 14))]),
    ("Thời gian: 15 - 20/12/2025", [(D(2025, 12, 15), D(2025, 12, 20))]),
    ("Thời gian tổ chức Hội nghị: ngày 20/12/2025", [(D(2025, 12, 20), D(2025, 12, 20))]),
    ("Thời gian thực hiện: từ tháng 11 - 12/2025", [(D(2025, 11, 1), D(2025, 12, 31))]),
    ("Mốc thời gian: cuối quý I năm 2026", [(None, D(2026, 3, 31))]),
    ("Tiến độ: trước 17h00 ngày 20/11/2025", [(None, D(2025, 11, 20))]),
    ("Báo cáo tổng kết: trước ngày 15/11/2025", [(None, D(2025, 11, 14))]),
    ("Hạn chót: 15/12/2024", [(None, D(2024, 12, 15))]),   # "hạn chót" is a rule, not a label
    ("trước ngày 15/11/2025 để tổng hợp", [(None, D(2025, 11, 14))]),
    ("trước ngày 15/11/2025 để tổng hợp, báo cáo Bộ Nội vụ", [(None, D(2025, 11, 14))]),
    ("trước ngày 15/11/2025, gửi về Sở Nội vụ", [(None, D(2025, 11, 14))]),
    ("trước ngày 15/11/2025 (qua Hệ thống quản lý văn bản)", [(None, D(2025, 11, 14))]),
    ("trước ngày 15/11/2025 nhằm kịp thời trình Thủ tướng Chính phủ", [(None, D(2025, 11, 14))]),
    ("chậm nhất ngày 15/11/2025 gửi về Ban Thi đua - Khen thưởng", [(None, D(2025, 11, 15))]),
    ("trong tháng 11/2025 theo hướng dẫn của Sở Nội vụ", [(D(2025, 11, 1), D(2025, 11, 30))]),
    ("cuối năm 2024 và 2025, tổng kết tại Hội nghị", [(None, D(2024, 12, 31)), (None, D(2025, 12, 31))]),
    ("từ nay đến hết tháng 6 năm 2023 để các đơn vị đăng ký", [(None, D(2023, 6, 30))]),
    ("Hạn nộp hồ sơ: trước 17h00 ngày 20/11/2025 (thứ Năm), gửi về Sở Nội vụ (qua Hệ thống quản lý văn bản)",
     [(None, D(2025, 11, 20))]),
]


@pytest.mark.parametrize("phrase, expected_periods", LABELS_AND_PURPOSES)
def test_a_leading_label_and_trailing_purpose_words_are_ignored(phrase, expected_periods):
    deadline = parse_deadline(phrase)
    assert deadline.periods == periods(*expected_periods)
    assert deadline.text == phrase   # kept as written, the time of day and the purpose included


REFUSED_ISSUE_15 = [
    ("giữa quý", D(2026, 12, 5), None),                       # which quarter?
    ("cuối quý", D(2026, 12, 5), None),
    ("quý V - VI/2025", None, "quarter V"),
    ("25 - 05/12/2025", None, "before the start"),
    ("từ 20/01 đến 10/01", D(2026, 1, 1), "before the start"),  # same month: never moved across a year
    ("trước 25h ngày 20/11/2025", None, "25:00"),
    ("trước 17h75 ngày 20/11/2025", None, "17:75"),
    ("trước 17h00 ngày 20/11/2025 (thứ Sáu)", None, "20/11/2025 is a Thursday, not a Friday"),
    ("thứ Hai, ngày 20/11/2025", None, "Thursday, not a Monday"),
    ("trước 17h00", None, None),                              # a time without a day
    ("trước ngày 15/11/2025 để tổng hợp báo cáo trước ngày 20/11/2025", None, "name another time"),
    ("trước ngày 15/11/2025, gửi về Sở trước ngày 20/11/2025", None, "name another time"),
    ("trước ngày 15/11/2025 để báo cáo quý IV", None, "name another time"),
    ("Nộp trước: 15/11/2025", None, None),                    # a label holding a rule word is not a label
    ("Chậm nhất: ngày 15/11/2025 hoặc sớm hơn", None, None),
    ("sau Hội nghị tổng kết, gửi về Sở", None, None),
    ("trước ngày 30/02", D(2026, 12, 5), "30/02/2026"),       # never recurs
    ("trước ngày 10/01", None, "no year"),
]


@pytest.mark.parametrize("phrase, issued, because", REFUSED_ISSUE_15)
def test_what_is_still_unclear_is_refused_with_the_phrase_quoted(phrase, issued, because):
    with pytest.raises(DeadlineParseError) as caught:
        parse_deadline(phrase, issued=issued)
    assert caught.value.phrase == phrase
    assert f'"{phrase}"' in caught.value.message_vi and f'"{phrase}"' in caught.value.message_en
    if because:
        assert because in str(caught.value)
