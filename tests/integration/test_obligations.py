"""Plan obligations: each participating unit reports by each `report` milestone of a plan.

The open demo plan is issued by Ban TĐKT Trung ương for every unit below it (VTC, Cục Báo
chí, the province's office): one report each, due the day before the window closes.
"""
import io

from sqlalchemy import select

from states.obligations import obligation_machine
from workflow.audit.chain import compute_hash, event_fields
from workflow.models import AuditEvent, Notification, Obligation, Plan
from workflow.plans import obligations
from workflow.sweep import run_sweep

from tests.integration.test_sweep import at, org_of

VTC, CBC = "Tổng công ty Truyền thông đa phương tiện (VTC)", "Cục Báo chí"


def reports(api, plan_id) -> dict:
    r = api.get(f"/plans/{plan_id}/reports")
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def mine(api, plan_id, unit_code_name: str, milestone: str = "") -> dict:
    [item] = [i for i in reports(api, plan_id)["items"]
              if unit_code_name in i["unit"]["name"] and i["milestone"]["text"].startswith(milestone)]
    return item


def seed_2014(db) -> int:
    with db.read() as s:
        return s.execute(select(Plan.id).where(Plan.title.like("Tổ chức Đại hội Thi đua%"))).scalar_one()


def test_the_plan_owner_sees_every_units_report_pending_with_its_due_date(login, open_plan):
    body = reports(login("tw.chuyenvien"), open_plan)
    items = body["items"]
    assert len(items) == 3 and {i["state"] for i in items} == {"pending"}
    assert all(i["due"] == items[0]["due"] and not i["late"] and i["standing"] == "open" for i in items)
    assert items[0]["milestone"]["text"].startswith("trước ngày")
    assert body["summary"] == {"on_time": 0, "late": 0, "missing": 0, "open": 3}
    assert items[0]["actions"] == []  # nothing to accept before a report comes in


def test_a_unit_reports_the_owner_returns_it_the_unit_reports_again_and_it_is_accepted(login, open_plan, db):
    officer, reviewer = login("vtc.canbo"), login("tw.chuyenvien")
    ob = mine(officer, open_plan, "VTC")
    assert ob["actions"] == ["submit"]
    r = officer.post(f"/plans/{open_plan}/reports/{ob['id']}/submit",
                     json={"text": "Báo cáo kết quả phong trào thi đua năm 2026 của VTC", "version": ob["version"]})
    assert r.status_code == 200 and r.get_json()["state"] == "submitted"
    assert r.get_json()["standing"] == "on_time"
    r = reviewer.post(f"/plans/{open_plan}/reports/{ob['id']}/return", json={})
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "reason"
    r = reviewer.post(f"/plans/{open_plan}/reports/{ob['id']}/return",
                      json={"reason": "Thiếu số liệu khen thưởng quý IV"})
    assert r.get_json()["state"] == "returned" and r.get_json()["reason"] == "Thiếu số liệu khen thưởng quý IV"
    officer.post(f"/plans/{open_plan}/reports/{ob['id']}/submit", json={"text": "Báo cáo bổ sung số liệu quý IV"})
    r = login("tw.lanhdao").post(f"/plans/{open_plan}/reports/{ob['id']}/accept")
    assert r.status_code == 200 and r.get_json()["state"] == "accepted"
    assert r.get_json()["text"] == "Báo cáo bổ sung số liệu quý IV"
    with db.read() as s:
        events = s.execute(select(AuditEvent).where(AuditEvent.chain == f"o:{ob['id']}")
                           .order_by(AuditEvent.seq)).scalars().all()
        assert [e.action for e in events] == ["create", "submit", "return", "submit", "accept"]
        assert [e.actor for e in events[1:]] == ["vtc.canbo", "tw.chuyenvien", "vtc.canbo", "tw.lanhdao"]
        assert all(e.hash == compute_hash(event_fields(e)) for e in events)
        assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:]))
    assert reports(reviewer, open_plan)["summary"] == {"on_time": 1, "late": 0, "missing": 0, "open": 2}


