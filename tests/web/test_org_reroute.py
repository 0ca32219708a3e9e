"""When the office reorganises, the nominations in flight follow the tree: a school moved out from
under its Sở no longer passes the Sở's review, a unit whose parent changes kind gains or loses that
level, a merger gives the absorbed unit's open nominations the route of their new unit. Each change
of route is its own event on the nomination's chain, and the chains still verify. (SQLite and
PostgreSQL.)"""
from sqlalchemy import select

from states.routes import ROUTES
from tests.web.test_orgs import act, add_user, login_as, nominate, org_by_name
from workflow.audit.verify import verify
from workflow.models import AuditEvent, Nomination

PROVINCE = "UBND tỉnh Thái Nguyên (Sở Nội vụ - Ban Thi đua - Khen thưởng)"
SO = "Sở Giáo dục và Đào tạo tỉnh Thái Nguyên"
SCHOOL = "Trường THPT Chuyên Thái Nguyên"


def school_people(client, db, users, school_id, prefix="thpt"):
    for suffix, role in (("canbo", "unit_officer"), ("hoidong", "council_secretary"), ("hieutruong", "unit_head")):
        add_user(db, users, f"{prefix}.{suffix}", role, school_id)
    return tuple(login_as(client, f"{prefix}.{s}") for s in ("canbo", "hoidong", "hieutruong"))


def at_the_so(officer, secretary, head, plan, name):
    """A Bằng khen of the provincial chairman, voted and signed at the school: it waits at the Sở."""
    n = act(officer, nominate(officer, plan, award="bang_khen_bo", name=name), "submit")
    n = act(secretary, n, "vote", votes={"members": 20, "present": 18, "yes": 15, "no": 3})
    return act(head, n, "approve")


def route_of(db, nomination_id):
    with db.read() as s:
        nom = s.get(Nomination, nomination_id)
        return nom, ROUTES[nom.route].states


def reroutes(db, nomination_id):
    with db.read() as s:
        return s.execute(select(AuditEvent).where(AuditEvent.chain == f"n:{nomination_id}",
                                                  AuditEvent.action == "route_recompute")).scalars().all()


def test_a_school_moved_from_under_its_so_to_the_province_no_longer_passes_the_so_review(
        login, client, db, users, open_plan):
    province, so, school = (org_by_name(login, x) for x in (PROVINCE, SO, SCHOOL))
    officer, secretary, head = school_people(client, db, users, school["id"])
    waiting = at_the_so(officer, secretary, head, open_plan, "Lê Thị Giang")
    assert waiting["state"] == "department_review"
    voting = act(officer, nominate(officer, open_plan, award="bang_khen_bo", name="Trần Văn Hải"), "submit")
    draft = nominate(officer, open_plan, award="bang_khen_bo", name="Vi Thị Mận")
    of_the_so = act(login("so.canbo"), nominate(login("so.canbo"), open_plan, award="bang_khen_bo",
                                                name="Hoàng Văn Sơn"), "submit")
    nom, states = route_of(db, waiting["id"])
    assert "department_review" in states and nom.holder_org_id == so["id"]

    r = login("admin").patch(f"/orgs/{school['id']}", json={"parent_id": province["id"]})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["parent_id"] == province["id"] and r.get_json()["rerouted"] == 3

    # The one at the Sở goes back to the school head, who signs it again to the province.
    nom, states = route_of(db, waiting["id"])
    assert states == ("council_review", "unit_review", "ministry_review", "ministry_decision")
    assert (nom.state, nom.holder_org_id, nom.level) == ("unit_review", school["id"], "unit")
    assert nom.version == waiting["version"] + 1 and nom.due_at is not None
    [event] = reroutes(db, waiting["id"])
    assert (event.from_state, event.to_state) == ("department_review", "unit_review")
    assert event.payload["cause"] == "org_update" and event.payload["org_id"] == school["id"]
    assert event.changes["route"][1] == nom.route and event.changes["holder_org_id"] == [so["id"], school["id"]]
    # The one at the council and the draft keep their step on the new route.
    for n, state in ((voting, "council_review"), (draft, "draft")):
        other, other_states = route_of(db, n["id"])
        assert other.state == state and "department_review" not in other_states
        assert len(reroutes(db, n["id"])) == 1
    # The Sở's own nomination did not move: the Sở stayed where it was.
    assert reroutes(db, of_the_so["id"]) == []

    again = login_as(client, "thpt.hieutruong").get(f"/nominations/{waiting['id']}").get_json()
    n = act(head, again, "approve")
    assert (n["state"], n["level"]) == ("ministry_review", "ministry")
    assert "approve" in login("tinh.chuyenvien").get(f"/nominations/{n['id']}").get_json()["actions"]
    # The tree change and the re-route are on their chains; the rows are what the chains say.
    with db.read() as s:
        org_event = s.execute(select(AuditEvent).where(AuditEvent.chain == "admin:org_unit",
                                                       AuditEvent.action == "org_update")
                              .order_by(AuditEvent.seq.desc())).scalars().first()
    assert sorted(org_event.payload["rerouted"]) == sorted([waiting["id"], voting["id"], draft["id"]])
    result = verify(db, None)
    assert result.ok, result.first


