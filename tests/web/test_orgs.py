"""The office keeps its own organisation: an administrator adds a commune and its people, who
nominate through the commune's council and chairman; a Sở's Giấy khen is decided by its own
head; a merger moves the open work and keeps the history; councils count votes by their roster;
bad changes of the tree are refused with nothing changed. (SQLite and PostgreSQL.)"""
from sqlalchemy import func, select

from tests.conftest import NOW
from workflow.admin import users as admin_users
from workflow.audit.verify import verify
from workflow.models import AuditEvent, CouncilVote, Nomination, Obligation, User

PASSWORD = "Xa-Password-2026"
ROSTER = [{"name": "Đinh Văn An", "role": "chair"}, {"name": "Lò Thị Bình", "role": "vice_chair"},
          {"name": "Mai Văn Cường", "role": "secretary"}, {"name": "Tạ Thị Dung", "role": "member"},
          {"name": "Chu Văn Em", "role": "member"}]


def put(api, path, body):
    return api.client.put(f"/api/v1{path}", json=body, headers=api.headers)


def orgs(login, **params):
    q = "&".join(f"{k}={v}" for k, v in params.items())
    r = login("admin").get(f"/orgs?{q}")
    assert r.status_code == 200, r.get_json()
    return r.get_json()["items"]


def org_by_name(login, name):
    return next(o for o in orgs(login) if o["name"] == name)


def add_user(db, users, username, role, org_id):
    admin_users.create_user(db, users["admin"], {
        "username": username, "full_name": username, "email": f"{username}@example.vn", "role": role,
        "org_id": org_id, "active": True, "password": PASSWORD}, now=NOW)


def login_as(client, username, password=PASSWORD):
    from tests.conftest import ApiClient
    r = client.post("/api/v1/auth/token", json={"username": username, "password": password})
    assert r.status_code == 201, r.get_json()
    return ApiClient(client, r.get_json()["token"])


def nominate(api, plan_id, award="giay_khen", name="Nguyễn Văn Hòa"):
    r = api.post("/nominations", json={"plan_id": plan_id, "award_type": award, "achievements": "Hoàn thành xuất sắc.",
                                       "nominee": {"kind": "individual", "name": name}})
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def act(api, n, action, **body):
    r = api.post(f"/nominations/{n['id']}/{action}", json={"version": n["version"], **body})
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def test_an_admin_adds_a_commune_whose_officer_nominates_through_its_council_and_chairman(
        login, client, db, users, open_plan):
    province = org_by_name(login, "UBND tỉnh Thái Nguyên (Sở Nội vụ - Ban Thi đua - Khen thưởng)")
    r = login("admin").post("/orgs", json={"name": "UBND xã Tân Cương", "kind": "commune", "parent_id": province["id"]})
    assert r.status_code == 201, r.get_json()
    commune = r.get_json()
    assert {k: commune[k] for k in ("name", "kind", "parent_id", "valid_to", "merged_into_id")} == {
        "name": "UBND xã Tân Cương", "kind": "commune", "parent_id": province["id"], "valid_to": None,
        "merged_into_id": None}
    assert commune["valid_from"] == "2026-11-23"
    for username, role in (("tc.canbo", "unit_officer"), ("tc.hoidong", "council_secretary"),
                           ("tc.chutich", "unit_head")):
        add_user(db, users, username, role, commune["id"])
    assert put(login("admin"), f"/orgs/{commune['id']}/council", {"members": ROSTER, "quorum": "2/3"}).status_code == 200
    assert login("admin").get(f"/orgs/{commune['id']}/council").get_json() == {
        "org_id": commune["id"], "members": ROSTER, "size": 5, "quorum": 2 / 3}

    officer, secretary, chairman = (login_as(client, u) for u in ("tc.canbo", "tc.hoidong", "tc.chutich"))
    n = act(officer, nominate(officer, open_plan), "submit")
    assert n["state"] == "council_review"
    detail = secretary.get(f"/nominations/{n['id']}").get_json()
    assert detail["council"]["org_id"] == commune["id"] and detail["council"]["size"] == 5
    assert detail["council"]["threshold"] == 0.5 and abs(detail["council"]["quorum"] - 2 / 3) < 1e-9
    # A tally claiming another size than the roster's is refused, nothing recorded.
    wrong = secretary.post(f"/nominations/{n['id']}/vote", json={
        "version": n["version"], "votes": {"members": 3, "present": 3, "yes": 3, "no": 0}})
    assert wrong.status_code == 422 and wrong.get_json()["error"]["field"] == "votes.members"
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(CouncilVote).where(CouncilVote.nomination_id == n["id"])) == 0
    n = act(secretary, n, "vote", votes={"present": 4, "yes": 3, "no": 1})  # members: the roster's 5
    assert n["state"] == "unit_review"
    assert "decide" in chairman.get(f"/nominations/{n['id']}").get_json()["actions"]
    assert secretary.get(f"/nominations/{n['id']}").get_json()["last_vote"]["members"] == 5
    n = act(chairman, n, "decide", decision={"number": "12/QĐ-UBND", "date": "2026-11-23"})
    assert n["state"] == "awarded"


