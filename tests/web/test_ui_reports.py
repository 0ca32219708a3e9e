"""A unit reports to the plan's owner through the plan page; the owner returns, then accepts."""
import io
import re
from datetime import UTC, timedelta

from sqlalchemy import select

from workflow.models import Attachment, Obligation, OrgUnit, PlanMilestone
from tests.browser_support import *
from tests.browser_support import WebUser


def vtc_report(db, plan_id: int) -> int:
    with db.read() as s:
        vtc = s.execute(select(OrgUnit.id).where(OrgUnit.code == "VTC")).scalar_one()
        return s.execute(select(Obligation.id).join(PlanMilestone, PlanMilestone.id == Obligation.milestone_id)
                         .where(Obligation.plan_id == plan_id, Obligation.org_id == vtc,
                                PlanMilestone.purpose == "report")).scalars().first()


def state_of(db, obligation_id: int) -> str:
    with db.read() as s:
        return s.get(Obligation, obligation_id).state


def version_on(page: str, obligation_id: int, action: str) -> str:
    form = re.search(rf'reports/{obligation_id}/{action}".*?name="version" value="(\d+)"', page, re.S)
    assert form, f"no {action} form on the page"
    return form.group(1)


def test_the_unit_submits_its_report_with_a_file_and_the_ministry_returns_then_accepts_it(web_on, db, open_plan):
    rid = vtc_report(db, open_plan)
    officer = web_on("vtc.canbo")
    page = WebUser.text(officer.get(f"/plans/{open_plan}"))
    r = officer.post(f"/plans/{open_plan}/reports/{rid}/submit",
                     {"text": "Đã tổ chức Hội nghị điển hình tiên tiến", "version": version_on(page, rid, "submit"),
                      "file": (io.BytesIO("Báo cáo kết quả".encode()), "bao-cao.txt")},
                     content_type="multipart/form-data")
    assert r.status_code == 303 and state_of(db, rid) == "submitted"
    with db.read() as s:
        assert s.execute(select(Attachment.filename).where(Attachment.owner_type == "obligation",
                                                           Attachment.owner_id == rid)).scalar_one() == "bao-cao.txt"

    owner = web_on("tw.chuyenvien")  # the open plan is the centre's
    page = WebUser.text(owner.get(f"/plans/{open_plan}"))
    owner.post(f"/plans/{open_plan}/reports/{rid}/return",
               {"reason": "Bổ sung số liệu", "version": version_on(page, rid, "return")})
    assert state_of(db, rid) == "returned"

    page = WebUser.text(officer.get(f"/plans/{open_plan}"))
    officer.post(f"/plans/{open_plan}/reports/{rid}/submit",
                 {"text": "Đã bổ sung số liệu", "version": version_on(page, rid, "submit")})
    page = WebUser.text(owner.get(f"/plans/{open_plan}"))
    owner.post(f"/plans/{open_plan}/reports/{rid}/accept", {"version": version_on(page, rid, "accept")})
    assert state_of(db, rid) == "accepted"


def test_a_stale_report_form_changes_nothing_and_says_why(web_on, db, open_plan):
    rid = vtc_report(db, open_plan)
    officer = web_on("vtc.canbo")
    page = WebUser.text(officer.get(f"/plans/{open_plan}"))
    stale = version_on(page, rid, "submit")
    officer.post(f"/plans/{open_plan}/reports/{rid}/submit", {"text": "Lần một", "version": stale})
    r = officer.post(f"/plans/{open_plan}/reports/{rid}/submit", {"text": "Lần hai", "version": stale},
                     follow_redirects=True)
    assert state_of(db, rid) == "submitted" and "Lần hai" not in WebUser.text(r)
    assert 'class="flash' in WebUser.text(r) or "flash" in WebUser.text(r)


def test_another_unit_cannot_submit_vtcs_report(web_on, db, open_plan):
    rid = vtc_report(db, open_plan)
    other = web_on("baochi.canbo")
    other.get(f"/plans/{open_plan}")
    r = other.post(f"/plans/{open_plan}/reports/{rid}/submit", {"text": "Giả mạo"})
    assert r.status_code in (403, 404) and state_of(db, rid) == "pending"


# --- reviewing a report on the plan's page ----------------------------------------------------

VTC = "Tổng công ty Truyền thông đa phương tiện (VTC)"


def report_block(page: str, obligation_id: int) -> str:
    """The report's rows on the plan page (its <tbody>)."""
    found = re.search(rf'<tbody class="report" id="report-{obligation_id}">(.*?)</tbody>', page, re.S)
    assert found, f"report {obligation_id} is not on the page"
    return found.group(1)


def flashes(response) -> str:
    return " ".join(re.findall(r'<[^>]*class="flash flash-(?:success|error)"[^>]*>(.*?)</', WebUser.text(response), re.S))


