"""Who may see and do what, for every demo role, over the API and the pages.

The expected table is written by hand from shared/API.md and the access rules: unit roles see
their unit's nominations, drafts included; ministry, province, central and auditor roles see
what units of their subtree have submitted; the administrator sees everything. What a user may
not see does not exist for them: 404, never 403. Tokens expire and can be revoked; secrets are
stored hashed; guessing passwords is slowed down.
"""
import pytest
from sqlalchemy import select

from workflow.auth.throttle import FREE_ATTEMPTS
from workflow.models import ApiToken, User
from tests.browser_support import WebUser
from tests.conftest import DEMO_PASSWORD
from workflow.demo.data import USERS as DEMO_USERS

ROLES = ["admin", "vtc.canbo", "vtc.hoidong", "vtc.thutruong", "baochi.canbo", "bo.chuyenvien", "bo.lanhdao",
         "tinh.canbo", "tinh.hoidong", "tinh.thutruong", "tinh.chuyenvien", "tinh.lanhdao", "tw.chuyenvien",
         "tw.lanhdao", "kiemtra"]

# The nominations of the scenario: (who drafts it, submitted?)
NOMINATIONS = {
    "vtc_draft": ("vtc.canbo", False),       # own unit of VTC's people, not yet sent
    "vtc_sent": ("vtc.canbo", True),          # own unit, before its council
    "baochi_sent": ("baochi.canbo", True),    # another unit of the same ministry
    "tinh_draft": ("tinh.canbo", False),      # a unit under another ministry-level body (the province)
    "tinh_sent": ("tinh.canbo", True),
}
ALL = set(NOMINATIONS)
VTC_UNIT = {"vtc_draft", "vtc_sent"}
TINH_UNIT = {"tinh_draft", "tinh_sent"}
SEES = {  # by hand, from the rules
    "admin": ALL,
    "vtc.canbo": VTC_UNIT, "vtc.hoidong": VTC_UNIT, "vtc.thutruong": VTC_UNIT,
    "baochi.canbo": {"baochi_sent"},
    "bo.chuyenvien": {"vtc_sent", "baochi_sent"}, "bo.lanhdao": {"vtc_sent", "baochi_sent"},
    "kiemtra": {"vtc_sent", "baochi_sent"},
    "tinh.canbo": TINH_UNIT, "tinh.hoidong": TINH_UNIT, "tinh.thutruong": TINH_UNIT,
    "tinh.chuyenvien": {"tinh_sent"}, "tinh.lanhdao": {"tinh_sent"},
    "tw.chuyenvien": {"vtc_sent", "baochi_sent", "tinh_sent"}, "tw.lanhdao": {"vtc_sent", "baochi_sent", "tinh_sent"},
}
# The audit log: an auditor reads every event recorded in their org subtree (drafts included);
# everyone else reads the events of the nominations they may see.
AUDIT_SEES = {**SEES, "kiemtra": {"vtc_draft", "vtc_sent", "baochi_sent"}}
PLAN_OWNERS = {"admin", "bo.chuyenvien", "bo.lanhdao", "tinh.chuyenvien", "tinh.lanhdao", "tw.chuyenvien",
               "tw.lanhdao"}
LOG_VERIFIERS = {"admin", "kiemtra"}
# A plan concerns the orgs below its issuer and those above it.
SEES_MINISTRY_PLAN = {r for r in ROLES if not r.startswith("tinh.")}
SEES_PROVINCE_PLAN = {r for r in ROLES if r.startswith(("tinh.", "tw.")) or r == "admin"}


@pytest.fixture
def scenario(login, open_plan) -> dict[str, int]:
    """The five nominations of the table, made through the API: name → id."""
    ids = {}
    for key, (officer, sent) in NOMINATIONS.items():
        api = login(officer)
        r = api.post("/nominations", json={
            "plan_id": open_plan, "award_type": "bang_khen_bo", "achievements": "Hoàn thành xuất sắc nhiệm vụ.",
            "nominee": {"kind": "individual", "name": f"Người đề nghị {key}", "title": "Chuyên viên"}})
        assert r.status_code == 201, r.get_json()
        ids[key] = r.get_json()["id"]
        if sent:
            assert api.post(f"/nominations/{ids[key]}/submit").status_code == 200
    return ids


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_exactly_the_nominations_the_rules_give_it(role, login, scenario):
    api = login(role)
    listed = set()
    cursor = None
    while True:
        page = api.get("/nominations?limit=100" + (f"&cursor={cursor}" if cursor else "")).get_json()
        listed |= {x["id"] for x in page["items"]}
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert {k for k, i in scenario.items() if i in listed} == SEES[role]
    for key, nid in scenario.items():
        expected = 200 if key in SEES[role] else 404
        for path in (f"/nominations/{nid}", f"/nominations/{nid}/history", f"/nominations/{nid}/diagram"):
            r = api.get(path)
            assert r.status_code == expected, (role, key, path, r.status_code)
            if expected == 404:
                assert r.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("role", ROLES)
