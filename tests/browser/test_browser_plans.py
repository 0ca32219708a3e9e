"""A province's reviewer drafts a plan in a real browser (Lưu nháp), corrects who a milestone
binds, is told what issuing creates, issues it (Ban hành) and sees each unit's report with its
due date; the Sở's officer then sees the plan and its report. Screenshots go to
test-artifacts/screenshots/."""
from playwright.sync_api import expect

from tests.browser_support import *


def test_a_plan_is_drafted_corrected_and_issued_in_the_browser(desks):
    reviewer = desks("tinh.chuyenvien")
    reviewer.go("/plans")
    reviewer.page.get_by_role("link", name="Lập kế hoạch").click()
    page = reviewer.page
    page.get_by_label("Số, ký hiệu").fill("60/KH-UBND")
    page.get_by_label("Trích yếu").fill("Kế hoạch tổ chức phong trào thi đua “Dân vận khéo” năm 2027")
    page.get_by_label("Ngày ban hành (dd/mm/yyyy)").fill("01/12/2026")
    page.get_by_label("Từ ngày").fill("01/01/2027")
    page.get_by_label("Đến ngày").fill("31/12/2028")
    page.get_by_label("Thời hạn 1", exact=True).fill("trước ngày 15/11 hằng năm")
    page.get_by_label("Loại mốc 1", exact=True).select_option(label="Hạn báo cáo")
    page.get_by_label("Đơn vị phải thực hiện 1", exact=True).fill("Các Sở, ban, ngành")
    page.get_by_label("Nội dung 1", exact=True).fill("Báo cáo kết quả phong trào")
    page.get_by_label("Thời hạn 2", exact=True).fill("trước ngày 20/12/2027")
    page.get_by_label("Loại mốc 2", exact=True).select_option(label="Hạn báo cáo")
    page.get_by_label("Đơn vị phải thực hiện 2", exact=True).fill("Hội Nông dân tỉnh")
    reviewer.shot("plans-01-new-draft")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã lưu dự thảo kế hoạch")
    expect(page.locator("#plan-status")).to_have_text("Dự thảo")
    expect(page.get_by_role("alert").first).to_contain_text("Hội Nông dân tỉnh")
    reviewer.shot("plans-02-draft-with-warning")

    page.get_by_role("link", name="Sửa dự thảo").click()
    page.get_by_label("Đơn vị phải thực hiện 2", exact=True).fill("UBND các xã, phường, đặc khu")
    page.get_by_role("button", name="Ban hành", exact=True).click()
    expect(page.locator("#issue-summary")).to_contain_text("sẽ giao 5 báo cáo cho 4 đơn vị")
    reviewer.shot("plans-03-confirm-issue")
    page.get_by_role("button", name="Xác nhận ban hành").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã ban hành kế hoạch; đã giao 5 báo cáo cho 4 đơn vị.")
    expect(page.locator("#plan-status")).to_have_text("Đã ban hành")
    reports = page.locator("#h-reports").locator("xpath=..")
    expect(reports).to_contain_text("Sở Giáo dục và Đào tạo tỉnh Thái Nguyên")
    expect(reports).to_contain_text("14/11/2027")
    expect(reports).to_contain_text("14/11/2028")
    expect(reports).to_contain_text("UBND phường Phan Đình Phùng")
    expect(reports).to_contain_text("19/12/2027")
    reviewer.shot("plans-04-issued-with-reports")
    assert reviewer.errors == []

    officer = desks("so.canbo")
    officer.go("/plans")
    officer.page.get_by_role("link", name="Kế hoạch tổ chức phong trào thi đua “Dân vận khéo” năm 2027").click()
    expect(officer.page.locator("#h-reports").locator("xpath=..")).to_contain_text("14/11/2027")
    officer.shot("plans-05-the-unit-sees-its-reports")