def test_a_change_of_kind_above_a_unit_reroutes_its_nominations_and_nothing_else(
        login, client, db, users, open_plan):
    so, school = org_by_name(login, SO), org_by_name(login, SCHOOL)
    officer, secretary, head = school_people(client, db, users, school["id"])
    n = act(officer, nominate(officer, open_plan, award="bang_khen_bo", name="Lê Văn Khôi"), "submit")
    assert "department_review" in route_of(db, n["id"])[1]
    own = act(login("so.canbo"), nominate(login("so.canbo"), open_plan, award="bang_khen_bo", name="Lục Thị Na"),
              "submit")

    # The Sở is no longer a department-level unit (its head no longer grants Giấy khen on its own).
    r = login("admin").patch(f"/orgs/{so['id']}", json={"kind": "unit"})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["kind"] == "unit" and r.get_json()["rerouted"] == 1
    nom, states = route_of(db, n["id"])
    assert nom.state == "council_review" and "department_review" not in states
    assert reroutes(db, own["id"]) == []  # its own kind does not change the Sở's own route

    n = act(secretary, login_as(client, "thpt.hoidong").get(f"/nominations/{n['id']}").get_json(), "vote",
            votes={"members": 20, "present": 18, "yes": 15, "no": 3})
    assert act(head, n, "approve")["state"] == "ministry_review"

    # Back to a department: the next nomination of the school passes it again; this one, already at
    # the province, stays there (its step exists on the new route).
    r = login("admin").patch(f"/orgs/{so['id']}", json={"kind": "department"})
    assert r.status_code == 200 and r.get_json()["rerouted"] == 1
    nom, states = route_of(db, n["id"])
    assert nom.state == "ministry_review" and "department_review" in states
    assert verify(db, None).ok


def test_a_merger_reroutes_the_absorbed_units_open_nominations(login, client, db, users, open_plan):
    province, so, school = (org_by_name(login, x) for x in (PROVINCE, SO, SCHOOL))
    officer, secretary, head = school_people(client, db, users, school["id"])
    waiting = at_the_so(officer, secretary, head, open_plan, "Đào Thị Hoa")
    # A new school directly under the province absorbs the old one.
    new = login("admin").post("/orgs", json={"name": "Trường THPT Thái Nguyên", "kind": "unit",
                                             "parent_id": province["id"], "valid_from": "2026-01-01"}).get_json()
    r = login("admin").post(f"/orgs/{school['id']}/merge", json={"into_id": new["id"], "date": "2026-11-20"})
    assert r.status_code == 200, r.get_json()
    out = r.get_json()
    assert out["moved"]["nominations"] == 1 and out["rerouted"] == 1

    nom, states = route_of(db, waiting["id"])
    assert nom.unit_id == new["id"] and "department_review" not in states
    assert (nom.state, nom.holder_org_id) == ("unit_review", new["id"])
    with db.read() as s:
        actions = [e.action for e in s.execute(select(AuditEvent).where(AuditEvent.chain == f"n:{waiting['id']}")
                                               .order_by(AuditEvent.seq)).scalars()]
    assert actions[-2:] == ["org_merge", "route_recompute"]
    # The moved head (now the new school's) is the one to sign it on to the province; the Sở is not.
    assert "approve" in login_as(client, "thpt.hieutruong").get(f"/nominations/{waiting['id']}").get_json()["actions"]
    assert login("so.thutruong").get(f"/nominations/{waiting['id']}").get_json().get("actions", []) == []
    result = verify(db, None)
    assert result.ok, result.first
