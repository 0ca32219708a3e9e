"""Schemathesis against the live server: whatever a client sends to an endpoint of
/api/v1/openapi.json, the answer is never a 5xx and always matches the published schema.

Bounded and reproducible: each operation gets MAX_EXAMPLES generated requests, derandomized,
for two demo users (a unit officer and a ministry reviewer), on a fresh copy of the demo that
already holds a draft and a submitted nomination (so ids 1, 2... are found, not only 404s).
"""
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import content_type_conformance, not_a_server_error, response_schema_conformance

from tests.live_server import *

MAX_EXAMPLES = 50
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]

schema = schemathesis.pytest.from_fixture("api_schema")
# One run shares its token across every operation: revoking it would turn the rest into 401s,
# so revocation is fuzzed on its own, with a token of its own.
schema_but_revoke = schema.exclude(path="/auth/revoke")
only_revoke = schema.include(path="/auth/revoke")


def bearer(live_server, username: str) -> dict:
    return {"Authorization": f"Bearer {live_token(live_server, username)}"}


@pytest.fixture
def unit_officer(live_server, open_plan_live) -> dict:
    return bearer(live_server, "vtc.canbo")


@pytest.fixture
def ministry_reviewer(live_server, open_plan_live) -> dict:
    return bearer(live_server, "bo.chuyenvien")


@pytest.fixture
def open_plan_live(live_server) -> int:
    """The open plan, with a VTC draft and a VTC nomination already before the council."""
    officer = {"Authorization": f"Bearer {live_token(live_server, 'vtc.canbo')}"}
    plans = requests.get(f"{live_server.url}/api/v1/plans", headers=officer, timeout=10).json()["items"]
    plan_id = next(p["id"] for p in plans if p["accepting_nominations"])
    for name, submit in (("Nguyễn Văn An", False), ("Trần Thị Bình", True)):
        r = requests.post(f"{live_server.url}/api/v1/nominations", headers=officer, timeout=10, json={
            "plan_id": plan_id, "award_type": "bang_khen_bo", "achievements": "Hoàn thành xuất sắc nhiệm vụ.",
            "nominee": {"kind": "individual", "name": name, "title": "Phóng viên"}})
        assert r.status_code == 201, r.text
        if submit:
            r = requests.post(f"{live_server.url}/api/v1/nominations/{r.json()['id']}/submit", headers=officer,
                              timeout=10)
            assert r.status_code == 200, r.text
    return plan_id


@pytest.fixture
def api_schema(live_server):
    spec = requests.get(f"{live_server.url}/api/v1/openapi.json", timeout=10)
    assert spec.status_code == 200
    return schemathesis.openapi.from_dict(spec.json())


FUZZ = settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.filter_too_much])


def call(case, live_server, headers) -> None:
    case.call_and_validate(base_url=f"{live_server.url}/api/v1", headers=headers, checks=CHECKS, timeout=30)


@schema_but_revoke.parametrize()
@FUZZ
def test_a_unit_officer_never_gets_a_server_error_or_an_answer_outside_the_schema(case, live_server, unit_officer):
    call(case, live_server, unit_officer)


@schema_but_revoke.parametrize()
@FUZZ
def test_a_ministry_reviewer_never_gets_a_server_error_or_an_answer_outside_the_schema(case, live_server,
                                                                                        ministry_reviewer):
    call(case, live_server, ministry_reviewer)


@only_revoke.parametrize()
@FUZZ
def test_revoking_a_token_never_gets_a_server_error_or_an_answer_outside_the_schema(case, live_server):
    call(case, live_server, bearer(live_server, "vtc.canbo"))


def test_the_fuzz_is_made_while_logged_in(live_server, unit_officer, ministry_reviewer):
    """Guard: the tokens the runs use are good (a run of 401s would check nothing)."""
    for headers in (unit_officer, ministry_reviewer):
        assert requests.get(f"{live_server.url}/api/v1/me", headers=headers, timeout=10).status_code == 200


def test_the_openapi_description_covers_every_api_route(app):
    """The fuzzing above reaches only what the description lists: every route under /api/v1 must be in it."""
    import re
    from web.api.openapi import spec
    def shape(path):  # parameter names may differ; /dossiers/{id} and /dossiers/<int:dossier_id> are one route
        return re.sub(r"\{[^}]*\}", "{}", path)
    described = {(shape(path), method) for path, ops in spec()["paths"].items() for method in ops}
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint.endswith("openapi"):
            continue
        path = re.sub(r"<[^>]*>", "{}", rule.rule.removeprefix("/api/v1"))
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            routes.add((path, method.lower()))
    missing = sorted(r for r in routes if r not in described)
    assert not missing, f"{len(missing)} API routes are not in openapi.json: {missing}"
