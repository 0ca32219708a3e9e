"""A dossier (tờ trình) in real browsers (headless Chromium), from the unit officer's Excel list
to the central leader's decision: the officer builds the dossier and imports the list (a wrong
file first), submits; the council secretary records the tally for the whole list; the unit head
selects all and approves; the ministry's reviewer appraises, its council votes the list, the
reviewer drafts the tờ trình to the centre and the minister signs it; the centre receives and
appraises it; the leader decides. Screenshots of the
dossier page, the import errors and the decision go to test-artifacts/screenshots/."""
import re

from playwright.sync_api import expect

from sqlalchemy import select

from workflow.models import Dossier, DossierNomination
from tests.browser_support import *
from tests.conftest import snapshot
from tests.integration.test_dossier_lifecycle import person_row, workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NAMES = ["Vũ Thị Hồng Nhung", "Đỗ Minh Quân", "Ngô Thanh Hương"]
STATE = "p.status-line .badge"


def excel(rows) -> dict:
    return {"name": "danh-sach.xlsx", "mimeType": XLSX, "buffer": workbook(rows)}


def officer_builds_the_dossier_from_excel(officer) -> int:
    page = officer.page
    page.get_by_role("link", name="Tờ trình", exact=True).click()
    page.get_by_role("link", name="Lập hồ sơ trình mới").click()
    page.get_by_label("Số tờ trình").fill("45/TTr-VTC")
    page.get_by_label("Trích yếu").fill("Đề nghị Thủ tướng Chính phủ tặng Bằng khen năm 2026")
    page.get_by_role("button", name="Lập hồ sơ").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã lập hồ sơ 45/TTr-VTC")
    # A list with a wrong award code and an empty name: every error is shown, nothing imported.
    page.get_by_label("Tệp danh sách (.xlsx)").set_input_files(excel(
        [person_row(1, NAMES[0]), person_row(2, NAMES[1], "bang_khen_vu_tru"), person_row(3, None)]))
    page.get_by_role("button", name="Nhập danh sách").click()
    errors = page.locator("#import-errors tbody tr")
    expect(errors).to_have_count(2)
    expect(errors.first).to_contain_text("Mã hình thức khen thưởng")
    expect(page.locator("#h-list + .empty")).to_be_visible()  # the list is still empty
    officer.shot("20-dossier-import-errors")
    page.get_by_label("Tệp danh sách (.xlsx)").set_input_files(excel(
        [person_row(i + 1, name) for i, name in enumerate(NAMES)]))
    page.get_by_role("button", name="Nhập danh sách").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã nhập 3 người/tập thể từ tệp Excel.")
    expect(page.locator("table.nominees tbody tr")).to_have_count(3)
    officer.shot("21-dossier-draft-with-imported-list")
    page.locator("#form-submit").get_by_role("button", name="Trình hồ sơ").click()
    expect(page.locator(STATE)).to_have_text("Đã trình")
    return int(re.search(r"/dossiers/(\d+)", page.url).group(1))


def secretary_records_the_tally(secretary, dossier_id: int | None = None, shot: str | None = "22") -> None:
    page = secretary.page
    if dossier_id is None:
        page.get_by_role("link", name="Tờ trình", exact=True).click()
        page.get_by_role("link", name="Chờ tôi xử lý").click()
        page.get_by_role("link", name="45/TTr-VTC").click()
    else:
        secretary.go(f"/dossiers/{dossier_id}")
    form = page.locator("#form-votes")
    members = form.get_by_label("Tổng số thành viên Hội đồng")
    if members.count():  # a council keeping a roster (the ministry's, 10) is not asked its size
        members.fill("11")
    else:
        expect(form.locator("p.council-size")).to_contain_text("10 thành viên")
    form.get_by_label("Số tham dự (kể cả phiếu bằng văn bản)").fill("10")
    form.get_by_label("Trong đó phiếu bằng văn bản").fill("1")
    for name in NAMES:
        form.get_by_label(f"Số phiếu đồng ý cho {name}").fill("10")
        form.get_by_label(f"Số phiếu không đồng ý cho {name}").fill("0")
    if shot:
        secretary.shot(f"{shot}-council-tally-for-the-whole-list")
    form.get_by_role("button", name="Ghi kết quả phiên họp").click()
    confirm_dialog(page)
    expect(page.locator(".flash-success")).to_contain_text("Đã ghi kết quả phiên họp Hội đồng. Không đạt: 0.")