def test_a_department_units_giay_khen_is_decided_by_its_own_head_and_a_school_under_it_passes_it(
        login, client, db, users, open_plan):
    n = act(login("so.canbo"), nominate(login("so.canbo"), open_plan), "submit")
    n = act(login("so.hoidong"), n, "vote", votes={"present": 9, "yes": 8, "no": 1})
    assert n["state"] == "unit_review"
    n = act(login("so.thutruong"), n, "decide", decision={"number": "30/QĐ-SGDĐT", "date": "2026-11-23"})
    assert n["state"] == "awarded"

    school = org_by_name(login, "Trường THPT Chuyên Thái Nguyên")
    add_user(db, users, "thpt.canbo", "unit_officer", school["id"])
    add_user(db, users, "thpt.hoidong", "council_secretary", school["id"])
    add_user(db, users, "thpt.hieutruong", "unit_head", school["id"])
    officer = login_as(client, "thpt.canbo")
    n = act(officer, nominate(officer, open_plan, name="Lê Thị Giang"), "submit")
    n = act(login_as(client, "thpt.hoidong"), n, "vote", votes={"members": 20, "present": 18, "yes": 15, "no": 3})
    n = act(login_as(client, "thpt.hieutruong"), n, "approve")
    assert n["state"] == "department_decision" and n["level"] == "department"
    assert "decide" in login("so.thutruong").get(f"/nominations/{n['id']}").get_json()["actions"]
    n = act(login("so.thutruong"), n, "decide", decision={"number": "31/QĐ-SGDĐT", "date": "2026-11-23"})
    assert n["state"] == "awarded"


def test_a_merger_moves_users_and_open_work_and_keeps_the_old_name_searchable(login, db, open_plan):
    press, vtc = org_by_name(login, "Cục Báo chí"), org_by_name(login, "Tổng công ty Truyền thông đa phương tiện (VTC)")
    n = act(login("baochi.canbo"), nominate(login("baochi.canbo"), open_plan), "submit")
    r = login("admin").patch(f"/orgs/{press['id']}", json={"name": "Cục Báo chí và Xuất bản", "date": "2026-11-01"})
    assert r.status_code == 200 and r.get_json()["name"] == "Cục Báo chí và Xuất bản"
    r = login("admin").post(f"/orgs/{press['id']}/merge", json={"into_id": vtc["id"], "date": "2026-11-20"})
    assert r.status_code == 200, r.get_json()
    out = r.get_json()
    assert out["org"]["valid_to"] == "2026-11-19" and out["org"]["merged_into_id"] == vtc["id"]
    assert out["moved"]["users"] == 1 and out["moved"]["nominations"] == 1
    # The open nomination now belongs to, and waits at, the absorbing unit; its council votes it.
    moved = login("vtc.hoidong").get(f"/nominations/{n['id']}").get_json()
    assert moved["unit"]["id"] == vtc["id"] and moved["version"] == n["version"] and "vote" in moved["actions"]
    assert [e["action"] for e in login("admin").get(f"/nominations/{n['id']}/history").get_json()["items"]][-1] \
        == "org_merge"
    with db.read() as s:
        assert s.execute(select(User.org_id).where(User.username == "baochi.canbo")).scalar() == vtc["id"]
        assert s.get(Nomination, n["id"]).holder_org_id == vtc["id"]
        assert s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "org_merge",
                                                                           AuditEvent.entity == "org_unit")) == 2
    # History keeps both old names, and either finds the merged org.
    for q in ("Cục Báo chí", "bao chi va xuat ban"):
        found = orgs(login, q=q)
        assert [o["id"] for o in found] == [press["id"]], q
    names = found[0]["names"]
    assert [(x["name"], x["valid_to"]) for x in names] == [("Cục Báo chí", "2026-10-31"),
                                                           ("Cục Báo chí và Xuất bản", "2026-11-19")]
    assert all(o["id"] != press["id"] for o in orgs(login, include_closed="false"))
    # The moved rows are what their chains say (the merger's changes replay into the rows).
    result = verify(db, None)
    assert result.ok, result.first


