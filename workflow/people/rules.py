"""The conditions the law sets on who may receive what, as data (điều kiện, tiêu chuẩn khen thưởng).

Each rule names the award types it applies to, the check that reads the recorded history
(workflow/people/eligibility.py), its parameters and its legal basis. Sources are quoted in
/work/shared/domain.md §6 (Law 2022 as quoted by thuvienphapluat.vn; ND 152/2025 Art. 4).
A rule whose wording could not be confirmed carries `confirmed=False` and is off unless an
office turns it on (`enabled_rules(extra=...)`), so the product never refuses on a guess.

A check answers pass / fail / unknown: fail only when the recorded history contradicts the
condition; unknown when the history that would decide it is not recorded.
"""
from dataclasses import dataclass, field

ANY = "*"


@dataclass(frozen=True)
class Rule:
    code: str
    awards: tuple[str, ...]
    check: str
    basis: str
    params: dict = field(default_factory=dict)
    subject: str = "individual"   # individual | collective | both
    confirmed: bool = True
    enabled: bool = True


RULES: tuple[Rule, ...] = (
    # ND 152/2025 Art. 4 (= ND 98/2023 Art. 4) and Law 2022 Art. 5: no award while under discipline;
    # achievements count only from the end of the discipline period (domain.md §6, cross-cutting guards).
    # A collective's own discipline (kỷ luật tập thể), where the unit records one, counts the same.
    Rule("no_discipline", (ANY,), "no_discipline", "NĐ 152/2025/NĐ-CP Điều 4; Luật TĐKT 2022 Điều 5",
         subject="both"),
    # Law 2022 Art. 23: CSTĐ cơ sở = meets the LĐTT standard (Art. 24: rated "hoàn thành tốt" or better)
    # AND (rated "hoàn thành xuất sắc" OR an initiative recognised by the unit, or equivalent).
    # The older "LĐTT + sáng kiến" reading is ND 91/2017; under the 2022 Law HTXSNV alone suffices
    # (domain.md §6 item 2). An initiative grounds one award only (CV 5007/BNV-TĐKT 2023).
    Rule("cstd_co_so_standard", ("chien_si_thi_dua_co_so",), "grassroots_fighter",
         "Luật TĐKT 2022 Điều 23, Điều 24; CV 5007/BNV-TĐKT 2023 (mỗi sáng kiến chỉ tính một lần)"),
    # Law 2022 Art. 22: CSTĐ bộ/tỉnh needs CSTĐ cơ sở three times in a row.
    Rule("cstd_bo_ladder", ("chien_si_thi_dua_bo",), "consecutive",
         "Luật TĐKT 2022 Điều 22 (03 lần liên tục đạt CSTĐ cơ sở); NĐ 152/2025 Điều 4 (không tính đột xuất, "
         "chuyên đề)", {"of": ("chien_si_thi_dua_co_so",), "times": 3, "gap": 1}),
    # Law 2022 Art. 21: CSTĐ toàn quốc needs CSTĐ bộ/tỉnh twice in a row. Each CSTĐ bộ rests on three
    # years of CSTĐ cơ sở, so "in a row" is read as successive cycles at most three years apart.
    Rule("cstd_toan_quoc_ladder", ("chien_si_thi_dua_toan_quoc",), "consecutive",
         "Luật TĐKT 2022 Điều 21 (02 lần liên tục đạt CSTĐ bộ, ngành, tỉnh); NĐ 152/2025 Điều 4",
         {"of": ("chien_si_thi_dua_bo",), "times": 2, "gap": 3}),
    # ND 152/2025 Art. 4; Law 2022 Art. 6: one achievement grounds one award of one form.
    Rule("one_form_per_achievement", (ANY,), "one_form", "NĐ 152/2025/NĐ-CP Điều 4 (không khen thưởng nhiều "
         "lần, nhiều hình thức cho một thành tích)", subject="both"),
    # Law 2022 Art. 71 (Bằng khen Thủ tướng, individual): the Article was not read verbatim. The ladder
    # below is the old ND 65/2014 rule (prior Bằng khen bộ/tỉnh, then 5 years HTXSNV) — TO CONFIRM.
    Rule("bang_khen_thu_tuong_prior", ("bang_khen_thu_tuong",), "prior_then_years",
         "Luật TĐKT 2022 Điều 71 — cần xác nhận (điều kiện theo NĐ 65/2014)",
         {"prior": ("bang_khen_bo",), "years": 5, "rating": "htxs"}, confirmed=False, enabled=False),
    # Law 2022 Art. 44–46 (Huân chương Lao động): the intervals were not confirmed in a source — TO CONFIRM.
    Rule("huan_chuong_lao_dong_ba_prior", ("huan_chuong_lao_dong_hang_ba",), "prior_then_years",
         "Luật TĐKT 2022 Điều 46 — cần xác nhận", {"prior": ("bang_khen_thu_tuong",), "years": 5, "rating": "htxs"},
         confirmed=False, enabled=False),
    Rule("huan_chuong_lao_dong_nhi_interval", ("huan_chuong_lao_dong_hang_nhi",), "interval",
         "Luật TĐKT 2022 Điều 45 — cần xác nhận", {"prior": ("huan_chuong_lao_dong_hang_ba",), "years": 5},
         confirmed=False, enabled=False),
    Rule("huan_chuong_lao_dong_nhat_interval", ("huan_chuong_lao_dong_hang_nhat",), "interval",
         "Luật TĐKT 2022 Điều 44 — cần xác nhận", {"prior": ("huan_chuong_lao_dong_hang_nhi",), "years": 5},
         confirmed=False, enabled=False),
    # --- Collectives (danh hiệu thi đua tập thể, Law 2022 Art. 20(1)) --------------------------------
    # What recorded data can decide is the collective's own yearly rating and titles; the members'
    # shares (≥ 70 % LĐTT, a CSTĐCS among them, no "cảnh cáo") need the members' records and stay
    # with the council. None of these standards is confirmed in domain.md §6 (item 6 rests on Bắc
    # Ninh QĐ 86/2025 and memory; §9 lists Art. 25–28 as not read verbatim): all TO CONFIRM, off.
    # Art. 27(1)(a): TTLĐXS needs "hoàn thành xuất sắc nhiệm vụ được giao" (quoted so by public
    # pages of Art. 27; domain.md: Bắc Ninh, Law believed identical).
    Rule("tap_the_xuat_sac_rating", ("tap_the_lao_dong_xuat_sac",), "rating_in_year",
         "Luật TĐKT 2022 Điều 27 khoản 1 điểm a — cần xác nhận (QĐ 86/2025/QĐ-UBND tỉnh Bắc Ninh)",
         {"ratings": ("htxs",)}, subject="collective", confirmed=False, enabled=False),
    # Art. 28: TTLĐTT needs "hoàn thành tốt nhiệm vụ" (Bắc Ninh; the national wording unconfirmed).
    Rule("tap_the_tien_tien_rating", ("tap_the_lao_dong_tien_tien",), "rating_in_year",
         "Luật TĐKT 2022 Điều 28 — cần xác nhận (QĐ 86/2025/QĐ-UBND tỉnh Bắc Ninh)",
         {"ratings": ("htxs", "ht_tot")}, subject="collective", confirmed=False, enabled=False),
    # Art. 25 (Cờ thi đua của Chính phủ), Art. 26 (Cờ thi đua bộ, ngành, tỉnh): excellent achievements,
    # targets exceeded in the year — read here as the collective's "hoàn thành xuất sắc" rating of the
    # year; the cluster leadership (dẫn đầu cụm, khối) is the council's judgement.
    Rule("co_thi_dua_rating", ("co_thi_dua_bo", "co_thi_dua_chinh_phu"), "rating_in_year",
         "Luật TĐKT 2022 Điều 25, 26 — cần xác nhận (QĐ 86/2025/QĐ-UBND tỉnh Bắc Ninh: Cờ thi đua tỉnh)",
         {"ratings": ("htxs",)}, subject="collective", confirmed=False, enabled=False),
    # Art. 74 (Bằng khen bộ, ngành, tỉnh), collective — one ground among several: 2 consecutive years
    # "hoàn thành xuất sắc" or TTLĐXS. Another ground may apply, so a miss is unknown, never a refusal.
    Rule("bang_khen_bo_tap_the_run", ("bang_khen_bo",), "rated_run",
         "Luật TĐKT 2022 Điều 74 — cần xác nhận (QĐ 86/2025/QĐ-UBND tỉnh Bắc Ninh)",
         {"ratings": ("htxs",), "titles": ("tap_the_lao_dong_xuat_sac",), "years": 2}, subject="collective",
         confirmed=False, enabled=False),
)


def enabled_rules(extra: frozenset[str] = frozenset()) -> tuple[Rule, ...]:
    """The rules in force: those enabled by default, plus the codes an office turned on."""
    return tuple(r for r in RULES if r.enabled or r.code in extra)


def rules_for(award_code: str, kind: str, extra: frozenset[str] = frozenset()) -> list[Rule]:
    return [r for r in enabled_rules(extra)
            if (ANY in r.awards or award_code in r.awards) and r.subject in (kind, "both")]
