"""The eligibility rules read recorded facts and explain themselves (no database): each scenario
is a person's record as a unit would have entered it."""
from datetime import date

import pytest

from workflow.models import Nomination, Person
from workflow.people.eligibility import CHECKS, FAIL, PASS, UNKNOWN, Facts
from workflow.people.rules import RULES, enabled_rules, rules_for
from workflow.people.views import HistoryEntry

KINDS = {"chien_si_thi_dua_co_so": "thuong_xuyen", "chien_si_thi_dua_bo": "thuong_xuyen",
         "lao_dong_tien_tien": "thuong_xuyen", "bang_khen_bo": "cong_trang", "giay_khen": "cong_trang",
         "bang_khen_thu_tuong": "cong_trang", "huan_chuong_lao_dong_hang_ba": "cong_trang"}
NAMES = {"chien_si_thi_dua_co_so": "Chiến sĩ thi đua cơ sở", "bang_khen_bo": "Bằng khen Bộ",
         "bang_khen_thu_tuong": "Bằng khen Thủ tướng", "chien_si_thi_dua_bo": "CSTĐ bộ"}


def award(year, code, basis="cong_trang"):
    return HistoryEntry(year, code, NAMES.get(code), f"{year}/QĐ", None, "imported", "award", basis)


def initiative(year, used_for=None):
    return HistoryEntry(year, None, None, None, None, "imported", "initiative", "cong_trang", "Sáng kiến số hoá",
                        used_for=used_for)


def facts(award_code, history=(), ratings=None, discipline=(), others=(), year=2026, kind="individual"):
    nom = Nomination(id=1, award_code=award_code, plan_id=1)
    return Facts(nom, Person(id=1, kind=kind), year, date(year, 11, 23), list(history), ratings or {},
                 list(discipline), list(others), KINDS, NAMES)


def run(code, f):
    rule = next(r for r in RULES if r.code == code)
    return CHECKS[rule.check](f, rule)


def test_every_rule_cites_its_legal_basis_and_the_unconfirmed_ones_are_off():
    for rule in RULES:
        assert rule.basis and ("Luật" in rule.basis or "NĐ" in rule.basis), rule.code
        assert rule.check in CHECKS
        if not rule.confirmed:
            assert not rule.enabled and "cần xác nhận" in rule.basis
    assert "bang_khen_thu_tuong_prior" not in {r.code for r in enabled_rules()}
    assert "bang_khen_thu_tuong_prior" in {r.code for r in enabled_rules(frozenset({"bang_khen_thu_tuong_prior"}))}
    assert {r.code for r in rules_for("chien_si_thi_dua_bo", "individual")} == {
        "no_discipline", "cstd_bo_ladder", "one_form_per_achievement"}
    # A collective's own discipline counts; its title standards are still to confirm, so off by default.
    assert {r.code for r in rules_for("co_thi_dua_bo", "collective")} == {"no_discipline", "one_form_per_achievement"}
    assert "co_thi_dua_rating" in {r.code for r in rules_for("co_thi_dua_bo", "collective",
                                                             frozenset({"co_thi_dua_rating"}))}
    assert "co_thi_dua_rating" not in {r.code for r in rules_for("co_thi_dua_bo", "individual",
                                                                 frozenset({"co_thi_dua_rating"}))}


def test_every_rule_has_a_name_in_both_languages_for_the_pages():
    from workflow.people.eligibility import RULE_LABELS
    for rule in RULES:
        vi, en = RULE_LABELS[rule.code]
        assert vi and en and vi != rule.code


@pytest.mark.parametrize("years,result", [
    ((2023, 2024, 2025), PASS), ((2024, 2025, 2026), PASS), ((2022, 2024, 2025), FAIL),
    ((2021, 2022, 2023), FAIL),  # three in a row, but not the latest years
])
def test_cstd_bo_needs_three_consecutive_grassroots_titles(years, result):
    got = run("cstd_bo_ladder", facts("chien_si_thi_dua_bo", [award(y, "chien_si_thi_dua_co_so") for y in years]))
    assert got[0] == result and "Chiến sĩ thi đua cơ sở" in got[1]


def test_no_record_at_all_is_unknown_not_a_refusal():
    assert run("cstd_bo_ladder", facts("chien_si_thi_dua_bo"))[0] == UNKNOWN


def test_titles_under_discipline_or_ad_hoc_do_not_count():
    history = [award(2023, "chien_si_thi_dua_co_so", "chuyen_de"), award(2024, "chien_si_thi_dua_co_so"),
               award(2025, "chien_si_thi_dua_co_so")]
    result, vi, _ = run("cstd_bo_ladder", facts("chien_si_thi_dua_bo", history))
    assert result == FAIL and "đột xuất/chuyên đề" in vi
    history = [award(y, "chien_si_thi_dua_co_so") for y in (2023, 2024, 2025)]
    past = [{"from": date(2022, 1, 1), "to": date(2023, 12, 31), "reason": "Khiển trách"}]
    assert run("cstd_bo_ladder", facts("chien_si_thi_dua_bo", history, discipline=past))[0] == FAIL
    assert run("no_discipline", facts("chien_si_thi_dua_bo", history, discipline=past))[0] == PASS