def head_selects_all_and_approves(head, dossier_id: int) -> None:
    page = head.page
    head.go(f"/dossiers/{dossier_id}")
    page.get_by_label("Chọn tất cả", exact=True).check()
    expect(page.locator("input[name=ids]:checked")).to_have_count(3)
    page.get_by_role("button", name="Đồng ý, trình cấp trên").click()
    expect(page.locator("p.summary")).to_have_text("Thành công 3 / 3 người.")
    expect(page.locator("tr.ok")).to_have_count(3)
    page.get_by_role("link", name="Về hồ sơ 45/TTr-VTC").click()
    expect(page.locator(STATE)).to_have_text("Đã tiếp nhận")


def reviewer_appraises_all(reviewer, dossier_id: int) -> None:
    page = reviewer.page
    reviewer.go(f"/dossiers/{dossier_id}")
    page.get_by_label("Chọn tất cả", exact=True).check()
    page.get_by_role("button", name="Đồng ý, trình cấp trên").click()
    expect(page.locator("p.summary")).to_have_text("Thành công 3 / 3 người.")


def ministry_aggregates_upward(reviewer) -> int:
    """The reviewer drafts the ministry's tờ trình to the centre (the minister signs it)."""
    page = reviewer.page
    page.get_by_role("link", name="Tờ trình", exact=True).click()
    page.get_by_role("link", name="Tổng hợp trình Trung ương").click()
    page.get_by_label("Chọn tất cả", exact=True).check()
    expect(page.locator("input[name=ids]:checked")).to_have_count(3)
    page.get_by_label("Số tờ trình tổng hợp").fill("123/TTr-BTTTT")
    page.get_by_role("button", name="Tổng hợp, trình Trung ương").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tờ trình 123/TTr-BTTTT")
    expect(page.locator(".flash-success")).to_contain_text("gồm 3 người/tập thể")
    expect(page.locator(STATE)).to_have_text("Dự thảo")
    reviewer.shot("23-aggregate-dossier-to-the-centre")
    return int(re.search(r"/dossiers/(\d+)", page.url).group(1))


def minister_signs(minister, dossier_id: int) -> None:
    page = minister.page
    minister.go(f"/dossiers/{dossier_id}")
    form = page.locator("#form-sign")
    form.get_by_label("Ký thay (KT.)").fill("KT. BỘ TRƯỞNG")
    form.get_by_role("button", name="Ký và gửi tờ trình").click()
    confirm_dialog(page)
    expect(page.locator(STATE)).to_have_text("Đã trình")


def centre_receives_and_appraises(central, dossier_id: int) -> None:
    page = central.page
    central.go(f"/dossiers/{dossier_id}")
    form = page.locator("#form-receive")
    form.get_by_label("Hồ sơ đã đủ: bắt đầu thẩm định 20 ngày làm việc").check()
    form.get_by_role("button", name="Tiếp nhận tờ trình").click()
    expect(page.locator(STATE)).to_have_text("Đã tiếp nhận")
    page.get_by_label("Chọn tất cả", exact=True).check()
    page.get_by_role("button", name="Đồng ý, trình cấp trên").click()
    expect(page.locator("p.summary")).to_have_text("Thành công 3 / 3 người.")


