"""A nominee's record and the eligibility check in a real browser (headless Chromium): the unit
officer drafts a CSTĐ bộ, sees the conditions unchecked, opens the nominee's record from the
header search (typed without diacritics), enters two earlier CSTĐ cơ sở, sees the nomination
refused with the reason and the article, enters the third and submits; the council secretary
sees the same panel. Screenshots go to test-artifacts/screenshots/."""
import re

from playwright.sync_api import expect

from tests.browser_support import *
from tests.conftest import snapshot

NAME = "Nguyễn Thị Hoà"


def draft(officer) -> int:
    page = officer.page
    officer.go("/nominations/new")
    page.get_by_label("Hình thức khen thưởng").select_option(label="Chiến sĩ thi đua Bộ, ngành, tỉnh")
    page.get_by_label("Họ và tên / tên tập thể").fill(NAME)
    page.get_by_label("Chức vụ, đơn vị công tác").fill("Biên tập viên")
    page.get_by_label("Thành tích").fill("Ba năm liền Chiến sĩ thi đua cơ sở; sáng kiến cấp Bộ.")
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.locator("#eligibility")).to_contain_text("Chưa rõ")
    return int(re.search(r"/nominations/(\d+)", page.url).group(1))


def enter_history(page, year: int) -> None:
    page.get_by_text("Nhập quá trình khen thưởng trước đây").click()
    form = page.locator("#form-history")
    form.get_by_label("Hình thức / danh hiệu").select_option(label="Chiến sĩ thi đua cơ sở")
    form.get_by_label("Năm").fill(str(year))
    form.get_by_label("Số quyết định").fill(f"{year % 100}/QĐ-VTC")
    form.get_by_label("Ngày quyết định").fill(f"20/12/{year}")
    form.get_by_role("button", name="Ghi vào hồ sơ").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã ghi quá trình khen thưởng")


def test_an_officer_checks_a_nominees_history_before_submitting(desks, sqlite_db):
    officer = desks("vtc.canbo")
    nid = draft(officer)
    page = officer.page
    officer.shot("60-people-eligibility-unknown")

    page.locator("#header-q").fill("nguyen thi hoa")
    page.locator("#header-q").press("Enter")
    expect(page.locator("#people-results tbody tr")).to_have_count(1)
    expect(page.locator("#nomination-results")).to_contain_text(NAME)  # the draft, found by its record
    page.locator("#people-results").get_by_role("link", name=NAME).click()
    expect(page.locator("h1")).to_have_text(NAME)
    for year in (2024, 2025):
        enter_history(page, year)
    expect(page.locator("#history tbody tr")).to_have_count(2)
    officer.shot("61-people-profile-history")

    officer.go(f"/nominations/{nid}")
    expect(page.locator("#eligibility")).to_contain_text("Không đạt")
    expect(page.locator("#eligibility")).to_contain_text("Luật TĐKT 2022 Điều 22")
    page.locator("#form-submit").get_by_role("button", name="Trình").click()
    expect(page.locator("#form-submit .field-error")).to_contain_text("Cần 3 lần liên tục")
    officer.shot("62-people-submit-refused")
    assert snapshot(sqlite_db, nid)[0] == "draft"

    page.get_by_role("link", name=NAME).first.click()
    enter_history(page, 2023)
    officer.go(f"/nominations/{nid}")
    expect(page.locator("#eligibility")).to_contain_text("Đủ các điều kiện")
    page.locator("#form-submit").get_by_role("button", name="Trình").click()
    expect(page.locator(".flash-success")).to_be_visible()
    assert snapshot(sqlite_db, nid)[0] == "council_review"

    secretary = desks("vtc.hoidong")
    secretary.go(f"/nominations/{nid}")
    expect(secretary.page.locator("#eligibility")).to_contain_text("Đạt")
    secretary.shot("63-people-eligibility-reviewer")
    # The inbox row carries the same result; its marker opens on the reasons (no script needed).
    secretary.go("/inbox")
    marker = secretary.page.locator(f"tr:has(a[href='/nominations/{nid}']) .elig-marker")
    expect(marker).to_have_class(re.compile("elig-pass"))
    expect(marker).to_have_attribute("title", re.compile("Đạt Chiến sĩ thi đua cơ sở 3 lần liên tục"))
    secretary.shot("64-people-inbox-eligibility")
    # The header search finds the person and the nomination, typed without diacritics.
    secretary.page.locator("#header-q").fill("NGUYEN THI HOA")
    secretary.page.locator("#header-q").press("Enter")
    expect(secretary.page.locator("#nomination-results")).to_contain_text(NAME)
    secretary.shot("65-people-header-search-nominations")
    # The refused submission's page is a 422, which the browser reports; nothing else went wrong.
    assert [e for e in officer.errors if "422" not in e] == [] and secretary.errors == []


def test_a_reviewer_reads_each_rows_conditions_on_the_tờ_trình_and_the_admin_turns_a_rule_on(
        desks, sqlite_db, people, plan, clock):
    from workflow.dossiers import service as dossiers
    from workflow.people import register
    now = clock()
    uid = people["vtc.canbo"]
    ids = {}
    for name, years in (("Lý Minh Châu", (2023, 2024, 2025)), ("Lý Văn Lộc", (2024, 2025)), ("Lý Thị Mai", ())):
        p = register.create_person(sqlite_db, uid, {"name": name, "confirm_distinct": True}, now=now)
        for y in years:
            register.add_record(sqlite_db, uid, p.id, {"award_type": "chien_si_thi_dua_co_so", "year": y,
                                                      "decision_number": f"{y}/QĐ-VTC"}, now=now)
        ids[name] = p.id
    d = dossiers.create_dossier(sqlite_db, uid, plan_id=plan, number="54/TTr-VTC", now=now)
    for pid in ids.values():
        d = dossiers.add_nominations(sqlite_db, uid, d.id, {"award_type": "chien_si_thi_dua_bo", "version": d.version,
                                                             "nominee": {"person_id": pid},
                                                             "achievements": "Ba năm liền CSTĐ cơ sở."}, now=now).dossier
    officer = desks("vtc.canbo")
    officer.go(f"/dossiers/{d.id}")
    rows = officer.page.locator("table.nominees tbody tr")
    expect(rows.filter(has_text="Lý Minh Châu").locator(".elig-marker")).to_have_class(re.compile("elig-pass"))
    expect(rows.filter(has_text="Lý Thị Mai").locator(".elig-marker")).to_have_class(re.compile("elig-unknown"))
    short = rows.filter(has_text="Lý Văn Lộc").locator(".elig-marker")
    expect(short).to_have_class(re.compile("elig-fail"))
    expect(short.locator("summary")).to_have_attribute("title", re.compile("Cần 3 lần liên tục"))
    short.locator("summary").click()
    expect(short.locator(".elig-reasons")).to_contain_text("Luật TĐKT 2022 Điều 22")
    officer.shot("66-people-dossier-eligibility")

    admin = desks("admin")
    admin.go("/admin/orgs")
    admin.page.get_by_role("link", name=re.compile("Bộ Khoa học và Công nghệ")).first.click()
    form = admin.page.locator("#form-eligibility-rules")
    form.get_by_label(re.compile("^Bằng khen Thủ tướng")).select_option("on")
    form.get_by_role("button", name="Lưu điều kiện áp dụng").click()
    expect(admin.page.locator(".flash-success")).to_contain_text("Đã lưu các điều kiện khen thưởng")
    admin.page.locator("#eligibility-rules").scroll_into_view_if_needed()
    admin.shot("67-admin-org-eligibility-rules")
    assert officer.errors == [] and admin.errors == []
