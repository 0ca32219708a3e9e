"""The award catalogue (hình thức khen thưởng, danh hiệu thi đua) as data.

Thresholds are shares of ALL council members (ND 98/2023 Art. 30(7); domain.md §3):
90% for CSTĐ bộ/tỉnh and CSTĐ toàn quốc, 80% for CSTĐCS and the Cờ thi đua; where the
decree names no share the council decides by a majority of all members. A council meeting
needs two thirds of its members present, written votes included (domain.md §3, quorum).
"""
from dataclasses import dataclass

from states import ROUTES

MAJORITY = 0.5  # "more than half"; see passes_threshold
QUORUM = 2 / 3

DOCS_TITLE = ("to_trinh", "bao_cao_thanh_tich", "bien_ban_binh_xet", "chung_nhan_sang_kien")
DOCS_FORM = ("to_trinh", "bao_cao_thanh_tich", "bien_ban_xet_khen_thuong")
DOCS_LIST = ("van_ban_de_nghi", "bao_cao_thanh_tich", "bien_ban_binh_xet")

DOCUMENT_NAMES = {
    "to_trinh": ("Tờ trình", "Submission (tờ trình)"),
    "van_ban_de_nghi": ("Văn bản đề nghị kèm danh sách", "Proposal letter with list"),
    "bao_cao_thanh_tich": ("Báo cáo thành tích", "Achievement report"),
    "bien_ban_binh_xet": ("Biên bản bình xét và kết quả bỏ phiếu", "Council minutes and ballot result"),
    "bien_ban_xet_khen_thuong": ("Biên bản xét khen thưởng", "Commendation review minutes"),
    "chung_nhan_sang_kien": ("Chứng nhận sáng kiến, đề tài", "Certificate of initiative / research"),
}


@dataclass(frozen=True)
class AwardSpec:
    code: str
    name_vi: str
    name_en: str
    subject: str          # individual | collective | both
    route: str
    vote_threshold: float
    required_documents: tuple[str, ...]
    legal_note: str
    quorum: float = QUORUM

    @property
    def deciding_level(self) -> str:
        return ROUTES[self.route].deciding_level


CATALOGUE: tuple[AwardSpec, ...] = (
    AwardSpec("giay_khen", "Giấy khen", "Certificate of Merit (Giấy khen)", "both", "unit",
              MAJORITY, DOCS_LIST, "Luật TĐKT 2022 Điều 75, 80"),
    AwardSpec("lao_dong_tien_tien", "Lao động tiên tiến", "Advanced Worker", "individual", "unit",
              MAJORITY, DOCS_LIST, "Luật TĐKT 2022 Điều 24, 80"),
    AwardSpec("chien_si_thi_dua_co_so", "Chiến sĩ thi đua cơ sở", "Grassroots Emulation Fighter",
              "individual", "unit", 0.8, DOCS_TITLE, "Luật TĐKT 2022 Điều 23; NĐ 98/2023 Điều 30(7)"),
    AwardSpec("tap_the_lao_dong_tien_tien", "Tập thể lao động tiên tiến", "Advanced Labour Collective",
              "collective", "unit", MAJORITY, DOCS_LIST, "Luật TĐKT 2022 Điều 28, 80"),
    AwardSpec("bang_khen_bo", "Bằng khen của Bộ trưởng, Chủ tịch UBND tỉnh",
              "Certificate of Merit of the Minister / Provincial Chairman", "both", "ministry",
              MAJORITY, DOCS_FORM, "Luật TĐKT 2022 Điều 72, 79"),
    AwardSpec("chien_si_thi_dua_bo", "Chiến sĩ thi đua Bộ, ngành, tỉnh",
              "Ministry / Provincial Emulation Fighter", "individual", "ministry", 0.9, DOCS_TITLE,
              "Luật TĐKT 2022 Điều 22; NĐ 98/2023 Điều 30(7)"),
    AwardSpec("co_thi_dua_bo", "Cờ thi đua của Bộ, ngành, tỉnh", "Emulation Flag of the Ministry / Province",
              "collective", "ministry", 0.8, DOCS_TITLE, "Luật TĐKT 2022 Điều 26; NĐ 98/2023 Điều 30(7)"),
    AwardSpec("tap_the_lao_dong_xuat_sac", "Tập thể lao động xuất sắc", "Excellent Labour Collective",
              "collective", "ministry", MAJORITY, DOCS_LIST, "Luật TĐKT 2022 Điều 27"),
    AwardSpec("bang_khen_thu_tuong", "Bằng khen của Thủ tướng Chính phủ",
              "Certificate of Merit of the Prime Minister", "both", "central", MAJORITY, DOCS_FORM,
              "Luật TĐKT 2022 Điều 71; QĐ 311/QĐ-BNV 2025"),
    AwardSpec("co_thi_dua_chinh_phu", "Cờ thi đua của Chính phủ", "Government Emulation Flag",
              "collective", "central", 0.8, DOCS_TITLE, "Luật TĐKT 2022 Điều 25; NĐ 98/2023 Điều 30(7)"),
    AwardSpec("chien_si_thi_dua_toan_quoc", "Chiến sĩ thi đua toàn quốc", "National Emulation Fighter",
              "individual", "central", 0.9, DOCS_TITLE, "Luật TĐKT 2022 Điều 21; NĐ 98/2023 Điều 30(7)"),
    AwardSpec("huan_chuong_lao_dong_hang_ba", "Huân chương Lao động hạng Ba", "Labour Order, Third Class",
              "both", "central", MAJORITY, DOCS_FORM, "Luật TĐKT 2022 Điều 33, 44"),
)


def passes_threshold(yes: int, members: int, threshold: float) -> bool:
    """A share-of-all-members test; the plain majority means strictly more than half."""
    if threshold <= MAJORITY:
        return 2 * yes > members
    # Integer arithmetic avoids 0.9 * 10 = 9.000000000000002 style surprises.
    return yes * 1000 >= round(threshold * 1000) * members


def quorum_met(present: int, members: int, quorum: float) -> bool:
    return present * 1000 >= round(quorum * 1000) * members
