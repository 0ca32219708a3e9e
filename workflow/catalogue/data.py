"""The catalogue of the Law on Emulation and Commendation 2022 (Luật TĐKT số 06/2022/QH15) and
Nghị định 152/2025/NĐ-CP (in force from 01/07/2025, replacing NĐ 98/2023), as data.

Each award type's definition is what `POST /award-types` takes: names, subject, kind of
commendation (loại hình, Law Art. 8), who decides (the title on the decision), its steps (see
states/routes.py), the documents its dossier needs (Law Art. 84; domain.md §4) and its legal
basis. An office edits these through the catalogue's use cases; this file is only the first
version a new installation starts from.

Council ballots (domain.md §3; NĐ 98/2023 Art. 30(7), applied in the 2025 procedures such as
QĐ 311/QĐ-BNV; whether NĐ 152/2025 keeps the numbers is marked UNCONFIRMED in domain.md §9):
the council of the level that submits votes ≥ 90 % of ALL members for Anh hùng, CSTĐ toàn quốc
and CSTĐ bộ/tỉnh, ≥ 80 % for CSTĐ cơ sở, Cờ thi đua bộ/tỉnh and Cờ thi đua của Chính phủ; where
no share is named the council decides by more than half of all members; a meeting needs two
thirds of its members (written votes count). Public posting (công khai) for Huân chương, Huy
chương, danh hiệu vinh dự Nhà nước and CSTĐ toàn quốc: at least 10 working days before the
submitting level's council meets (Law Art. 84(5); NĐ 98 Art. 46(2) → NĐ 152 Art. 44(2) as
reported). Central appraisal: 20 working days from a complete dossier (domain.md §5).
"""

UNIT_VOTE, UNIT_SIGN = {"level": "unit", "kind": "vote", "time_limit_days": 10}, \
    {"level": "unit", "kind": "review", "time_limit_days": 5}
APPRAISE = {"level": "ministry", "kind": "review", "time_limit_days": 20}
MINISTER = {"level": "ministry", "kind": "decide", "time_limit_days": 5}
POSTING = {"level": "ministry", "kind": "posting", "time_limit_days": 10}
CENTRAL_APPRAISE = {"level": "central", "kind": "review", "time_limit_days": 20}
CENTRAL_DECIDES = {"level": "central", "kind": "decide", "time_limit_days": 10}


def vote(level: str, threshold: str = "1/2", quorum: str = "2/3", days: int = 10) -> dict:
    return {"level": level, "kind": "vote", "time_limit_days": days, "threshold": threshold, "quorum": quorum}


def unit_decides(threshold: str = "1/2") -> list[dict]:
    """Law Art. 80: the head of the unit (or department-level unit, or commune chairman) decides
    after the unit's council."""
    return [vote("unit", threshold), {"level": "unit", "kind": "decide", "time_limit_days": 5}]


def department_decides() -> list[dict]:
    """Giấy khen: the head of a department-level unit, or the commune chairman (Law Art. 75, 80;
    NĐ 129/2025 Art. 59); where the nominee's own unit is that unit, its head."""
    return [vote("unit"), UNIT_SIGN, {"level": "department", "kind": "decide", "time_limit_days": 5}]


def minister_decides(council: str | None = None) -> list[dict]:
    """Law Art. 79: the minister / provincial chairman decides after appraisal by the standing
    body (Vụ / Sở Nội vụ) and, where the decree requires a ballot, the ministry's council."""
    return [vote("unit"), UNIT_SIGN, APPRAISE, *([vote("ministry", council)] if council else []), MINISTER]


def first_release(decider: str, unit_council: str = "1/2") -> list[dict]:
    """The route of the first release: the unit's council, its head signing upward, then the
    ministry (and the centre) reviewing and deciding in one step each. Kept for the award types
    the first release shipped until the procedure of NĐ 152/2025 is published as their next
    version (councils at the ministry, appraisal before decision, posting)."""
    ministry = {"level": "ministry", "kind": "review", "time_limit_days": 20}
    central = {"level": "central", "kind": "review", "time_limit_days": 20}
    return [vote("unit", unit_council), UNIT_SIGN, ministry, *([central] if decider == "central" else [])]


