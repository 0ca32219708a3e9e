"""The shipped catalogue holds every award family issue 14 names, each latest version cites the
decree in force (NĐ 152/2025/NĐ-CP), and an award decided by "the minister or the provincial
chairman" is named after the one who decides it."""
from workflow.catalogue import definitions
from workflow.catalogue.awards import decided_name
from workflow.catalogue.data import CATALOGUE, shipped_versions

CODES = {a["code"] for a in CATALOGUE}
PROVINCE = "UBND tỉnh Thái Nguyên (Sở Nội vụ - Ban Thi đua - Khen thưởng)"


def test_every_award_family_of_the_law_is_in_the_catalogue():
    families = {
        # every Huân chương (Law Art. 33) and Huy chương (Art. 54)
        "huan_chuong_sao_vang", "huan_chuong_ho_chi_minh", "huan_chuong_dai_doan_ket_dan_toc", "huan_chuong_dung_cam",
        "huan_chuong_huu_nghi",
        *(f"huan_chuong_{o}_{c}" for o in ("doc_lap", "quan_cong", "lao_dong", "bao_ve_to_quoc", "chien_cong")
          for c in ("hang_nhat", "hang_nhi", "hang_ba")),
        "huy_chuong_quan_ky_quyet_thang", "huy_chuong_vi_an_ninh_to_quoc", "huy_chuong_huu_nghi",
        *(f"huy_chuong_chien_si_ve_vang_{c}" for c in ("hang_nhat", "hang_nhi", "hang_ba")),
        # danh hiệu vinh dự Nhà nước (Art. 59)
        "anh_hung_lao_dong", "anh_hung_luc_luong_vu_trang_nhan_dan", "ba_me_viet_nam_anh_hung",
        *(f"{t}_{g}" for t in ("nha_giao", "thay_thuoc", "nghe_si", "nghe_nhan") for g in ("nhan_dan", "uu_tu")),
        # danh hiệu thi đua (Art. 19, 20) and Bằng khen, Giấy khen, Kỷ niệm chương
        "chien_si_thi_dua_toan_quoc", "chien_si_thi_dua_bo", "chien_si_thi_dua_co_so", "lao_dong_tien_tien",
        "chien_si_tien_tien", "co_thi_dua_chinh_phu", "co_thi_dua_bo", "tap_the_lao_dong_xuat_sac",
        "tap_the_lao_dong_tien_tien", "bang_khen_thu_tuong", "bang_khen_bo", "giay_khen", "ky_niem_chuong",
        "bang_khen_ubtvqh", "gia_dinh_van_hoa", "thon_to_dan_pho_van_hoa",
    }
    assert families - CODES == set()
    for raw in CATALOGUE:  # each one is a lawful definition (a route ending in its decider's step)
        for version in shipped_versions(raw["code"]):
            assert definitions.parse(version).code == raw["code"]


def test_each_award_types_latest_version_cites_the_decree_in_force():
    stale = [c for c in sorted(CODES) if "152/2025" not in (shipped_versions(c)[-1]["legal_basis"] or "")]
    assert stale == []
    # The unit-level titles and Giấy khen: procedures set by each ministry and province (ND 152 Art. 6(2)(c)).
    assert "NĐ 152/2025/NĐ-CP Điều 6(2)(c)" in shipped_versions("lao_dong_tien_tien")[-1]["legal_basis"]
    # Huy chương TNXP vẻ vang came from ND 28/2024, repealed by ND 152.
    assert "152/2025" in shipped_versions("huy_chuong_thanh_nien_xung_phong_ve_vang")[-1]["legal_basis"]


def test_an_award_of_the_minister_or_provincial_chairman_is_named_after_its_decider():
    bk = next(a for a in CATALOGUE if a["code"] == "bang_khen_bo")
    assert bk["name_vi"] == "Bằng khen của Bộ trưởng, Chủ tịch UBND tỉnh"
    assert decided_name(bk["name_vi"], bk["name_en"], "province", PROVINCE, "Chủ tịch") == (
        "Bằng khen của Chủ tịch UBND tỉnh Thái Nguyên",
        "Certificate of Merit of the Chairman of the People's Committee of tỉnh Thái Nguyên")
    assert decided_name(bk["name_vi"], bk["name_en"], "ministry", "Bộ Khoa học và Công nghệ", "Bộ trưởng")[0] \
        == "Bằng khen của Bộ trưởng Bộ Khoa học và Công nghệ"
    names = {a["code"]: (a["name_vi"], a["name_en"]) for a in CATALOGUE}
    assert decided_name(*names["chien_si_thi_dua_bo"], "province", PROVINCE, "Chủ tịch")[0] \
        == "Chiến sĩ thi đua tỉnh Thái Nguyên"
    assert decided_name(*names["co_thi_dua_bo"], "ministry", "Bộ Khoa học và Công nghệ", "Bộ trưởng")[0] \
        == "Cờ thi đua của Bộ Khoa học và Công nghệ"
    assert decided_name(*names["ky_niem_chuong"], "province", PROVINCE, "Chủ tịch")[0] \
        == "Kỷ niệm chương của UBND tỉnh Thái Nguyên"
    # Awards that name their decider already, or are decided below a ministry, keep their names.
    assert decided_name(*names["bang_khen_thu_tuong"], "province", PROVINCE, "Chủ tịch") == names["bang_khen_thu_tuong"]
    assert decided_name(*names["bang_khen_bo"], "department", "Sở Giáo dục", "Giám đốc") == names["bang_khen_bo"]
    assert decided_name(*names["bang_khen_bo"], "province", None) == names["bang_khen_bo"]
