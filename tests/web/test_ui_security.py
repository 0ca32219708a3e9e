"""The web UI under hostile use: forged forms, scripts in names, framing, other units' data."""
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from workflow.models import (AuditEvent, AwardType, Comment, Decision, Delegation, Dossier, Nomination, Person,
                             PersonDiscipline, PersonRating, PersonRecord, SignedPaper, User)
from tests.browser_support import *
from tests.conftest import DEMO_PASSWORD, NOW, snapshot
from tests.scenarios import act, draft

TEMPLATES = Path(__file__).resolve().parents[2] / "web" / "templates"


def totals(db) -> tuple[int, int, int]:
    """Rows of what the forms write (nominations, audit events, users, people and their records,
    comments, delegations, decisions, signed papers): none may move when a form is refused."""
    with db.read() as s:
        return tuple(s.execute(select(func.count()).select_from(m)).scalar_one()
                     for m in (Nomination, AuditEvent, User, Person, PersonRecord, PersonDiscipline, PersonRating,
                               Comment, Delegation, Decision, SignedPaper))


def test_every_page_sends_the_security_headers(web):
    officer = web("vtc.canbo")
    for path in ("/login", "/inbox", "/nominations", "/plans", "/dashboard", "/dossiers", "/decisions",
                 "/no-such-page"):
        h = officer.get(path).headers
        csp = h["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert h["X-Frame-Options"] == "DENY"
        assert h["X-Content-Type-Options"] == "nosniff"
        assert h["Referrer-Policy"] == "same-origin"
    assert officer.get("/inbox").headers["Cache-Control"] == "no-store"


def test_no_template_has_an_inline_script_or_style():
    files = list(TEMPLATES.rglob("*.html"))
    assert len(files) > 10
    for f in files:
        text = f.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), f"inline script in {f.name}"
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=", text), f"inline style or handler in {f.name}"
        assert "|safe" not in text and "Markup(" not in text, f"unescaped output in {f.name}"


def test_the_session_cookie_is_httponly_and_lax_and_secure_when_configured(sqlite_db, clock):
    plain = WebUser(make_app(sqlite_db, clock))
    cookie = plain.login("vtc.canbo").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    browser = make_app(sqlite_db, clock, SESSION_COOKIE_SECURE=True).test_client()
    https = {"base_url": "https://kt.example.vn", "headers": {"Referer": "https://kt.example.vn/login"}}
    token = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/login", **https).get_data(as_text=True))
    r = browser.post("/login", data={"username": "vtc.canbo", "password": DEMO_PASSWORD,
                                     "csrf_token": token.group(1)}, **https)
    assert r.status_code == 302 and "Secure" in r.headers["Set-Cookie"]
    assert r.headers["Strict-Transport-Security"].startswith("max-age=")


def test_every_form_of_the_ui_is_refused_without_its_csrf_token(ui_app, sqlite_db, people, plan):
    from workflow.dossiers import service as dossiers
    n = draft(sqlite_db, people, plan)
    d = dossiers.create_dossier(sqlite_db, people["vtc.canbo"], plan_id=plan, number="45/TTr-VTC", now=NOW)
    dossiers.add_nominations(sqlite_db, people["vtc.canbo"], d.id, {"nomination_ids": [n.id]}, now=NOW)
    n_version = snapshot(sqlite_db, n.id)[1]
    with sqlite_db.read() as s:
        person_id = s.get(Nomination, n.id).person_id
    assert person_id is not None  # the draft's nominee is in the people register
    # Every path parameter of a form must have a value here (building a rule fails otherwise).
    # No decision exists: without the CSRF check its forms would answer 404, not 400.
    fill = {"nomination_id": n.id, "action": "submit", "user_id": people["vtc.canbo"], "code": "giay_khen",
            "plan_id": plan, "obligation_id": 1, "dossier_id": d.id, "org_id": 1, "person_id": person_id,
            "decision_id": 1, "root_id": 1}
    posts = [r for r in ui_app.url_map.iter_rules() if r.endpoint.startswith("ui.") and "POST" in r.methods]
    assert len(posts) >= 20  # login, logout, bulk, act, new, edit, admin, dossiers, decisions...
    assert {"/dossiers/<int:dossier_id>/votes", "/dossiers/<int:dossier_id>/import", "/dossiers/aggregate",
            "/decisions", "/people/<int:person_id>/history", "/people/<int:person_id>/discipline",
            "/people/<int:person_id>/ratings", "/dossiers/<int:dossier_id>/sign", "/dossiers/<int:dossier_id>/assign",
            "/nominations/<int:nomination_id>/comments", "/delegations", "/admin/orgs",
            "/decisions/<int:decision_id>/papers/sign", "/papers/certificate-layout",
            "/admin/login-throttles/clear", "/notifications/read"} <= {r.rule for r in posts}
    for username in ("vtc.canbo", "admin"):
        user = WebUser(ui_app, username)
        before = totals(sqlite_db)
        for rule in posts:
            path = rule.build({k: v for k, v in fill.items() if k in rule.arguments})[1]
            r = user.post(path, {"reason": "x", "version": "1", "username": "attacker.new",
                                 "full_name": "Kẻ gian", "role": "admin", "org_id": "1",
                                 "password": "0123456789abc", "ids": str(n.id), "action": "submit",
                                 "dossier_id": str(d.id), "aggregate.number": "9/TTr-X", "all": "1",
                                 "decision.number": "1/QĐ-X", "decision.date": "23/11/2026",
                                 "text": "Bình luận giả", "kind": "khen_thuong", "year": "2025",
                                 "award_code": "giay_khen", "rating": "htxsnv", "delegate": "vtc.hoidong",
                                 "delegate_id": str(people["vtc.hoidong"]), "assignee_id": str(people["vtc.hoidong"]),
                                 "starts_on": "23/11/2026", "ends_on": "30/11/2026", "code": "X", "name": "Giả",
                                 "parent": "TW"},
                          csrf=False)
            assert r.status_code == 400, (rule.rule, r.status_code)
            assert "mã bảo vệ" in WebUser.text(r)
        assert totals(sqlite_db) == before
    assert snapshot(sqlite_db, n.id)[:2] == ("draft", n_version)
    with sqlite_db.read() as s:
        assert (s.get(Dossier, d.id).state, s.get(Dossier, d.id).version) == ("draft", d.version + 1)


