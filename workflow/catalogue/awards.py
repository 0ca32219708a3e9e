"""What the catalogue's rules mean: a council ballot's threshold and quorum, the documents a
dossier may need.

Thresholds are shares of ALL council members (NĐ 98/2023 Art. 30(7); domain.md §3) and quorums
shares of the members present, written votes included. They are exact fractions: two thirds of
nine is six, and 6 of 9 present is a quorum (a percentage rounded to 67 % would refuse it).
A threshold of one half means "quá nửa", strictly more than half.
"""
from fractions import Fraction

from states.routes import MAJORITY

DOCUMENT_NAMES = {
    "to_trinh": ("Tờ trình", "Submission (tờ trình)"),
    "van_ban_de_nghi": ("Văn bản đề nghị kèm danh sách", "Proposal letter with list"),
    "bao_cao_thanh_tich": ("Báo cáo thành tích", "Achievement report"),
    "bien_ban_binh_xet": ("Biên bản bình xét và kết quả bỏ phiếu", "Council minutes and ballot result"),
    "bien_ban_xet_khen_thuong": ("Biên bản xét khen thưởng", "Commendation review minutes"),
    "chung_nhan_sang_kien": ("Chứng nhận sáng kiến, đề tài", "Certificate of initiative / research"),
}


def fraction(value: float | str | Fraction) -> Fraction:
    """A share as an exact fraction (0.9, "90%", "9/10", 2/3 written as 0.6667 all read right)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, str) and value.strip().endswith("%"):
        return Fraction(value.strip()[:-1]) / 100
    return Fraction(str(value)).limit_denominator(1000)


def passes_threshold(yes: int, members: int, threshold: float | str | Fraction) -> bool:
    """A share-of-all-members test; one half means strictly more than half."""
    share = fraction(threshold)
    if share <= MAJORITY:
        return 2 * yes > members
    return yes * share.denominator >= share.numerator * members


def quorum_met(present: int, members: int, quorum: float | str | Fraction) -> bool:
    share = fraction(quorum)
    return present * share.denominator >= share.numerator * members


def members_needed(members: int, quorum: float | str | Fraction) -> int:
    """The fewest members present that make a quorum of `members`."""
    share = fraction(quorum)
    return -(-share.numerator * members // share.denominator)


# The catalogue names an award decided by "the minister or the provincial chairman" once; a
# nomination shows the one who decides it (Luật TĐKT 2022 Art. 72, 79: "Bằng khen của Bộ trưởng, Chủ
# tịch UBND tỉnh" is, for a nominee of Thái Nguyên, "Bằng khen của Chủ tịch UBND tỉnh Thái Nguyên").
GENERIC_HEAD_VI = "Bộ trưởng, Chủ tịch UBND tỉnh"
GENERIC_BODY_VI = "Bộ, ngành, tỉnh"
GENERIC_HEAD_EN = "the Minister / Provincial Chairman"
GENERIC_BODY_EN = "the Ministry / Province"


def _bare(name: str) -> str:
    """An org's name without the office that keeps its files: "UBND tỉnh Thái Nguyên (Sở Nội vụ...)"
    → "UBND tỉnh Thái Nguyên"."""
    return name.split(" (", 1)[0].strip()


def decided_name(name_vi: str, name_en: str, kind: str | None, org_name: str | None, head_title: str = ""
                 ) -> tuple[str, str]:
    """The award's name as its decider gives it: `kind`, `org_name` and `head_title` ("Chủ tịch",
    "Bộ trưởng"; workflow/documents/titles.py) are those of the org that decides this nomination
    (a province or a ministry); any other award keeps its name."""
    if not org_name or kind not in ("province", "ministry") or \
            (GENERIC_HEAD_VI not in name_vi and GENERIC_BODY_VI not in name_vi):
        return name_vi, name_en
    org = _bare(org_name)
    head = f"{head_title or 'Thủ trưởng'} {org}"
    if kind == "province":
        place = org.removeprefix("UBND ").removeprefix("Ủy ban nhân dân ")   # "tỉnh Thái Nguyên"
        body, title = f"UBND {place}", place
        head_en, body_en = f"the Chairman of the People's Committee of {place}", f"the People's Committee of {place}"
    else:
        body = title = org
        head_en, body_en = f"the Minister, {org}" if org.startswith("Bộ ") else f"the Head of {org}", org
    vi = name_vi.replace(GENERIC_HEAD_VI, head).replace(f"của {GENERIC_BODY_VI}", f"của {body}") \
        .replace(GENERIC_BODY_VI, title)
    en = name_en.replace(GENERIC_HEAD_EN, head_en).replace(GENERIC_BODY_EN, body_en)
    if "Ministry / Provincial " in en:  # "Ministry / Provincial Emulation Fighter"
        en = f"{en.replace('Ministry / Provincial ', '')}, {title}"
    return vi, en
