"""An issued plan amended over the API (PATCH /plans/{id} with a reason): a new version, the change
recorded with its reason, and the units' report obligations following the milestones — a moved
date moves the reports still owed, a new report milestone owes new reports, a removed one cancels
the reports still owed, and a report already sent stays as it was.

The province (UBND tỉnh Thái Nguyên) issues a plan: the Sở report every year before 15/11, the
communes once before 20/12/2027.
"""
from sqlalchemy import select

from tests.web.test_plan_lifecycle import SO_GD, VP, XA, province_plan
from workflow.models import AuditEvent, Deadline, Obligation


def reports(api, plan_id: int) -> list[dict]:
    return api.get(f"/plans/{plan_id}/reports").get_json()["items"]


def test_an_issued_plan_is_amended_with_a_reason_and_its_obligations_follow(login, db):
    reviewer = login("tinh.chuyenvien")
    r = reviewer.post("/plans", json=province_plan(number="51/KH-UBND"))
    assert r.status_code == 201, r.get_json()
    plan = r.get_json()
    assert plan["version"] == 1 and plan["amendments"] == [] and "amend" in plan["actions"]
    [yearly, summary, window] = plan["milestones"]
    assert len(reports(reviewer, plan["id"])) == 7  # 2 Sở x 3 years + 1 commune

    # The Sở GD&ĐT sends its 2027 report before anything changes.
    officer = login("so.canbo")
    [mine] = [i for i in reports(officer, plan["id"]) if i["due"] == "2027-11-14"]
    assert officer.post(f"/plans/{plan['id']}/reports/{mine['id']}/submit",
                        json={"text": "Báo cáo năm 2027 của Sở"}).status_code == 200

    # Without a reason, or from a stale version, nothing changes.
    amended = {"version": 1, "title": "Kế hoạch thi đua, khen thưởng năm 2027 (sửa đổi)",
               "milestones": [{**yearly, "text": "trước ngày 30/11 hằng năm"},
                              {"text": "trước ngày 15/01/2028", "purpose": "report",
                               "description": "Báo cáo bổ sung", "binds": "UBND các xã, phường, đặc khu"},
                              window]}
    r = reviewer.patch(f"/plans/{plan['id']}", json={**amended, "reason": "  "})
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "reason"
    assert "lý do sửa đổi" in r.get_json()["error"]["message"]
    assert reviewer.patch(f"/plans/{plan['id']}", json={**amended, "version": 7, "reason": "x"}).status_code == 409
    assert login("so.canbo").patch(f"/plans/{plan['id']}", json={**amended, "reason": "x"}).status_code in (403, 404)

    r = reviewer.patch(f"/plans/{plan['id']}", json={**amended, "reason": "Theo Công văn số 12/UBND-NC"})
    assert r.status_code == 200, r.get_json()
    after = r.get_json()
    assert after["version"] == 2 and after["status"] == "issued" and after["title"].endswith("(sửa đổi)")
    assert [m["text"] for m in after["milestones"]] == [
        "trước ngày 30/11 hằng năm", "trước ngày 15/01/2028", "trước ngày 30/11/2027"]
    assert after["milestones"][0]["id"] == yearly["id"]  # the same milestone, its date changed
    [amendment] = after["amendments"]
    assert amendment["version"] == 2 and amendment["reason"] == "Theo Công văn số 12/UBND-NC"
    assert amendment["by"] == "tinh.chuyenvien" and amendment["by_name"] == "Bùi Thị Huyền"
    assert set(amendment["fields"]) == {"title", "milestones"}
    assert amendment["fields"]["title"]["old"] == plan["title"]
    # 5 reports still owed by the Sở move to 29/11; the commune's summary is no longer owed and
    # its new report is; the Sở GD&ĐT's 2027 report, already sent, stays.
    assert amendment["obligations"] == {"moved": 5, "created": 1, "cancelled": 1}

    items = reports(reviewer, plan["id"])
    by_unit: dict[str, list[tuple[str, str]]] = {}
    for i in items:
        by_unit.setdefault(i["unit"]["name"], []).append((i["due"], i["state"]))
    assert sorted(by_unit[SO_GD]) == [("2027-11-14", "submitted"), ("2028-11-29", "pending"),
                                      ("2029-11-29", "pending")]
    assert sorted(by_unit[VP]) == [("2027-11-29", "pending"), ("2028-11-29", "pending"), ("2029-11-29", "pending")]
    assert by_unit[XA] == [("2028-01-14", "pending")]

    with db.read() as s:
        obs = s.execute(select(Obligation).where(Obligation.plan_id == plan["id"])).scalars().all()
        [cancelled] = [o for o in obs if o.state == "cancelled"]
        assert cancelled.milestone_id == summary["id"]
        # Each moved report is reminded and escalated at its new date; the cancelled one never.
        live = s.execute(select(Deadline.subject_id, Deadline.due_at).where(
            Deadline.subject == "obligation", Deadline.next_at.is_not(None),
            Deadline.subject_id.in_([o.id for o in obs]))).all()
        assert cancelled.id not in {sid for sid, _ in live}
        assert {(sid, due_at) for sid, due_at in live} == {
            (o.id, o.due_at) for o in obs if o.state == "pending"}
        events = s.execute(select(AuditEvent.action, AuditEvent.reason).where(
            AuditEvent.chain == f"p:{plan['id']}").order_by(AuditEvent.seq)).all()
        assert events[-1] == ("amend", "Theo Công văn số 12/UBND-NC")
        assert s.execute(select(AuditEvent.action).where(AuditEvent.chain == f"o:{cancelled.id}")
                         .order_by(AuditEvent.seq)).scalars().all() == ["create", "cancel"]

    # Amending again with nothing changed is said, not recorded.
    r = reviewer.patch(f"/plans/{plan['id']}", json={"version": 2, "reason": "Không đổi gì"})
    assert r.status_code == 422 and "không thay đổi gì" in r.get_json()["error"]["message"]

    # The summary put back as it was: the commune's cancelled report is owed again, the same one.
    r = reviewer.patch(f"/plans/{plan['id']}", json={
        "version": 2, "reason": "Khôi phục báo cáo tổng kết", "milestones": [*after["milestones"], summary]})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["amendments"][-1]["obligations"] == {"moved": 0, "created": 1, "cancelled": 0}
    with db.read() as s:
        assert s.get(Obligation, cancelled.id).state == "pending"
        assert s.execute(select(AuditEvent.action).where(AuditEvent.chain == f"o:{cancelled.id}")
                         .order_by(AuditEvent.seq)).scalars().all() == ["create", "cancel", "reinstate"]
