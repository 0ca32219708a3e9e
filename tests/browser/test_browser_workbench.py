"""The workbench in real browsers (headless Chromium), at a desk (1366 px) and on a phone (390 px):
the ministry reviewer finds one person among sixty by a name typed without diacritics, sorts,
pages, acts on every matching row after a confirmation; the council secretary records the
tally of a 400-name tờ trình in a handful of inputs; the keyboard moves along the list; at 390 px
no page is wider than the phone. Screenshots go to test-artifacts/screenshots/ (workbench-*)."""
import re

from playwright.sync_api import expect
from sqlalchemy import select

from workflow.dossiers import importing, review, service as dossiers
from workflow.models import Nomination, Plan
from tests.browser_support import *
from tests.conftest import NOW, snapshot
from tests.integration.test_dossier_lifecycle import person_row, workbook

PHONE = {"width": 390, "height": 844}
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà"]


def names(n: int) -> list[str]:
    return [f"{FAMILY[i % 10]} Văn {GIVEN[i % 6]} {i + 1:03d}" for i in range(n)]


def dossier_of(db, people, plan, people_names, number="45/TTr-VTC") -> tuple[int, list[int]]:
    """A VTC tờ trình of these people, imported from Excel and submitted to the council."""
    d = dossiers.create_dossier(db, people["vtc.canbo"], plan_id=plan, number=number, now=NOW)
    rows = [person_row(i + 1, name) for i, name in enumerate(people_names)]
    out = importing.import_list(db, people["vtc.canbo"], d.id, workbook(rows), filename="danh-sach.xlsx", now=NOW)
    review.submit_dossier(db, people["vtc.canbo"], d.id, now=NOW)
    return d.id, out.nomination_ids


def at_the_ministry(db, people, plan, people_names) -> tuple[int, list[int]]:
    """The tờ trình voted and forwarded by the unit head: every nominee waits for the ministry."""
    did, ids = dossier_of(db, people, plan, people_names)
    review.record_council_votes(db, people["vtc.hoidong"], did, {
        "members": 15, "present": 15, "results": [{"nomination_id": i, "yes": 15, "no": 0} for i in ids]}, now=NOW)
    review.review_dossier(db, people["vtc.thutruong"], did, {"action": "approve", "all": True}, now=NOW)
    return did, ids


def phone(browser, server, username: str) -> Desk:
    desk = Desk(browser, server)
    desk.context.close()
    desk.context = browser.new_context(locale="vi-VN", viewport=PHONE, is_mobile=True, has_touch=True)
    desk.page = desk.context.new_page()
    desk.page.on("pageerror", lambda e: desk.errors.append(str(e)))
    desk.login(username)
    return desk


