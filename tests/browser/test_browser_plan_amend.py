"""An issued plan amended in a real browser ("Sửa đổi kế hoạch"): the form pre-filled, the reason
asked, a confirmation naming how many reports move and are no longer owed, then the plan page
listing the amendment; the plan shows the central plan it answers, linked, and the central plan
lists it. Screenshots go to test-artifacts/screenshots/."""
from datetime import UTC, datetime

from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser_support import *
from workflow.models import User
from workflow.plans import service as plans

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def test_an_issued_plan_is_amended_in_the_browser(desks, sqlite_db):
    with sqlite_db.read() as s:
        users = {u.username: u.id for u in s.execute(select(User)).scalars()}
    top = plans.create_plan(sqlite_db, users["tw.chuyenvien"], {
        "number": "791/KH-BTĐKT", "title": "Kế hoạch phát động thi đua toàn quốc năm 2027", "kind": "thematic",
        "issued_on": "2026-11-20", "milestones": []}, now=NOW)
    plan = plans.create_plan(sqlite_db, users["tinh.chuyenvien"], {
        "number": "61/KH-UBND", "title": "Kế hoạch hưởng ứng phong trào thi đua năm 2027", "kind": "thematic",
        "issued_on": "2026-11-21", "parent_plan_id": top["id"],
        "milestones": [{"text": "trước ngày 15/12/2026", "purpose": "report", "binds": "Các Sở, ban, ngành",
                        "description": "Báo cáo kết quả"},
                       {"text": "trước ngày 20/12/2026", "purpose": "report", "binds": "UBND các xã, phường",
                        "description": "Báo cáo của cấp xã"}]}, now=NOW)
    reviewer = desks("tinh.chuyenvien")
    page = reviewer.page
    reviewer.go(f"/plans/{plan['id']}")
    expect(page.locator("#plan-parent")).to_contain_text("791/KH-BTĐKT")
    page.get_by_role("link", name="Sửa đổi kế hoạch").click()
    expect(page.get_by_label("Thời hạn 1", exact=True)).to_have_value("trước ngày 15/12/2026")
    page.get_by_label("Thời hạn 1", exact=True).fill("trước ngày 31/12/2026")
    page.get_by_label("Thời hạn 2", exact=True).fill("")
    page.get_by_label("Lý do sửa đổi").fill("Lùi hạn báo cáo theo Công văn số 20/UBND-NV")
    reviewer.shot("plans-amend-01-form")
    page.get_by_role("button", name="Xem những gì sẽ thay đổi").click()
    expect(page.locator("#amend-obligations")).to_contain_text(
        "2 báo cáo đổi hạn nộp, 0 báo cáo được giao thêm, 1 báo cáo không còn phải nộp")
    expect(page.locator("#amend-fields")).to_contain_text("Mốc thời gian")
    reviewer.shot("plans-amend-02-confirm")
    page.get_by_role("button", name="Xác nhận sửa đổi").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã sửa đổi kế hoạch (phiên bản 2).")
    expect(page.locator("#amendments")).to_contain_text("Lùi hạn báo cáo theo Công văn số 20/UBND-NV")
    expect(page.locator("#amendments")).to_contain_text("Bùi Thị Huyền")
    reviewer.shot("plans-amend-03-plan-page")
    assert reviewer.errors == []

    central = desks("tw.chuyenvien")
    central.go(f"/plans/{top['id']}")
    expect(central.page.locator("#plan-children")).to_contain_text("61/KH-UBND")
    central.page.locator("#plan-children").get_by_role("link", name="61/KH-UBND").click()
    expect(central.page.locator("h1")).to_have_text("Kế hoạch hưởng ứng phong trào thi đua năm 2027")
    central.shot("plans-amend-04-answer")
