"""The JSON API as scripts and reviewers use it (shared/API.md)."""
import pytest

from tests.conftest import DEMO_PASSWORD, counts

NOMINEE = {"kind": "individual", "name": "Nguyễn Thị Thu Hà", "title": "Biên tập viên"}


def create(api, plan, **over):
    body = {"plan_id": plan, "award_type": "bang_khen_thu_tuong", "nominee": NOMINEE,
            "achievements": "Hoàn thành xuất sắc nhiệm vụ hai năm liên tục.", **over}
    return api.post("/nominations", json=body)


def test_a_user_logs_in_and_sees_who_they_are(client, login):
    r = client.post("/api/v1/auth/token", json={"username": "vtc.canbo", "password": DEMO_PASSWORD})
    assert r.status_code == 201 and r.get_json()["token"] and r.get_json()["expires_at"]
    me = login("vtc.canbo").get("/me").get_json()
    assert me["username"] == "vtc.canbo" and me["roles"] == ["unit_officer"]
    assert me["org"]["name"] == "Tổng công ty Truyền thông đa phương tiện (VTC)"


def test_wrong_password_or_no_token_is_401_in_the_error_format(client):
    r = client.post("/api/v1/auth/token", json={"username": "vtc.canbo", "password": "nope"})
    assert r.status_code == 401 and r.get_json()["error"]["code"] == "unauthenticated"
    r = client.get("/api/v1/me")
    assert r.status_code == 401 and set(r.get_json()["error"]) >= {"code", "message"}
    r = client.get("/api/v1/me", headers={"Authorization": "Bearer not-a-token"})
    assert r.status_code == 401


def test_a_revoked_token_no_longer_works(login):
    api = login("vtc.canbo")
    assert api.post("/auth/revoke").status_code == 200
    assert api.get("/me").status_code == 401


def test_login_is_rate_limited_after_repeated_failures(client):
    for _ in range(4):
        assert client.post("/api/v1/auth/token", json={"username": "bo.lanhdao", "password": "x"}).status_code == 401
    r = client.post("/api/v1/auth/token", json={"username": "bo.lanhdao", "password": DEMO_PASSWORD})
    assert r.status_code == 429 and r.get_json()["error"]["code"] == "rate_limited"
    assert int(r.headers["Retry-After"]) >= 1


def test_award_types_show_route_deciding_level_and_threshold(login):
    items = {a["code"]: a for a in login("vtc.canbo").get("/award-types").get_json()["items"]}
    assert {"giay_khen", "bang_khen_bo", "bang_khen_thu_tuong", "lao_dong_tien_tien",
            "chien_si_thi_dua_co_so"} <= set(items)
    # Unit council and head, ministry appraisal, council and minister, central appraisal and decision.
    assert items["bang_khen_thu_tuong"]["route"] == ["council", "unit", "ministry", "central"]  # the levels passed
    assert [s["state"] for s in items["bang_khen_thu_tuong"]["steps"]] == [
        "council_review", "unit_review", "ministry_review", "ministry_council", "ministry_decision",
        "central_review", "central_decision"]
    assert items["bang_khen_thu_tuong"]["deciding_level"] == "central"
    # Giấy khen: the head of the department-level unit or the commune chairman (Law Art. 75, 80).
    assert items["giay_khen"]["deciding_level"] == "department"
    assert items["chien_si_thi_dua_co_so"]["vote_threshold"] == 0.8
    assert items["chien_si_thi_dua_toan_quoc"]["vote_threshold"] == 0.9