def minister_council(council: str = "1/2") -> list[dict]:
    """Version 2 of the ministry-level titles and forms (Law Art. 79; NĐ 98/2023 Art. 30(7)):
    the unit's council and head propose; the ministry's standing body (Vụ / Ban TĐKT, Sở Nội vụ)
    appraises and forwards with its recommendation; the ministry / province council votes over
    ALL its members (≥ 90 % CSTĐ bộ/tỉnh, ≥ 80 % Cờ thi đua bộ/tỉnh, more than half where the
    decree names no share); the minister / provincial chairman decides."""
    return [vote("unit"), UNIT_SIGN, APPRAISE, vote("ministry", council), MINISTER]


def prime_minister_decides(council: str = "1/2", posting: bool = False) -> list[dict]:
    """Submitted by the ministry / province (its council's minutes), appraised by Bộ Nội vụ (Ban
    TĐKT Trung ương) within 20 working days, decided by the Prime Minister (or the President)."""
    return [vote("unit"), UNIT_SIGN, APPRAISE, *([POSTING] if posting else []), vote("ministry", council),
            MINISTER, CENTRAL_APPRAISE, CENTRAL_DECIDES]


TITLE = ["to_trinh", "bao_cao_thanh_tich", "bien_ban_binh_xet", "chung_nhan_sang_kien"]  # Law Art. 84(1)
FORM = ["to_trinh", "bao_cao_thanh_tich", "bien_ban_xet_khen_thuong"]                  # Law Art. 84(2)
LIST = ["van_ban_de_nghi", "bao_cao_thanh_tich", "bien_ban_binh_xet"]
CENTRAL = ["to_trinh", "bao_cao_thanh_tich", "bien_ban_xet_khen_thuong"]

UNIT_HEAD, MINISTER_TITLE = "Thủ trưởng cơ quan, đơn vị", "Bộ trưởng, Thủ trưởng cơ quan ngang bộ, Chủ tịch UBND tỉnh"
PM, PRESIDENT = "Thủ tướng Chính phủ", "Chủ tịch nước"


def award(code: str, name_vi: str, name_en: str, subject: str, steps: list[dict], documents: list[str],
          basis: str, decider: str, kind: str = "cong_trang") -> dict:
    return {"code": code, "name_vi": name_vi, "name_en": name_en, "subject": subject, "kind": kind,
            "decider": decider, "steps": steps, "documents": documents, "legal_basis": basis}


def _orders() -> list[dict]:
    """Huân chương (Law Art. 33(2)): decided by the President on the Prime Minister's proposal."""
    out = []
    classes = (("hang_nhat", "hạng Nhất", "First Class"), ("hang_nhi", "hạng Nhì", "Second Class"),
               ("hang_ba", "hạng Ba", "Third Class"))
    for code, vi, en, articles in (("lao_dong", "Lao động", "Labour Order", "Điều 44–46"),
                                   ("doc_lap", "Độc lập", "Independence Order", "Điều 38–40"),
                                   ("quan_cong", "Quân công", "Military Exploit Order", "Điều 41–43"),
                                   ("bao_ve_to_quoc", "Bảo vệ Tổ quốc", "Fatherland Defence Order", "Điều 47–49"),
                                   ("chien_cong", "Chiến công", "Feat of Arms Order", "Điều 50–52")):
        for cls, cls_vi, cls_en in classes:
            out.append(award(f"huan_chuong_{code}_{cls}", f"Huân chương {vi} {cls_vi}", f"{en}, {cls_en}", "both",
                             prime_minister_decides(posting=True), CENTRAL,
                             f"Luật TĐKT 2022 Điều 33, {articles}; NĐ 152/2025/NĐ-CP", PRESIDENT))
    for code, vi, en, articles in (("sao_vang", "Huân chương Sao vàng", "Gold Star Order", "Điều 34"),
                                   ("ho_chi_minh", "Huân chương Hồ Chí Minh", "Ho Chi Minh Order", "Điều 35–37"),
                                   ("dai_doan_ket_dan_toc", "Huân chương Đại đoàn kết dân tộc",
                                    "Great National Unity Order", "Điều 53"),
                                   ("dung_cam", "Huân chương Dũng cảm", "Bravery Order", "Điều 53"),
                                   ("huu_nghi", "Huân chương Hữu nghị", "Friendship Order", "Điều 53")):
        out.append(award(f"huan_chuong_{code}", vi, en, "both", prime_minister_decides(posting=True), CENTRAL,
                         f"Luật TĐKT 2022 Điều 33, {articles}; NĐ 152/2025/NĐ-CP", PRESIDENT,
                         kind="doi_ngoai" if code == "huu_nghi" else "cong_trang"))
    return out