def test_acting_on_what_one_may_not_see_is_404_and_on_what_one_may_see_never_succeeds_by_accident(
        role, login, scenario):
    api = login(role)
    for key, nid in scenario.items():
        before = login("admin").get(f"/nominations/{nid}").get_json()
        for r in (api.post(f"/nominations/{nid}/approve", json={"version": 999}),
                  api.post(f"/nominations/{nid}/withdraw", json={"version": 999}),
                  api.patch(f"/nominations/{nid}", json={"version": 999, "achievements": "Sửa trộm"})):
            if key in SEES[role]:
                assert r.status_code in (403, 409), (role, key, r.status_code, r.get_json())
            else:
                assert r.status_code == 404, (role, key, r.status_code, r.get_json())
        after = login("admin").get(f"/nominations/{nid}").get_json()
        assert (after["state"], after["version"]) == (before["state"], before["version"])


@pytest.mark.parametrize("role", ROLES)
def test_the_audit_log_shows_each_role_only_the_events_it_may_read(role, login, scenario):
    api = login(role)
    for key, nid in scenario.items():
        r = api.get(f"/audit?nomination_id={nid}")
        assert r.status_code == 200, (role, key, r.get_json())
        assert bool(r.get_json()["items"]) == (key in AUDIT_SEES[role]), (role, key)


