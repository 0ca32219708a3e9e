"""A ministry reviewer pastes seed 003 (the 2014 plan for congresses at every level, which has no
number, date or heading) on "Nhập từ văn bản", sees the form pre-filled from the text with the
line of each field and what could not be read, gives it the number it lacks, corrects who one
milestone binds, issues it, and sees the units' reports with the due dates the text set.
Screenshots go to test-artifacts/screenshots/."""
from pathlib import Path

from playwright.sync_api import expect

from tests.browser_support import *

SEED_003 = next((Path(__file__).resolve().parents[2] / "workflow" / "demo" / "seeds").glob("003_*.txt"))


def test_seed_003_pasted_corrected_and_issued_gives_the_units_their_reports(desks):
    reviewer = desks("bo.chuyenvien")
    page = reviewer.page
    reviewer.go("/plans")
    page.get_by_role("link", name="Nhập từ văn bản").click()
    page.get_by_label("Nội dung kế hoạch").fill(SEED_003.read_text(encoding="utf-8"))
    reviewer.shot("plan-import-01-pasted")
    page.get_by_role("button", name="Đọc văn bản").click()

    # The proposal: read from the text, each field with its line, nothing guessed.
    expect(page.get_by_label("Trích yếu")).to_have_value(
        "Tổ chức Đại hội Thi đua và Hội nghị điển hình tiên tiến các cấp")
    expect(page.get_by_label("Số, ký hiệu", exact=True)).to_have_value("")
    expect(page.locator("#proposal-warnings")).to_contain_text("Không thấy số, ký hiệu của kế hoạch")
    expect(page.locator("#proposal-warnings")).to_contain_text("Không thấy địa danh, ngày ban hành")
    expect(page.get_by_label("Thời hạn 1", exact=True)).to_have_value("trước quý II năm 2015")
    expect(page.get_by_label("Thời hạn 4", exact=True)).to_have_value("trước tháng 8 năm 2014")
    expect(page.get_by_label("Đơn vị phải thực hiện 2", exact=True)).to_have_value(
        "Tập đoàn Bưu chính Viễn thông Việt Nam")
    expect(page.locator(".milestones")).to_contain_text("dòng 79")
    expect(page.get_by_label("Kế hoạch cấp trên (số và ký hiệu)")).to_have_value("13/KH-HĐTĐKT")
    reviewer.shot("plan-import-02-proposal")

    # The text has no number: the office gives the one it registered. VNPT is not a unit of this
    # ministry's tree, so that milestone is corrected to bind the units under the ministry.
    page.get_by_label("Số, ký hiệu", exact=True).fill("1055/KH-BTTTT")
    page.get_by_label("Đơn vị phải thực hiện 2", exact=True).fill("Các đơn vị thuộc Bộ")
    page.get_by_role("button", name="Ban hành", exact=True).click()
    expect(page.locator("#issue-summary")).to_contain_text("sẽ giao")
    reviewer.shot("plan-import-03-confirm-issue")
    page.get_by_role("button", name="Xác nhận ban hành").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã ban hành kế hoạch")
    expect(page.locator("#plan-status")).to_have_text("Đã ban hành")
    reports = page.locator("#h-reports").locator("xpath=..")
    expect(reports).to_contain_text("Tổng công ty Truyền thông đa phương tiện")
    expect(reports).to_contain_text("Cục Báo chí")
    expect(reports).to_contain_text("31/03/2015")
    expect(reports).to_contain_text("31/07/2014")
    reviewer.shot("plan-import-04-issued-with-reports")
    assert reviewer.errors == []
