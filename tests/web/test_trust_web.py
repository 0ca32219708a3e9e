"""Tried from outside as an attacker would (trust issue): stolen cookies and tokens after a
reset or a logout, someone locking the administrator out, parallel password guesses, a request
id crafted for the audit log, an HTML "report", a database that cannot be written."""
import threading

import pytest
from sqlalchemy import func, select

from workflow.models import AuditEvent, LoginThrottle, Plan, User

from tests.browser_support import WebUser, make_app, web_on  # noqa: F401  (fixture)
from tests.conftest import DEMO_PASSWORD

ATTACKER = {"REMOTE_ADDR": "203.0.113.66"}
OFFICE = {"REMOTE_ADDR": "10.1.2.3"}


def token(client, username, password=DEMO_PASSWORD, env=None):
    r = client.post("/api/v1/auth/token", json={"username": username, "password": password},
                    environ_base=env or OFFICE)
    return r


def bearer(t):
    return {"Authorization": f"Bearer {t}"}


def user_id(db, username):
    with db.read() as s:
        return s.execute(select(User.id).where(User.username == username)).scalar_one()


# --- M3, M4: a reset, a deactivation and a logout end every token and session ------------

def test_a_password_reset_ends_the_users_api_tokens_and_browser_sessions(app, db, web_on):
    client = app.test_client()
    stolen = token(client, "vtc.canbo").get_json()["token"]
    browser = web_on("vtc.canbo")
    copied_cookie = browser.client.get_cookie("session").value
    assert client.get("/api/v1/me", headers=bearer(stolen)).status_code == 200

    admin = web_on("admin")
    admin.get(f"/admin/users/{user_id(db, 'vtc.canbo')}")
    r = admin.post(f"/admin/users/{user_id(db, 'vtc.canbo')}/password", {"password": "Mat-khau-moi-2026"})
    assert r.status_code == 303

    assert client.get("/api/v1/me", headers=bearer(stolen)).status_code == 401
    thief = app.test_client()
    thief.set_cookie("session", copied_cookie)
    assert thief.get("/inbox").status_code == 302  # back to the login page
    assert token(client, "vtc.canbo", "Mat-khau-moi-2026").status_code == 201


def test_reactivating_a_user_revives_no_old_token_or_session(app, db, web_on):
    client = app.test_client()
    old = token(client, "baochi.canbo").get_json()["token"]
    browser = web_on("baochi.canbo")
    uid = user_id(db, "baochi.canbo")
    admin = web_on("admin")
    page = admin.get(f"/admin/users/{uid}")
    assert page.status_code == 200
    with db.read() as s:
        u = s.get(User, uid)
        fields = {"full_name": u.full_name, "email": u.email or "", "role": u.role, "org_id": str(u.org_id)}
    assert admin.post(f"/admin/users/{uid}", {**fields, "active": "0"}).status_code == 303
    assert admin.post(f"/admin/users/{uid}", {**fields, "active": "1"}).status_code == 303
    assert client.get("/api/v1/me", headers=bearer(old)).status_code == 401
    assert browser.get("/inbox").status_code == 302
    assert token(client, "baochi.canbo").status_code == 201  # a fresh login works again


def test_a_session_cookie_copied_before_logout_no_longer_works(app, web_on):
    officer = web_on("vtc.canbo")
    copied = officer.client.get_cookie("session").value
    officer.get("/logout")
    assert officer.post("/logout").status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", copied)
    assert replay.get("/inbox").status_code == 302


# --- M5, L1, L2: throttling by (username, address), never a lock anyone can trigger --------

def test_an_attacker_cannot_lock_the_administrator_out(app, clock):
    attacker, office = app.test_client(), app.test_client()
    codes = [token(attacker, "admin", f"doan-mo-{i}", ATTACKER).status_code for i in range(12)]
    assert codes[:4] == [401] * 4 and set(codes[4:]) == {429}
    assert token(office, "admin").status_code == 201  # from the admin's own desk: at once