def _medals() -> list[dict]:
    """Huy chương (Law Art. 54(2), 96): army and police personnel, foreigners."""
    return [award(f"huy_chuong_{code}", vi, en, "individual", prime_minister_decides(posting=True), CENTRAL,
                  f"Luật TĐKT 2022 {articles}; NĐ 152/2025/NĐ-CP", PRESIDENT, kind=kind)
            for code, vi, en, articles, kind in (
                ("quan_ky_quyet_thang", "Huy chương Quân kỳ quyết thắng", "Victory Banner Medal", "Điều 55",
                 "nien_han"),
                ("vi_an_ninh_to_quoc", "Huy chương Vì an ninh Tổ quốc", "Medal for National Security", "Điều 56",
                 "nien_han"),
                ("chien_si_ve_vang_hang_nhat", "Huy chương Chiến sĩ vẻ vang hạng Nhất", "Glorious Soldier Medal, "
                 "First Class", "Điều 57", "nien_han"),
                ("chien_si_ve_vang_hang_nhi", "Huy chương Chiến sĩ vẻ vang hạng Nhì", "Glorious Soldier Medal, "
                 "Second Class", "Điều 57", "nien_han"),
                ("chien_si_ve_vang_hang_ba", "Huy chương Chiến sĩ vẻ vang hạng Ba", "Glorious Soldier Medal, "
                 "Third Class", "Điều 57", "nien_han"),
                ("huu_nghi", "Huy chương Hữu nghị", "Friendship Medal", "Điều 58", "doi_ngoai"),
                ("thanh_nien_xung_phong_ve_vang", "Huy chương Thanh niên xung phong vẻ vang",
                 "Glorious Youth Volunteer Medal", "Điều 96", "cong_trang"))]


def _honours() -> list[dict]:
    """Danh hiệu vinh dự Nhà nước (Law Art. 59(2)). Anh hùng (Anh hùng Lao động, Anh hùng LLVTND,
    Tỉnh / Thành phố Anh hùng): the submitting council ≥ 90 % of all members (NĐ 98 Art. 30(7)), then
    the Ban TĐKT Trung ương appraises and submits "căn cứ ... ý kiến của Hội đồng Thi đua - Khen
    thưởng Trung ương" (NĐ 98 Art. 41(1)): the central council's session on Anh hùng needs ≥ 90 % of
    all members attending and each case ≥ 90 % of all members in favour, absent members in writing
    (NĐ 98 Art. 47(4)(b); Law Art. 90; domain.md §3). The other titles (Bà mẹ Việt Nam anh hùng, Nhà
    giáo, Thầy thuốc, Nghệ sĩ, Nghệ nhân) are not put before the central council by those articles."""
    anh_hung = [vote("unit"), UNIT_SIGN, APPRAISE, POSTING, vote("ministry", "9/10"), MINISTER, CENTRAL_APPRAISE,
                vote("central", "9/10", "9/10"), CENTRAL_DECIDES]
    out = [award("anh_hung_lao_dong", "Anh hùng Lao động", "Hero of Labour", "both", anh_hung, CENTRAL,
                 "Luật TĐKT 2022 Điều 59, 63; NĐ 152/2025/NĐ-CP", PRESIDENT),
           award("anh_hung_luc_luong_vu_trang_nhan_dan", "Anh hùng Lực lượng vũ trang nhân dân",
                 "Hero of the People's Armed Forces", "both", anh_hung, CENTRAL,
                 "Luật TĐKT 2022 Điều 59, 62; NĐ 152/2025/NĐ-CP", PRESIDENT),
           award("ba_me_viet_nam_anh_hung", "Bà mẹ Việt Nam anh hùng", "Heroic Vietnamese Mother", "individual",
                 prime_minister_decides(posting=True), CENTRAL, "Luật TĐKT 2022 Điều 59, 61", PRESIDENT),
           award("tinh_thanh_pho_anh_hung", "Tỉnh Anh hùng / Thành phố Anh hùng", "Heroic Province / City",
                 "collective", anh_hung, CENTRAL, "Luật TĐKT 2022 Điều 59, 60", PRESIDENT)]
    for code, vi, en, article in (("nha_giao", "Nhà giáo", "Teacher", "Điều 64"),
                                  ("thay_thuoc", "Thầy thuốc", "Physician", "Điều 65"),
                                  ("nghe_si", "Nghệ sĩ", "Artist", "Điều 66"),
                                  ("nghe_nhan", "Nghệ nhân", "Artisan", "Điều 67")):
        for grade, grade_vi, grade_en in (("nhan_dan", "Nhân dân", "People's"), ("uu_tu", "Ưu tú", "Meritorious")):
            out.append(award(f"{code}_{grade}", f"{vi} {grade_vi}", f"{grade_en} {en}", "individual",
                             prime_minister_decides(posting=True), CENTRAL, f"Luật TĐKT 2022 Điều 59, {article}",
                             PRESIDENT))
    return out


