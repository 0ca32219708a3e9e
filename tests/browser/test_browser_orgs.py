"""The administrator sets up the office in a real browser: a commune added under the province
with its council's roster, the merged ministry found by its old name, a day off that moves an
open due date; the commune's secretary sees the roster's size on the vote form.
Screenshots go to test-artifacts/screenshots/."""
from playwright.sync_api import expect

from tests.browser_support import *
from tests.scenarios import act, draft


def test_the_admin_adds_a_commune_with_its_council_and_finds_the_merged_ministry(desks):
    admin = desks("admin")
    admin.go("/admin/orgs")
    expect(admin.page.get_by_role("heading", name="Cơ cấu tổ chức")).to_be_visible()
    expect(admin.page.locator("table.org-tree")).to_contain_text("Bộ Khoa học và Công nghệ")
    admin.page.get_by_label("Tên", exact=True).fill("UBND xã Tân Cương")
    admin.page.get_by_label("Loại").select_option(label="Xã, phường, đặc khu")
    admin.page.get_by_label("Trực thuộc").select_option(label="— UBND tỉnh Thái Nguyên (Sở Nội vụ - Ban Thi đua - Khen thưởng)")
    admin.shot("orgs-01-add-commune")
    admin.page.get_by_role("button", name="Thêm", exact=True).click()
    expect(admin.page.locator(".flash-success")).to_contain_text("Đã thêm UBND xã Tân Cương")
    expect(admin.page.get_by_role("heading", level=1)).to_have_text("UBND xã Tân Cương")
    for i, (name, role) in enumerate((("Đinh Văn An", "Chủ tịch Hội đồng"), ("Mai Văn Cường", "Thư ký (ủy viên thường trực)"),
                                      ("Tạ Thị Dung", "Ủy viên"))):
        admin.page.get_by_label(f"Thành viên {i + 1}", exact=True).fill(name)
        admin.page.get_by_label(f"Chức danh của thành viên {i + 1}", exact=True).select_option(label=role)
    admin.page.get_by_role("button", name="Lưu danh sách Hội đồng").click()
    expect(admin.page.locator(".flash-success")).to_contain_text("3 thành viên")
    expect(admin.page.get_by_text("Số thành viên theo danh sách: 3")).to_be_visible()
    admin.shot("orgs-02-commune-council")

    admin.go("/admin/orgs")
    admin.page.get_by_label("Tìm theo tên (cả tên cũ)").fill("thong tin va truyen thong")
    admin.page.get_by_role("button", name="Tìm").click()
    rows = admin.page.locator("table.org-tree tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Bộ Thông tin và Truyền thông")
    expect(rows.first).to_contain_text("Đến 28/02/2025")
    admin.shot("orgs-03-search-old-name")
    rows.first.get_by_role("link", name="Bộ Thông tin và Truyền thông").click()
    expect(admin.page.locator("dl.facts")).to_contain_text("Bộ Khoa học và Công nghệ")
    assert not admin.errors


def test_a_day_off_on_the_calendar_page_moves_an_open_due_date(desks, sqlite_db, people, plan):
    n = act(sqlite_db, people, "vtc.canbo", draft(sqlite_db, people, plan, name="Lý Thị Mai").id, "submit")
    assert n.due_at.strftime("%d/%m/%Y") == "08/12/2026"
    admin = desks("admin")
    admin.go("/admin/calendar")
    expect(admin.page.get_by_role("heading", name="Lịch làm việc")).to_be_visible()
    admin.page.get_by_label("Ngày", exact=True).fill("01/12/2026")
    admin.page.get_by_label("Loại điều chỉnh").select_option(label="Ngày nghỉ bổ sung")
    admin.page.get_by_label("Ghi chú").fill("Nghỉ bù theo thông báo của Chính phủ")
    admin.page.get_by_role("button", name="Thêm", exact=True).click()
    expect(admin.page.locator(".flash-success")).to_contain_text("1 hạn xử lý được tính lại")
    expect(admin.page.locator("table.data")).to_contain_text("01/12/2026")
    admin.shot("calendar-01-day-off")
    officer = desks("vtc.canbo")
    officer.go(f"/nominations/{n.id}")
    expect(officer.page.locator("body")).to_contain_text("09/12/2026")
    officer.shot("calendar-02-due-date-moved")


def test_the_communes_secretary_sees_the_rosters_size_on_the_vote_form(desks, sqlite_db, people, plan):
    n = act(sqlite_db, people, "xa.canbo", draft(sqlite_db, people, plan, award="giay_khen", officer="xa.canbo",
                                                  name="Hà Thị Lan").id, "submit")
    secretary = desks("xa.hoidong")
    secretary.go(f"/nominations/{n.id}")
    form = secretary.page.locator("#form-vote")
    expect(form.locator(".council-size")).to_contain_text("Hội đồng có 7 thành viên theo danh sách")
    expect(form.get_by_label("Tổng số thành viên Hội đồng")).to_have_count(0)
    form.get_by_label("Số tham dự (kể cả phiếu bằng văn bản)").fill("6")
    form.get_by_label("Số phiếu đồng ý").fill("5")
    form.get_by_label("Số phiếu không đồng ý").fill("1")
    secretary.shot("orgs-04-vote-with-roster")
    form.get_by_role("button").click()
    confirm_dialog(secretary.page)  # the council's result is irreversible: asked first
    expect(secretary.page.locator("dl")).to_contain_text("5/7 thành viên đồng ý")
