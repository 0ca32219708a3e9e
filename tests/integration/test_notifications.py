"""In-app notifications: the people who must act hear of it; the unit hears of the outcome."""
from sqlalchemy import func, select

from workflow.models import Notification, OutboxMessage

from tests.scenarios import FULL_VOTE, act, draft


def notifications(api, **params) -> dict:
    r = api.get("/notifications", query_string=params)
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def test_a_submitted_nomination_waits_in_the_council_secretarys_notifications(login, db, users, open_plan):
    n = draft(db, users, open_plan)
    act(db, users, "vtc.canbo", n.id, "submit")
    body = notifications(login("vtc.hoidong"))
    [note] = [i for i in body["items"] if i["nomination_id"] == n.id]
    assert note["kind"] == "waiting" and note["unread"] and body["unread"] >= 1
    assert "Hội đồng TĐKT xét" in note["message"] and "Council review" in note["message_en"]
    assert "Nguyễn Văn An" in note["message"]
    # Neither the head of the unit nor another unit's officer is told.
    assert all(i["nomination_id"] != n.id for i in notifications(login("vtc.thutruong"))["items"])
    assert all(i["nomination_id"] != n.id for i in notifications(login("baochi.canbo"))["items"])


def test_the_unit_officer_hears_that_a_nomination_was_returned_rejected_or_awarded(login, db, users, open_plan):
    returned = draft(db, users, open_plan, award="giay_khen", name="Trả lại")
    act(db, users, "vtc.canbo", returned.id, "submit")
    act(db, users, "vtc.hoidong", returned.id, "vote", votes=FULL_VOTE)
    act(db, users, "vtc.thutruong", returned.id, "return", reason="Bổ sung báo cáo thành tích")
    awarded = draft(db, users, open_plan, award="giay_khen", name="Được khen")
    act(db, users, "vtc.canbo", awarded.id, "submit")
    act(db, users, "vtc.hoidong", awarded.id, "vote", votes=FULL_VOTE)
    act(db, users, "vtc.thutruong", awarded.id, "decide", decision={"number": "12/QĐ-VTC", "date": "2026-11-23"})
    rejected = draft(db, users, open_plan, award="giay_khen", name="Không đạt")
    act(db, users, "vtc.canbo", rejected.id, "submit")
    act(db, users, "vtc.hoidong", rejected.id, "vote", votes={"members": 10, "present": 10, "yes": 3, "no": 7})
    kinds = {(i["nomination_id"], i["kind"]) for i in notifications(login("vtc.canbo"))["items"]}
    assert {(returned.id, "returned"), (awarded.id, "awarded"), (rejected.id, "rejected")} <= kinds


def test_unread_come_first_and_reading_one_marks_it_for_everyone_of_that_role(login, db, users, open_plan):
    first = draft(db, users, open_plan, name="Thứ nhất")
    act(db, users, "vtc.canbo", first.id, "submit")
    second = draft(db, users, open_plan, name="Thứ hai")
    act(db, users, "vtc.canbo", second.id, "submit")
    secretary = login("vtc.hoidong")
    items = notifications(secretary)["items"]
    assert [i["nomination_id"] for i in items[:2]] == [second.id, first.id]  # newest first
    older = items[1]
    r = secretary.post(f"/notifications/{older['id']}/read")
    assert r.status_code == 200 and r.get_json()["unread"] is False
    after = notifications(secretary)
    assert after["items"][-1]["id"] == older["id"] and after["unread"] == len(items) - 1
    assert older["id"] not in [i["id"] for i in notifications(secretary, unread="true")["items"]]
    assert secretary.post(f"/notifications/{older['id']}/read").status_code == 200  # again: no change
    assert login("vtc.canbo").post(f"/notifications/{older['id']}/read").status_code == 404


def test_notifications_page_by_cursor(login, db, users, open_plan):
    ids = []
    for i in range(5):
        n = draft(db, users, open_plan, name=f"Cán bộ {i}")
        act(db, users, "vtc.canbo", n.id, "submit")
        ids.append(n.id)
    secretary = login("vtc.hoidong")
    seen, cursor = [], None
    while True:
        page = notifications(secretary, limit=2, **({"cursor": cursor} if cursor else {}))
        seen += [i["nomination_id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == list(reversed(ids))
    assert secretary.get("/notifications?cursor=%%%").status_code == 422


def test_marking_all_read(login, db, users, open_plan):
    act(db, users, "vtc.canbo", draft(db, users, open_plan).id, "submit")
    secretary = login("vtc.hoidong")
    assert secretary.post("/notifications/read-all").get_json()["marked"] >= 1
    assert notifications(secretary)["unread"] == 0


def test_a_retried_notice_is_written_once(db, users, open_plan):
    from workflow.notices import notify
    from workflow.models import Nomination
    from workflow.orgs.tree import org_tree
    n = draft(db, users, open_plan)
    act(db, users, "vtc.canbo", n.id, "submit")
    with db.read() as s:
        before = (s.execute(select(func.count()).select_from(Notification)).scalar_one(),
                  s.execute(select(func.count()).select_from(OutboxMessage)).scalar_one())
    with db.write() as s:  # the same transition's notice, written again (a retried command)
        nom = s.get(Nomination, n.id)
        for notice in notify.transition_notices(org_tree(s), nom, "draft", "submit", nom.updated_at):
            notify.post(s, notice, nom.updated_at)
    with db.read() as s:
        after = (s.execute(select(func.count()).select_from(Notification)).scalar_one(),
                 s.execute(select(func.count()).select_from(OutboxMessage)).scalar_one())
    assert after == before


def test_one_decision_awarding_several_nominations_sends_the_unit_one_email(login, db, users, open_plan):
    ids = []
    for name in ("Nguyễn Văn An", "Trần Thị Bình"):
        n = draft(db, users, open_plan, award="giay_khen", name=name)
        act(db, users, "vtc.canbo", n.id, "submit")
        act(db, users, "vtc.hoidong", n.id, "vote", votes=FULL_VOTE)
        # One decision not yet issued, the second nominee added to it explicitly (NĐ 30/2020 Art. 15:
        # a number is used once a year).
        act(db, users, "vtc.thutruong", n.id, "decide", decision={
            "number": "15/QĐ-VTC", "date": "2026-11-23", "issued": False, "add_to_existing": bool(ids)})
        ids.append(n.id)
    kinds = {(i["nomination_id"], i["kind"]) for i in notifications(login("vtc.canbo"))["items"]}
    assert {(ids[0], "awarded"), (ids[1], "awarded")} <= kinds  # each has its in-app notice
    with db.read() as s:
        mails = s.execute(select(OutboxMessage.subject).where(
            OutboxMessage.recipient == "vtc.canbo@example.vn")).scalars().all()
    assert len([m for m in mails if "Quyết định khen thưởng số 15/QĐ-VTC" in m]) == 1
