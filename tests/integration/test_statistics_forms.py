"""The yearly statistics on the circular's forms (Biểu 0601–0605.N/BNV-TĐKT): a ministry's unit
and a province's unit get awards over two years; the figures the workbook carries are the ones
this test counts from what it created itself — by period, by who submits to the Prime Minister,
by subject — and a unit officer's workbook holds only their unit."""
import io

from openpyxl import load_workbook

from tests.statistics_support import in_report_period, make_awards


def sheet_cells(ws) -> dict:
    """{(row label, column heading): value} of a form's table, headings read through merged cells."""
    merged = {}
    for rng in ws.merged_cells.ranges:
        for row in range(rng.min_row, rng.max_row + 1):
            for col in range(rng.min_col, rng.max_col + 1):
                merged[(row, col)] = ws.cell(rng.min_row, rng.min_col).value
    top = next(r for r in range(1, 20) if ws.cell(r, 2).value == "Mã số")
    heads = {}
    for col in range(2, ws.max_column + 1):
        parts = [merged.get((r, col), ws.cell(r, col).value) for r in range(top, top + 3)]
        heads[col] = " / ".join(dict.fromkeys(p for p in parts if p))
    out = {}
    for row in range(top + 4, ws.max_row + 1):
        label = ws.cell(row, 1).value
        if not label or ws.cell(row, 2).value is None:
            continue
        for col, head in heads.items():
            out[(label, head)] = ws.cell(row, col).value
    return out


def forms(api, query: str):
    r = api.get(f"/reports/statistics?format=forms&{query}")
    assert r.status_code == 200, r.get_json()
    assert "bieu-thong-ke-thi-dua-khen-thuong" in r.headers["Content-Disposition"]
    return load_workbook(io.BytesIO(r.data))


TT = "Bằng khen của Thủ tướng Chính phủ"


def test_the_forms_carry_what_the_test_counted(login, db, users, open_plan):
    made = make_awards(db, users, open_plan)
    period = [m for m in made if in_report_period(m.decided, 2026)]

    book = forms(login("admin"), "year=2026")
    assert book.sheetnames == ["Biểu 0601.N", "Biểu 0602.N", "Biểu 0603.N", "Biểu 0604.N", "Biểu 0605.N",
                               "Khen thưởng khác"]
    ws = book["Biểu 0602.N"]
    assert ws["A1"].value == "Biểu số: 0602.N/BNV-TĐKT"
    assert ws["A5"].value == "SỐ LƯỢNG KHEN THƯỞNG CẤP NHÀ NƯỚC"
    assert ws["A6"].value == "Năm 2026 (kỳ báo cáo: từ 01/12/2025 đến 30/11/2026)"
    state = [m for m in period if m.award == "bang_khen_thu_tuong"]
    cells = sheet_cells(ws)
    assert cells[("Tổng số", "Tổng số")] == len(state)
    assert cells[("Tổng số", f"{TT} / Tập thể")] == sum(m.kind == "collective" for m in state)
    assert cells[("Tổng số", f"{TT} / Cá nhân")] == sum(m.kind == "individual" for m in state)
    assert cells[("- Bộ, ban, ngành, đoàn thể Trung ương", "Tổng số")] == sum(m.unit == "vtc" for m in state)
    assert cells[("- Tỉnh, thành phố trực thuộc Trung ương", "Tổng số")] == sum(m.unit == "tinh" for m in state)
    assert cells[("- Tập thể", "Tổng số")] == sum(m.kind == "collective" for m in state)
    assert cells[("- Cá nhân", "Tổng số")] == sum(m.kind == "individual" for m in state)
    assert cells[("- Thường xuyên", "Tổng số")] == len(state)     # the demo's annual plan
    assert cells[("- Hộ gia đình", "Tổng số")] is None             # no data: blank, not 0
    assert cells[("Tổng số", "Giải thưởng Hồ Chí Minh / Cá nhân")] is None

    ministry = [m for m in period if m.award == "bang_khen_bo"]
    cells = sheet_cells(book["Biểu 0603.N"])
    assert cells[("Tổng số", "Tổng số")] == cells[("Tổng số", "Chia ra / Bằng khen")] == len(ministry)
    assert cells[("- Tập thể", "Chia ra / Bằng khen")] == sum(m.kind == "collective" for m in ministry)
    assert cells[("- Cá nhân", "Chia ra / Bằng khen")] == sum(m.kind == "individual" for m in ministry)
    assert cells[("Tổng số", "Chia ra / Chiến sĩ thi đua cấp bộ, cấp tỉnh")] == 0

    other = [m for m in period if m.award == "chien_si_thi_dua_co_so"]
    cells = sheet_cells(book["Khen thưởng khác"])
    assert cells[("- Chiến sĩ thi đua cơ sở", "Tổng số")] == len(other)
    assert cells[("Tổng số", "Chia ra / Cá nhân")] == len(other)

    # The calendar year moves the award of 10/12/2025 into 2025.
    cal = sheet_cells(forms(login("admin"), "year=2026&period=calendar")["Biểu 0603.N"])
    assert cal[("Tổng số", "Tổng số")] == sum(m.award == "bang_khen_bo" and m.decided.year == 2026 for m in made)
    assert cal[("Tổng số", "Tổng số")] == len(ministry) - 1


def test_each_caller_gets_the_figures_of_their_own_units(login, db, users, open_plan):
    made = make_awards(db, users, open_plan)
    vtc = [m for m in made if m.unit == "vtc" and m.decided.year == 2026]

    officer = login("vtc.canbo")
    body = officer.get("/reports/statistics?year=2026").get_json()
    assert body["totals"]["awarded"] == len(vtc)
    assert body["period"] == "calendar" and body["date_from"] == "2026-01-01" and body["date_until"] == "2026-12-31"
    assert [u["name"] for u in body["by_unit"]] == ["Tổng công ty Truyền thông đa phương tiện (VTC)"]
    # By state: what was submitted in the year (each award was submitted on its decision's day).
    assert {s["state"]: s["count"] for s in body["by_state"]} == {"awarded": len(vtc), "rejected": 1}

    cells = sheet_cells(forms(officer, "year=2026&period=calendar")["Biểu 0602.N"])
    assert cells[("Tổng số", "Tổng số")] == sum(m.award == "bang_khen_thu_tuong" for m in vtc) == 1
    assert cells[("- Tỉnh, thành phố trực thuộc Trung ương", "Tổng số")] == 0

    province = login("tinh.chuyenvien").get("/reports/statistics?year=2026").get_json()
    assert province["totals"]["awarded"] == sum(m.unit == "tinh" and m.decided.year == 2026 for m in made)
    with db.read() as s:
        from workflow.models import OrgUnit
        from sqlalchemy import select
        tinh_unit = s.execute(select(OrgUnit.id).where(OrgUnit.name.like("Văn phòng Đoàn ĐBQH%"))).scalar_one()
    assert officer.get(f"/reports/statistics?format=forms&year=2026&org_id={tinh_unit}").status_code == 404
    assert officer.get("/reports/statistics?year=2026&period=quarter").status_code == 422
