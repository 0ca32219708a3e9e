"""A confirmation before withdraw and before a decision, in headless Chromium (issue 19): the
dialog names the nominee, the award and the number; "Quay lại" sends nothing, "Xác nhận" posts
the form. Screenshots: test-artifacts/screenshots/confirm-*."""
from playwright.sync_api import expect

from tests.browser_support import *
from tests.conftest import snapshot
from tests.scenarios import draft, drive_to


def test_withdraw_asks_in_a_dialog_and_going_back_changes_nothing(desks, sqlite_db, people, plan):
    n = draft(sqlite_db, people, plan, name="Lê Thị Hồng Vân")
    officer = desks("vtc.canbo")
    page = officer.page
    officer.go(f"/nominations/{n.id}")
    form = page.locator("#form-withdraw")
    form.get_by_label("Lý do rút hồ sơ").fill("Cá nhân xin rút để đề nghị năm sau")
    form.get_by_role("button", name="Rút hồ sơ").click()
    dialog = page.locator("dialog#confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".confirm-what")).to_have_text(
        "Rút hồ sơ đề nghị Bằng khen của Thủ tướng Chính phủ của Lê Thị Hồng Vân. Hồ sơ dừng lại, không "
        "trình tiếp được và không hoàn tác được. Lý do: Cá nhân xin rút để đề nghị năm sau")
    officer.shot("confirm-01-withdraw-dialog")
    dialog.get_by_role("button", name="Quay lại").click()
    expect(dialog).to_be_hidden()
    assert snapshot(sqlite_db, n.id)[:2] == ("draft", 1)

    form.get_by_role("button", name="Rút hồ sơ").click()
    dialog.get_by_role("button", name="Xác nhận").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã thực hiện")
    assert snapshot(sqlite_db, n.id)[0] == "withdrawn"
    assert officer.errors == []


def test_a_decision_asks_naming_its_number_and_is_recorded_once_confirmed(desks, sqlite_db, people, plan):
    n = draft(sqlite_db, people, plan, name="Trần Văn Bình", award="bang_khen_bo")
    drive_to(sqlite_db, people, n.id, "ministry_decision")
    leader = desks("bo.lanhdao")
    page = leader.page
    leader.go(f"/nominations/{n.id}")
    form = page.locator("#form-decide")
    form.get_by_label("Số quyết định").fill("88/QĐ-BKHCN")
    form.get_by_label("Ngày quyết định").fill("23/11/2026")
    form.get_by_role("button").click()
    dialog = page.locator("dialog#confirm-dialog")
    expect(dialog.locator(".confirm-what")).to_contain_text(
        "cho Trần Văn Bình theo quyết định số 88/QĐ-BKHCN ngày 23/11/2026")
    leader.shot("confirm-02-decision-dialog")
    dialog.get_by_role("button", name="Quay lại").click()
    assert snapshot(sqlite_db, n.id)[0] == "ministry_decision"

    form.get_by_role("button").click()
    dialog.get_by_role("button", name="Xác nhận").click()
    expect(page.locator(".flash-success")).to_be_visible()
    assert snapshot(sqlite_db, n.id)[0] == "awarded"
    assert leader.errors == []


def test_without_javascript_the_confirmation_is_a_page(browser, server, sqlite_db, people, plan):
    n = draft(sqlite_db, people, plan, name="Phạm Thị Dung")
    officer = Desk(browser, server)
    officer.context.close()
    officer.context = browser.new_context(locale="vi-VN", java_script_enabled=False)
    officer.page = officer.context.new_page()
    officer.login("vtc.canbo")
    page = officer.page
    officer.go(f"/nominations/{n.id}")
    page.locator("#form-withdraw").get_by_label("Lý do rút hồ sơ").fill("Chuyển công tác")
    page.locator("#form-withdraw").get_by_role("button", name="Rút hồ sơ").click()
    expect(page.locator("#confirm-what")).to_contain_text("của Phạm Thị Dung")
    officer.shot("confirm-03-withdraw-page")
    page.get_by_role("link", name="Quay lại").click()
    assert snapshot(sqlite_db, n.id)[:2] == ("draft", 1)
    page.locator("#form-withdraw").get_by_label("Lý do rút hồ sơ").fill("Chuyển công tác")
    page.locator("#form-withdraw").get_by_role("button", name="Rút hồ sơ").click()
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.locator(".flash-success")).to_be_visible()
    assert snapshot(sqlite_db, n.id)[0] == "withdrawn"