def leader_decides(leader) -> None:
    page = leader.page
    page.get_by_role("link", name="Tờ trình", exact=True).click()
    page.get_by_role("link", name="123/TTr-BTTTT").click()
    page.get_by_label("Chọn tất cả", exact=True).check()
    page.get_by_label("Số quyết định").fill("1234/QĐ-TTg")
    page.get_by_label("Ngày quyết định").fill("23/11/2026")
    page.get_by_label("Người ký").fill("Phó Thủ tướng Trần Hồng Hà")
    page.get_by_label("Ký thay (KT.)").fill("KT. THỦ TƯỚNG")
    leader.shot("24-dossier-page-decision-form")
    page.get_by_role("button", name="Ghi quyết định khen thưởng").click()
    confirm_dialog(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Quyết định số 1234/QĐ-TTg")
    expect(page.locator("#decision-date")).to_have_text("23/11/2026")
    expect(page.locator("table.awarded tbody tr")).to_have_count(3)
    leader.shot("25-decision")


def test_a_dossier_goes_from_the_officers_excel_list_to_the_decision(desks, sqlite_db):
    officer = desks("vtc.canbo")
    dossier_id = officer_builds_the_dossier_from_excel(officer)
    secretary = desks("vtc.hoidong")
    secretary_records_the_tally(secretary)
    expect(secretary.page.locator("table.nominees")).to_contain_text("Thủ trưởng đơn vị xét")
    head = desks("vtc.thutruong")
    head_selects_all_and_approves(head, dossier_id)
    reviewer = desks("bo.chuyenvien")
    reviewer_appraises_all(reviewer, dossier_id)
    council = desks("bo.hoidong")
    secretary_records_the_tally(council, dossier_id, shot=None)
    outgoing = ministry_aggregates_upward(reviewer)
    minister = desks("bo.lanhdao")
    minister_signs(minister, outgoing)
    central = desks("tw.chuyenvien")
    centre_receives_and_appraises(central, outgoing)
    leader = desks("tw.lanhdao")
    leader_decides(leader)
    with sqlite_db.read() as s:
        assert [s.get(Dossier, i).state for i in (dossier_id, outgoing)] == ["closed", "closed"]
        ids = s.execute(select(DossierNomination.nomination_id)
                        .where(DossierNomination.dossier_id == dossier_id)).scalars().all()
    assert len(ids) == 3 and {snapshot(sqlite_db, i)[0] for i in ids} == {"awarded"}
    officer.page.reload()
    expect(officer.page.locator(STATE)).to_have_text("Đã kết thúc")
    expect(officer.page.locator("table.nominees")).to_contain_text("1234/QĐ-TTg")
    officer.shot("26-dossier-closed-with-decision")
    # The refused import answered 422, which the browser logs; nothing else: no script error, no
    # inline style or script blocked by the Content-Security-Policy.
    assert officer.errors == ["Failed to load resource: the server responded with a status of 422 "
                              "(UNPROCESSABLE ENTITY)"]
    for desk in (secretary, head, reviewer, council, minister, central, leader):
        assert desk.errors == []


def without_javascript(browser, server, username: str) -> Desk:
    desk = Desk(browser, server)
    desk.context.close()
    desk.context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    desk.page = desk.context.new_page()
    desk.login(username)
    return desk


def test_the_tally_and_select_all_work_without_javascript(browser, server, sqlite_db, people, plan):
    from tests.web.test_ui_dossiers import submitted
    names = ["Không Script Một", "Không Script Hai"]
    did, ids = submitted(sqlite_db, people, plan, names)
    secretary = without_javascript(browser, server, "vtc.hoidong")
    head = without_javascript(browser, server, "vtc.thutruong")
    try:
        secretary.go(f"/dossiers/{did}")
        form = secretary.page.locator("#form-votes")
        form.get_by_label("Tổng số thành viên Hội đồng").fill("9")
        form.get_by_label("Số tham dự (kể cả phiếu bằng văn bản)").fill("9")
        for name in names:
            form.get_by_label(f"Số phiếu đồng ý cho {name}").fill("9")
            form.get_by_label(f"Số phiếu không đồng ý cho {name}").fill("0")
        form.get_by_role("button", name="Ghi kết quả phiên họp").click()
        # Without JavaScript the confirmation is a page of its own.
        expect(secretary.page.locator("#confirm-what")).to_contain_text("cho 2 người/tập thể của tờ trình")
        secretary.page.get_by_role("button", name="Xác nhận").click()
        expect(secretary.page.locator(".flash-success")).to_contain_text("Đã ghi kết quả phiên họp Hội đồng")
        head.go(f"/dossiers/{did}")
        page = head.page
        expect(page.locator("#select-all")).to_be_hidden()
        page.get_by_role("link", name="Chọn tất cả trong danh sách").click()
        expect(page.locator("input[name=ids]:checked")).to_have_count(2)
        page.get_by_role("button", name="Đồng ý, trình cấp trên").click()
        expect(page.locator("p.summary")).to_have_text("Thành công 2 / 2 người.")
    finally:
        secretary.close()
        head.close()
    assert {snapshot(sqlite_db, i)[0] for i in ids} == {"ministry_review"}
