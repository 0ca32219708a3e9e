"""Plans that answer plans, and participants outside the issuer's subtree.

- The central Ban TĐKT issues a plan; the ministry answers it by its number as written
  (`parent_number`), the province by choosing it (`parent_plan_id`): each shows its parent,
  linked, and the central plan lists both answers — to whoever may see them.
- The ministry names the province's Sở GD&ĐT as a participant (every Sở of a sector answering a
  ministry's plan): the Sở's officer sees the plan and its own report, and reports; another unit
  of the province does not see the plan; the Sở does not see the ministry's own units' reports.
"""
from tests.browser_support import *  # the web_on fixture

SO_GD = "Sở Giáo dục và Đào tạo tỉnh Thái Nguyên"
VTC = "Tổng công ty Truyền thông đa phương tiện (VTC)"


def plan(number: str, **over) -> dict:
    body = {"number": number, "title": f"Kế hoạch {number}", "kind": "thematic", "issued_on": "2026-11-20",
            "milestones": [{"text": "trước ngày 15/12/2026", "purpose": "report", "description": "Báo cáo kết quả"}]}
    body.update(over)
    return body


def org_ids(api) -> dict[str, int]:
    return {u["name"]: u["id"] for u in api.get("/orgs").get_json()["items"]}


def test_a_plan_shows_its_parent_and_the_plans_that_answer_it(login):
    central = login("tw.chuyenvien")
    r = central.post("/plans", json=plan("789/KH-BTĐKT"))
    assert r.status_code == 201, r.get_json()
    top = r.get_json()
    ministry = login("bo.chuyenvien").post("/plans", json=plan("3793/KH-BTTTT", parent_number="789/KH-BTĐKT"))
    assert ministry.status_code == 201, ministry.get_json()
    province = login("tinh.chuyenvien").post("/plans", json=plan("45/KH-UBND", parent_plan_id=top["id"]))
    assert province.status_code == 201, province.get_json()
    outside = login("tinh.chuyenvien").post("/plans", json=plan("46/KH-UBND", parent_number="12/KH-UBTVQH15"))
    ministry, province, outside = ministry.get_json(), province.get_json(), outside.get_json()

    # Each answer names its parent, linked: by the number as written, or as chosen.
    assert ministry["parent"]["id"] == top["id"] and ministry["parent"]["number"] == "789/KH-BTĐKT"
    assert province["parent"]["id"] == top["id"] and province["parent_plan_id"] == top["id"]
    # A parent not in the product is shown as written, not linked.
    assert outside["parent"] == {"id": None, "number": "12/KH-UBTVQH15"}
    assert top["parent"] is None

    children = central.get(f"/plans/{top['id']}").get_json()["children"]
    assert [c["number"] for c in children] == ["3793/KH-BTTTT", "45/KH-UBND"]
    assert children[0]["issuer"]["id"] == ministry["issuer"]["id"]
    # The province does not see the ministry's plan, so it is not listed to it.
    seen = login("tinh.lanhdao").get(f"/plans/{top['id']}").get_json()["children"]
    assert [c["number"] for c in seen] == ["45/KH-UBND"]
    # A parent the author may not see cannot be chosen.
    r = login("tinh.chuyenvien").post("/plans", json=plan("47/KH-UBND", parent_plan_id=ministry["id"]))
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "parent_plan_id"


def test_the_plan_page_links_the_parent_and_the_answers(login, web_on):
    top = login("tw.chuyenvien").post("/plans", json=plan("790/KH-BTĐKT")).get_json()
    answer = login("tinh.chuyenvien").post("/plans", json=plan("48/KH-UBND", parent_plan_id=top["id"])).get_json()
    page = web_on("tinh.chuyenvien").get(f"/plans/{answer['id']}").get_data(as_text=True)
    assert f'href="/plans/{top["id"]}"' in page and "790/KH-BTĐKT" in page
    page = web_on("tw.chuyenvien").get(f"/plans/{top['id']}").get_data(as_text=True)
    assert "Kế hoạch triển khai" in page and f'href="/plans/{answer["id"]}"' in page and "48/KH-UBND" in page


def test_a_participant_outside_the_issuers_subtree_sees_the_plan_and_only_its_own_report(login):
    ministry = login("bo.chuyenvien")
    orgs = org_ids(ministry)
    r = ministry.post("/plans", json=plan("3794/KH-BTTTT", participants=[orgs[SO_GD], orgs[VTC]]))
    assert r.status_code == 201, r.get_json()
    pid = r.get_json()["id"]

    officer = login("so.canbo")
    assert officer.get(f"/plans/{pid}").status_code == 200
    assert pid in [p["id"] for p in officer.get("/plans").get_json()["items"]]
    [mine] = officer.get(f"/plans/{pid}/reports").get_json()["items"]  # not VTC's
    assert mine["unit"]["name"] == SO_GD and mine["actions"] == ["submit"]
    r = officer.post(f"/plans/{pid}/reports/{mine['id']}/submit", json={"text": "Báo cáo của Sở GD&ĐT"})
    assert r.status_code == 200, r.get_json()

    # Another unit of the province does not see the plan.
    assert login("tinh.canbo").get(f"/plans/{pid}").status_code == 404
    assert login("xa.canbo").get(f"/plans/{pid}/reports").status_code == 404
    # The ministry reads the Sở's report and accepts it.
    items = {i["unit"]["name"]: i for i in ministry.get(f"/plans/{pid}/reports").get_json()["items"]}
    assert set(items) == {SO_GD, VTC} and items[SO_GD]["text"] == "Báo cáo của Sở GD&ĐT"
    r = ministry.post(f"/plans/{pid}/reports/{mine['id']}/accept", json={})
    assert r.status_code == 200 and r.get_json()["state"] == "accepted"
    # The VTC officer (under the ministry) sees its own report only.
    assert [i["unit"]["name"] for i in login("vtc.canbo").get(f"/plans/{pid}/reports").get_json()["items"]] == [VTC]
