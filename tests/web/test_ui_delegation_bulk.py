"""A stand-in's inbox holds what waits for the leader who delegated to them, its bulk form
offers the leader's actions, and each row so moved records "KT. <leader>"; the tờ trình's bulk
form offers them too. Before the delegation, none of it."""
from datetime import timedelta

from sqlalchemy import select

from workflow.models import AuditEvent, User
from tests.browser_support import *
from tests.scenarios import draft, drive_to

NAMES = ("Hoàng Văn Em", "Lý Thị Giang")


def user(db, username):
    with db.read() as s:
        return s.execute(select(User).where(User.username == username)).scalar_one()


def delegate(login, db, clock, stand_in="bo.chuyenvien"):
    today = clock().date()
    r = login("bo.lanhdao").post("/delegations", json={
        "to_user_id": user(db, stand_in).id, "from": today.isoformat(), "until": (today + timedelta(days=6)).isoformat()})
    assert r.status_code == 201, r.get_json()


def test_a_stand_in_decides_the_leaders_waiting_nominations_in_bulk_from_the_inbox(web_on, login, db, users,
                                                                                  open_plan, clock):
    ids = []
    for name in NAMES:
        n = draft(db, users, open_plan, award="bang_khen_bo", name=name)
        drive_to(db, users, n.id, "ministry_decision")  # appraised: the minister's to decide
        ids.append(n.id)
    stand_in = web_on("bo.chuyenvien")
    before = WebUser.text(stand_in.get("/inbox"))
    assert 'value="decide"' not in before and not all(name in before for name in NAMES)

    delegate(login, db, clock)
    page = WebUser.text(stand_in.get("/inbox"))
    assert all(name in page for name in NAMES) and 'value="decide"' in page
    r = stand_in.post("/inbox/bulk", {"action": "decide", "ids": [str(i) for i in ids], "confirmed": "1",
                                      "decision.number": "90/QĐ-BTTTT", "decision.date": "23/11/2026",
                                      "decision.signer": "Nguyễn Thanh Lâm"})
    assert r.status_code == 200, WebUser.text(r)[:2000]
    minister = user(db, "bo.lanhdao")
    with db.read() as s:
        events = s.execute(select(AuditEvent).where(AuditEvent.action == "decide",
                                                    AuditEvent.nomination_id.in_(ids))).scalars().all()
    assert sorted(e.nomination_id for e in events) == sorted(ids)
    assert {(e.actor, e.on_behalf_of) for e in events} == {("bo.chuyenvien", f"KT. {minister.full_name}")}