def test_a_token_from_another_session_does_not_pass(web, sqlite_db, people, plan):
    n = draft(sqlite_db, people, plan)
    attacker, officer = web("baochi.canbo"), web("vtc.canbo")
    attacker.get("/inbox")
    r = officer.client.post(f"/nominations/{n.id}/act/submit", data={"version": "1", "csrf_token": attacker.csrf})
    assert r.status_code == 400
    assert snapshot(sqlite_db, n.id)[:2] == ("draft", 1)


def test_the_json_api_keeps_working_with_bearer_tokens_and_no_csrf(ui_app, plan):
    api = ui_app.test_client()
    tok = api.post("/api/v1/auth/token", json={"username": "vtc.canbo", "password": DEMO_PASSWORD}).get_json()
    r = api.post("/api/v1/nominations", headers={"Authorization": f"Bearer {tok['token']}"},
                 json={"plan_id": plan, "award_type": "giay_khen", "achievements": "Hoàn thành tốt nhiệm vụ.",
                       "nominee": {"kind": "individual", "name": "Đinh Thị Lụa"}})
    assert r.status_code == 201


def test_a_script_typed_as_a_name_is_shown_as_text_everywhere(web, sqlite_db, people, plan):
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    n = draft(sqlite_db, people, plan, name=evil)
    act(sqlite_db, people, "vtc.canbo", n.id, "submit")
    act(sqlite_db, people, "vtc.canbo", n.id, "withdraw", reason='"><script>alert(2)</script>')
    officer = web("vtc.canbo")
    for path in (f"/nominations/{n.id}", "/nominations", f"/audit?nomination_id={n.id}"):
        body = WebUser.text(officer.get(path))
        assert "<script>alert" not in body and "<img src=x" not in body, path
        assert "&lt;script&gt;alert(" in body, path


def test_someone_of_another_unit_gets_not_found_and_learns_nothing(web, sqlite_db, people, plan):
    n = draft(sqlite_db, people, plan, name="Hoàng Thị Bí Mật")
    other = web("baochi.canbo")
    for path in (f"/nominations/{n.id}", f"/nominations/{n.id}/edit", f"/nominations/{n.id}/documents/1"):
        r = other.get(path)
        assert r.status_code == 404 and "Bí Mật" not in WebUser.text(r), path
    r = other.post(f"/nominations/{n.id}/act/withdraw", {"version": "1"})
    assert r.status_code == 404
    for path in ("/inbox", "/nominations", "/dashboard", "/plans", "/audit"):
        assert "Bí Mật" not in WebUser.text(other.get(path)), path
    assert snapshot(sqlite_db, n.id)[:2] == ("draft", 1)
    # the province's plan is not the ministry unit's to see
    with sqlite_db.read() as s:
        from workflow.models import Plan
        province_plan = s.execute(select(Plan.id).where(Plan.number == "186/KH-UBND")).scalar_one()
    assert other.get(f"/plans/{province_plan}").status_code == 404