def test_delays_grow_with_the_failures_and_end_with_time(app, clock):
    attacker = app.test_client()
    for i in range(4):
        assert token(attacker, "bo.lanhdao", f"sai-{i}", ATTACKER).status_code == 401
    r = token(attacker, "bo.lanhdao", "sai-4", ATTACKER)
    assert r.status_code == 429 and r.headers["Retry-After"] == "1"
    clock.advance(seconds=1)
    assert token(attacker, "bo.lanhdao", "sai-5", ATTACKER).status_code == 401
    r = token(attacker, "bo.lanhdao", "sai-6", ATTACKER)
    assert r.status_code == 429 and r.headers["Retry-After"] == "2"  # doubled
    clock.advance(seconds=2)
    assert token(attacker, "bo.lanhdao", DEMO_PASSWORD, ATTACKER).status_code == 201  # and cleared


def test_an_unknown_username_answers_exactly_like_a_known_one(app, db):
    attacker = app.test_client()
    known = [token(attacker, "bo.lanhdao", "sai", ATTACKER) for _ in range(5)]
    unknown = [token(attacker, "khong.ton.tai", "sai", ATTACKER) for _ in range(5)]
    assert [r.status_code for r in known] == [r.status_code for r in unknown] == [401] * 4 + [429]
    assert known[0].get_json() == unknown[0].get_json()
    with db.read() as s:
        events = s.execute(select(AuditEvent.chain).where(AuditEvent.action == "login_failed")).scalars().all()
    assert events.count("auth:bo.lanhdao") == events.count("auth:khong.ton.tai") == 4


def test_parallel_guesses_cannot_exceed_the_allowance(app, db):
    """Twenty guesses fired at once from one address: the counter is the database's, so no more
    than the free attempts reach the password check."""
    barrier = threading.Barrier(20)
    codes = []

    def guess(i):
        client = app.test_client()
        barrier.wait()
        codes.append(token(client, "bo.chuyenvien", f"doan-{i}", ATTACKER).status_code)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert len(codes) == 20 and set(codes) <= {401, 429} and codes.count(401) <= 4
    with db.read() as s:
        checked = s.execute(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.chain == "auth:bo.chuyenvien", AuditEvent.action == "login_failed")).scalar()
        failures = s.execute(select(LoginThrottle.failures).where(LoginThrottle.username == "bo.chuyenvien")).scalar()
    assert checked == codes.count(401) and failures == 4


def test_the_administrator_clears_a_throttle_from_the_users_page(app, db, web_on):
    attacker = app.test_client()
    for i in range(6):
        token(attacker, "tinh.canbo", f"sai-{i}", ATTACKER)
    assert token(attacker, "tinh.canbo", DEMO_PASSWORD, ATTACKER).status_code == 429
    admin = web_on("admin")
    page = WebUser.text(admin.get("/admin"))
    assert "tinh.canbo" in page and "203.0.113.66" in page and "Cho đăng nhập lại" in page
    assert admin.post("/admin/login-throttles/clear", {"username": "tinh.canbo"}).status_code == 303
    assert token(attacker, "tinh.canbo", DEMO_PASSWORD, ATTACKER).status_code == 201
    officer = web_on("vtc.canbo")
    officer.get("/inbox")
    assert officer.post("/admin/login-throttles/clear", {"username": "admin"}).status_code == 403
    with db.read() as s:
        assert s.execute(select(AuditEvent.payload).where(AuditEvent.action == "login_throttle_clear")
                         ).scalar_one() == {"username": "tinh.canbo"}


# --- I1–I5: health, request ids, caching ---------------------------------------------------

def test_healthz_tells_the_public_ok_and_nothing_else(app, login):
    client = app.test_client()
    r = client.get("/healthz")
    assert r.status_code == 200 and r.get_json() == {"status": "ok"}
    assert r.headers["Cache-Control"] == "no-store"
    assert login("vtc.canbo").get("/health").status_code == 403
    detail = login("admin").get("/health").get_json()
    assert detail["database"]["writable"] is True and "scheduler" in detail