CATALOGUE: list[dict] = [
    # Thi đua, cá nhân (Law Art. 19) and tập thể (Art. 20); khen thưởng (Art. 9).
    award("lao_dong_tien_tien", "Lao động tiên tiến", "Advanced Worker", "individual", unit_decides(), LIST,
          "Luật TĐKT 2022 Điều 24, 80; NĐ 152/2025/NĐ-CP", UNIT_HEAD, kind="thuong_xuyen"),
    award("chien_si_tien_tien", "Chiến sĩ tiên tiến", "Advanced Soldier", "individual", unit_decides(), LIST,
          "Luật TĐKT 2022 Điều 24, 80(5)", UNIT_HEAD, kind="thuong_xuyen"),
    award("chien_si_thi_dua_co_so", "Chiến sĩ thi đua cơ sở", "Grassroots Emulation Fighter", "individual",
          unit_decides("4/5"), TITLE, "Luật TĐKT 2022 Điều 23, 80; NĐ 98/2023 Điều 30(7) (tỷ lệ 80%)", UNIT_HEAD,
          kind="thuong_xuyen"),
    award("tap_the_lao_dong_tien_tien", "Tập thể lao động tiên tiến", "Advanced Labour Collective", "collective",
          unit_decides(), LIST, "Luật TĐKT 2022 Điều 28, 80", UNIT_HEAD, kind="thuong_xuyen"),
    award("giay_khen", "Giấy khen", "Certificate of Merit (Giấy khen)", "both", department_decides(), LIST,
          "Luật TĐKT 2022 Điều 75, 80; NĐ 129/2025/NĐ-CP Điều 59", UNIT_HEAD),
    award("gia_dinh_van_hoa", "Gia đình văn hóa", "Cultured Family", "collective", unit_decides(), LIST,
          "Luật TĐKT 2022 Điều 20(2), 80(3)", "Chủ tịch UBND cấp xã", kind="thuong_xuyen"),
    award("thon_to_dan_pho_van_hoa", "Thôn, tổ dân phố văn hóa", "Cultured Village / Residential Group",
          "collective", unit_decides(), LIST, "Luật TĐKT 2022 Điều 20(1), 80(2); NĐ 129/2025/NĐ-CP Điều 59",
          "Chủ tịch UBND cấp xã", kind="thuong_xuyen"),
    award("bang_khen_bo", "Bằng khen của Bộ trưởng, Chủ tịch UBND tỉnh",
          "Certificate of Merit of the Minister / Provincial Chairman", "both", first_release("ministry"), FORM,
          "Luật TĐKT 2022 Điều 72, 79", MINISTER_TITLE),
    award("chien_si_thi_dua_bo", "Chiến sĩ thi đua Bộ, ngành, tỉnh", "Ministry / Provincial Emulation Fighter",
          "individual", first_release("ministry", "9/10"), TITLE,
          "Luật TĐKT 2022 Điều 22, 79; NĐ 98/2023 Điều 30(7) (tỷ lệ 90%)", MINISTER_TITLE, kind="thuong_xuyen"),
    award("co_thi_dua_bo", "Cờ thi đua của Bộ, ngành, tỉnh", "Emulation Flag of the Ministry / Province",
          "collective", first_release("ministry", "4/5"), TITLE,
          "Luật TĐKT 2022 Điều 26, 79; NĐ 98/2023 Điều 30(7) (tỷ lệ 80%)", MINISTER_TITLE, kind="thuong_xuyen"),
    award("tap_the_lao_dong_xuat_sac", "Tập thể lao động xuất sắc", "Excellent Labour Collective", "collective",
          first_release("ministry"), LIST, "Luật TĐKT 2022 Điều 27, 79", MINISTER_TITLE, kind="thuong_xuyen"),
    award("ky_niem_chuong", "Kỷ niệm chương của Bộ, ngành, tỉnh", "Commemorative Medal of the Ministry / Province",
          "individual", [UNIT_SIGN, APPRAISE, MINISTER], ["van_ban_de_nghi", "bao_cao_thanh_tich"],
          "Luật TĐKT 2022 Điều 9; quy chế của Bộ, ngành, tỉnh", MINISTER_TITLE, kind="cong_hien"),
    award("bang_khen_thu_tuong", "Bằng khen của Thủ tướng Chính phủ", "Certificate of Merit of the Prime Minister",
          "both", first_release("central"), CENTRAL, "Luật TĐKT 2022 Điều 71; QĐ 311/QĐ-BNV 2025", PM),
    award("co_thi_dua_chinh_phu", "Cờ thi đua của Chính phủ", "Government Emulation Flag", "collective",
          first_release("central", "4/5"), TITLE, "Luật TĐKT 2022 Điều 25; NĐ 98/2023 Điều 30(7) (tỷ lệ 80%)", PM,
          kind="thuong_xuyen"),
    award("chien_si_thi_dua_toan_quoc", "Chiến sĩ thi đua toàn quốc", "National Emulation Fighter", "individual",
          first_release("central", "9/10"), TITLE,
          "Luật TĐKT 2022 Điều 21; NĐ 98/2023 Điều 30(7) (tỷ lệ 90%)", PM, kind="thuong_xuyen"),
    award("bang_khen_ubtvqh", "Bằng khen của Ủy ban Thường vụ Quốc hội",
          "Certificate of Merit of the National Assembly Standing Committee", "both",
          [vote("unit"), UNIT_SIGN, APPRAISE, MINISTER, CENTRAL_APPRAISE, CENTRAL_DECIDES], FORM,
          "Luật TĐKT 2022 Điều 72; Nghị quyết của UBTVQH về khen thưởng", "Ủy ban Thường vụ Quốc hội",
          kind="chuyen_de"),
    *_orders(),
    *_medals(),
    *_honours(),
]


