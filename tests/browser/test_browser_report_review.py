"""A unit's report goes back and forth in a real browser: VTC's officer sends its text and a
file, the plan's owner (Ban TĐKT Trung ương) reads both and returns it with a reason, the
officer reads the reason next to its previous text and sends it again, the owner accepts it.
Screenshots of each side go to test-artifacts/screenshots/."""
import re

from playwright.sync_api import expect

from tests.browser_support import *

VTC = "Tổng công ty Truyền thông đa phương tiện (VTC)"
FIRST = "Báo cáo kết quả phong trào thi đua năm 2026: khen thưởng 12 tập thể, 40 cá nhân."
REASON = "Thiếu danh sách cá nhân được khen; đề nghị bổ sung."


def vtc_report(page):
    return page.locator("tbody.report").filter(has_text=VTC)


def test_a_report_is_submitted_returned_with_a_reason_resubmitted_and_accepted(desks, plan):
    officer = desks("vtc.canbo")
    officer.go(f"/plans/{plan}")
    mine = vtc_report(officer.page)
    mine.get_by_label("Nội dung báo cáo").fill(FIRST)
    mine.get_by_label("Tệp đính kèm").set_input_files(
        files=[{"name": "Báo cáo thi đua VTC.txt", "mimeType": "text/plain",
                "buffer": "Danh sách tập thể được khen".encode()}])
    mine.get_by_role("button", name="Nộp báo cáo").click()
    expect(officer.page.locator(".flash-success")).to_contain_text(
        re.compile(rf"Đã nộp báo cáo của {re.escape(VTC)} cho mốc “trước ngày"))
    expect(vtc_report(officer.page)).to_contain_text("Đã gửi báo cáo")

    owner = desks("tw.chuyenvien")
    owner.go(f"/plans/{plan}")
    theirs = vtc_report(owner.page)
    expect(theirs).to_contain_text(FIRST)
    expect(theirs.get_by_role("link", name="Báo cáo thi đua VTC.txt")).to_be_visible()
    owner.shot("reports-01-owner-reads-the-report")
    with owner.page.expect_download() as got:
        theirs.get_by_role("link", name="Báo cáo thi đua VTC.txt").click()
    assert got.value.suggested_filename == "Báo cáo thi đua VTC.txt"
    assert open(got.value.path(), "rb").read() == "Danh sách tập thể được khen".encode()
    theirs.get_by_label("Lý do trả lại").fill(REASON)
    theirs.get_by_role("button", name="Trả lại").click()
    expect(owner.page.locator(".flash-success")).to_have_text(f"Đã trả lại báo cáo của {VTC}: {REASON}")

    officer.go(f"/plans/{plan}")
    mine = vtc_report(officer.page)
    expect(mine.locator(".report-reason")).to_contain_text(REASON)
    expect(mine.get_by_label("Nội dung báo cáo")).to_have_value(FIRST)
    expect(mine.get_by_role("link", name="Báo cáo thi đua VTC.txt").first).to_be_visible()
    officer.shot("reports-02-unit-reads-why-it-was-returned")
    mine.get_by_label("Nội dung báo cáo").fill(FIRST + "\nBổ sung: danh sách 40 cá nhân.")
    mine.get_by_role("button", name="Nộp lại báo cáo").click()
    expect(officer.page.locator(".flash-success")).to_contain_text(f"Đã nộp báo cáo của {VTC}")

    owner.go(f"/plans/{plan}")
    theirs = vtc_report(owner.page)
    expect(theirs).to_contain_text("Bổ sung: danh sách 40 cá nhân.")
    expect(theirs.locator(".report-history")).to_contain_text(REASON)
    owner.shot("reports-03-owner-reads-the-second-round")
    theirs.get_by_role("button", name="Chấp nhận").click()
    expect(owner.page.locator(".flash-success")).to_have_text(f"Đã chấp nhận báo cáo của {VTC}.")
    expect(vtc_report(owner.page)).to_contain_text("Đã chấp nhận")
    expect(owner.page.locator("#h-late")).to_have_text("Báo cáo trễ hạn theo mốc")
    owner.shot("reports-04-accepted")
    assert owner.errors == [] and officer.errors == []


def test_the_owner_sees_per_milestone_who_is_late_and_who_sent_nothing(desks, plan, clock, sqlite_db):
    from datetime import UTC, timedelta

    from sqlalchemy import select

    from workflow.models import Obligation
    with sqlite_db.read() as s:
        due = s.execute(select(Obligation.due_at).where(Obligation.plan_id == plan)).scalars().first()
    officer = desks("vtc.canbo")
    officer.go(f"/plans/{plan}")
    mine = vtc_report(officer.page)
    mine.get_by_label("Nội dung báo cáo").fill(FIRST)
    mine.get_by_role("button", name="Nộp báo cáo").click()
    expect(officer.page.locator(".flash-success")).to_contain_text("Đã nộp báo cáo")

    clock.now = (due if due.tzinfo else due.replace(tzinfo=UTC)) + timedelta(days=2)
    owner = desks("tw.chuyenvien")
    owner.go(f"/plans/{plan}")
    late = owner.page.locator("table.late-list")
    expect(late.locator("td.late-late")).to_contain_text("3")
    expect(late.locator("td.late-late")).to_contain_text(f"{VTC} (Đã gửi báo cáo)")
    expect(late.locator("td.late-missing")).to_contain_text("Cục Báo chí (Chưa báo cáo)")
    expect(late.locator("td.late-missing")).not_to_contain_text(VTC)
    owner.page.locator("#h-late").scroll_into_view_if_needed()
    owner.shot("reports-05-late-list")
    assert owner.errors == []
