"""The administrator keeps the award catalogue in a real browser: adds an award type through the
form and sees it listed with its steps, a unit nominates under it, a changed time limit publishes
version 2 while the nomination in flight keeps version 1, and the migration page's dry run lists
that nomination and where it would land. Screenshots go to test-artifacts/screenshots/."""
import re

from playwright.sync_api import expect

from tests.browser_support import *
from tests.scenarios import act, draft
from workflow.models import Nomination

CODE = "giay_khen_cong_doan"
NAME = "Giấy khen của Ban Chấp hành Công đoàn Tổng công ty"


def test_the_admin_adds_an_award_type_changes_a_time_limit_and_dry_runs_the_migration(
        desks, sqlite_db, people, plan):
    admin = desks("admin")
    admin.go("/admin/awards")
    expect(admin.page.locator("table.data")).to_contain_text("Bằng khen của Thủ tướng Chính phủ")
    admin.page.get_by_role("link", name="Thêm hình thức khen thưởng").click()
    expect(admin.page.get_by_role("heading", level=1)).to_have_text("Thêm hình thức khen thưởng")
    page = admin.page
    page.get_by_label("Mã (chữ thường không dấu, số, dấu gạch dưới)").fill(CODE)
    page.get_by_label("Tên tiếng Việt").fill(NAME)
    page.get_by_label("Tên tiếng Anh").fill("Certificate of Merit of the Trade Union")
    page.get_by_label("Đối tượng").select_option(label="Cá nhân và tập thể")
    page.get_by_label("Người quyết định (ghi trên quyết định)").fill("Chủ tịch Công đoàn Tổng công ty")
    page.get_by_label("Cấp của bước 1", exact=True).select_option("unit")
    page.get_by_label("Loại bước 1", exact=True).select_option("vote")
    page.get_by_label("Thời hạn bước 1", exact=True).fill("10")
    page.get_by_label("Tỷ lệ đồng ý bước 1", exact=True).fill("50")
    page.get_by_label("Cấp của bước 2", exact=True).select_option("unit")
    page.get_by_label("Loại bước 2", exact=True).select_option("decide")
    page.get_by_label("Thời hạn bước 2", exact=True).fill("5")
    page.get_by_label("Căn cứ pháp lý").fill("Luật TĐKT 2022 Điều 75, 80; quy chế khen thưởng của Công đoàn")
    page.get_by_label("Báo cáo thành tích").check()
    admin.shot("catalogue-01-new-award")
    page.get_by_role("button", name="Thêm", exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text(f"Đã thêm hình thức khen thưởng {CODE} (phiên bản 1)")
    expect(page.get_by_role("heading", level=1)).to_contain_text("phiên bản 1")

    admin.go("/admin/awards")
    row = page.locator("table.data tbody tr", has_text=NAME)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Chủ tịch Công đoàn Tổng công ty")
    expect(row).to_contain_text(re.compile(r"Hội đồng TĐKT.* → .*"))
    expect(row.locator("td.num")).to_have_text("1")
    admin.shot("catalogue-02-listed")

    # A unit nominates under version 1 (no code change); the nomination waits at its council.
    n = act(sqlite_db, people, "vtc.canbo", draft(sqlite_db, people, plan, award=CODE, name="Phạm Thị Hoa").id,
            "submit")
    assert (n.state, n.definition_version) == ("council_review", 1)

    row.get_by_role("link", name=NAME).click()
    expect(page.get_by_label("Thời hạn bước 1", exact=True)).to_have_value("10")
    page.get_by_label("Thời hạn bước 1", exact=True).fill("7")
    admin.shot("catalogue-03-edit-time-limit")
    page.get_by_role("button", name="Ban hành phiên bản mới").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã ban hành phiên bản 2")
    expect(page.get_by_role("heading", level=1)).to_contain_text("phiên bản 2")
    expect(page.get_by_label("Thời hạn bước 1", exact=True)).to_have_value("7")
    with sqlite_db.read() as s:
        assert s.get(Nomination, n.id).definition_version == 1  # in flight: it keeps its version

    page.get_by_role("link", name="Chuyển hồ sơ đang xét sang phiên bản khác").click()
    expect(page.get_by_label("Từ phiên bản")).to_have_value("1")
    expect(page.get_by_label("Sang phiên bản")).to_have_value("2")
    page.get_by_role("button", name="Chạy thử").click()
    table = page.locator("table.data")
    expect(table.locator("caption")).to_contain_text("Kết quả chạy thử: 1 hồ sơ sẽ được chuyển, 0 hồ sơ giữ phiên bản cũ")
    result = table.locator("tbody tr")
    expect(result).to_have_count(1)
    expect(result.first).to_contain_text(f"#{n.id}")
    expect(result.first.locator("td").nth(1)).to_have_text(re.compile("Hội đồng TĐKT"))
    expect(page.get_by_label(re.compile("Tôi xác nhận chuyển"))).to_be_visible()
    admin.shot("catalogue-04-dry-run")
    with sqlite_db.read() as s:
        assert s.get(Nomination, n.id).definition_version == 1  # a dry run moves nothing
    assert not admin.errors