def test_the_reviewer_finds_sorts_pages_and_approves_every_matching_row(desks, sqlite_db, people, plan):
    listed = names(59) + ["Vũ Thị Hồng Nhung"]
    _did, ids = at_the_ministry(sqlite_db, people, plan, listed)
    reviewer = desks("bo.chuyenvien")
    page = reviewer.page
    expect(page.locator("#list-total")).to_have_text("Hiển thị 1–50 trong tổng số 60 hồ sơ")
    expect(page.locator("nav.page-numbers [aria-current=page]")).to_have_text("1")

    # Typed on a phone keyboard, without diacritics: one row.
    page.get_by_label("Tìm kiếm").fill("vu thi hong nhung")
    page.get_by_role("button", name="Tìm, lọc").click()
    expect(page.locator("table.inbox tbody tr")).to_have_count(1)
    expect(page.locator("table.inbox tbody tr a.row-link")).to_have_text("Vũ Thị Hồng Nhung")
    expect(page.locator("#list-total")).to_have_text("Hiển thị 1–1 trong tổng số 1 hồ sơ")
    reviewer.shot("workbench-01-search-without-diacritics")

    # Sort by name, then reverse it: the order is the names' order without diacritics.
    page.get_by_role("link", name="Bỏ lọc").click()
    page.locator("th a.sort-link", has_text="Người/tập thể được đề nghị").click()
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("Người/tập thể")
    first = page.locator("table.inbox tbody tr a.row-link").first
    expect(first).to_have_text("Bùi Văn Bình 008")
    page.locator("th a.sort-link", has_text="Người/tập thể được đề nghị").click()
    expect(page.locator("th[aria-sort=descending]")).to_contain_text("Người/tập thể")
    expect(page.locator("table.inbox tbody tr a.row-link").first).to_have_text("Vũ Văn Hà 036")
    page.get_by_role("link", name="Trang 2").click()
    expect(page.locator("table.inbox tbody tr")).to_have_count(10)
    expect(page.locator("#list-total")).to_have_text("Hiển thị 51–60 trong tổng số 60 hồ sơ")
    reviewer.shot("workbench-02-sorted-page-2")

    # Every matching row (both pages), after a confirmation naming how many.
    page.get_by_label(re.compile("Áp dụng cho cả 60 hồ sơ khớp bộ lọc")).check()
    page.get_by_role("button", name="Đồng ý, trình cấp trên").click()
    expect(page.locator(".confirm-what")).to_have_text("Bạn sắp thực hiện “Đồng ý, trình cấp trên” cho 60 hồ sơ.")
    assert {snapshot(sqlite_db, i)[0] for i in ids} == {"ministry_review"}  # nothing done yet
    reviewer.shot("workbench-03-confirm-every-matching-row")
    page.get_by_role("button", name="Xác nhận Đồng ý, trình cấp trên 60 hồ sơ").click()
    expect(page.locator("p.summary")).to_have_text("Thành công 60 / 60 hồ sơ.")
    assert {snapshot(sqlite_db, i)[0] for i in ids} == {"ministry_council"}  # the appraisal forwards to the ministry council
    assert reviewer.errors == []


def test_a_rejection_is_confirmed_first_and_a_cancel_changes_nothing(desks, sqlite_db, people, plan):
    _did, ids = at_the_ministry(sqlite_db, people, plan, ["Ngô Thanh Hương", "Đỗ Minh Quân"])
    before = [snapshot(sqlite_db, i) for i in ids]
    reviewer = desks("bo.chuyenvien")
    page = reviewer.page
    page.get_by_label("Chọn tất cả trên trang").check()
    page.get_by_label(re.compile("^Lý do")).fill("Chưa đủ thời gian công tác theo Điều 74 Luật TĐKT 2022.")
    page.get_by_role("button", name="Không đề nghị", exact=True).click()
    expect(page.locator(".confirm-what")).to_contain_text("cho 2 hồ sơ")
    expect(page.get_by_text("Thao tác này kết thúc hồ sơ và không hoàn tác được.")).to_be_visible()
    page.get_by_role("link", name="Huỷ, quay lại").click()
    expect(page.locator("table.inbox tbody tr")).to_have_count(2)
    assert [snapshot(sqlite_db, i) for i in ids] == before
    assert reviewer.errors == []


