"""The year's statistics of a ministry's units (TT 02/2023/TT-BNV): the JSON and the workbook
say what the test itself did — so many proposed, so many awarded, individuals and collectives
apart — and nothing of another ministry's units."""
import io

from openpyxl import load_workbook

from tests.scenarios import act, draft, drive_to

DECISION = {"number": "88/QĐ-BTTTT", "date": "2026-11-23"}


def test_the_statistics_count_what_happened_this_year(login, db, users, open_plan):
    awarded = [draft(db, users, open_plan, award="bang_khen_bo", name=f"Cán bộ {i}") for i in range(3)]
    team = draft(db, users, open_plan, award="bang_khen_bo", name="Phòng Biên tập", kind="collective")
    refused = draft(db, users, open_plan, award="bang_khen_bo", name="Người không đạt")
    draft(db, users, open_plan, award="bang_khen_bo", name="Còn dự thảo")          # never submitted
    elsewhere = draft(db, users, open_plan, award="bang_khen_bo", name="Ở tỉnh", officer="tinh.canbo")
    for i, n in enumerate([*awarded, team]):
        drive_to(db, users, n.id, "ministry_decision")  # appraised: the minister decides
        # One decision each: a number is used once a year (ND 30/2020 Art. 15).
        act(db, users, "bo.lanhdao", n.id, "decide", decision={**DECISION, "number": f"{80 + i}/QĐ-BKHCN"})
    drive_to(db, users, refused.id, "ministry_review")
    act(db, users, "bo.chuyenvien", refused.id, "reject", reason="Chưa đủ tiêu chuẩn.")
    drive_to(db, users, elsewhere.id, "ministry_review", unit="tinh", ministry="tinh")

    api = login("bo.chuyenvien")
    body = api.get("/reports/statistics?year=2026").get_json()
    rows = {r["key"]: r for r in body["by_award"]}
    assert set(rows) == {"bang_khen_bo"}
    assert (rows["bang_khen_bo"]["submitted"], rows["bang_khen_bo"]["awarded"],
            rows["bang_khen_bo"]["awarded_individuals"], rows["bang_khen_bo"]["awarded_collectives"]) == (5, 4, 3, 1)
    assert [(r["name"], r["submitted"], r["awarded"]) for r in body["by_unit"]] == \
        [("Tổng công ty Truyền thông đa phương tiện (VTC)", 5, 4)]
    assert api.get("/reports/statistics?year=2025").get_json()["totals"]["submitted"] == 0

    r = api.get("/reports/statistics?year=2026&format=xlsx")
    assert r.status_code == 200 and "thong-ke-thi-dua-khen-thuong-2026.xlsx" in r.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(r.data))["Theo hình thức"]
    table = list(sheet.iter_rows(min_row=3, values_only=True))
    assert table[0][1:] == ("Số hồ sơ đề nghị trong năm", "Số được khen thưởng trong năm", "Trong đó: cá nhân",
                            "Trong đó: tập thể")
    assert table[1] == ("Bằng khen của Bộ trưởng, Chủ tịch UBND tỉnh", 5, 4, 3, 1)
    assert table[-1] == ("Tổng cộng", 5, 4, 3, 1)

    # The province's figures are the province's; another ministry's org is not found.
    assert login("tinh.chuyenvien").get("/reports/statistics?year=2026").get_json()["totals"]["submitted"] == 1
    assert api.get(f"/reports/statistics?year=2026&org_id={elsewhere.unit_id}").status_code == 404
    assert api.get("/reports/statistics?year=1999").status_code == 422
    assert api.get("/reports/statistics?format=pdf").status_code == 422
