"""The office keeps its own catalogue: a new award type works with no code change, a changed
time limit is a new version that in-flight nominations keep out of until they are migrated (dry
run first), and a definition that cannot be a lawful route is refused with nothing stored."""
import pytest
from sqlalchemy import func, select

from workflow.models import AuditEvent, AwardType, AwardTypeVersion, Nomination

VOTE = {"members": 10, "present": 10, "yes": 10, "no": 0}
SPORTS_MEDAL = {
    "code": "ky_niem_chuong_the_thao", "name_vi": "Kỷ niệm chương Vì sự nghiệp thể thao",
    "name_en": "Medal for Sports", "subject": "individual", "kind": "cong_hien",
    "decider": "Bộ trưởng", "legal_basis": "Luật TĐKT 2022 Điều 9; quy chế của Bộ",
    "documents": ["van_ban_de_nghi", "bao_cao_thanh_tich"],
    "steps": [{"level": "unit", "kind": "vote", "time_limit_days": 7, "threshold": "90%"},
              {"level": "unit", "kind": "review", "time_limit_days": 3},
              {"level": "ministry", "kind": "review", "time_limit_days": 15}],
}


def create(login, definition=SPORTS_MEDAL):
    return login("admin").post("/award-types", json=definition)


def nominate(login, plan_id, code, name="Nguyễn Thị Ánh"):
    r = login("vtc.canbo").post("/nominations", json={
        "plan_id": plan_id, "award_type": code, "achievements": "Huấn luyện viên đội tuyển đạt Huy chương vàng.",
        "nominee": {"kind": "individual", "name": name}})
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def act(login, user, nomination, action, **body):
    r = login(user).post(f"/nominations/{nomination['id']}/{action}", json={"version": nomination["version"], **body})
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def test_a_new_award_type_made_through_the_api_is_nominated_and_decided_with_no_code_change(login, open_plan):
    r = create(login)
    assert r.status_code == 201, r.get_json()
    award = r.get_json()
    assert award["version"] == 1 and [s["state"] for s in award["steps"]] == [
        "council_review", "unit_review", "ministry_review"]
    assert award["steps"][0]["threshold"] == pytest.approx(0.9) and award["steps"][0]["quorum"] == pytest.approx(2 / 3)
    assert login("vtc.canbo").get("/award-types/ky_niem_chuong_the_thao").get_json()["name_vi"] == SPORTS_MEDAL["name_vi"]
    n = nominate(login, open_plan, "ky_niem_chuong_the_thao")
    assert n["definition_version"] == 1
    n = act(login, "vtc.canbo", n, "submit")
    failing = login("vtc.hoidong").post(f"/nominations/{n['id']}/vote", json={
        "version": n["version"], "votes": {"members": 10, "present": 10, "yes": 8, "no": 2}})
    assert failing.status_code == 200 and failing.get_json()["state"] == "rejected"  # 8 of 10 < 90 %
    n = act(login, "vtc.canbo", nominate(login, open_plan, "ky_niem_chuong_the_thao", "Trần Văn Bảo"), "submit")
    n = act(login, "vtc.hoidong", n, "vote", votes={"members": 10, "present": 9, "yes": 9, "no": 0})
    n = act(login, "vtc.thutruong", n, "approve")
    assert n["state"] == "ministry_review" and "decide" in login("bo.lanhdao").get(f"/nominations/{n['id']}").get_json()["actions"]
    n = act(login, "bo.lanhdao", n, "decide", decision={"number": "88/QĐ-BKHCN", "date": "2026-11-23"})
    assert n["state"] == "awarded" and n["decision"]["number"] == "88/QĐ-BKHCN"


def test_a_changed_time_limit_is_a_new_version_and_in_flight_nominations_move_only_when_migrated(db, login, open_plan):
    assert create(login).status_code == 201
    early = act(login, "vtc.canbo", nominate(login, open_plan, "ky_niem_chuong_the_thao"), "submit")
    slower = {**SPORTS_MEDAL, "steps": [{**SPORTS_MEDAL["steps"][0], "time_limit_days": 20}, *SPORTS_MEDAL["steps"][1:]]}
    r = login("admin").put("/award-types/ky_niem_chuong_the_thao", json=slower)
    assert r.status_code == 200 and r.get_json()["version"] == 2
    assert r.get_json()["steps"][0]["time_limit_days"] == 20
    late = act(login, "vtc.canbo", nominate(login, open_plan, "ky_niem_chuong_the_thao", "Lê Thị Cúc"), "submit")
    with db.read() as s:
        versions = dict(s.execute(select(Nomination.id, Nomination.definition_version)
                                  .where(Nomination.id.in_([early["id"], late["id"]]))).all())
    assert versions == {early["id"]: 1, late["id"]: 2}
    # The council of the later nomination has 20 working days, the earlier one's kept its 7.
    assert late["due_at"] > early["due_at"]

    dry = login("admin").post("/award-types/ky_niem_chuong_the_thao/migrate",
                              json={"from_version": 1, "to_version": 2, "dry_run": True})
    assert dry.status_code == 200, dry.get_json()
    assert [(i["id"], i["from_state"], i["to_state"], i["ok"]) for i in dry.get_json()["items"]] == [
        (early["id"], "council_review", "council_review", True)]
    with db.read() as s:
        assert s.get(Nomination, early["id"]).definition_version == 1  # a dry run changes nothing
    done = login("admin").post("/award-types/ky_niem_chuong_the_thao/migrate",
                               json={"from_version": 1, "to_version": 2, "dry_run": False})
    assert done.status_code == 200 and done.get_json()["moved"] == 1
    with db.read() as s:
        nom = s.get(Nomination, early["id"])
        assert nom.definition_version == 2 and "@2/" in nom.route
        assert s.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.chain == f"n:{early['id']}", AuditEvent.action == "definition_migrate")) == 1
    # The migrated nomination goes on along its new version.
    after = login("vtc.hoidong").get(f"/nominations/{early['id']}").get_json()
    assert act(login, "vtc.hoidong", after, "vote", votes=VOTE)["state"] == "unit_review"


