"""Real people in real browsers (headless Chromium): a nomination from the officer's desk to the
minister's decision, fifty approvals at once, the language switch, and two people acting on one
nomination at the same time. Screenshots of the key pages go to test-artifacts/screenshots/."""
import re

from playwright.sync_api import expect

from tests.browser_support import *
from tests.conftest import snapshot
from tests.scenarios import draft, drive_to

STATE = "p.status-line .badge"


def open_from_inbox(desk, name: str):
    desk.page.get_by_role("link", name="Việc cần xử lý").click()
    desk.page.get_by_role("link", name=name).click()
    expect(desk.page.get_by_role("heading", level=1)).to_contain_text(name)


def officer_drafts_and_submits(officer) -> int:
    page = officer.page
    page.get_by_role("link", name="Hồ sơ đề nghị").click()
    page.get_by_role("link", name="Lập hồ sơ mới").click()
    page.get_by_label("Hình thức khen thưởng").select_option(label="Bằng khen của Bộ trưởng, Chủ tịch UBND tỉnh")
    page.get_by_label("Họ và tên / tên tập thể").fill("Vũ Thị Hồng Nhung")
    page.get_by_label("Chức vụ, đơn vị công tác").fill("Trưởng phòng Biên tập")
    page.get_by_label("Thành tích").fill("Hoàn thành xuất sắc nhiệm vụ năm 2026.\nChủ trì 2 sáng kiến cấp cơ sở.")
    officer.shot("01-officer-drafts")
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã lập hồ sơ")
    page.get_by_role("button", name="Trình", exact=True).click()
    expect(page.locator(STATE)).to_have_text("Hội đồng TĐKT xét")
    return int(re.search(r"/nominations/(\d+)$", page.url).group(1))


def secretary_records_the_vote(secretary) -> None:
    open_from_inbox(secretary, "Vũ Thị Hồng Nhung")
    form = secretary.page.locator("#form-vote")
    form.get_by_label("Tổng số thành viên Hội đồng").fill("11")
    form.get_by_label("Số tham dự (kể cả phiếu bằng văn bản)").fill("10")
    form.get_by_label("Số phiếu đồng ý").fill("9")
    form.get_by_label("Số phiếu không đồng ý").fill("1")
    secretary.shot("02-council-secretary-records-the-vote")
    form.get_by_role("button", name="Ghi kết quả bỏ phiếu").click()
    confirm_dialog(secretary.page)
    expect(secretary.page.locator(STATE)).to_have_text("Thủ trưởng đơn vị xét")
    expect(secretary.page.locator("dl.facts")).to_contain_text("9/11 thành viên đồng ý")


def reviewer_returns_with_a_reason(reviewer, db, nid: int) -> None:
    open_from_inbox(reviewer, "Vũ Thị Hồng Nhung")
    form = reviewer.page.locator("#form-return")
    form.get_by_role("button", name="Trả lại bổ sung").click()  # no reason: the browser asks for one
    assert snapshot(db, nid)[0] == "ministry_review"
    form.get_by_label("Lý do").fill("Đề nghị bổ sung biên bản họp Hội đồng có chữ ký.")
    form.get_by_role("button", name="Trả lại bổ sung").click()
    confirm_dialog(reviewer.page)
    expect(reviewer.page.locator(STATE)).to_have_text("Trả lại bổ sung")
    reviewer.shot("03-ministry-reviewer-returned-it")


def officer_reads_the_reason_and_resubmits(officer) -> None:
    page = officer.page
    page.reload()
    expect(page.locator("ol.timeline")).to_contain_text("Đề nghị bổ sung biên bản họp Hội đồng có chữ ký.")
    expect(page.locator(".route-diagram g.current")).to_have_attribute("data-state", "returned")
    page.locator("#form-resubmit").get_by_label("Ý kiến").fill("Đã bổ sung biên bản.")
    officer.shot("04-officer-resubmits")
    page.get_by_role("button", name="Trình lại").click()
    # The unit head who signed the tờ trình signs the supplemented one again.
    expect(page.locator(STATE)).to_have_text("Thủ trưởng đơn vị xét")


