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
