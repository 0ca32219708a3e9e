"""Which legal texts govern a nomination, by the date it was submitted (domain.md §0)."""
from datetime import date

# (in force from, basis); newest last.
BASES = (
    (date(2018, 1, 1), "Luật Thi đua, khen thưởng 2003 (sửa đổi 2013); Nghị định 91/2017/NĐ-CP"),
    (date(2024, 1, 1), "Luật Thi đua, khen thưởng số 06/2022/QH15; Nghị định 98/2023/NĐ-CP"),
    (date(2025, 7, 1), "Luật Thi đua, khen thưởng số 06/2022/QH15; Nghị định 152/2025/NĐ-CP"),
)


def legal_basis_on(day: date) -> str:
    current = BASES[0][1]
    for since, basis in BASES:
        if day >= since:
            current = basis
    return current
