"""A unit reports to the plan's owner through the plan page; the owner returns, then accepts."""
import io
import re

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
