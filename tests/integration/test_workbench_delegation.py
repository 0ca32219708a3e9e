"""The minister, away, names the Vụ's reviewer as stand-in for a week: the stand-in decides an
award with the minister's powers, the audit event names the stand-in and records "KT." and the
minister; before or after the week, the stand-in has only their own powers."""
from datetime import timedelta

from sqlalchemy import select

from workflow.models import AuditEvent, User
from tests.conftest import DEMO_PASSWORD, ApiClient, snapshot
from tests.scenarios import draft, drive_to

DECISION = {"decision": {"number": "90/QĐ-BTTTT", "date": "2026-11-23"}}


def user(db, username):
    with db.read() as s:
        return s.execute(select(User).where(User.username == username)).scalar_one()


def test_a_stand_in_decides_for_the_minister_and_the_event_says_kt(login, client, db, users, open_plan, clock):
    minister, stand_in = user(db, "bo.lanhdao"), user(db, "bo.chuyenvien")
    n = draft(db, users, open_plan, award="bang_khen_bo", name="Hoàng Văn Em")
    drive_to(db, users, n.id, "ministry_decision")  # appraised: the minister's to decide
    reviewer = login("bo.chuyenvien")
    assert reviewer.post(f"/nominations/{n.id}/decide", json=DECISION).status_code in (403, 409)  # not yet

    today = clock().date()
    r = login("bo.lanhdao").post("/delegations", json={"to_user_id": stand_in.id, "from": today.isoformat(),
                                                       "until": (today + timedelta(days=6)).isoformat()})
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["active"] is True and r.get_json()["to_user"]["username"] == "bo.chuyenvien"
    assert [d["from_user"]["username"] for d in reviewer.get("/delegations").get_json()["items"]] == ["bo.lanhdao"]

    r = reviewer.post(f"/nominations/{n.id}/decide", json=DECISION)
    assert r.status_code == 200, r.get_json()
    assert snapshot(db, n.id)[0] == "awarded"
    with db.read() as s:
        ev = s.execute(select(AuditEvent).where(AuditEvent.chain == f"n:{n.id}", AuditEvent.action == "decide")).scalar_one()
        assert (ev.actor, ev.on_behalf_of) == ("bo.chuyenvien", f"KT. {minister.full_name}")
        given = s.execute(select(AuditEvent).where(AuditEvent.action == "delegate")).scalar_one()
        assert given.actor == "bo.lanhdao" and given.payload["to_user"] == "bo.chuyenvien"

    # After the week the stand-in's own powers only.
    later = draft(db, users, open_plan, award="bang_khen_bo", name="Lý Văn Sau")
    drive_to(db, users, later.id, "ministry_decision")
    clock.advance(days=8)
    token = client.post("/api/v1/auth/token", json={"username": "bo.chuyenvien", "password": DEMO_PASSWORD})
    reviewer = ApiClient(client, token.get_json()["token"])
    assert reviewer.post(f"/nominations/{later.id}/decide", json=DECISION).status_code in (403, 409)
    assert snapshot(db, later.id)[0] == "ministry_decision"


def test_only_a_leader_delegates_to_someone_of_the_office_once_per_period(login, db, clock):
    stand_in, outsider = user(db, "bo.chuyenvien"), user(db, "tinh.chuyenvien")
    today = clock().date().isoformat()
    week = {"from": today, "until": (clock().date() + timedelta(days=6)).isoformat()}
    assert login("bo.chuyenvien").post("/delegations", json={"to_user_id": stand_in.id, **week}).status_code == 403
    leader = login("bo.lanhdao")
    for bad in ({"to_user_id": outsider.id, **week}, {"to_user_id": user(db, "bo.lanhdao").id, **week},
                {"to_user_id": stand_in.id, "from": today, "until": "2026-01-01"},
                {"to_user_id": stand_in.id, "from": "23/11/2026", "until": today}, {"to_user_id": stand_in.id}):
        assert leader.post("/delegations", json=bad).status_code == 422, bad
    assert leader.post("/delegations", json={"to_user_id": stand_in.id, **week}).status_code == 201
    assert leader.post("/delegations", json={"to_user_id": stand_in.id, **week}).status_code == 409
    assert len(leader.get("/delegations").get_json()["items"]) == 1