def test_plans_list_the_seeds_with_their_deadlines_and_one_open_plan(login):
    plans = login("vtc.canbo").get("/plans").get_json()["items"]
    by_number = {p["number"]: p for p in plans}
    assert "3793/KH-BTTTT" in by_number
    kh2014 = next(p for p in plans if p["title"].startswith("Tổ chức Đại hội Thi đua"))
    assert [(m["text"], m["periods"]) for m in kh2014["milestones"]] == [
        ("trước tháng 8 năm 2014", [{"start": None, "end": "2014-07-31"}]),
        ("trước quý II năm 2015", [{"start": None, "end": "2015-03-31"}]),
        ("trong quý III năm 2015", [{"start": "2015-07-01", "end": "2015-09-30"}]),
    ]
    open_plans = [p for p in plans if p["accepting_nominations"]]
    assert len(open_plans) == 1 and open_plans[0]["title"] == "Kế hoạch thi đua, khen thưởng năm 2026"
    # the province's plan is not shown to a ministry unit
    assert "186/KH-UBND" not in by_number


def test_a_nomination_is_created_acted_on_and_read_back(login, open_plan):
    officer = login("vtc.canbo")
    r = create(officer, open_plan)
    assert r.status_code == 201
    n = r.get_json()
    assert n["state"] == "draft" and n["version"] == 1 and n["actions"] == ["submit", "withdraw"]
    assert n["nominee"] == {**NOMINEE, "person_id": n["nominee"]["person_id"]} and n["nominee"]["person_id"]
    assert n["plan_id"] == open_plan and n["dossier_id"] is None
    r = officer.post(f"/nominations/{n['id']}/submit", json={"version": 1})
    assert r.status_code == 200 and r.get_json()["state"] == "council_review"
    got = login("vtc.hoidong").get(f"/nominations/{n['id']}").get_json()
    assert got["level"] == "council" and got["actions"] == ["vote"] and got["due_at"].endswith("+00:00")
    hist = officer.get(f"/nominations/{n['id']}/history").get_json()["items"]
    assert [e["action"] for e in hist] == ["create", "submit"]


def test_the_inbox_lists_what_waits_for_me(login, open_plan):
    officer = login("vtc.canbo")
    ids = [create(officer, open_plan, nominee={**NOMINEE, "name": f"Người {i}"}).get_json()["id"] for i in range(3)]
    for i in ids[:2]:
        officer.post(f"/nominations/{i}/submit")
    inbox = login("vtc.hoidong").get("/inbox").get_json()
    assert [x["id"] for x in inbox["items"]] == ids[:2]
    assert login("bo.chuyenvien").get("/inbox").get_json()["items"] == []
    page1 = officer.get("/nominations?limit=2").get_json()
    page2 = officer.get(f"/nominations?limit=2&cursor={page1['next_cursor']}").get_json()
    assert [x["id"] for x in page1["items"] + page2["items"]] == sorted(ids, reverse=True)


def test_bulk_approval_reports_a_result_per_nomination(login, open_plan):
    officer, council, head = login("vtc.canbo"), login("vtc.hoidong"), login("vtc.thutruong")
    ids = []
    for i in range(4):
        nid = create(officer, open_plan, nominee={**NOMINEE, "name": f"Cán bộ {i}"}).get_json()["id"]
        officer.post(f"/nominations/{nid}/submit")
        ids.append(nid)
    r = council.post("/nominations/bulk/vote", json={"ids": ids[:3], "votes": {"members": 9, "present": 9, "yes": 9, "no": 0}})
    assert r.get_json()["succeeded"] == 3
    r = head.post("/nominations/bulk/approve", json={"ids": ids + [999999]})
    results = {x["id"]: x for x in r.get_json()["results"]}
    assert [results[i]["ok"] for i in ids] == [True, True, True, False]
    assert results[ids[3]]["error"]["code"] == "invalid_transition"  # still before the council
    assert results[999999]["error"]["code"] == "not_found"