def test_a_draft_cannot_be_created_for_another_unit_or_by_a_reviewer(web, sqlite_db, plan):
    reviewer = web("bo.chuyenvien")
    assert reviewer.get("/nominations/new").status_code == 403
    before = totals(sqlite_db)
    r = reviewer.post("/nominations/new", {"plan_id": str(plan), "award_type": "giay_khen",
                                           "nominee.kind": "individual", "nominee.name": "Người Ngoài",
                                           "achievements": "x", "unit_id": "1"})
    assert r.status_code == 403 and totals(sqlite_db) == before


def test_pages_need_a_login_and_come_back_after_it(web):
    visitor = web()
    r = visitor.get("/inbox?plan_id=1")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    r = visitor.login("vtc.canbo", next="/inbox?plan_id=1")
    assert r.headers["Location"] == "/inbox?plan_id=1"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example",
                                    "javascript:alert(1)"])
def test_the_login_never_redirects_to_another_site(web, target):
    r = web().login("vtc.canbo", next=target)
    assert r.status_code == 302 and r.headers["Location"] == "/inbox"


def test_a_wrong_password_says_so_and_repeated_failures_slow_the_login_down(web):
    visitor = web()
    r = visitor.login("bo.lanhdao", "sai-mat-khau")
    assert r.status_code == 401 and "Sai tên đăng nhập hoặc mật khẩu" in WebUser.text(r)
    for _ in range(4):
        visitor.login("bo.lanhdao", "sai-mat-khau")
    r = visitor.login("bo.lanhdao")  # the right password, too late
    assert r.status_code == 429 and "hãy thử lại sau" in WebUser.text(r) and "giây" in WebUser.text(r)


def test_logging_out_ends_the_session(web):
    officer = web("vtc.canbo")
    assert officer.get("/inbox").status_code == 200
    assert officer.get("/logout").status_code == 200  # a confirmation page, not a GET side effect
    assert officer.get("/inbox").status_code == 200
    r = officer.post("/logout")
    assert r.status_code == 302 and r.headers["Location"] == "/login"
    assert officer.get("/inbox").status_code == 302


def test_a_deactivated_account_is_logged_out_at_its_next_click(web, sqlite_db, people):
    officer = web("vtc.canbo")
    assert officer.get("/inbox").status_code == 200
    with sqlite_db.write() as s:
        s.get(User, people["vtc.canbo"]).active = False
    r = officer.get("/inbox")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_error_pages_are_friendly_and_in_the_page_language(web):
    officer = web("vtc.canbo")
    r = officer.get("/nominations/999999", headers={"Referer": "https://evil.example/phish"})
    assert r.status_code == 404 and "Không tìm thấy" in WebUser.text(r) and 'lang="vi"' in WebUser.text(r)
    assert "evil.example" not in WebUser.text(r)  # the "back" link only ever points into the site
    r = officer.get("/nominations/999999", headers={"Referer": "http://localhost/plans"})
    assert 'href="/plans"' in WebUser.text(r)
    r = officer.get("/admin?lang=en")
    assert r.status_code == 403 and "You may not do this" in WebUser.text(r)
    r = officer.get("/nominations/999999")
    assert "Not found" in WebUser.text(r)


def test_disabled_award_types_are_not_offered_to_officers(web, sqlite_db):
    with sqlite_db.write() as s:
        s.get(AwardType, "giay_khen").active = False
    body = WebUser.text(web("vtc.canbo").get("/nominations/new"))
    assert 'value="giay_khen"' not in body and 'value="bang_khen_bo"' in body


def test_documents_are_listed_to_those_who_may_see_them_and_only_ever_downloaded(web, sqlite_db, people, plan):
    from workflow.dossiers import attachments
    from workflow.dossiers import service as dossiers
    n = draft(sqlite_db, people, plan, name="Có Tài Liệu")
    officer_id = people["vtc.canbo"]
    d = dossiers.create_dossier(sqlite_db, officer_id, plan_id=plan, number="12/TTr-VTC", now=NOW)
    dossiers.add_nominations(sqlite_db, officer_id, d.id, {"nomination_ids": [n.id]}, now=NOW)
    report = attachments.upload(sqlite_db, officer_id, d.id, doc_type="bao_cao_thanh_tich", filename="bao-cao.pdf",
                                data=b"%PDF-1.4 thanh tich", nomination_id=n.id, now=NOW)
    officer = web("vtc.canbo")
    page = WebUser.text(officer.get(f"/nominations/{n.id}"))
    assert "bao-cao.pdf" in page and "✓ Báo cáo thành tích" in page
    r = officer.get(f"/nominations/{n.id}/documents/{report['id']}")
    assert r.status_code == 200 and r.data == b"%PDF-1.4 thanh tich"
    assert r.headers["Content-Disposition"].startswith("attachment;")
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert web("baochi.canbo").get(f"/nominations/{n.id}/documents/{report['id']}").status_code == 404
    assert officer.get(f"/nominations/{n.id}/documents/{report['id'] + 999}").status_code == 404
