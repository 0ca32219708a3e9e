"""The legal basis a paper cites (căn cứ), in force on the paper's date (domain.md §0).

Luật Thi đua, khen thưởng số 06/2022/QH15 (in force 01/01/2024); NĐ 98/2023/NĐ-CP (01/01/2024,
repealed 01/07/2025 by NĐ 152/2025/NĐ-CP Art. 59); NĐ 152/2025/NĐ-CP (in force 01/07/2025).
"""
from datetime import date

LAW_2003 = "Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003; Luật sửa đổi, bổ sung một số điều của " \
           "Luật Thi đua, khen thưởng ngày 16 tháng 11 năm 2013"
LAW_2022 = "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022"
ND_91 = "Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ quy định chi tiết thi hành " \
        "một số điều của Luật Thi đua, khen thưởng"
ND_98 = "Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành " \
        "một số điều của Luật Thi đua, khen thưởng"
ND_152 = "Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định chi tiết một số điều " \
         "của Luật Thi đua, khen thưởng"

# (in force from, what a paper of that day cites); newest last.
CITATIONS = (
    (date(2018, 1, 1), (LAW_2003, ND_91)),
    (date(2024, 1, 1), (LAW_2022, ND_98)),
    (date(2025, 7, 1), (LAW_2022, ND_152)),
)


def citations_on(day: date) -> tuple[str, ...]:
    current = CITATIONS[0][1]
    for since, texts in CITATIONS:
        if day >= since:
            current = texts
    return current