def test_another_units_nomination_does_not_exist_for_me(login, open_plan):
    n = create(login("vtc.canbo"), open_plan).get_json()
    other = login("baochi.canbo")
    assert other.get(f"/nominations/{n['id']}").status_code == 404
    assert other.post(f"/nominations/{n['id']}/submit").status_code == 404
    assert other.get(f"/nominations/{n['id']}/history").status_code == 404
    assert n["id"] not in [x["id"] for x in other.get("/nominations").get_json()["items"]]
    # the ministry does not see a unit's drafts, only what was submitted
    ministry = login("bo.chuyenvien")
    assert ministry.get(f"/nominations/{n['id']}").status_code == 404
    login("vtc.canbo").post(f"/nominations/{n['id']}/submit")
    assert ministry.get(f"/nominations/{n['id']}").status_code == 200
    assert login("tinh.chuyenvien").get(f"/nominations/{n['id']}").status_code == 404


def test_a_wrong_role_gets_403_and_a_wrong_state_409(login, open_plan):
    n = create(login("vtc.canbo"), open_plan).get_json()
    login("vtc.canbo").post(f"/nominations/{n['id']}/submit")
    r = login("vtc.thutruong").post(f"/nominations/{n['id']}/vote",
                                    json={"votes": {"members": 5, "present": 5, "yes": 5, "no": 0}})
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "forbidden"
    r = login("vtc.hoidong").post(f"/nominations/{n['id']}/approve")
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "invalid_transition"


BAD_CREATES = [
    ({"award_type": "bang_khen_khong_co"}, "award_type"),
    ({"award_type": 12}, "award_type"),
    ({"plan_id": "một"}, "plan_id"),
    ({"plan_id": 987654}, "plan_id"),
    ({"nominee": {"kind": "robot", "name": "X"}}, "nominee.kind"),
    ({"nominee": {"kind": "individual", "name": "A" * 100_000}}, "nominee.name"),
    ({"nominee": {"kind": "individual", "name": "   "}}, "nominee.name"),
    ({"nominee": "Nguyễn Văn A"}, "nominee"),
    ({"achievements": None}, "achievements"),
    ({"award_type": "co_thi_dua_chinh_phu"}, "nominee.kind"),  # a flag is for collectives
]


@pytest.mark.parametrize("override, field", BAD_CREATES)
def test_bad_input_is_422_naming_the_field_and_nothing_is_written(login, open_plan, db, override, field):
    before = counts(db)
    r = create(login("vtc.canbo"), open_plan, **override)
    assert r.status_code == 422, r.get_json()
    assert r.get_json()["error"]["code"] == "invalid_input" and r.get_json()["error"]["field"] == field
    assert counts(db) == before


@pytest.mark.parametrize("data", [b"{not json", b'{"plan_id": 1,}', b"\xff\xfe\x00garbage", b"[1, 2]",
                                  '{"nominee": {"name": "Lê \udcff"}}'.encode("utf-8", "surrogatepass")])
def test_malformed_or_non_utf8_bodies_are_422_on_body(login, db, data):
    api = login("vtc.canbo")
    before = counts(db)
    r = api.client.post("/api/v1/nominations", data=data, headers={**api.headers, "Content-Type": "application/json"})
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "body"
    assert counts(db) == before


def test_vietnamese_text_is_stored_nfc_normalised(login, open_plan):
    decomposed = "Nguye\u0302\u0303n Va\u0306n Bi\u0300nh"  # typed with combining marks
    n = create(login("vtc.canbo"), open_plan, nominee={"kind": "individual", "name": decomposed}).get_json()
    assert n["nominee"]["name"] == "Nguyễn Văn Bình"


def test_a_duplicate_nominee_in_the_same_plan_and_award_is_a_conflict(login, open_plan, db):
    officer = login("vtc.canbo")
    assert create(officer, open_plan).status_code == 201
    before = counts(db)
    r = create(officer, open_plan, nominee={**NOMINEE, "name": "  nguyễn thị thu hà "})
    assert r.status_code == 409 and r.get_json()["error"]["field"] == "nominee.name"
    assert counts(db) == before


