"""The rules still to confirm are an office's choice (issue 17): off by default, so they change
nothing; the administrator turns one on for an org's subtree (API and admin page, audited), and a
nomination of that subtree whose history fails it is then refused with the rule's message and
legal basis. Runs on SQLite and PostgreSQL."""
from tests.browser_support import *
from tests.browser_support import WebUser

ACHIEVEMENTS = "Có thành tích xuất sắc trong 5 năm liên tục."
RULE = "bang_khen_thu_tuong_prior"


def org_of(api) -> int:
    return api.get("/me").get_json()["org"]["id"]


def rule_at(api, org_id, code=RULE) -> dict:
    r = api.get(f"/orgs/{org_id}/eligibility-rules")
    assert r.status_code == 200, r.get_json()
    return next(x for x in r.get_json()["rules"] if x["rule"] == code)


def nominee_with_a_short_history(api, open_plan, name):
    """A ministry certificate in 2024, then a year rated only 'completed': the old five-year ladder
    of the Prime Minister's certificate is not met."""
    p = api.post("/people", json={"name": name}).get_json()
    assert api.post(f"/people/{p['id']}/history", json={"award_type": "bang_khen_bo", "year": 2024,
                                                         "decision_number": "88/QĐ-BKHCN"}).status_code == 201
    assert api.post(f"/people/{p['id']}/ratings", json={"year": 2025, "rating": "ht"}).status_code == 201
    r = api.post("/nominations", json={"plan_id": open_plan, "award_type": "bang_khen_thu_tuong",
                                       "nominee": {"person_id": p["id"]}, "achievements": ACHIEVEMENTS})
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def rules_checked(api, nid) -> dict[str, str]:
    return {c["rule"]: c["result"] for c in api.get(f"/nominations/{nid}/eligibility").get_json()["checks"]}


def test_an_unconfirmed_rule_applies_only_where_the_administrator_turned_it_on(login, open_plan):
    admin, officer, reviewer = login("admin"), login("vtc.canbo"), login("bo.chuyenvien")
    ministry, unit = org_of(reviewer), org_of(officer)
    assert rule_at(admin, ministry) == {**rule_at(admin, ministry), "enabled": False, "decided_by": None,
                                        "set_here": False, "confirmed": False}
    nom = nominee_with_a_short_history(officer, open_plan, "Vương Thị Lan")
    assert RULE not in rules_checked(officer, nom["id"])  # off: no effect at all

    # Only the administrator decides; a confirmed rule or an unknown one is not a setting.
    assert reviewer.put(f"/orgs/{ministry}/eligibility-rules", json={"rules": {RULE: True}}).status_code == 403
    for body, field in (({"rules": {"cstd_bo_ladder": False}}, "rules.cstd_bo_ladder"),
                        ({"rules": {"khong_co": True}}, "rules.khong_co"),
                        ({"rules": {RULE: "yes"}}, f"rules.{RULE}"), ({"rules": {}}, "rules"), ([], "body")):
        r = admin.put(f"/orgs/{ministry}/eligibility-rules", json=body)
        assert r.status_code == 422 and r.get_json()["error"]["field"] == field, body
    assert admin.get("/audit", query_string={"action": "eligibility_rules_set"}).get_json()["items"] == []

    r = admin.put(f"/orgs/{ministry}/eligibility-rules", json={"rules": {RULE: True}})
    assert r.status_code == 200, r.get_json()
    assert rule_at(officer, unit)["enabled"] is True and rule_at(officer, unit)["decided_by"]["id"] == ministry
    checks = officer.get(f"/nominations/{nom['id']}/eligibility").get_json()
    assert checks["eligible"] is False
    failed = next(c for c in checks["checks"] if c["rule"] == RULE)
    assert failed["result"] == "fail" and "Điều 71" in failed["basis"] and "cần xác nhận" in failed["basis"]
    r = officer.post(f"/nominations/{nom['id']}/submit", json={"version": nom["version"]})
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "ineligible"
    assert "chưa đủ 5 năm" in r.get_json()["error"]["message"]
    assert any(c["rule"] == RULE and c["basis"] == failed["basis"] for c in r.get_json()["error"]["checks"])

    # Outside the ministry's subtree nothing changed.
    province = login("tinh.canbo")
    other = nominee_with_a_short_history(province, open_plan, "Vương Văn Khánh")
    assert RULE not in rules_checked(province, other["id"])

    # The unit below chooses otherwise for itself; null gives the choice back to the ministry.
    assert admin.put(f"/orgs/{unit}/eligibility-rules", json={"rules": {RULE: False}}).status_code == 200
    assert RULE not in rules_checked(officer, nom["id"])
    assert rule_at(admin, unit)["set_here"] is True and rule_at(admin, ministry)["enabled"] is True
    assert admin.put(f"/orgs/{unit}/eligibility-rules", json={"rules": {RULE: None}}).status_code == 200
    assert rules_checked(officer, nom["id"])[RULE] == "fail"

    events = admin.get("/audit", query_string={"action": "eligibility_rules_set"}).get_json()["items"]
    assert [e["payload"]["rules"][RULE] for e in reversed(events)] == [[None, True], [None, False], [False, None]]


def test_the_administrator_turns_a_rule_on_from_the_org_page(web_on, login, open_plan):
    officer = login("vtc.canbo")
    nom = nominee_with_a_short_history(officer, open_plan, "Lạc Thị Hằng")
    ministry = org_of(login("bo.chuyenvien"))
    admin = web_on("admin")
    page = WebUser.text(admin.get(f"/admin/orgs/{ministry}"))
    assert "Điều kiện khen thưởng cần xác nhận" in page and "Bằng khen Thủ tướng: đã có Bằng khen bộ" in page
    assert f'name="rule-{RULE}"' in page and "bang_khen_thu_tuong_prior</td>" not in page
    r = admin.post(f"/admin/orgs/{ministry}", {"what": "eligibility_rules", f"rule-{RULE}": "on"})
    assert r.status_code == 303, WebUser.text(r)
    page = WebUser.text(admin.get(f"/admin/orgs/{ministry}"))
    assert '<option value="on" selected>' in page
    seen = WebUser.text(web_on("vtc.canbo").get(f"/nominations/{nom['id']}"))
    assert "Không đủ điều kiện" in seen and "Luật TĐKT 2022 Điều 71" in seen
    # Anyone else is refused, and nothing changes.
    r = web_on("vtc.canbo").post(f"/admin/orgs/{ministry}", {"what": "eligibility_rules", f"rule-{RULE}": "off"})
    assert r.status_code == 403
    assert rule_at(login("admin"), ministry)["enabled"] is True