def test_the_demo_shows_the_ministry_merger_of_2025_with_the_seed_plans_as_issued(login):
    mic = next(o for o in orgs(login, q="Thông tin và Truyền thông"))
    most = org_by_name(login, "Bộ Khoa học và Công nghệ")
    assert (mic["name"], mic["valid_to"], mic["merged_into_id"]) == ("Bộ Thông tin và Truyền thông", "2025-02-28",
                                                                      most["id"])
    assert login("bo.chuyenvien").get("/me").get_json()["org"]["name"] == "Bộ Khoa học và Công nghệ"
    plans = login("bo.chuyenvien").get("/plans").get_json()["items"]
    issued = {p["number"]: p["issuer"] for p in plans if p["number"] == "3793/KH-BTTTT" or p["number"] == "186/KH-UBND"}
    assert issued["3793/KH-BTTTT"]["id"] == most["id"]
    seed0 = next(p for p in plans if p["title"].startswith("Hưởng ứng Phong trào"))
    assert seed0["issuer"]["name"] == "Bộ Thông tin và Truyền thông"


def test_without_a_roster_a_tally_may_not_claim_fewer_members_than_the_council_recorded(login, open_plan):
    a = act(login("vtc.canbo"), nominate(login("vtc.canbo"), open_plan, name="Phạm Văn A"), "submit")
    b = act(login("vtc.canbo"), nominate(login("vtc.canbo"), open_plan, name="Phạm Văn B"), "submit")
    act(login("vtc.hoidong"), a, "vote", votes={"members": 9, "present": 9, "yes": 9, "no": 0})
    assert login("vtc.hoidong").get(f"/nominations/{b['id']}").get_json()["council"]["size"] == 9
    r = login("vtc.hoidong").post(f"/nominations/{b['id']}/vote", json={
        "version": b["version"], "votes": {"members": 1, "present": 1, "yes": 1, "no": 0}})
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "votes.members"
    assert login("vtc.hoidong").get(f"/nominations/{b['id']}").get_json()["state"] == "council_review"


def test_bad_changes_of_the_tree_are_refused_with_nothing_changed(login, db):
    vtc = org_by_name(login, "Tổng công ty Truyền thông đa phương tiện (VTC)")
    mic = next(o for o in orgs(login, q="Thông tin và Truyền thông"))
    unit = login("admin").post("/orgs", json={"name": "Ban Biên tập", "kind": "unit", "parent_id": vtc["id"]}).get_json()
    child = login("admin").post("/orgs", json={"name": "Tổ Thư ký", "kind": "unit", "parent_id": unit["id"]}).get_json()
    before = orgs(login)
    with db.read() as s:
        events = s.scalar(select(func.count()).select_from(AuditEvent))
    province = org_by_name(login, "UBND tỉnh Thái Nguyên (Sở Nội vụ - Ban Thi đua - Khen thưởng)")
    bad = [
        (login("admin").patch(f"/orgs/{unit['id']}", json={"parent_id": child["id"]}), 422, "parent_id"),  # a cycle
        (login("admin").post(f"/orgs/{unit['id']}/merge", json={"into_id": mic["id"], "date": "2026-11-20"}), 422,
         "into_id"),  # into a closed ministry
        (login("admin").post(f"/orgs/{unit['id']}/merge", json={"into_id": child["id"]}), 422, "into_id"),
        (login("admin").post("/orgs", json={"name": "Xã Lạ", "kind": "commune", "parent_id": vtc["id"]}), 422,
         "parent_id"),
        (login("admin").post("/orgs", json={"name": "X", "kind": "huyen", "parent_id": province["id"]}), 422, "kind"),
        (login("admin").post("/orgs", json={"name": "Ban Biên tập", "kind": "unit", "parent_id": vtc["id"]}), 422,
         "name"),
        (login("admin").patch(f"/orgs/{vtc['id']}", json={"valid_to": "2026-11-20"}), 422, "valid_to"),  # has users
        (login("admin").patch(f"/orgs/{unit['id']}", json={"name": "Ban Mới", "date": "2027-01-01"}), 422, "date"),
        (put(login("admin"), f"/orgs/{vtc['id']}/council", {"members": [{"name": "A", "role": "member"}]}), 422,
         "members"),
        (put(login("admin"), f"/orgs/{vtc['id']}/council", {"members": ROSTER, "quorum": 0.3}), 422, "quorum"),
    ]
    for r, status, field in bad:
        assert r.status_code == status, r.get_json()
        assert r.get_json()["error"]["field"] == field, r.get_json()
    assert login("vtc.canbo").post("/orgs", json={"name": "Y", "kind": "unit", "parent_id": vtc["id"]}).status_code == 403
    assert put(login("vtc.hoidong"), f"/orgs/{vtc['id']}/council", {"members": ROSTER}).status_code == 403
    assert orgs(login) == before
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == events
    # Closing an empty unit works and is audited; a closed unit takes nothing under it.
    assert login("admin").patch(f"/orgs/{child['id']}", json={"valid_to": "2026-11-22"}).get_json()["valid_to"] \
        == "2026-11-22"
    r = login("admin").post("/orgs", json={"name": "Tổ mới", "kind": "unit", "parent_id": child["id"]})
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "parent_id"