def test_errors_speak_english_when_asked(login):
    r = login("vtc.canbo").client.get("/api/v1/nominations/424242", headers={
        **login("vtc.canbo").headers, "Accept-Language": "en"})
    assert r.status_code == 404 and "not found" in r.get_json()["error"]["message"]


def test_unknown_api_paths_answer_json_404(login):
    r = login("vtc.canbo").get("/khong-co")
    assert r.status_code == 404 and r.get_json()["error"]["code"] == "not_found"


def test_the_route_diagram_highlights_the_current_step(login, open_plan):
    n = create(login("vtc.canbo"), open_plan).get_json()
    text = login("vtc.canbo").get(f"/nominations/{n['id']}/diagram").get_data(as_text=True)
    assert text.startswith("stateDiagram-v2") and "class draft current" in text


def test_health_reports_the_database(client):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.get_json() == {"status": "ok"}


def test_deadline_phrases_parse_over_the_api(login):
    api = login("vtc.canbo")
    r = api.get("/deadlines/parse?text=trước quý II năm 2015")
    assert r.get_json() == {"text": "trước quý II năm 2015", "periods": [{"start": None, "end": "2015-03-31"}],
                            "expected": False}
    r = api.get("/deadlines/parse?text=trước ngày 31/02/2024")
    assert r.status_code == 422 and "31/02/2024" in r.get_json()["error"]["message"]


def test_an_officer_edits_a_draft_with_its_version(login, open_plan):
    officer = login("vtc.canbo")
    n = create(officer, open_plan).get_json()
    r = officer.patch(f"/nominations/{n['id']}", json={"version": 1, "achievements": "Thành tích mới"})
    assert r.status_code == 200 and r.get_json()["version"] == 2 and r.get_json()["achievements"] == "Thành tích mới"
    r = officer.patch(f"/nominations/{n['id']}", json={"version": 1, "achievements": "Cũ"})
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "conflict"


def test_the_unit_officers_inbox_pages_through_dated_drafts_then_undated_returns(login, open_plan):
    officer, council, head = login("vtc.canbo"), login("vtc.hoidong"), login("vtc.thutruong")
    ids = [create(officer, open_plan, nominee={**NOMINEE, "name": f"Người {i}"}).get_json()["id"] for i in range(5)]
    for nid in ids[:2]:  # two come back from the unit head with no time limit
        officer.post(f"/nominations/{nid}/submit")
        council.post(f"/nominations/{nid}/vote", json={"votes": {"members": 5, "present": 5, "yes": 5, "no": 0}})
        head.post(f"/nominations/{nid}/return", json={"reason": "Bổ sung minh chứng"})
    seen, cursor = [], None
    while True:
        page = officer.get("/inbox?limit=2" + (f"&cursor={cursor}" if cursor else "")).get_json()
        seen += [(x["id"], x["state"]) for x in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [(i, "draft") for i in ids[2:]] + [(i, "returned") for i in ids[:2]]
    assert officer.get("/inbox?cursor=bm90LWpzb24").status_code == 422


def test_every_audited_request_carries_its_request_id(login, open_plan):
    officer = login("vtc.canbo")
    n = create(officer, open_plan).get_json()
    officer.client.post(f"/api/v1/nominations/{n['id']}/submit", headers={**officer.headers, "X-Request-Id": "req-42"})
    events = officer.get(f"/nominations/{n['id']}/history").get_json()["items"]
    assert events[-1]["request_id"] == "req-42" and events[0]["request_id"]
    assert events[-1]["client_ip"] == "127.0.0.1"


def test_numbers_too_large_for_any_id_are_invalid_input_not_a_crash(login, db):
    api = login("vtc.thutruong")
    r = api.post("/nominations/bulk/approve", json={"ids": [1, 198036930245554911389417472]})
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "ids"
    r = login("vtc.canbo").post("/nominations", json={"plan_id": 2**70, "award_type": "giay_khen",
                                                      "nominee": {"kind": "individual", "name": "A"}, "achievements": "x"})
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "plan_id"
