"""The head of the ministry's office assigns an incoming tờ trình to a specialist: the change is
the kernel's (version bumped, an audit event naming who was assigned), the specialist finds its
nominees under "giao cho tôi", and nobody else may assign or be assigned."""
from sqlalchemy import select

from workflow.models import AuditEvent, User
from tests.integration.test_dossier_lifecycle import to_ministry


def specialist(db, org_code="BTTTT") -> tuple[int, str]:
    with db.read() as s:
        u = s.execute(select(User).where(User.username == "bo.chuyenvien")).scalar_one()
        return u.id, u.full_name


def test_the_leader_assigns_a_dossier_and_it_shows_in_the_specialists_inbox(login, open_plan, db):
    did, ids = to_ministry(login, open_plan, ["Nguyễn Văn An", "Trần Thị Bình"])
    uid, name = specialist(db)
    reviewer, leader = login("bo.chuyenvien"), login("bo.lanhdao")
    assert reviewer.get("/inbox?mine=1").get_json()["total"] == 0
    before = leader.get(f"/dossiers/{did}").get_json()
    assert before["assignee"] is None

    r = leader.post(f"/dossiers/{did}/assign", json={"user_id": uid, "version": before["version"]})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["assignee"] == {"id": uid, "name": name} and r.get_json()["version"] == before["version"] + 1
    mine = reviewer.get("/inbox?mine=1").get_json()
    assert mine["total"] == 2 and {n["id"] for n in mine["items"]} == set(ids)
    with db.read() as s:
        ev = s.execute(select(AuditEvent).where(AuditEvent.chain == f"d:{did}", AuditEvent.action == "assign")).scalar_one()
        assert ev.payload == {"assignee_id": uid, "assignee": name} and ev.actor_id is not None

    # A stale version changes nothing; taking it back empties the specialist's list.
    r = leader.post(f"/dossiers/{did}/assign", json={"user_id": None, "version": before["version"]})
    assert r.status_code == 409
    r = leader.post(f"/dossiers/{did}/assign", json={"user_id": None})
    assert r.status_code == 200 and r.get_json()["assignee"] is None
    assert reviewer.get("/inbox?mine=1").get_json()["total"] == 0


def test_only_the_receiving_office_assigns_and_only_to_its_specialists(login, open_plan, db):
    did, _ids = to_ministry(login, open_plan, ["Lê Văn Cường"])
    uid, _name = specialist(db)
    with db.read() as s:
        leader_id = s.execute(select(User.id).where(User.username == "bo.lanhdao")).scalar_one()
        province = s.execute(select(User.id).where(User.username == "tinh.chuyenvien")).scalar_one()
    assert login("vtc.thutruong").post(f"/dossiers/{did}/assign", json={"user_id": uid}).status_code == 403
    assert login("tinh.lanhdao").post(f"/dossiers/{did}/assign", json={"user_id": uid}).status_code == 404
    leader = login("bo.lanhdao")
    for wrong in (leader_id, province, 10**12):
        r = leader.post(f"/dossiers/{did}/assign", json={"user_id": wrong})
        assert r.status_code == 422 and r.get_json()["error"]["field"] == "user_id", wrong
    assert leader.post(f"/dossiers/{did}/assign", json={}).status_code == 422
    assert leader.get(f"/dossiers/{did}").get_json()["assignee"] is None