@pytest.mark.parametrize("role", ROLES)
def test_role_only_endpoints_answer_403_to_other_roles(role, login):
    api = login(role)
    r = api.post("/plans", json={})  # owners get past the role check to the empty body
    assert r.status_code == (422 if role in PLAN_OWNERS else 403), (role, r.get_json())
    r = api.get("/audit/verify")
    assert r.status_code == (200 if role in LOG_VERIFIERS else 403), (role, r.get_json())
    r = api.post("/calendar/overrides", json={"day": "2026-12-30", "working": False, "note": "Nghỉ bù"})
    assert r.status_code == (201 if role == "admin" else 403), (role, r.get_json())
    plans = {p["number"]: p["id"] for p in login("admin").get("/plans").get_json()["items"]}
    for number, seen_by in (("3793/KH-BTTTT", SEES_MINISTRY_PLAN), ("186/KH-UBND", SEES_PROVINCE_PLAN)):
        r = api.get(f"/plans/{plans[number]}")
        assert r.status_code == (200 if role in seen_by else 404), (role, number, r.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_the_pages_follow_the_same_table(role, app, scenario):
    browser = WebUser(app, role)
    for key, nid in scenario.items():
        r = browser.get(f"/nominations/{nid}")
        assert r.status_code == (200 if key in SEES[role] else 404), (role, key, r.status_code)
    for path in ("/inbox", "/plans", "/audit", "/dashboard", "/dossiers", "/decisions", "/dossiers/aggregate"):
        assert browser.get(path).status_code == 200, (role, path)
    assert browser.get("/admin").status_code == (200 if role == "admin" else 403), role
    assert browser.get("/dossiers/new").status_code == (200 if role in OFFICERS else 403), role


OFFICERS = {"vtc.canbo", "baochi.canbo", "tinh.canbo"}


@pytest.fixture
def dossier_scenario(login, open_plan) -> dict[str, int]:
    """A dossier for each nomination of the table, carrying it: name → dossier id."""
    ids = {}
    for i, (key, (officer, sent)) in enumerate(NOMINATIONS.items()):
        api = login(officer)
        r = api.post("/dossiers", json={"plan_id": open_plan, "number": f"{101 + i}/TTr-MATRIX"})
        assert r.status_code == 201, r.get_json()
        ids[key] = r.get_json()["id"]
        r = api.post(f"/dossiers/{ids[key]}/nominations", json={
            "award_type": "bang_khen_bo", "achievements": "Hoàn thành xuất sắc nhiệm vụ.",
            "nominee": {"kind": "individual", "name": f"Người trong hồ sơ {key}"}})
        assert r.status_code == 201, r.get_json()
        if sent:
            assert api.post(f"/dossiers/{ids[key]}/submit").status_code == 200
    return ids


@pytest.mark.parametrize("role", ROLES)
def test_the_dossier_pages_follow_the_same_table(role, app, dossier_scenario):
    browser = WebUser(app, role)
    listed = WebUser.text(browser.get("/dossiers"))
    for i, (key, did) in enumerate(dossier_scenario.items()):
        seen = key in SEES[role]
        r = browser.get(f"/dossiers/{did}")
        assert r.status_code == (200 if seen else 404), (role, key)
        assert (f"Người trong hồ sơ {key}" in WebUser.text(r)) == seen, (role, key)
        assert browser.client.get(f"/dossiers/{did}/export.xlsx").status_code == (200 if seen else 404)
        assert (f"{101 + i}/TTr-MATRIX" in listed) == seen, (role, key)
        r = browser.post(f"/dossiers/{did}/return", {"version": "99", "reason": "Thử"})
        assert r.status_code == (409 if seen else 404), (role, key, r.status_code)


def test_without_a_login_the_pages_send_to_the_login_form_and_the_api_answers_401(client, scenario):
    nid = scenario["vtc_sent"]
    for path in ("/inbox", f"/nominations/{nid}", "/plans", "/audit", "/admin", "/dashboard", "/dossiers",
                 "/decisions", "/dossiers/new"):
        r = client.get(path)
        assert r.status_code == 302 and "/login" in r.headers["Location"], path
    for path in ("/me", "/nominations", f"/nominations/{nid}", "/inbox", "/audit", "/dossiers", "/plans"):
        r = client.get(f"/api/v1{path}")
        assert r.status_code == 401 and r.get_json()["error"]["code"] == "unauthenticated", path


# --- tokens and secrets --------------------------------------------------------------------

def test_a_token_stops_working_when_it_expires(client, clock):
    r = client.post("/api/v1/auth/token", json={"username": "vtc.canbo", "password": DEMO_PASSWORD})
    token, expires_at = r.get_json()["token"], r.get_json()["expires_at"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=bearer).status_code == 200
    from datetime import datetime
    clock.now = datetime.fromisoformat(expires_at)
    clock.advance(seconds=1)
    r = client.get("/api/v1/me", headers=bearer)
    assert r.status_code == 401 and r.get_json()["error"]["code"] == "unauthenticated"


def test_a_revoked_token_is_dead_and_the_users_other_tokens_live_on(client):
    def token():
        return client.post("/api/v1/auth/token", json={"username": "bo.chuyenvien",
                                                       "password": DEMO_PASSWORD}).get_json()["token"]
    laptop, script = token(), token()
    assert client.post("/api/v1/auth/revoke", headers={"Authorization": f"Bearer {laptop}"}).status_code == 200
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {laptop}"}).status_code == 401
    assert client.post("/api/v1/auth/revoke", headers={"Authorization": f"Bearer {laptop}"}).status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {script}"}).status_code == 200


def test_passwords_and_tokens_are_stored_hashed(client, db):
    token = client.post("/api/v1/auth/token", json={"username": "vtc.canbo",
                                                    "password": DEMO_PASSWORD}).get_json()["token"]
    with db.read() as s:
        hashes = [u.password_hash for u in s.execute(select(User)).scalars()]
        rows = [(t.token_hash, *(str(getattr(t, c.key)) for c in ApiToken.__table__.columns))
                for t in s.execute(select(ApiToken)).scalars()]
    assert len(hashes) == len(DEMO_USERS)
    for h in hashes:
        assert DEMO_PASSWORD not in h and h.startswith("$argon2id$")
    assert rows, "the token issued is not in api_tokens"
    for row in rows:
        assert all(token not in value for value in row)
        assert len(row[0]) == 64 and row[0] != token


def test_guessing_a_password_is_held_back_from_the_5th_attempt_on_the_api_and_the_form(client, app):
    """Issue 13 M5: no hard lock, a throttle per (username, client address): FREE_ATTEMPTS (4)
    failures cost nothing, the next attempt from that address waits, whatever its password."""
    assert FREE_ATTEMPTS == 4
    for _ in range(FREE_ATTEMPTS):
        r = client.post("/api/v1/auth/token", json={"username": "tw.lanhdao", "password": "doan-mo"})
        assert r.status_code == 401
    r = client.post("/api/v1/auth/token", json={"username": "tw.lanhdao", "password": DEMO_PASSWORD})
    assert r.status_code == 429 and r.get_json()["error"]["code"] == "rate_limited"
    # the login form shares the count: the right password is refused there too, and no session starts
    browser = WebUser(app)
    r = browser.login("tw.lanhdao")
    assert r.status_code == 429
    assert browser.get("/inbox").status_code == 302
    # failures on the form alone are enough as well
    for _ in range(FREE_ATTEMPTS):
        assert browser.login("tinh.lanhdao", "doan-mo").status_code == 401
    assert browser.login("tinh.lanhdao").status_code == 429