def test_the_owner_reads_the_units_text_and_file_returns_it_and_the_unit_reads_why(web_on, db, open_plan):
    rid = vtc_report(db, open_plan)
    officer, owner = web_on("vtc.canbo"), web_on("tw.chuyenvien")
    page = WebUser.text(officer.get(f"/plans/{open_plan}"))
    text = "Đã tổ chức Hội nghị điển hình tiên tiến; khen thưởng 12 tập thể <b>và</b> 40 cá nhân."
    r = officer.post(f"/plans/{open_plan}/reports/{rid}/submit",
                     {"text": text, "version": version_on(page, rid, "submit"),
                      "file": (io.BytesIO("Danh sách khen thưởng".encode()), "danh-sách.txt")},
                     content_type="multipart/form-data", follow_redirects=True)
    milestone = re.search(r"“(trước ngày [^”]+)”", flashes(r))
    assert milestone and f"Đã nộp báo cáo của {VTC} cho mốc" in flashes(r)

    page = WebUser.text(owner.get(f"/plans/{open_plan}"))
    block = report_block(page, rid)
    assert "khen thưởng 12 tập thể &lt;b&gt;và&lt;/b&gt; 40 cá nhân" in block  # shown, escaped
    assert re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d", block)  # the submission time
    link = re.search(rf'href="(/plans/{open_plan}/reports/{rid}/files/\d+)"[^>]*>danh-sách.txt<', block)
    assert link, block
    got = owner.get(link.group(1))
    assert got.status_code == 200 and got.data == "Danh sách khen thưởng".encode()
    assert "attachment" in got.headers["Content-Disposition"] and got.headers["X-Content-Type-Options"] == "nosniff"
    assert web_on("baochi.canbo").get(link.group(1)).status_code == 404

    r = owner.post(f"/plans/{open_plan}/reports/{rid}/return", {"reason": " ", "version": version_on(page, rid, "return")},
                   follow_redirects=True)
    assert "Hãy ghi lý do trả lại" in flashes(r) and state_of(db, rid) == "submitted"
    page = WebUser.text(r)
    r = owner.post(f"/plans/{open_plan}/reports/{rid}/return",
                   {"reason": "Bổ sung danh sách cá nhân", "version": version_on(page, rid, "return")},
                   follow_redirects=True)
    assert f"Đã trả lại báo cáo của {VTC}: Bổ sung danh sách cá nhân" in flashes(r)

    block = report_block(WebUser.text(officer.get(f"/plans/{open_plan}")), rid)
    reason_at, form_at = block.index("Bổ sung danh sách cá nhân"), block.index('action="/plans')
    assert reason_at < form_at  # the reason right above the form to send it again
    prefilled = re.search(rf'<textarea id="report-text-{rid}" name="text"[^>]*>(.*?)</textarea>', block, re.S)
    assert prefilled and "khen thưởng 12 tập thể &lt;b&gt;và&lt;/b&gt; 40 cá nhân." in prefilled.group(1)
    assert "danh-sách.txt" in block and "Nộp lại báo cáo" in block

    r = officer.post(f"/plans/{open_plan}/reports/{rid}/submit",
                     {"text": "Đã bổ sung danh sách", "version": version_on(block, rid, "submit")},
                     content_type="multipart/form-data", follow_redirects=True)
    page = WebUser.text(owner.get(f"/plans/{open_plan}?lang=en"))
    r = owner.post(f"/plans/{open_plan}/reports/{rid}/accept", {"version": version_on(page, rid, "accept")},
                   follow_redirects=True)
    assert f"Accepted the report of {VTC}." in flashes(r) and state_of(db, rid) == "accepted"
    history = report_block(WebUser.text(r), rid)
    assert history.count("<li><strong>") == 4 and "Bổ sung danh sách cá nhân" in history
    assert "Đã bổ sung danh sách" in history and "Report history (4 steps)" in history


def test_the_plan_page_lists_per_milestone_the_units_late_and_missing(web_on, db, open_plan, clock):
    rid = vtc_report(db, open_plan)
    officer = web_on("vtc.canbo")
    page = WebUser.text(officer.get(f"/plans/{open_plan}"))
    officer.post(f"/plans/{open_plan}/reports/{rid}/submit", {"text": "Báo cáo", "version": version_on(page, rid, "submit")})
    with db.read() as s:
        due = s.get(Obligation, rid).due_at
    clock.now = (due if due.tzinfo else due.replace(tzinfo=UTC)) + timedelta(days=1)
    page = WebUser.text(web_on("tw.chuyenvien").get(f"/plans/{open_plan}"))
    late = re.search(r'<section class="panel" aria-labelledby="h-late">(.*?)</section>', page, re.S)
    assert late and "Báo cáo trễ hạn theo mốc" in late.group(1)
    cells = re.findall(r'<td class="late-(late|missing)">(.*?)</td>', late.group(1), re.S)
    late_cell, missing_cell = (c for _, c in cells)
    assert "<strong>3</strong>" in late_cell and VTC in late_cell and "Đã gửi báo cáo" in late_cell
    assert "<strong>2</strong>" in missing_cell and VTC not in missing_cell and "Cục Báo chí" in missing_cell
    assert "submitted" not in late.group(1) and "pending" not in late.group(1)
