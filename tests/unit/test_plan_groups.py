"""Who a plan's milestone binds, read from the plan's own words (workflow/plans/groups.py), and
"hằng năm" deadlines repeated for each year of a plan's period. No database: a small tree of a
province with its Sở, communes and a school, and a ministry beside it."""
from datetime import date

import pytest

from workflow.calendar.deadlines import DeadlineParseError, parse_deadline
from workflow.orgs.tree import OrgNode, OrgTree
from workflow.plans.groups import match_binds, resolve

TREE = OrgTree([
    OrgNode(1, "TW", "Ban Thi đua - Khen thưởng Trung ương", "central", None, "/1/", kind="central"),
    OrgNode(2, "TN", "UBND tỉnh Thái Nguyên", "ministry", 1, "/1/2/", kind="province"),
    OrgNode(3, "SNV", "Sở Nội vụ", "unit", 2, "/1/2/3/", kind="department"),
    OrgNode(4, "SGD", "Sở Giáo dục và Đào tạo", "unit", 2, "/1/2/4/", kind="department"),
    OrgNode(5, "THPT", "Trường THPT Chuyên Thái Nguyên", "unit", 4, "/1/2/4/5/", kind="unit"),
    OrgNode(6, "PDP", "UBND phường Phan Đình Phùng", "unit", 2, "/1/2/6/", kind="commune"),
    OrgNode(7, "XA", "UBND xã Quân Chu", "unit", 2, "/1/2/7/", kind="commune", valid_to=date(2025, 6, 30)),
    OrgNode(8, "BKHCN", "Bộ Khoa học và Công nghệ", "ministry", 1, "/1/8/", kind="ministry"),
    OrgNode(9, "CBC", "Cục Báo chí", "unit", 8, "/1/8/9/", kind="department"),
])


def units(text: str, issuer: int = 2) -> set[str]:
    found = match_binds(text, TREE, issuer)
    assert found.unmatched == [], found.unmatched
    return {TREE.nodes[i].code for r in found.refs for i in resolve(TREE, r)}


@pytest.mark.parametrize("text, codes", [
    ("Các Sở, ban, ngành", {"SNV", "SGD"}),
    ("các sở, ban, ngành, đoàn thể tỉnh", {"SNV", "SGD"}),
    ("UBND các xã, phường, đặc khu", {"PDP"}),  # the closed commune is not bound
    ("Ủy ban nhân dân các xã, phường, thị trấn", {"PDP"}),
    ("Các Sở, ban, ngành và UBND các xã, phường", {"SNV", "SGD", "PDP"}),
    ("Sở Giáo dục và Đào tạo", {"SGD"}),  # a name with "và" in it is one organisation
    ("Sở Nội vụ chủ trì, phối hợp với Sở Giáo dục và Đào tạo", {"SNV", "SGD"}),
    ("các cơ quan, đơn vị", {"SNV", "SGD", "THPT", "PDP"}),
    ("Các đơn vị trực thuộc", {"SNV", "SGD", "THPT", "PDP"}),
    ("cac so, ban, nganh", {"SNV", "SGD"}),  # typed without diacritics
])
def test_common_phrasings_name_groups_under_the_issuer(text, codes):
    assert units(text) == codes


def test_a_ministry_s_units_are_its_own_not_the_province_s():
    assert units("Các đơn vị trực thuộc", issuer=8) == {"CBC"}
    assert units("Cục Báo chí", issuer=8) == {"CBC"}


def test_what_names_nobody_known_is_returned_as_written_never_guessed():
    found = match_binds("Hội Nông dân tỉnh", TREE, 2)
    assert found.refs == [] and found.unmatched == ["Hội Nông dân tỉnh"]
    found = match_binds("Các Sở, ban, ngành; Liên đoàn Lao động tỉnh", TREE, 2)
    assert found.refs == [{"kind": "department", "under": 2}]
    assert found.unmatched == ["Liên đoàn Lao động tỉnh"]
    # Another province's organisation is not under the issuer: not matched.
    assert match_binds("Cục Báo chí", TREE, 2).unmatched == ["Cục Báo chí"]


def ends(d) -> list[str]:
    return [p.end.isoformat() for p in d.periods]


def test_a_yearly_deadline_repeats_for_each_year_of_the_period():
    d = parse_deadline("trước ngày 15/11 hằng năm", issued=date(2024, 3, 1))
    assert d.recurring and ends(d) == ["2024-11-14"]
    assert ends(d.every_year(date(2024, 3, 1), date(2026, 12, 31))) == ["2024-11-14", "2025-11-14", "2026-11-14"]
    assert d.every_year(date(2024, 3, 1), date(2026, 12, 31)).to_dict()["recurring"] == "yearly"


def test_a_yearly_deadline_already_past_in_the_first_year_starts_the_next():
    d = parse_deadline("Hàng năm, chậm nhất ngày 15/01", issued=date(2024, 3, 1))
    assert ends(d.every_year(date(2024, 3, 1), date(2026, 12, 31))) == ["2025-01-15", "2026-01-15"]


def test_a_plan_without_an_end_owes_the_first_year_only():
    d = parse_deadline("Quý IV hằng năm", issued=date(2024, 3, 1))
    assert [(p.start.isoformat(), p.end.isoformat()) for p in d.every_year(date(2024, 3, 1), None).periods] \
        == [("2024-10-01", "2024-12-31")]


def test_29_february_in_a_common_year_is_the_28th():
    d = parse_deadline("trước ngày 01/3 hằng năm", issued=date(2024, 1, 2))
    assert ends(d.every_year(date(2024, 1, 2), date(2025, 12, 31))) == ["2024-02-29", "2025-02-28"]


def test_a_phrase_without_recurrence_is_not_repeated():
    d = parse_deadline("trước ngày 15/11/2024")
    assert not d.recurring and d.every_year(date(2024, 1, 1), date(2026, 12, 31)) == d
    assert "recurring" not in d.to_dict()


def test_a_yearly_deadline_naming_two_years_is_refused():
    with pytest.raises(DeadlineParseError):
        parse_deadline("cuối năm 2024 và 2025 hằng năm")
