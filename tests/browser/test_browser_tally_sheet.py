"""The council secretary records a 400-name list from the tally sheet (biên bản kiểm phiếu) in
headless Chromium: downloads it, fills it in a spreadsheet, uploads it, reads the confirmation
and confirms. Screenshots: test-artifacts/screenshots/tally-sheet-*."""
import io

from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser_support import *
from tests.conftest import snapshot
from tests.browser.test_browser_workbench import dossier_of, names


def test_the_secretary_uploads_a_400_row_tally_sheet_and_confirms_it(desks, sqlite_db, people, plan, tmp_path):
    listed = names(400)
    did, ids = dossier_of(sqlite_db, people, plan, listed)
    secretary = desks("vtc.hoidong")
    page = secretary.page
    secretary.go(f"/dossiers/{did}")
    with page.expect_download() as got:
        page.locator("#tally-sheet-download").click()
    wb = load_workbook(io.BytesIO(open(got.value.path(), "rb").read()))
    ws = wb["Kiểm phiếu"]
    ws["C4"], ws["C5"] = 15, 14
    rows = list(range(9, 9 + 400))
    assert [ws.cell(row=r, column=3).value for r in rows] == listed
    for r in rows:
        ws.cell(row=r, column=7).value, ws.cell(row=r, column=8).value = 14, 0
    ws.cell(row=13, column=7).value, ws.cell(row=13, column=8).value = 7, 7  # listed[4]: not more than half
    filled = tmp_path / "kiem-phieu.xlsx"
    wb.save(filled)

    page.locator("#form-tally-sheet input[type=file]").set_input_files(str(filled))
    page.get_by_role("button", name="Kiểm tra bảng kiểm phiếu").click()
    expect(page.locator("#confirm-what")).to_have_text(
        "Ghi kết quả phiên họp Hội đồng cho 400 người/tập thể của tờ trình 45/TTr-VTC. "
        "Kết quả không sửa được sau khi ghi.")
    expect(page.locator(".confirm-extra")).to_have_text(
        "Từ bảng kiểm phiếu: 14 thành viên có mặt. Kết quả: 399 đạt, 1 không đạt.")
    secretary.shot("tally-sheet-01-confirm-400-rows")
    assert {snapshot(sqlite_db, i)[0] for i in ids} == {"council_review"}
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.locator(".flash-success")).to_contain_text("Không đạt: 1")
    states = [snapshot(sqlite_db, i)[0] for i in ids]
    assert states.count("unit_review") == 399 and states[4] == "rejected"
    assert secretary.errors == []