def test_a_crafted_request_id_never_reaches_the_audit_log(app, db, login, open_plan):
    api = login("vtc.canbo")
    body = {"plan_id": open_plan, "award_type": "giay_khen",
            "nominee": {"kind": "individual", "name": "Lâm Văn Quý", "title": "Kỹ sư"},
            "achievements": "Hoàn thành tốt nhiệm vụ"}
    crafted = "x\u202e<script>alert(1)</script>" + "A" * 100
    r = api.client.post("/api/v1/nominations", json=body, headers={**api.headers, "X-Request-Id": crafted})
    assert r.status_code == 201
    good = api.client.post("/api/v1/nominations",
                           json={**body, "nominee": {**body["nominee"], "name": "Lâm Thị Quyên"}},
                           headers={**api.headers, "X-Request-Id": "lb-7f3a9c01.req_42"})
    assert good.status_code == 201
    with db.read() as s:
        ids = s.execute(select(AuditEvent.request_id).where(AuditEvent.action == "create")
                        .order_by(AuditEvent.id.desc()).limit(2)).scalars().all()
    assert ids[0] == "lb-7f3a9c01.req_42"
    assert len(ids[1]) == 32 and ids[1].isalnum()  # replaced, not trimmed


def test_api_answers_are_never_cached(login):
    r = login("vtc.canbo").get("/nominations")
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"


# --- L6: a report "attachment" that is really an HTML page --------------------------------

def test_an_html_page_uploaded_as_a_report_is_served_as_an_inert_download(login, db, open_plan):
    import io
    from workflow.models import Obligation
    with db.read() as s:
        ob = s.execute(select(Obligation).where(Obligation.plan_id == open_plan)).scalars().first()
    if ob is None:
        pytest.fail("the demo's open plan has report obligations")
    with db.read() as s:
        officer = s.execute(select(User.username).where(User.org_id == ob.org_id, User.role == "unit_officer")
                            ).scalars().first()
    api = login(officer)
    page = b"<html><body><script>fetch('/api/v1/me')</script></body></html>"
    r = api.client.post(f"/api/v1/plans/{open_plan}/reports/{ob.id}/attachments",
                        data={"file": (io.BytesIO(page), "bao-cao.pdf", "text/html")},
                        headers={"Authorization": api.headers["Authorization"]}, content_type="multipart/form-data")
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["content_type"] == "application/octet-stream"
    got = api.get(f"/plans/{open_plan}/reports/{ob.id}/attachments/{r.get_json()['id']}")
    assert got.status_code == 200 and got.data == page
    assert got.mimetype == "application/octet-stream"
    assert got.headers["Content-Disposition"].startswith("attachment")
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
    r = api.client.post(f"/api/v1/plans/{open_plan}/reports/{ob.id}/attachments",
                        data={"file": (io.BytesIO(pdf), "bao-cao-that.pdf", "text/html")},
                        headers={"Authorization": api.headers["Authorization"]}, content_type="multipart/form-data")
    assert r.get_json()["content_type"] == "application/pdf"


# --- L7: a database that cannot be written ------------------------------------------------

