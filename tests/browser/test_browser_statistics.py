"""The yearly statistics in a real browser (headless Chromium): a ministry reviewer at a desk
(1366 px) reads the charts, clicks a bar and lands on the list of exactly those awards; on a
phone (390 px) the page is no wider than the screen and the table is cards."""
import re

from playwright.sync_api import expect

from tests.browser_support import *
from tests.statistics_support import make_awards

PHONE = {"width": 390, "height": 844}


def test_the_statistics_page_at_a_desk_and_on_a_phone(browser, server, desks, sqlite_db, people, plan):
    made = make_awards(sqlite_db, people, plan)
    bo = [m for m in made if m.unit == "vtc" and m.decided.year == 2026]
    desk = desks("bo.chuyenvien")
    page = desk.page
    page.get_by_role("link", name="Thống kê").first.click()
    page.get_by_label("Năm", exact=True).select_option("2026")
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("#kpi-awarded")).to_have_text(str(len(bo)))
    expect(page.locator("#chart-awards-cap")).to_have_text("Số được khen thưởng theo hình thức")
    desk.shot("statistics-desk")
    page.locator("figure.chart").first.locator("svg a").first.click()
    expect(page.locator("#list-total")).to_have_text(re.compile(r"trong tổng số \d+ hồ sơ"))
    shown = int(re.search(r"tổng số (\d+)", page.locator("#list-total").inner_text()).group(1))
    assert shown in {sum(m.award == a for m in bo) for a in {m.award for m in bo}}
    assert desk.errors == []

    phone = Desk(browser, server)
    phone.context.close()
    phone.context = browser.new_context(locale="vi-VN", viewport=PHONE, is_mobile=True, has_touch=True)
    phone.page = phone.context.new_page()
    try:
        phone.login("bo.chuyenvien")
        phone.go("/thong-ke?year=2026")
        width = phone.page.evaluate("document.documentElement.scrollWidth")
        phone.shot("statistics-phone")
        assert width <= PHONE["width"], width
        cell = phone.page.locator("table.stats-table tbody tr").first.locator("td[data-label='Được khen thưởng']")
        assert cell.evaluate("e => getComputedStyle(e).display") == "block"
    finally:
        phone.close()
