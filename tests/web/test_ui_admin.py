"""/admin: the administrator keeps users, roles and the award catalogue; every change is audited."""
import html
import re

from sqlalchemy import select

from workflow.models import AuditEvent, AwardType, User
from tests.browser_support import *


def admin_events(db, action: str) -> list[AuditEvent]:
    with db.read() as s:
        return s.execute(select(AuditEvent).where(AuditEvent.action == action)
                         .order_by(AuditEvent.id)).scalars().all()


NEW_USER = {"username": "vtc.canbo2", "full_name": "Hà Thị Thu", "email": "thu@vtc.example.vn",
            "role": "unit_officer", "password": "mật-khẩu-đủ-dài"}


def test_only_the_administrator_may_open_or_use_the_admin_pages(web_on, db, users):
    officer = web_on("vtc.canbo")
    for path in ("/admin", "/admin/users/new", "/admin/awards", "/admin/orgs", f"/admin/users/{users['admin']}"):
        assert officer.get(path).status_code == 403, path
    r = officer.post("/admin/users/new", {**NEW_USER, "org_id": "1"})
    assert r.status_code == 403
    r = officer.post(f"/admin/users/{users['vtc.canbo']}", {"full_name": "x", "role": "admin", "org_id": "1",
                                                            "active": "1"})
    assert r.status_code == 403
    with db.read() as s:
        assert s.execute(select(User).where(User.username == "vtc.canbo2")).scalar_one_or_none() is None
        assert s.get(User, users["vtc.canbo"]).role == "unit_officer"


def test_the_administrator_creates_a_user_who_can_then_log_in(web_on, db, users):
    admin = web_on("admin")
    page = WebUser.text(admin.get("/admin/users/new"))
    vtc = next(v for v, name in re.findall(r'<option value="(\d+)">[— ]*([^<]+)</option>', page)
               if "VTC" in name)
    r = admin.post("/admin/users/new", {**NEW_USER, "org_id": vtc})
    assert r.status_code == 303
    events = admin_events(db, "user_create")
    assert len(events) == 1 and events[0].chain == "admin:user" and events[0].actor == "admin"
    assert "password" not in str(events[0].payload) and "mật-khẩu" not in str(events[0].payload)
    r = WebUser(admin.client.application).login("vtc.canbo2", "mật-khẩu-đủ-dài")
    assert r.status_code == 302 and r.headers["Location"] == "/inbox"
    r = admin.post("/admin/users/new", {**NEW_USER, "org_id": vtc})
    assert r.status_code == 409 and "đã có" in WebUser.text(r)
    r = admin.post("/admin/users/new", {**NEW_USER, "username": "ngan", "password": "ngắn", "org_id": vtc})
    assert r.status_code == 422 and "ít nhất 10 ký tự" in WebUser.text(r)


def test_a_role_change_and_a_deactivation_take_effect_at_once_and_are_audited(web_on, db, users):
    officer = web_on("baochi.canbo")
    assert officer.get("/nominations/new").status_code == 200
    admin = web_on("admin")
    uid = users["baochi.canbo"]
    form = {"full_name": "Phạm Thu Trang", "email": "", "role": "council_secretary", "active": "1"}
    with db.read() as s:
        form["org_id"] = str(s.get(User, uid).org_id)
    assert admin.post(f"/admin/users/{uid}", form).status_code == 303
    assert officer.get("/nominations/new").status_code == 403  # no longer an officer
    assert admin.post(f"/admin/users/{uid}", {**form, "active": ""}).status_code == 303
    assert officer.get("/inbox").status_code == 302  # logged out
    changes = [e.payload["changed"] for e in admin_events(db, "user_update")]
    assert changes[0]["role"] == ["unit_officer", "council_secretary"] and changes[1]["active"] == [True, False]
    r = admin.post(f"/admin/users/{users['admin']}", {"full_name": "Quản trị hệ thống", "role": "auditor",
                                                      "org_id": form["org_id"], "active": "1"})
    assert r.status_code == 422 and "chính mình" in WebUser.text(r)


def test_a_password_reset_ends_the_old_sessions(web_on, db, users):
    officer = web_on("vtc.hoidong")
    assert officer.get("/inbox").status_code == 200
    admin = web_on("admin")
    r = admin.post(f"/admin/users/{users['vtc.hoidong']}/password", {"password": "mật-khẩu-mới-2026"})
    assert r.status_code == 303
    assert officer.get("/inbox").status_code == 302
    assert WebUser(admin.client.application).login("vtc.hoidong", "mật-khẩu-mới-2026").status_code == 302
    assert len(admin_events(db, "password_reset")) == 1


def award_form(page: str) -> dict:
    """The award form as the browser would post it back: every named input with its value."""
    fields = dict(re.findall(r'<input name="([^"]+)"[^>]*value="([^"]*)"', page))
    fields.update(re.findall(r'<input[^>]*id="[^"]*"[^>]*name="((?:name_|code)[^"]*)"[^>]*value="([^"]*)"', page))
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', options)
        if chosen:
            fields[name] = chosen.group(1)
    return {k: html.unescape(v) for k, v in fields.items()}


def test_the_award_catalogue_is_edited_as_versions_and_audited(web_on, db):
    admin = web_on("admin")
    page = WebUser.text(admin.get("/admin/awards/chien_si_thi_dua_co_so"))
    assert 'value="80%"' in page  # the unit council's 80 % of all members (Art. 30(7))
    form = award_form(page)
    vote = next(k[:-len("-kind")] for k, val in form.items() if k.endswith("-kind") and val == "vote")
    before = version_of(db, "chien_si_thi_dua_co_so")
    r = admin.post("/admin/awards/chien_si_thi_dua_co_so", {**form, f"{vote}-threshold": "120", "active": "1"})
    assert r.status_code == 422 and "100" in WebUser.text(r)
    assert version_of(db, "chien_si_thi_dua_co_so") == before  # nothing changed
    r = admin.post("/admin/awards/chien_si_thi_dua_co_so", {**form, f"{vote}-threshold": "75,5", "active": "1"})
    assert r.status_code == 303
    assert version_of(db, "chien_si_thi_dua_co_so") == before + 1
    with db.read() as s:
        assert s.get(AwardType, "chien_si_thi_dua_co_so").vote_threshold == 0.755
    [event] = admin_events(db, "award_version")
    assert event.chain == "admin:award_type" and event.payload == {"code": "chien_si_thi_dua_co_so",
                                                                   "version": before + 1}
    assert admin.get("/admin/awards/khong_co").status_code == 404


def version_of(db, code: str) -> int:
    with db.read() as s:
        return s.get(AwardType, code).version


def test_the_organisation_tree_is_shown_in_order(web_on):
    body = WebUser.text(web_on("admin").get("/admin/orgs"))
    order = [body.index(name) for name in ("Ban Thi đua - Khen thưởng Trung ương", "Bộ Khoa học và Công nghệ",
                                           "Cục Báo chí", "UBND tỉnh Thái Nguyên", "Bộ Thông tin và Truyền thông")]
    assert order == sorted(order) and 'class="depth-2"' in body