def test_a_state_the_new_version_lacks_needs_a_mapping_or_the_nomination_stays(login, open_plan):
    assert create(login).status_code == 201
    n = act(login, "vtc.canbo", nominate(login, open_plan, "ky_niem_chuong_the_thao"), "submit")
    n = act(login, "vtc.hoidong", n, "vote", votes=VOTE)
    assert n["state"] == "unit_review"
    no_head = {**SPORTS_MEDAL, "steps": [SPORTS_MEDAL["steps"][0], SPORTS_MEDAL["steps"][2]]}
    assert login("admin").put("/award-types/ky_niem_chuong_the_thao", json=no_head).status_code == 200
    dry = login("admin").post("/award-types/ky_niem_chuong_the_thao/migrate",
                              json={"from_version": 1, "to_version": 2}).get_json()
    [item] = dry["items"]
    assert item["ok"] is False and item["to_state"] is None and "unit_review" in item["reason"]
    mapped = login("admin").post("/award-types/ky_niem_chuong_the_thao/migrate", json={
        "from_version": 1, "to_version": 2, "dry_run": False, "mapping": {"unit_review": "ministry_review"}})
    assert mapped.get_json()["items"][0]["to_state"] == "ministry_review"
    moved = login("bo.lanhdao").get(f"/nominations/{n['id']}").get_json()
    assert moved["state"] == "ministry_review" and "decide" in moved["actions"]


@pytest.mark.parametrize("broken, field", [
    ({"steps": [{"level": "unit", "kind": "vote", "time_limit_days": 10}]}, "steps"),          # no deciding step
    ({"steps": [{"level": "unit", "kind": "vote", "time_limit_days": 10, "threshold": 1.5},
                {"level": "unit", "kind": "decide", "time_limit_days": 5}]}, "steps[0].threshold"),  # 150 %
    ({"steps": [{"level": "ministry", "kind": "review", "time_limit_days": 10},
                {"level": "unit", "kind": "decide", "time_limit_days": 5}]}, "steps[1].level"),   # goes down
    ({"steps": [{"level": "unit", "kind": "sign", "time_limit_days": 10}]}, "steps[0].kind"),
    ({"steps": []}, "steps"),
    ({"subject": "everyone"}, "subject"),
    ({"code": "Bằng khen mới"}, "code"),
    ({"documents": ["giay_chung_nhan_gia"]}, "documents"),
])
def test_a_definition_that_cannot_be_a_lawful_route_is_refused_and_nothing_is_stored(db, login, broken, field):
    with db.read() as s:
        before = (s.scalar(select(func.count()).select_from(AwardType)),
                  s.scalar(select(func.count()).select_from(AwardTypeVersion)))
    r = create(login, {**SPORTS_MEDAL, **broken})
    assert r.status_code == 422 and r.get_json()["error"]["field"] == field, r.get_json()
    with db.read() as s:
        assert (s.scalar(select(func.count()).select_from(AwardType)),
                s.scalar(select(func.count()).select_from(AwardTypeVersion))) == before


def test_only_the_administrator_changes_the_catalogue(login):
    for user in ("bo.lanhdao", "vtc.canbo", "kiemtra"):
        assert login(user).post("/award-types", json=SPORTS_MEDAL).status_code == 403
        assert login(user).put("/award-types/bang_khen_bo", json=SPORTS_MEDAL).status_code == 403


def test_the_shipped_catalogue_holds_the_law_and_the_decree(login):
    items = {a["code"]: a for a in login("vtc.canbo").get("/award-types").get_json()["items"]}
    for code in ("giay_khen", "bang_khen_bo", "bang_khen_thu_tuong", "lao_dong_tien_tien", "chien_si_thi_dua_co_so",
                 "bang_khen_ubtvqh", "ky_niem_chuong", "chien_si_thi_dua_bo", "chien_si_thi_dua_toan_quoc",
                 "co_thi_dua_bo", "co_thi_dua_chinh_phu", "tap_the_lao_dong_xuat_sac", "huan_chuong_lao_dong_hang_nhat",
                 "huan_chuong_lao_dong_hang_nhi", "huan_chuong_lao_dong_hang_ba", "anh_hung_lao_dong"):
        assert code in items and items[code]["version"] >= 1 and items[code]["steps"], code
    assert items["anh_hung_lao_dong"]["decider"] == "Chủ tịch nước"
    assert items["bang_khen_ubtvqh"]["name_vi"] == "Bằng khen của Ủy ban Thường vụ Quốc hội"
    assert any(s["kind"] == "posting" for s in items["huan_chuong_lao_dong_hang_nhi"]["steps"])