def test_cstd_toan_quoc_reads_two_successive_cstd_bo_cycles():
    ok = facts("chien_si_thi_dua_toan_quoc", [award(2022, "chien_si_thi_dua_bo"), award(2025, "chien_si_thi_dua_bo")])
    assert run("cstd_toan_quoc_ladder", ok)[0] == PASS
    far = facts("chien_si_thi_dua_toan_quoc", [award(2018, "chien_si_thi_dua_bo"), award(2025, "chien_si_thi_dua_bo")])
    assert run("cstd_toan_quoc_ladder", far)[0] == FAIL


def test_cstd_co_so_is_excellence_or_the_advanced_worker_standard_with_an_initiative():
    code = "cstd_co_so_standard"
    assert run(code, facts("chien_si_thi_dua_co_so", ratings={2026: "htxs"}))[0] == PASS
    assert run(code, facts("chien_si_thi_dua_co_so", [initiative(2026)], {2026: "ht_tot"}))[0] == PASS
    assert run(code, facts("chien_si_thi_dua_co_so", [initiative(2026)], {2026: "ht"}))[0] == FAIL
    # An initiative already used for another award counts once only (CV 5007/BNV-TĐKT).
    used = run(code, facts("chien_si_thi_dua_co_so", [initiative(2026, used_for="bang_khen_bo")], {2026: "ht_tot"}))
    assert used[0] == FAIL and "một lần" in used[1]
    assert run(code, facts("chien_si_thi_dua_co_so", [award(2026, "lao_dong_tien_tien")]))[0] == UNKNOWN
    assert run(code, facts("chien_si_thi_dua_co_so"))[0] == UNKNOWN


def test_one_achievement_grounds_one_form():
    other = Nomination(id=9, award_code="giay_khen", plan_id=1)
    result, vi, _ = run("one_form_per_achievement", facts("bang_khen_bo", others=[other]))
    assert result == FAIL and "#9" in vi
    assert run("one_form_per_achievement", facts("chien_si_thi_dua_bo", others=[other]))[0] == PASS
    title = Nomination(id=8, award_code="lao_dong_tien_tien", plan_id=1)
    assert run("one_form_per_achievement", facts("bang_khen_bo", others=[title]))[0] == PASS


def test_the_unconfirmed_ladders_work_when_an_office_turns_them_on():
    history = [award(2020, "bang_khen_bo")]
    good = dict.fromkeys(range(2021, 2026), "htxs")
    assert run("bang_khen_thu_tuong_prior", facts("bang_khen_thu_tuong", history, good))[0] == PASS
    assert run("bang_khen_thu_tuong_prior", facts("bang_khen_thu_tuong", history, {**good, 2023: "ht_tot"}))[0] == FAIL
    assert run("bang_khen_thu_tuong_prior", facts("bang_khen_thu_tuong", history, {2021: "htxs"}))[0] == UNKNOWN
    assert run("huan_chuong_lao_dong_nhi_interval",
               facts("huan_chuong_lao_dong_hang_nhi", [award(2019, "huan_chuong_lao_dong_hang_ba")]))[0] == PASS
    assert run("huan_chuong_lao_dong_nhi_interval",
               facts("huan_chuong_lao_dong_hang_nhi", [award(2023, "huan_chuong_lao_dong_hang_ba")]))[0] == FAIL


def collective(award_code, history=(), ratings=None, discipline=()):
    return facts(award_code, history, ratings, discipline, kind="collective")


def test_a_collectives_titles_read_its_yearly_rating_when_an_office_turns_them_on():
    assert run("tap_the_xuat_sac_rating", collective("tap_the_lao_dong_xuat_sac", ratings={2026: "htxs"}))[0] == PASS
    result, vi, _ = run("tap_the_xuat_sac_rating", collective("tap_the_lao_dong_xuat_sac", ratings={2026: "ht_tot"}))
    assert result == FAIL and "hoàn thành tốt nhiệm vụ" in vi and "hoàn thành xuất sắc nhiệm vụ" in vi
    assert run("tap_the_xuat_sac_rating", collective("tap_the_lao_dong_xuat_sac", ratings={2025: "htxs"}))[0] == UNKNOWN
    assert run("tap_the_tien_tien_rating", collective("tap_the_lao_dong_tien_tien", ratings={2026: "ht_tot"}))[0] == PASS
    assert run("tap_the_tien_tien_rating", collective("tap_the_lao_dong_tien_tien", ratings={2026: "ht"}))[0] == FAIL
    assert run("co_thi_dua_rating", collective("co_thi_dua_chinh_phu", ratings={2026: "khong_ht"}))[0] == FAIL


def test_a_collectives_certificate_ground_is_never_a_refusal_on_its_own():
    two = collective("bang_khen_bo", [award(2025, "tap_the_lao_dong_xuat_sac")], {2024: "htxs"})
    assert run("bang_khen_bo_tap_the_run", two)[0] == PASS
    ad_hoc = collective("bang_khen_bo", [award(2025, "tap_the_lao_dong_xuat_sac", "dot_xuat")], {2024: "htxs"})
    assert run("bang_khen_bo_tap_the_run", ad_hoc)[0] == UNKNOWN  # an ad hoc title is no ground (ND 152 Art. 4)
    result, vi, _ = run("bang_khen_bo_tap_the_run", collective("bang_khen_bo", ratings={2025: "ht"}))
    assert result == UNKNOWN and "căn cứ khác" in vi


def test_a_collective_under_discipline_is_refused_with_the_reason():
    period = {"from": date(2026, 3, 1), "to": None, "reason": "Kỷ luật tập thể: khiển trách"}
    result, vi, _ = run("no_discipline", collective("co_thi_dua_bo", discipline=[period]))
    assert result == FAIL and "khiển trách" in vi
