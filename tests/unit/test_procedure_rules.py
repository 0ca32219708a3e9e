"""The procedure's rules as data (no database): councils at the level the decree names, exact
ballots, numbers per year (docs/procedure.md)."""
from fractions import Fraction

from states.routes import StepRule, lay_over
from workflow.catalogue import data, definitions
from workflow.catalogue.awards import passes_threshold, quorum_met
from workflow.decisions.numbering import split


def rules(code: str, version: int) -> tuple[StepRule, ...]:
    return definitions.parse(data.shipped_versions(code)[version - 1]).steps


def votes(code: str, version: int) -> list[tuple[str, Fraction | None]]:
    return [(r.level, r.threshold) for r in rules(code, version) if r.kind == "vote"]


def test_version_2_puts_the_decisive_ballot_in_the_ministry_council():
    # NĐ 98/2023 Art. 30(7): the council of the submitting level, over all its members.
    assert votes("chien_si_thi_dua_bo", 1) == [("unit", Fraction(9, 10))]
    assert votes("chien_si_thi_dua_bo", 2) == [("unit", Fraction(1, 2)), ("ministry", Fraction(9, 10))]
    assert votes("co_thi_dua_bo", 2)[-1] == ("ministry", Fraction(4, 5))
    assert votes("co_thi_dua_chinh_phu", 2)[-1] == ("ministry", Fraction(4, 5))
    assert votes("chien_si_thi_dua_toan_quoc", 2)[-1] == ("ministry", Fraction(9, 10))
    assert votes("chien_si_thi_dua_co_so", 1) == [("unit", Fraction(4, 5))]
    # Bằng khen Thủ tướng and Huân chương: the ministry council's minutes.
    assert votes("bang_khen_thu_tuong", 2)[-1][0] == "ministry"
    assert votes("huan_chuong_lao_dong_hang_ba", 1)[-1][0] == "ministry"


def test_posting_comes_before_the_council_it_precedes():
    for code, version in (("huan_chuong_lao_dong_hang_ba", 1), ("chien_si_thi_dua_toan_quoc", 2),
                          ("nha_giao_nhan_dan", 1)):
        kinds = [(r.level, r.kind) for r in rules(code, version)]
        assert kinds.index(("ministry", "posting")) + 1 == kinds.index(("ministry", "vote")), code


def test_the_appraisal_is_not_merged_with_the_ministers_decision():
    laid = lay_over(rules("bang_khen_bo", 2), frozenset({"unit", "ministry", "central"}))
    assert [(r.level, r.kind) for r in laid] == [("unit", "vote"), ("unit", "review"), ("ministry", "review"),
                                                 ("ministry", "decide")]


def test_ballots_are_exact_fractions_of_all_members():
    assert passes_threshold(9, 10, Fraction(9, 10)) and not passes_threshold(8, 10, Fraction(9, 10))
    assert passes_threshold(8, 10, Fraction(4, 5)) and not passes_threshold(7, 10, Fraction(4, 5))
    assert quorum_met(6, 9, Fraction(2, 3)) and quorum_met(4, 6, Fraction(2, 3)) and quorum_met(10, 15, Fraction(2, 3))
    assert not quorum_met(5, 9, Fraction(2, 3))


def test_a_number_is_its_order_and_symbol():
    assert split("05/QĐ-BTTTT") == split("5/QĐ-BTTTT") == ("5", "QĐ-BTTTT")
    assert split("12a/TTr-VTC") == ("12a", "TTr-VTC")
    assert split("/TTr-VTC") == (None, "TTr-VTC")