def test_who_may_do_what_with_a_report(login, open_plan):
    ob = mine(login("vtc.canbo"), open_plan, "VTC")
    path = f"/plans/{open_plan}/reports/{ob['id']}"
    assert login("baochi.canbo").post(f"{path}/submit", json={"text": "x"}).status_code == 404  # another unit's
    assert [i["unit"]["name"] for i in reports(login("baochi.canbo"), open_plan)["items"]] == ["Cục Báo chí"]
    assert login("vtc.hoidong").post(f"{path}/submit", json={"text": "x"}).status_code == 403
    login("vtc.canbo").post(f"{path}/submit", json={"text": "Báo cáo"})
    assert login("vtc.canbo").post(f"{path}/accept").status_code == 403
    assert login("bo.lanhdao").post(f"{path}/accept").status_code == 403  # sees it, does not own the plan
    assert len(reports(login("bo.lanhdao"), open_plan)["items"]) == 2     # the ministry's two units
    r = login("vtc.canbo").post(f"{path}/submit", json={"text": "Lần nữa"})
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "invalid_transition"
    assert login("vtc.canbo").post(f"{path}/approve").get_json()["error"]["field"] == "action"
    assert login("admin").post(f"{path}/accept").status_code == 200


def test_a_stale_version_is_a_conflict_and_changes_nothing(login, open_plan, db):
    ob = mine(login("vtc.canbo"), open_plan, "VTC")
    path = f"/plans/{open_plan}/reports/{ob['id']}"
    login("vtc.canbo").post(f"{path}/submit", json={"text": "Báo cáo", "version": ob["version"]})
    r = login("tw.chuyenvien").post(f"{path}/accept", json={"version": ob["version"]})
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "conflict"
    with db.read() as s:
        assert s.get(Obligation, ob["id"]).state == "submitted"


def test_the_2014_plan_shows_its_units_reports_as_missing(login, db):
    plan = seed_2014(db)
    body = reports(login("bo.chuyenvien"), plan)
    assert [(i["unit"]["name"], i["milestone"]["text"], i["due"], i["standing"]) for i in body["items"]] == [
        (VTC, "trước tháng 8 năm 2014", "2014-07-31", "missing"),
        (CBC, "trước tháng 8 năm 2014", "2014-07-31", "missing"),
        (VTC, "trước quý II năm 2015", "2015-03-31", "missing"),
        (CBC, "trước quý II năm 2015", "2015-03-31", "missing"),
    ]
    # Recorded after the fact: never reminded or escalated, however far the sweep runs.
    assert all(i["escalation_level"] == 0 for i in body["items"])


def test_a_report_sent_after_the_due_date_is_marked_late(login, db, clock):
    plan = seed_2014(db)
    ob = mine(login("vtc.canbo"), plan, "VTC", "trước tháng 8")
    r = login("vtc.canbo").post(f"/plans/{plan}/reports/{ob['id']}/submit", json={"text": "Báo cáo muộn"})
    assert r.get_json()["late"] is True and r.get_json()["standing"] == "late"
    with db.read() as s:
        payload = s.execute(select(AuditEvent.payload).where(AuditEvent.chain == f"o:{ob['id']}",
                                                             AuditEvent.action == "submit")).scalar_one()
        assert payload["late"] is True


def test_an_overdue_report_is_reminded_then_escalated_to_the_unit_head_and_the_ministry(login, open_plan, db,
                                                                                         users):
    ob = mine(login("vtc.canbo"), open_plan, "VTC")
    due = ob["due"]  # 21/01/2027, a Thursday
    r = run_sweep(db, at("2027-01-18"))        # 3 working days before
    assert r.reminded == 3                      # the three units
    r = run_sweep(db, at("2027-01-22"))
    assert r.escalated == 3 and {e["subject"] for e in r.events} == {"obligation"}
    [ob] = obligations.list_reports(db, users["vtc.canbo"], open_plan, now=at("2027-01-22"))["items"]
    assert ob["escalation_level"] == 1 and ob["standing"] == "missing" and due == "2027-01-21"
    with db.read() as s:
        kinds = s.execute(select(Notification.kind, Notification.role).where(
            Notification.org_id == s.get(Obligation, ob["id"]).org_id).order_by(Notification.id)).all()
        assert ("reminder", "unit_officer") in kinds and ("escalated", "unit_head") in kinds
    run_sweep(db, at("2027-02-01"))             # 5 working days after the due date: level 2
    with db.read() as s:
        bo = s.execute(select(Notification.message).where(
            Notification.org_id == org_of(db, "bo.lanhdao"), Notification.role == "ministry_leader",
            Notification.kind == "escalated")).scalars().all()
        assert len(bo) == 2 and all("chuyển cấp lần 2" in m for m in bo)  # VTC and Cục Báo chí
    # The unit reports at last: nothing more is escalated.
    login("vtc.canbo").post(f"/plans/{open_plan}/reports/{ob['id']}/submit", json={"text": "Báo cáo"})
    assert run_sweep(db, at("2027-03-01")).escalated == 0