def test_a_communes_dossier_shows_its_council_and_is_voted_by_the_rosters_size(login, open_plan):
    officer = login("xa.canbo")
    d = officer.post("/dossiers", json={"plan_id": open_plan, "number": "05/TTr-UBND"}).get_json()
    for name in ("Hà Văn Một", "Hà Văn Hai"):
        r = officer.post(f"/dossiers/{d['id']}/nominations", json={
            "award_type": "giay_khen", "achievements": "Hoàn thành xuất sắc.", "nominee": {"kind": "individual",
                                                                                          "name": name}})
        assert r.status_code == 201, r.get_json()
    assert officer.post(f"/dossiers/{d['id']}/submit").status_code == 200
    seen = login("xa.hoidong").get(f"/dossiers/{d['id']}").get_json()
    assert seen["council"]["size"] == 7 and seen["council"]["threshold"] == 0.5 and seen["council"]["roster"]
    ids = [n["id"] for n in seen["nominations"]]
    bad = login("xa.hoidong").post(f"/dossiers/{d['id']}/votes", json={
        "members": 5, "present": 5, "results": [{"nomination_id": i, "yes": 5, "no": 0} for i in ids]})
    assert bad.status_code == 422
    r = login("xa.hoidong").post(f"/dossiers/{d['id']}/votes", json={
        "present": 6, "results": [{"nomination_id": ids[0], "yes": 6, "no": 0}, {"nomination_id": ids[1], "yes": 3,
                                                                              "no": 3}]})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["counts"] == {"rejected": 1, "unit_review": 1}  # 3 of 7 is not more than half


def test_everyone_reads_the_tree_but_only_the_administrator_sees_how_many_users_each_org_has(login):
    mine = login("vtc.canbo").get("/orgs").get_json()["items"]
    assert {o["name"] for o in mine} == {o["name"] for o in orgs(login)}
    assert {o["users"] for o in mine} == {None}
    assert org_by_name(login, "Tổng công ty Truyền thông đa phương tiện (VTC)")["users"] == 3


def test_a_merger_hands_the_pending_plan_reports_to_the_absorbing_org_unless_it_owes_them_itself(
        login, db, open_plan):
    press, vtc = org_by_name(login, "Cục Báo chí"), org_by_name(login, "Tổng công ty Truyền thông đa phương tiện (VTC)")
    most = org_by_name(login, "Bộ Khoa học và Công nghệ")
    with db.read() as s:
        owed = sorted(s.execute(select(Obligation.id).where(Obligation.org_id == press["id"])).scalars())
    assert len(owed) == 3  # the open plan's report and the two of the 2014 seed plan
    new = login("admin").post("/orgs", json={"name": "Cục Báo chí, Phát thanh và Truyền hình", "kind": "department",
                                             "parent_id": most["id"], "valid_from": "2026-01-01"}).get_json()
    out = login("admin").post(f"/orgs/{press['id']}/merge", json={"into_id": new["id"], "date": "2026-11-01"}).get_json()
    assert out["moved"]["obligations"] == 3 and out["obligations_stayed"] == 0
    with db.read() as s:
        assert sorted(s.execute(select(Obligation.id).where(Obligation.org_id == new["id"])).scalars()) == owed
    # Merged again into VTC, which owes the same reports itself: they stay with the closed org.
    out = login("admin").post(f"/orgs/{new['id']}/merge", json={"into_id": vtc["id"], "date": "2026-11-20"}).get_json()
    assert out["moved"]["obligations"] == 0 and out["obligations_stayed"] == 3
    assert verify(db, None).ok
