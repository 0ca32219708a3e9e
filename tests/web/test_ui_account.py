"""/account and /me: every user changes their own password, language, e-mail and notice
preferences; the administrator lets a slowed-down user log in again from the user's page."""
from sqlalchemy import select

from workflow.models import AuditEvent, LoginThrottle, User
from tests.browser_support import *
from tests.conftest import DEMO_PASSWORD, ApiClient

NEW_PASSWORD = "mật-khẩu-mới-của-tôi"


def events(db, action: str) -> list[AuditEvent]:
    with db.read() as s:
        return s.execute(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).scalars().all()


def password_hash(db, username: str) -> str:
    with db.read() as s:
        return s.execute(select(User.password_hash).where(User.username == username)).scalar_one()


def test_a_user_changes_their_password_and_only_their_other_sessions_and_tokens_end(web_on, login, db, client):
    here, elsewhere = web_on("vtc.canbo"), web_on("vtc.canbo")
    token = login("vtc.canbo")
    assert token.get("/me").status_code == 200
    page = here.get("/account")
    assert page.status_code == 200 and "Tài khoản" in WebUser.text(page) and "Đổi mật khẩu" in WebUser.text(page)
    r = here.post("/account/password", {"current": DEMO_PASSWORD, "new": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert r.status_code == 303
    assert here.get("/inbox").status_code == 200  # this session is kept
    assert elsewhere.get("/inbox").status_code == 302  # the other one ended: back to the login page
    assert token.get("/me").status_code == 401  # and so did the API token
    assert WebUser(client.application).login("vtc.canbo", DEMO_PASSWORD).status_code == 401
    assert WebUser(client.application).login("vtc.canbo", NEW_PASSWORD).status_code == 302
    [ev] = events(db, "password_change")
    assert ev.actor == "vtc.canbo" and NEW_PASSWORD not in str(ev.payload) and ev.payload["sessions_ended"] == 2


def test_a_wrong_current_password_a_weak_one_or_a_mistyped_repeat_change_nothing(web_on, db):
    me = web_on("vtc.canbo")
    before = password_hash(db, "vtc.canbo")
    r = me.post("/account/password", {"current": "không-phải-mật-khẩu", "new": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert r.status_code == 422 and "Mật khẩu hiện tại không đúng" in WebUser.text(r)
    r = me.post("/account/password", {"current": DEMO_PASSWORD, "new": "ngắn", "repeat": "ngắn"})
    assert r.status_code == 422 and "ít nhất 10 ký tự" in WebUser.text(r)
    r = me.post("/account/password", {"current": DEMO_PASSWORD, "new": NEW_PASSWORD, "repeat": NEW_PASSWORD + "x"})
    assert r.status_code == 422 and "không khớp" in WebUser.text(r)
    assert password_hash(db, "vtc.canbo") == before
    assert [e.actor for e in events(db, "password_change_failed")] == ["vtc.canbo"]
    assert me.get("/inbox").status_code == 200


def test_guessing_the_current_password_is_throttled_like_a_login(web_on, db):
    me = web_on("vtc.canbo")
    codes = [me.post("/account/password", {"current": f"đoán-sai-số-{i}", "new": NEW_PASSWORD,
                                           "repeat": NEW_PASSWORD}).status_code for i in range(7)]
    assert codes[:4] == [422] * 4 and 429 in codes[4:]
    r = me.post("/account/password", {"current": DEMO_PASSWORD, "new": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert r.status_code == 429  # even the right one waits: the guesses spent the pair's attempts
    assert "thử lại sau" in WebUser.text(r)


def test_language_email_and_notice_preferences_are_saved_used_and_audited(web_on, db, client):
    me = web_on("vtc.canbo")
    r = me.post("/account/settings", {"language": "en", "email": "canbo.moi@vtc.example.vn", "notify_digest": "1"})
    assert r.status_code == 303
    page = WebUser.text(me.get("/account"))
    assert "My account" in page  # the pages speak English now
    with db.read() as s:
        u = s.execute(select(User).where(User.username == "vtc.canbo")).scalar_one()
        assert (u.language, u.email, u.notify_email, u.notify_digest) == ("en", "canbo.moi@vtc.example.vn",
                                                                          False, True)
    [ev] = events(db, "account_update")
    assert ev.payload["changed"]["language"] == ["vi", "en"]
    again = WebUser(client.application, "vtc.canbo")  # a new login speaks the saved language
    assert "My account" in WebUser.text(again.get("/account"))
    r = me.post("/account/settings", {"language": "vi", "email": "không phải địa chỉ"})
    assert r.status_code == 422 and "Invalid e-mail address" in WebUser.text(r) or "không hợp lệ" in WebUser.text(r)
    with db.read() as s:
        assert s.execute(select(User.email).where(User.username == "vtc.canbo")).scalar_one() == \
            "canbo.moi@vtc.example.vn"


def test_the_header_menu_links_to_the_account_page_for_every_role(web_on):
    for username in ("vtc.canbo", "admin", "kiemtra"):
        page = WebUser.text(web_on(username).get("/dashboard"))
        assert 'href="/account"' in page and "Tài khoản" in page, username


def test_the_api_reads_and_changes_the_callers_own_settings_and_password(login, client, db):
    api = login("vtc.canbo")
    me = api.get("/me").get_json()
    assert (me["language"], me["notify_email"], me["notify_digest"]) == ("vi", True, False)
    r = api.patch("/me", json={"language": "en", "notify_email": False, "email": "a@vtc.example.vn"})
    assert r.status_code == 200 and r.get_json()["language"] == "en" and r.get_json()["email"] == "a@vtc.example.vn"
    assert api.patch("/me", json={"email": "a@b"}).status_code == 422
    assert api.patch("/me", json={"role": "admin"}).status_code == 422
    assert api.patch("/me", json={"language": "fr"}).status_code == 422
    other = ApiClient(client, client.post("/api/v1/auth/token", json={
        "username": "vtc.canbo", "password": DEMO_PASSWORD}).get_json()["token"])
    r = api.post("/me/password", json={"current": "sai-mật-khẩu-rồi", "new": NEW_PASSWORD})
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "current"
    r = api.post("/me/password", json={"current": DEMO_PASSWORD, "new": "aaaaaaaaaaaa"})
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "new"
    assert api.post("/me/password", json={"current": DEMO_PASSWORD, "new": NEW_PASSWORD}).status_code == 204
    assert api.get("/me").status_code == 200  # the token it was changed with stays
    assert other.get("/me").status_code == 401
    assert client.post("/api/v1/auth/token", json={"username": "vtc.canbo", "password": NEW_PASSWORD}
                       ).status_code == 201


def test_the_administrator_unlocks_a_slowed_down_user_from_the_users_page(web_on, db, users, client):
    for i in range(6):  # someone guessed: the pair (vtc.canbo, this address) now waits
        WebUser(client.application).login("vtc.canbo", f"đoán-sai-{i}")
    assert WebUser(client.application).login("vtc.canbo").status_code == 429
    admin = web_on("admin")
    page = WebUser.text(admin.get(f"/admin/users/{users['vtc.canbo']}"))
    assert "Mở khoá đăng nhập" in page and "lần đăng nhập sai" in page
    confirm = admin.get(f"/admin/users/{users['vtc.canbo']}/unlock")
    assert confirm.status_code == 200 and "vtc.canbo" in WebUser.text(confirm)
    r = admin.post(f"/admin/users/{users['vtc.canbo']}/unlock", {})
    assert r.status_code == 303
    with db.read() as s:
        assert s.execute(select(LoginThrottle).where(LoginThrottle.username == "vtc.canbo")).first() is None
    [ev] = events(db, "login_throttle_clear")
    assert ev.actor == "admin" and ev.entity_id == users["vtc.canbo"] and ev.payload["cleared"] == 1
    assert WebUser(client.application).login("vtc.canbo").status_code == 302
    officer = web_on("baochi.canbo")
    assert officer.post(f"/admin/users/{users['vtc.canbo']}/unlock", {}).status_code == 403