def minister_decides(leader) -> None:
    open_from_inbox(leader, "Vũ Thị Hồng Nhung")
    form = leader.page.locator("#form-decide")
    form.get_by_label("Số quyết định").fill("88/QĐ-BTTTT")
    form.get_by_label("Ngày quyết định").fill("23/11/2026")
    form.get_by_label("Ký thay (KT.)").fill("KT. BỘ TRƯỞNG")
    form.get_by_role("button", name="Quyết định khen thưởng").click()
    confirm_dialog(leader.page)
    expect(leader.page.locator(STATE)).to_have_text("Đã khen thưởng")
    expect(leader.page.locator(".route-diagram g.current")).to_have_attribute("data-state", "awarded")
    expect(leader.page.locator("dl.facts")).to_contain_text("Số 88/QĐ-BTTTT ngày 23/11/2026")
    leader.shot("05-minister-decided")


def test_a_nomination_goes_from_the_officer_to_the_ministers_decision(desks, sqlite_db):
    officer = desks("vtc.canbo")
    nid = officer_drafts_and_submits(officer)
    secretary = desks("vtc.hoidong")
    secretary_records_the_vote(secretary)
    head = desks("vtc.thutruong")
    open_from_inbox(head, "Vũ Thị Hồng Nhung")
    head.page.locator("#form-approve").get_by_role("button").click()
    expect(head.page.locator(STATE)).to_have_text("Bộ, ngành, tỉnh thẩm định")
    reviewer = desks("bo.chuyenvien")
    reviewer_returns_with_a_reason(reviewer, sqlite_db, nid)
    officer_reads_the_reason_and_resubmits(officer)
    open_from_inbox(head, "Vũ Thị Hồng Nhung")
    head.page.locator("#form-approve").get_by_role("button").click()
    expect(head.page.locator(STATE)).to_have_text("Bộ, ngành, tỉnh thẩm định")
    # The Vụ TĐKT appraises and recommends; the minister decides.
    open_from_inbox(reviewer, "Vũ Thị Hồng Nhung")
    reviewer.page.locator("#form-approve").get_by_role("button").click()
    expect(reviewer.page.locator(STATE)).to_have_text("Bộ, ngành, tỉnh quyết định")
    leader = desks("bo.lanhdao")
    minister_decides(leader)
    assert snapshot(sqlite_db, nid)[0] == "awarded"
    for desk in (officer, secretary, head, reviewer, leader):
        assert desk.errors == []  # no script error, no blocked inline style or script (CSP)


def test_the_ministry_reviewer_approves_fifty_nominations_in_one_go(desks, sqlite_db, people, plan):
    ids = []
    for i in range(50):
        n = draft(sqlite_db, people, plan, name=f"Nguyễn Văn Thứ {i + 1:02d}")
        drive_to(sqlite_db, people, n.id, "ministry_review")
        ids.append(n.id)
    reviewer = desks("bo.chuyenvien")
    page = reviewer.page
    expect(page.locator("input[name=ids]")).to_have_count(50)
    page.get_by_label("Chọn tất cả trên trang").check()
    expect(page.locator("input[name=ids]:checked")).to_have_count(50)
    reviewer.shot("06-inbox-fifty-selected")
    page.get_by_role("button", name="Đồng ý, trình cấp trên").click()
    expect(page.locator("p.summary")).to_have_text("Thành công 50 / 50 hồ sơ.")
    expect(page.locator("tr.ok")).to_have_count(50)
    reviewer.shot("07-bulk-approval-results")
    # Appraised: each goes to the ministry's council (Bằng khen Thủ tướng: its minutes).
    assert {snapshot(sqlite_db, i)[0] for i in ids} == {"ministry_council"}
    assert reviewer.errors == []