def test_the_keyboard_searches_moves_and_ticks(desks, sqlite_db, people, plan):
    at_the_ministry(sqlite_db, people, plan, ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"])
    reviewer = desks("bo.chuyenvien")
    page = reviewer.page
    expect(page.locator("#list-total")).to_have_text("Hiển thị 1–3 trong tổng số 3 hồ sơ")
    page.wait_for_load_state("load")
    page.keyboard.press("/")
    expect(page.get_by_label("Tìm kiếm")).to_be_focused()
    page.keyboard.type("tran thi")
    page.keyboard.press("Enter")
    expect(page.locator("table.inbox tbody tr")).to_have_count(1)
    page.get_by_label("Tìm kiếm").blur()
    page.keyboard.press("j")
    expect(page.locator("tr.kb-current a.row-link")).to_have_text("Trần Thị Bình")
    page.keyboard.press("x")
    expect(page.locator("tr.kb-current input[name=ids]")).to_be_checked()
    page.keyboard.press("o")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Trần Thị Bình")
    assert reviewer.errors == []


def test_the_council_records_a_400_name_list_in_a_few_inputs(desks, sqlite_db, people, plan):
    listed = names(400)
    did, ids = dossier_of(sqlite_db, people, plan, listed)
    secretary = desks("vtc.hoidong")
    page = secretary.page
    secretary.go(f"/dossiers/{did}")
    # The table is paged: 50 of 400 rows; searched without diacritics within the list.
    expect(page.locator("table.nominees tbody tr")).to_have_count(50)
    expect(page.locator("#list-total")).to_have_text("Hiển thị 1–50 trong tổng số 400 người/tập thể")
    form = page.locator("#form-votes")
    inputs = 0
    for label, value in (("Tổng số thành viên Hội đồng", "15"), ("Số tham dự (kể cả phiếu bằng văn bản)", "14"),
                         ("Số phiếu đồng ý (mọi người)", "14"), ("Số phiếu không đồng ý (mọi người)", "0")):
        form.get_by_label(label).fill(value)
        inputs += 1
    # One exception typed apart: 7 of 15 is not more than half.
    form.locator("details.tally-rows summary").click()
    expect(form.locator("table.tally tbody tr").first).to_contain_text("quá nửa tổng số thành viên")  # not "≥ 50 %"
    form.get_by_label(f"Số phiếu đồng ý cho {listed[4]}").fill("7")
    form.get_by_label(f"Số phiếu không đồng ý cho {listed[4]}").fill("7")
    inputs += 2
    secretary.shot("workbench-04-tally-for-the-whole-list")
    form.get_by_role("button", name="Ghi kết quả phiên họp").click()
    confirm_dialog(page)
    expect(page.locator(".flash-success")).to_contain_text("Không đạt: 1")
    inputs += 1
    assert inputs < 10
    states = [snapshot(sqlite_db, i)[0] for i in ids]
    assert states.count("unit_review") == 399 and states[4] == "rejected"

    # The unit head finds people of one family on the list and forwards all of them, both pages.
    head = desks("vtc.thutruong")
    head.go(f"/dossiers/{did}?q=nguyen")
    expect(head.page.locator("#list-total")).to_have_text("Hiển thị 1–40 trong tổng số 40 người/tập thể")
    head.page.locator("th a.sort-link", has_text="Người/tập thể được đề nghị").click()
    expect(head.page.locator("table.nominees tbody tr a.row-link").first).to_have_text("Nguyễn Văn An 001")
    assert secretary.errors == [] and head.errors == []


def test_at_390_px_no_page_is_wider_than_the_phone(browser, server, sqlite_db, people, plan):
    did, ids = at_the_ministry(sqlite_db, people, plan, names(12) + ["Vũ Thị Hồng Nhung Nguyễn Phương Thảo"])
    with sqlite_db.read() as s:
        plan_id = s.execute(select(Plan.id).order_by(Plan.id)).scalars().first()
        assert s.execute(select(Nomination.search_key).where(Nomination.id == ids[-1])).scalar_one() == \
            "vu thi hong nhung nguyen phuong thao"
    reviewer = phone(browser, server, "bo.chuyenvien")
    auditor = phone(browser, server, "kiemtra")
    try:
        for desk, path, shot in ((reviewer, "/inbox", "inbox"), (reviewer, "/nominations", "nominations"),
                                 (reviewer, f"/dossiers/{did}", "dossier"), (reviewer, f"/plans/{plan_id}", "plan"),
                                 (reviewer, f"/nominations/{ids[0]}", "nomination"), (auditor, "/audit", "audit")):
            desk.go(path)
            width = desk.page.evaluate("document.documentElement.scrollWidth")
            desk.shot(f"workbench-phone-{shot}")
            assert width <= PHONE["width"], (path, width)
        # The header takes little of the first screen; list rows are cards with their labels.
        reviewer.go("/inbox")
        header = reviewer.page.locator("header.site-header").bounding_box()
        assert header and header["height"] < PHONE["height"] * 0.25, header
        cell = reviewer.page.locator("table.inbox tbody tr").first.locator("td[data-label='Hình thức']")
        assert cell.evaluate("e => getComputedStyle(e).display") == "block"
        assert reviewer.errors == [] and auditor.errors == []
    finally:
        reviewer.close()
        auditor.close()


def test_the_leader_assigns_a_tờ_trình_and_the_specialist_finds_it(desks, sqlite_db, people, plan):
    did, ids = at_the_ministry(sqlite_db, people, plan, ["Ngô Thanh Hương", "Đỗ Minh Quân"])
    leader = desks("bo.lanhdao")
    leader.go(f"/dossiers/{did}")
    form = leader.page.locator("#form-assign")
    form.get_by_label("Giao cho chuyên viên").select_option(label="Đỗ Thị Lan")
    form.get_by_role("button", name="Phân công").click()
    expect(leader.page.locator(".flash-success")).to_have_text("Đã giao hồ sơ cho Đỗ Thị Lan xử lý.")
    expect(leader.page.locator("#assignee")).to_have_text("Đỗ Thị Lan")
    leader.shot("workbench-05-assigned")
    reviewer = desks("bo.chuyenvien")
    reviewer.page.get_by_label("Chỉ hồ sơ giao cho tôi").check()
    reviewer.page.get_by_role("button", name="Tìm, lọc").click()
    expect(reviewer.page.locator("#list-total")).to_have_text("Hiển thị 1–2 trong tổng số 2 hồ sơ")
    assert leader.errors == [] and reviewer.errors == []


def test_a_comment_thread_between_the_ministry_and_the_unit(desks, sqlite_db, people, plan):
    _did, ids = at_the_ministry(sqlite_db, people, plan, ["Vũ Thị Hồng Nhung"])
    reviewer = desks("bo.chuyenvien")
    reviewer.go(f"/nominations/{ids[0]}")
    reviewer.page.get_by_label("Ý kiến của bạn").fill("Đề nghị bổ sung bản sao Bằng khen năm 2024.")
    reviewer.page.get_by_role("button", name="Gửi ý kiến").click()
    expect(reviewer.page.locator(".flash-success")).to_have_text("Đã gửi ý kiến.")
    officer = desks("vtc.canbo")
    officer.go(f"/nominations/{ids[0]}")
    thread = officer.page.locator("#comments .comment")
    expect(thread).to_have_count(1)
    expect(thread.first).to_contain_text("Đỗ Thị Lan")
    officer.page.get_by_label("Ý kiến của bạn").fill("Đơn vị đã bổ sung.")
    officer.page.get_by_role("button", name="Gửi ý kiến").click()
    expect(officer.page.locator("#comments .comment")).to_have_count(2)
    expect(officer.page.locator("#comments .comment").last).to_contain_text("Đơn vị đã bổ sung.")
    officer.shot("workbench-06-comment-thread")
    assert reviewer.errors == [] and officer.errors == []


def test_the_minister_delegates_and_the_stand_in_decides_with_kt(desks, sqlite_db, people, plan):
    from tests.scenarios import draft, drive_to
    from workflow.models import User
    with sqlite_db.read() as s:
        minister = s.execute(select(User.full_name).where(User.username == "bo.lanhdao")).scalar_one()
    n = draft(sqlite_db, people, plan, award="bang_khen_bo", name="Hoàng Văn Em")
    drive_to(sqlite_db, people, n.id, "ministry_decision")  # appraised: the minister decides
    leader = desks("bo.lanhdao")
    leader.page.get_by_role("link", name="Ủy quyền").click()
    form = leader.page.locator("#form-delegate")
    form.get_by_label("Người được ủy quyền").select_option(label="Đỗ Thị Lan")
    form.get_by_label("Từ ngày (dd/mm/yyyy)").fill("23/11/2026")
    form.get_by_label("Đến hết ngày (dd/mm/yyyy)").fill("30/11/2026")
    form.get_by_role("button", name="Ủy quyền").click()
    expect(leader.page.locator(".flash-success")).to_have_text(
        "Đã ủy quyền cho Đỗ Thị Lan ký thay từ 23/11/2026 đến 30/11/2026.")
    expect(leader.page.locator("#delegations tbody tr").first).to_contain_text("Đang hiệu lực")
    leader.shot("workbench-07-delegation")

    stand_in = desks("bo.chuyenvien")
    stand_in.go(f"/nominations/{n.id}")
    decide = stand_in.page.locator("#form-decide")
    decide.get_by_label("Số quyết định").fill("91/QĐ-BTTTT")
    decide.get_by_label("Ngày quyết định").fill("23/11/2026")
    decide.get_by_role("button", name="Quyết định khen thưởng").click()
    confirm_dialog(stand_in.page)
    expect(stand_in.page.locator("p.status-line .badge")).to_have_text("Đã khen thưởng")
    expect(stand_in.page.locator("ol.timeline")).to_contain_text("bo.chuyenvien")
    expect(stand_in.page.locator("ol.timeline")).to_contain_text(f"KT. {minister}")
    stand_in.shot("workbench-08-decided-kt")
    assert snapshot(sqlite_db, n.id)[0] == "awarded"
    assert leader.errors == [] and stand_in.errors == []


def test_the_stand_in_decides_the_ministers_waiting_nominations_in_bulk_from_the_inbox(desks, sqlite_db, people, plan):
    from tests.scenarios import draft, drive_to
    from workflow.models import AuditEvent, User
    from workflow.workbench import delegation
    with sqlite_db.read() as s:
        minister = s.execute(select(User.full_name).where(User.username == "bo.lanhdao")).scalar_one()
        lan = s.execute(select(User.id).where(User.username == "bo.chuyenvien")).scalar_one()
    ids = []
    for name in ("Hoàng Văn Em", "Lý Thị Giang"):
        n = draft(sqlite_db, people, plan, award="bang_khen_bo", name=name)
        drive_to(sqlite_db, people, n.id, "ministry_decision")
        ids.append(n.id)
    delegation.create_delegation(sqlite_db, people["bo.lanhdao"], {"to_user_id": lan, "from": "2026-11-23",
                                                                  "until": "2026-11-30"}, now=NOW)
    stand_in = desks("bo.chuyenvien")
    stand_in.go("/inbox")
    stand_in.page.get_by_label("Chọn tất cả trên trang").check()
    stand_in.page.get_by_label("Số quyết định").fill("92/QĐ-BTTTT")
    stand_in.page.get_by_label("Ngày quyết định (dd/mm/yyyy)").fill("23/11/2026")
    stand_in.page.get_by_role("button", name="Quyết định khen thưởng").first.click()
    stand_in.page.get_by_role("button", name=re.compile("^Xác nhận")).click()
    expect(stand_in.page.locator("main")).to_contain_text("Hoàng Văn Em")
    stand_in.shot("workbench-09-stand-in-bulk-decide")
    assert [snapshot(sqlite_db, i)[0] for i in ids] == ["awarded", "awarded"]
    with sqlite_db.read() as s:
        recorded = {(e.actor, e.on_behalf_of) for e in s.execute(select(AuditEvent).where(
            AuditEvent.action == "decide", AuditEvent.nomination_id.in_(ids))).scalars()}
    assert recorded == {("bo.chuyenvien", f"KT. {minister}")}
    assert stand_in.errors == []


def test_the_next_actor_sees_a_notification_in_the_header(desks, sqlite_db, people, plan):
    secretary = desks("vtc.hoidong")
    before = secretary.page.locator("#bell .bell-count")
    count = int(before.inner_text()) if before.count() else 0
    dossier_of(sqlite_db, people, plan, ["Phan Văn Mới"], number="47/TTr-VTC")  # submitted to the council
    secretary.go("/inbox")
    expect(secretary.page.locator("#bell .bell-count")).to_have_text(str(count + 1))
    secretary.page.locator("#bell").click()
    expect(secretary.page.locator(".notice.unread").first).to_contain_text("Phan Văn Mới")
    secretary.shot("workbench-09-notifications")
    secretary.page.get_by_role("button", name="Đánh dấu tất cả đã đọc").click()
    expect(secretary.page.locator(".notice.unread")).to_have_count(0)
    expect(secretary.page.locator("#bell .bell-count")).to_have_count(0)
    assert secretary.errors == []