def test_a_report_returned_after_the_due_date_gets_five_working_days(login, open_plan, db, clock):
    ob = mine(login("vtc.canbo"), open_plan, "VTC")
    path = f"/plans/{open_plan}/reports/{ob['id']}"
    login("vtc.canbo").post(f"{path}/submit", json={"text": "Báo cáo"})
    clock.now = at("2027-01-25")  # Monday after the due date
    login("tw.chuyenvien").post(f"{path}/return", json={"reason": "Bổ sung phụ lục"})
    def escalations_of_mine(report):
        return [e["level"] for e in report.events if e["id"] == ob["id"] and e["action"] == "escalate"]

    assert escalations_of_mine(run_sweep(db, at("2027-02-01"))) == []  # 5 working days: through 01/02
    assert escalations_of_mine(run_sweep(db, at("2027-02-02"))) == [1]


def test_a_unit_attaches_files_to_its_report_and_the_owner_downloads_them(login, open_plan, db):
    ob = mine(login("vtc.canbo"), open_plan, "VTC")
    path = f"/plans/{open_plan}/reports/{ob['id']}"
    pdf = b"%PDF-1.4 bao cao ket qua"
    r = login("vtc.canbo").client.post(f"/api/v1{path}/attachments", headers=login("vtc.canbo").headers,
                                      data={"file": (io.BytesIO(pdf), "Báo cáo 2026.pdf")},
                                      content_type="multipart/form-data")
    assert r.status_code == 201, r.get_json()
    att = r.get_json()
    assert att["filename"] == "Báo cáo 2026.pdf" and att["size"] == len(pdf)
    bad = login("vtc.canbo").client.post(f"/api/v1{path}/attachments", headers=login("vtc.canbo").headers,
                                        data={"file": (io.BytesIO(b"MZ"), "virus.exe")},
                                        content_type="multipart/form-data")
    assert bad.status_code == 422 and bad.get_json()["error"]["field"] == "file"
    item = mine(login("tw.chuyenvien"), open_plan, "VTC")
    assert [a["id"] for a in item["attachments"]] == [att["id"]]
    got = login("tw.chuyenvien").get(f"{path}/attachments/{att['id']}")
    assert got.status_code == 200 and got.data == pdf
    assert login("baochi.canbo").get(f"{path}/attachments/{att['id']}").status_code == 404
    with db.read() as s:
        assert s.execute(select(AuditEvent.action).where(AuditEvent.chain == f"o:{ob['id']}")
                         .order_by(AuditEvent.seq)).scalars().all() == ["create", "attach"]


def test_obligations_are_created_for_a_new_plan_with_report_milestones(login, db):
    r = login("bo.lanhdao").post("/plans", json={
        "number": "26/KH-BTTTT", "title": "Sơ kết phong trào thi đua 6 tháng", "kind": "thematic",
        "milestones": [{"text": "trước ngày 15/01/2027", "purpose": "report"},
                       {"text": "đến hết tháng 3 năm 2027", "purpose": "report"},
                       {"text": "trong quý II năm 2027", "purpose": "event"}]})
    assert r.status_code == 201, r.get_json()
    items = reports(login("bo.lanhdao"), r.get_json()["id"])["items"]
    assert sorted((i["unit"]["name"], i["due"]) for i in items) == [
        (CBC, "2027-01-14"), (CBC, "2027-03-31"), (VTC, "2027-01-14"), (VTC, "2027-03-31")]


def test_the_obligation_lifecycle_is_one_shared_machine():
    m = obligation_machine()
    assert m is obligation_machine() and m.machine.models == []
    assert m.next_state("pending", "submit") == "submitted"
    assert m.next_state("returned", "submit") == "submitted"
    assert m.next_state("pending", "accept") is None
    assert m.next_state("accepted", "escalate") is None
    assert m.next_state("pending", "escalate") == "pending"
    assert not any(t.startswith("to_") for t in m.machine.events)