def test_the_language_switch_in_the_header(desks):
    visitor = desks()
    page = visitor.page
    visitor.go("/login")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    visitor.login("vtc.canbo")
    expect(page.get_by_role("heading", level=1)).to_have_text("My inbox")
    page.get_by_role("link", name="Plans").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_text("Taking nominations").first).to_be_visible()
    visitor.shot("08-plans-in-english")
    page.get_by_role("link", name="Tiếng Việt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kế hoạch thi đua, khen thưởng")
    assert visitor.errors == []


def test_a_second_browser_on_a_stale_page_gets_the_conflict_message(desks, sqlite_db, people, plan):
    n = draft(sqlite_db, people, plan, name="Đặng Quốc Bảo")
    drive_to(sqlite_db, people, n.id, "ministry_review")
    reviewer, leader = desks("bo.chuyenvien"), desks("bo.lanhdao")
    for desk in (reviewer, leader):
        desk.go(f"/nominations/{n.id}")
    reviewer.page.locator("#form-approve").get_by_role("button").click()
    expect(reviewer.page.locator(STATE)).to_have_text("Hội đồng TĐKT Bộ, ngành, tỉnh bỏ phiếu")
    after = snapshot(sqlite_db, n.id)
    form = leader.page.locator("#form-return")  # still showing the page as it was
    form.get_by_label("Lý do").fill("Thiếu xác nhận của Thủ trưởng.")
    form.get_by_role("button", name="Trả lại bổ sung").click()
    confirm_dialog(leader.page)
    expect(leader.page.locator("#conflict-message")).to_contain_text("Có người vừa xử lý hồ sơ này trước bạn")
    expect(leader.page.locator(STATE)).to_have_text("Hội đồng TĐKT Bộ, ngành, tỉnh bỏ phiếu")
    leader.shot("09-stale-page-conflict")
    assert snapshot(sqlite_db, n.id) == after


def test_the_inbox_works_without_javascript(browser, server, sqlite_db, people, plan):
    ids = []
    for i in range(2):
        n = draft(sqlite_db, people, plan, name=f"Không Script {i}")
        drive_to(sqlite_db, people, n.id, "ministry_review")
        ids.append(n.id)
    desk = Desk(browser, server)
    desk.context.close()
    desk.context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    desk.page = desk.context.new_page()
    try:
        desk.login("bo.chuyenvien")
        expect(desk.page.locator("#select-all")).to_be_hidden()
        desk.page.get_by_role("link", name="Chọn tất cả hồ sơ trên trang này").click()
        expect(desk.page.locator("input[name=ids]:checked")).to_have_count(2)
        desk.page.get_by_role("button", name="Đồng ý, trình cấp trên").click()
        expect(desk.page.locator("p.summary")).to_have_text("Thành công 2 / 2 hồ sơ.")
    finally:
        desk.close()
    assert {snapshot(sqlite_db, i)[0] for i in ids} == {"ministry_council"}


def test_the_overview_pages_render_cleanly(desks, sqlite_db, people, plan):
    n = draft(sqlite_db, people, plan)
    drive_to(sqlite_db, people, n.id, "ministry_review")
    reviewer = desks("bo.chuyenvien")
    for path, shot in (("/plans", "10-plans"), ("/dashboard", "11-dashboard"),
                       (f"/nominations/{n.id}", "12-nomination-page")):
        reviewer.go(path)
        reviewer.shot(shot)
    expect(reviewer.page.locator(".route-diagram g.current")).to_have_attribute("data-state", "ministry_review")
    admin = desks("admin")
    admin.go("/admin")
    admin.shot("13-admin-users")
    auditor = desks("kiemtra")
    auditor.go("/audit")
    expect(auditor.page.locator("table.audit tbody tr").first).to_be_visible()
    auditor.shot("14-audit-log")
    assert reviewer.errors == [] and admin.errors == [] and auditor.errors == []
