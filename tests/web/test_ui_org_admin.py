"""/admin/orgs and /admin/calendar without a browser: only the administrator opens or uses them;
a refused change redraws the form with its reason and changes nothing; a dossier waiting at a
council with a roster asks no member count."""
from sqlalchemy import func, select

from tests.browser_support import *
from workflow.models import AuditEvent, CalendarOverride, OrgUnit


def count(db, model) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model))


def org_id(db, code: str) -> int:
    with db.read() as s:
        return s.execute(select(OrgUnit.id).where(OrgUnit.code == code)).scalar_one()


def test_only_the_administrator_opens_or_uses_the_org_and_calendar_pages(web_on, db):
    officer = web_on("vtc.canbo")
    vtc = org_id(db, "VTC")
    for path in ("/admin/orgs", f"/admin/orgs/{vtc}", "/admin/calendar"):
        assert officer.get(path).status_code == 403, path
    orgs, events = count(db, OrgUnit), count(db, AuditEvent)
    assert officer.post("/admin/orgs", {"name": "Ban Lạ", "kind": "unit", "parent_id": str(vtc)}).status_code == 403
    assert officer.post(f"/admin/orgs/{vtc}", {"what": "council", "member-0-name": "A",
                                               "member-0-role": "chair"}).status_code == 403
    assert officer.post("/admin/calendar", {"day": "01/12/2026", "working": "0"}).status_code == 403
    assert (count(db, OrgUnit), count(db, AuditEvent), count(db, CalendarOverride)) == (orgs, events, 0)


def test_refused_changes_redraw_the_form_with_their_reason(web_on, db):
    admin = web_on("admin")
    vtc, mic = org_id(db, "VTC"), org_id(db, "BTTTT")
    admin.get(f"/admin/orgs/{vtc}")
    events = count(db, AuditEvent)
    r = admin.post(f"/admin/orgs/{vtc}", {"what": "merge", "into_id": str(mic), "merge_date": "20/11/2026"})
    assert r.status_code == 422 and "không thể sáp nhập vào đơn vị đã đóng" in WebUser.text(r)
    r = admin.post("/admin/orgs", {"name": "Xã Lạ", "kind": "commune", "parent_id": str(vtc)})
    assert r.status_code == 422 and "không thể trực thuộc" in WebUser.text(r)
    r = admin.post("/admin/calendar", {"day": "05/12/2026", "working": "0"})  # a Saturday: already off
    assert r.status_code == 422 and "đã là ngày nghỉ" in WebUser.text(r)
    assert count(db, AuditEvent) == events
    r = admin.post(f"/admin/orgs/{vtc}", {"what": "update", "name": "Tổng công ty VTC", "date": "01/11/2026"})
    assert r.status_code == 303
    page = WebUser.text(admin.get(f"/admin/orgs/{vtc}"))
    assert "Tổng công ty Truyền thông đa phương tiện (VTC)" in page and "31/10/2026" in page


def test_a_dossier_at_a_council_with_a_roster_asks_no_member_count(web_on, login, open_plan):
    officer = login("xa.canbo")
    d = officer.post("/dossiers", json={"plan_id": open_plan, "number": "07/TTr-UBND"}).get_json()
    officer.post(f"/dossiers/{d['id']}/nominations", json={
        "award_type": "giay_khen", "achievements": "Hoàn thành xuất sắc.", "nominee": {"kind": "individual",
                                                                                      "name": "Vi Thị Ba"}})
    assert officer.post(f"/dossiers/{d['id']}/submit").status_code == 200
    page = WebUser.text(web_on("xa.hoidong").get(f"/dossiers/{d['id']}"))
    assert "Hội đồng có 7 thành viên theo danh sách" in page and 'name="members"' not in page


def test_moving_a_unit_on_the_org_page_says_how_many_open_nominations_took_a_new_route(web_on, db, users, open_plan):
    from tests.scenarios import act, draft
    n = act(db, users, "vtc.canbo", draft(db, users, open_plan, award="giay_khen").id, "submit")
    admin = web_on("admin")
    vtc, so = org_id(db, "VTC"), org_id(db, "SGDDT-TN")
    admin.get(f"/admin/orgs/{vtc}")
    r = admin.post(f"/admin/orgs/{vtc}", {"what": "update", "parent_id": str(so)})
    assert r.status_code == 303
    page = WebUser.text(admin.get(f"/admin/orgs/{vtc}"))
    assert "1 hồ sơ đang xét được tính lại luồng xét duyệt theo vị trí mới trong cây tổ chức." in page
    with db.read() as s:
        from states.routes import ROUTES
        from workflow.models import Nomination
        assert "department_decision" in ROUTES[s.get(Nomination, n.id).route].states  # the Sở's head now decides