def _revised(code: str, steps: list[dict], basis: str) -> dict:
    base = next(a for a in CATALOGUE if a["code"] == code)
    return {**base, "steps": steps, "legal_basis": basis}


# Later versions of shipped award types: the procedure as the law writes it (issue 15). Each is
# published once over the shipped version before it (workflow/catalogue/service.py
# `sync_catalogue`); an award type the administrator changed keeps the administrator's version.
# Nominations made under version 1 keep it until migrated (POST /award-types/<code>/migrate).
REVISIONS: dict[str, list[dict]] = {
    # Bằng khen bộ/tỉnh (Law Art. 72, 79): appraisal by the standing body, which recommends;
    # the minister / provincial chairman decides (ND 98/2023 Art. 30(7) names no ballot for it).
    "bang_khen_bo": [_revised("bang_khen_bo", minister_decides(),
                              "Luật TĐKT 2022 Điều 72, 79, 84(2); NĐ 152/2025/NĐ-CP")],
    # CSTĐ bộ/tỉnh: the ministry / province council, ≥ 90 % of ALL members (ND 98 Art. 30(7)).
    "chien_si_thi_dua_bo": [_revised("chien_si_thi_dua_bo", minister_council("9/10"),
                                     "Luật TĐKT 2022 Điều 22, 79, 84(1); NĐ 98/2023 Điều 30(7) "
                                     "(Hội đồng TĐKT Bộ, tỉnh ≥ 90% tổng số thành viên); NĐ 152/2025/NĐ-CP")],
    # Cờ thi đua bộ/tỉnh: the ministry / province council, ≥ 80 % of ALL members (ND 98 Art. 30(7)).
    "co_thi_dua_bo": [_revised("co_thi_dua_bo", minister_council("4/5"),
                               "Luật TĐKT 2022 Điều 26, 79, 84(1); NĐ 98/2023 Điều 30(7) "
                               "(Hội đồng TĐKT Bộ, tỉnh ≥ 80% tổng số thành viên); NĐ 152/2025/NĐ-CP")],
    # Tập thể lao động xuất sắc (Law Art. 27, 79): appraised, then the minister decides.
    "tap_the_lao_dong_xuat_sac": [_revised("tap_the_lao_dong_xuat_sac", minister_decides(),
                                           "Luật TĐKT 2022 Điều 27, 79; NĐ 152/2025/NĐ-CP")],
    # Bằng khen Thủ tướng: the ministry / province council's minutes (biên bản xét khen thưởng,
    # Law Art. 84(2)); the minister signs the tờ trình; Bộ Nội vụ appraises in 20 working days
    # (ND 98 Art. 32; QĐ 311/QĐ-BNV 2025); the Prime Minister decides.
    "bang_khen_thu_tuong": [_revised("bang_khen_thu_tuong", prime_minister_decides(),
                                     "Luật TĐKT 2022 Điều 71, 84(2); NĐ 98/2023 Điều 32; QĐ 311/QĐ-BNV 2025")],
    # Cờ thi đua của Chính phủ: the ministry / province council ≥ 80 % (ND 98 Art. 30(7)).
    "co_thi_dua_chinh_phu": [_revised("co_thi_dua_chinh_phu", prime_minister_decides("4/5"),
                                      "Luật TĐKT 2022 Điều 25, 84(1); NĐ 98/2023 Điều 30(7) "
                                      "(Hội đồng TĐKT Bộ, tỉnh ≥ 80%), Điều 32")],
    # CSTĐ toàn quốc: posted ≥ 10 working days (Law Art. 84(5); TT 12/2019 kept it in scope),
    # then the ministry / province council ≥ 90 % (ND 98 Art. 30(7)); the Prime Minister decides.
    "chien_si_thi_dua_toan_quoc": [_revised("chien_si_thi_dua_toan_quoc",
                                            prime_minister_decides("9/10", posting=True),
                                            "Luật TĐKT 2022 Điều 21, 84(1), 84(5); NĐ 98/2023 Điều 30(7) "
                                            "(≥ 90%), Điều 32, 33; NĐ 152/2025/NĐ-CP Điều 44(2)")],
}