def test_a_read_only_database_answers_503_and_the_server_survives(sqlite_db, clock, tmp_path):
    from workflow.kernel.db import Database
    path = sqlite_db.url.split("///", 1)[1]
    readonly = Database(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        app = make_app(readonly, clock)
        client = app.test_client()
        assert client.get("/healthz").status_code == 503
        assert client.get("/healthz").get_json() == {"status": "fail"}
        # a login must write (the throttle): refused with a clear 503, nothing else
        r = token(client, "vtc.canbo")
        assert r.status_code == 503 and r.get_json()["error"]["code"] == "unavailable"
        assert "cannot be written" in client.post("/api/v1/auth/token?lang=en", json={
            "username": "vtc.canbo", "password": DEMO_PASSWORD}).get_json()["error"]["message"]
        assert client.get("/healthz").status_code == 503  # still answering
    finally:
        readonly.dispose()
    healthy = make_app(sqlite_db, clock).test_client()
    assert healthy.get("/healthz").status_code == 200


# --- L9: one password policy --------------------------------------------------------------

def test_the_admin_cannot_set_a_short_password(web_on, db):
    admin = web_on("admin")
    uid = user_id(db, "vtc.canbo")
    admin.get(f"/admin/users/{uid}")
    for weak in ("1", "short", "aaaaaaaaaaaa"):
        r = admin.post(f"/admin/users/{uid}/password", {"password": weak})
        assert r.status_code == 422, weak
    assert token(admin.client, "vtc.canbo").status_code == 201  # unchanged


# --- M7, M8, L5: hostile bodies and files at the API ----------------------------------------

def test_hostile_bodies_get_a_clear_4xx_and_change_nothing(app, login, db, open_plan):
    client = app.test_client()
    deep = '{"username": ' + "[" * 100_000 + "]" * 100_000 + ', "password": "x"}'
    r = client.post("/api/v1/auth/token", data=deep, content_type="application/json")
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "body"
    with db.read() as s:
        plans_before = s.execute(select(func.count()).select_from(Plan)
                                 ).scalar()
    leader = login("bo.lanhdao")
    flood = {"number": "99/KH-BTTTT", "title": "Kế hoạch giả", "kind": "thematic",
             "milestones": [{"text": "trước ngày 15/01/2027", "purpose": "report"}] * 15_000}
    r = leader.post("/plans", json=flood)
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "milestones"
    r = leader.post("/plans", json={**flood, "milestones": flood["milestones"][:101]})
    assert r.status_code == 422 and "at most 100" in leader.client.post(
        "/api/v1/plans?lang=en", json={**flood, "milestones": flood["milestones"][:101]},
        headers=leader.headers).get_json()["error"]["message"]
    with db.read() as s:
        assert s.execute(select(func.count()).select_from(Plan)
                         ).scalar() == plans_before


def test_a_workbook_with_a_dtd_is_a_422_at_the_import(login, open_plan):
    import io
    from tests.unit.test_trust_bounded_input import rewrite_sheet, workbook
    officer = login("vtc.canbo")
    d = officer.post("/dossiers", json={"plan_id": open_plan, "number": "77/TTr-VTC"})
    assert d.status_code == 201, d.get_json()
    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    data = rewrite_sheet(workbook(2), lambda x: bomb + x.split("?>", 1)[-1])
    r = officer.client.post(f"/api/v1/dossiers/{d.get_json()['id']}/import", headers=officer.headers,
                            content_type="multipart/form-data", data={"file": (io.BytesIO(data), "ds.xlsx")})
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "file"


def test_a_double_click_on_the_new_nomination_form_makes_one_draft_and_a_409(web_on, db, open_plan):
    officer = web_on("vtc.canbo")
    officer.get(f"/nominations/new?plan_id={open_plan}")
    form = {"plan_id": str(open_plan), "award_type": "giay_khen", "nominee.kind": "individual",
            "nominee.name": "Ông Văn Tú", "nominee.title": "Kỹ thuật viên", "achievements": "Hoàn thành tốt nhiệm vụ"}
    first = officer.post("/nominations/new", form)
    second = officer.post("/nominations/new", {**form, "nominee.name": "ông  văn TÚ"})
    assert first.status_code == 303 and second.status_code == 409
    with db.read() as s:
        from workflow import validation as v
        from workflow.models import Nomination
        assert s.execute(select(func.count()).select_from(Nomination).where(
            Nomination.nominee_key == v.name_key("Ông Văn Tú"))).scalar() == 1


def test_the_scheduler_forgets_throttles_quiet_for_a_day(app, db, clock):
    import threading as th
    from scheduler.jobs import SweepJob
    attacker = app.test_client()
    for i in range(3):
        token(attacker, f"khong-co-{i}", "sai", ATTACKER)
    with db.read() as s:
        assert s.execute(select(func.count()).select_from(LoginThrottle)).scalar() == 3
    clock.advance(hours=25)
    settings = app.extensions["khenthuong"].settings
    SweepJob(db, settings, "test-scheduler", clock, th.Event()).run_once()
    with db.read() as s:
        assert s.execute(select(func.count()).select_from(LoginThrottle)).scalar() == 0