# The decree in force since 01/07/2025 is NĐ 152/2025/NĐ-CP, which repealed NĐ 98/2023 and NĐ 28/2024
# (its Art. 59; domain.md §0). Where a basis above still names only the old decree, the latest
# shipped version cites the new one: for the unit-level titles and Giấy khen, its Art. 6(2)(c) lets
# each ministry, sector and province set the dossier procedure; for the rest, the decree itself.
# The council ratios stay cited to NĐ 98/2023 Art. 30(7), where they were read: whether NĐ 152 keeps
# them is unconfirmed (domain.md §9).
UNIT_LEVEL = {"lao_dong_tien_tien", "chien_si_tien_tien", "chien_si_thi_dua_co_so", "tap_the_lao_dong_tien_tien",
              "giay_khen", "gia_dinh_van_hoa", "thon_to_dan_pho_van_hoa"}


def _in_force(entry: dict) -> dict:
    basis = entry["legal_basis"]
    if entry["code"] in UNIT_LEVEL and "Điều 6(2)(c)" not in basis:
        bare = basis.removesuffix("; NĐ 152/2025/NĐ-CP")
        return {**entry, "legal_basis": f"{bare}; NĐ 152/2025/NĐ-CP Điều 6(2)(c)"}
    if "152/2025" in basis:
        return entry
    if entry["code"] == "huy_chuong_thanh_nien_xung_phong_ve_vang":
        cite = "NĐ 152/2025/NĐ-CP (thay NĐ 28/2024/NĐ-CP từ 01/07/2025, Điều 59)"
    else:
        cite = "NĐ 152/2025/NĐ-CP (thay NĐ 98/2023/NĐ-CP từ 01/07/2025, Điều 59)"
    return {**entry, "legal_basis": f"{basis}; {cite}"}


# Each award type's latest shipped version cites the decree in force (the first versions of those
# revised above stay as shipped, so an installation that holds them still gets the revision).
CATALOGUE[:] = [entry if entry["code"] in REVISIONS else _in_force(entry) for entry in CATALOGUE]
for _code, _versions in REVISIONS.items():
    _versions[-1] = _in_force(_versions[-1])


def shipped_versions(code: str) -> list[dict]:
    """Every shipped definition of `code`, version 1 first."""
    first = [a for a in CATALOGUE if a["code"] == code]
    return first + REVISIONS.get(code, [])
