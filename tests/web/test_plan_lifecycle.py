"""A plan's lifecycle over the API: saved as a draft (nothing owed, not seen by units), edited
freely, issued (participants and report obligations created then, audited), closed; groups of
participants ("các Sở, ban, ngành", "UBND các xã, phường") resolved when issued; milestones that
bind groups; "hằng năm" milestones owing one report a year.

The demo's province (UBND tỉnh Thái Nguyên) has two departments under it (Văn phòng Đoàn ĐBQH và
HĐND tỉnh, Sở GD&ĐT with a school below it) and one commune (UBND phường Phan Đình Phùng).
"""
from sqlalchemy import func, select

from workflow.models import AuditEvent, Obligation, Plan, PlanUnit

SO_GD = "Sở Giáo dục và Đào tạo tỉnh Thái Nguyên"
VP = "Văn phòng Đoàn ĐBQH và HĐND tỉnh"
XA = "UBND phường Phan Đình Phùng"
SCHOOL = "Trường THPT Chuyên Thái Nguyên"


def province_plan(**over) -> dict:
    body = {
        "number": "45/KH-UBND", "title": "Kế hoạch thi đua, khen thưởng năm 2027 của tỉnh Thái Nguyên",
        "kind": "annual", "issued_on": "2026-12-01",
        "period": {"start": "2027-01-01", "end": "2029-12-31"},
        "milestones": [
            {"text": "trước ngày 15/11 hằng năm", "purpose": "report",
             "description": "Báo cáo kết quả phong trào thi đua", "binds": "Các Sở, ban, ngành"},
            {"text": "trước ngày 20/12/2027", "purpose": "report",
             "description": "Báo cáo tổng kết", "binds": "UBND các xã, phường, đặc khu"},
            {"text": "trước ngày 30/11/2027", "purpose": "submission"},
        ],
    }
    body.update(over)
    return body


def obligations_of(db, plan_id: int) -> list[tuple]:
    with db.read() as s:
        return sorted(s.execute(select(Obligation.org_id, Obligation.milestone_id, Obligation.due_at)
                                .where(Obligation.plan_id == plan_id)).all())


def names(api, plan: dict) -> dict[int, str]:
    return {u["id"]: u["name"] for u in api.get("/orgs").get_json()["items"]} if plan else {}


def test_a_draft_owes_nothing_is_edited_then_issued_with_each_groups_obligations(login, db):
    reviewer = login("tinh.chuyenvien")
    r = reviewer.post("/plans", json=province_plan(draft=True))
    assert r.status_code == 201, r.get_json()
    draft = r.get_json()
    assert draft["status"] == "draft" and draft["version"] == 1 and draft["accepting_nominations"] is False
    assert obligations_of(db, draft["id"]) == [] and draft["warnings"] == []
    [yearly, summary, _] = draft["milestones"]
    assert yearly["recurring"] == "yearly"
    assert [p["end"] for p in yearly["periods"]] == ["2027-11-14", "2028-11-14", "2029-11-14"]
    assert yearly["binds"][0]["kind"] == "department" and summary["binds"][0]["kind"] == "commune"
    # Naming no participants, the plan concerns every unit under the province (the school too);
    # issuing would give the two departments 3 yearly reports each and the commune 1.
    assert draft["on_issue"] == {"units": 4, "obligations": 7}
    assert set(draft["actions"]) == {"edit", "issue"}

    # Units do not see a draft; the province's leader does; the school's officer cannot nominate for it.
    assert login("so.canbo").get(f"/plans/{draft['id']}").status_code == 404
    assert draft["id"] not in [p["id"] for p in login("xa.canbo").get("/plans").get_json()["items"]]
    assert login("tinh.lanhdao").get(f"/plans/{draft['id']}").status_code == 200

    # Edited without a reason: a wrong title and the yearly report now also binds the communes.
    r = reviewer.patch(f"/plans/{draft['id']}", json={
        "version": 1, "title": "Kế hoạch thi đua, khen thưởng giai đoạn 2027-2029",
        "milestones": [{**province_plan()["milestones"][0],
                        "binds": "Các Sở, ban, ngành và UBND các xã, phường"},
                       *province_plan()["milestones"][1:]]})
    assert r.status_code == 200, r.get_json()
    edited = r.get_json()
    assert edited["title"].endswith("2027-2029") and edited["version"] == 2 and edited["status"] == "draft"
    assert edited["number"] == "45/KH-UBND"  # what the PATCH did not name is kept
    assert edited["on_issue"] == {"units": 4, "obligations": 10}
    assert reviewer.patch(f"/plans/{draft['id']}", json={"version": 1, "title": "x"}).status_code == 409

    r = reviewer.post(f"/plans/{draft['id']}/issue", json={"version": 2})
    assert r.status_code == 200, r.get_json()
    issued = r.get_json()
    assert issued["status"] == "issued" and issued["accepting_nominations"] is True and "on_issue" not in issued
    orgs = names(reviewer, issued)
    owed = obligations_of(db, draft["id"])
    assert len(owed) == 10
    by_unit: dict[str, list[str]] = {}
    for org_id, _, due_at in owed:
        by_unit.setdefault(orgs[org_id], []).append(due_at.date().isoformat())
    assert sorted(by_unit) == sorted([SO_GD, VP, XA])
    assert len(by_unit[SO_GD]) == 3 and len(by_unit[VP]) == 3 and len(by_unit[XA]) == 4
    assert SCHOOL not in by_unit  # a school is a unit under a Sở, not a Sở
    with db.read() as s:
        actions = s.execute(select(AuditEvent.action).where(AuditEvent.chain == f"p:{draft['id']}")
                            .order_by(AuditEvent.seq)).scalars().all()
        assert actions == ["plan_draft", "edit", "issue"]
        assert s.execute(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.entity == "obligation", AuditEvent.action == "create",
            AuditEvent.payload["plan_id"].as_integer() == draft["id"])).scalar_one() == 10
    # Issued: no more draft edits (an amendment asks for its reason), no second issue.
    r = reviewer.patch(f"/plans/{draft['id']}", json={"title": "x"})
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "reason"
    assert reviewer.post(f"/plans/{draft['id']}/issue").status_code == 409
    assert login("so.canbo").get(f"/plans/{draft['id']}").status_code == 200


def test_a_plan_posted_without_the_flag_is_issued_at_once_and_can_be_closed(login, db):
    reviewer = login("tinh.chuyenvien")
    r = reviewer.post("/plans", json=province_plan(number="46/KH-UBND"))
    assert r.status_code == 201, r.get_json()
    plan = r.get_json()
    assert plan["status"] == "issued" and plan["actions"] == ["amend", "close"]
    assert len(obligations_of(db, plan["id"])) == 7
    assert login("so.canbo").post(f"/plans/{plan['id']}/close").status_code in (403, 404)
    r = reviewer.post(f"/plans/{plan['id']}/close", json={"reason": "Đã tổng kết", "version": plan["version"]})
    assert r.status_code == 200 and r.get_json()["status"] == "closed"
    assert r.get_json()["accepting_nominations"] is False and r.get_json()["actions"] == []
    r = login("so.canbo").post("/nominations", json={
        "plan_id": plan["id"], "award_type": "giay_khen", "nominee": {"kind": "individual", "name": "Lê Văn A"},
        "achievements": "Hoàn thành xuất sắc nhiệm vụ năm 2027"})
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "plan_id"
    assert "đã kết thúc" in r.get_json()["error"]["message"]


def test_who_a_milestone_binds_is_never_guessed(login, db):
    reviewer = login("tinh.chuyenvien")
    body = province_plan(number="47/KH-UBND", draft=True)
    body["milestones"][1]["binds"] = "Hội Nông dân tỉnh"
    r = reviewer.post("/plans", json=body)
    assert r.status_code == 201
    draft = r.get_json()
    [warning] = draft["warnings"]
    assert "Hội Nông dân tỉnh" in warning["message"] and warning["field"] == "milestones[1].binds"
    r = reviewer.post(f"/plans/{draft['id']}/issue")
    assert r.status_code == 422 and "Hội Nông dân tỉnh" in r.get_json()["error"]["message"]
    assert obligations_of(db, draft["id"]) == []
    with db.read() as s:
        assert s.get(Plan, draft["id"]).status == "draft"
    # Issued at once, the same words are refused before anything is saved.
    body.pop("draft")
    body["number"] = "48/KH-UBND"
    with db.read() as s:
        before = s.execute(select(func.count()).select_from(Plan)).scalar_one()
    assert reviewer.post("/plans", json=body).status_code == 422
    with db.read() as s:
        assert s.execute(select(func.count()).select_from(Plan)).scalar_one() == before


def test_participants_named_as_groups_and_units(login, db):
    reviewer = login("tinh.chuyenvien")
    orgs = {u["name"]: u["id"] for u in reviewer.get("/orgs").get_json()["items"]}
    province = orgs["UBND tỉnh Thái Nguyên (Sở Nội vụ - Ban Thi đua - Khen thưởng)"]
    body = province_plan(number="49/KH-UBND", draft=True, groups=[{"kind": "commune", "under": province}],
                         participants=[orgs[SCHOOL]])
    for m in body["milestones"]:
        m.pop("binds", None)
    draft = reviewer.post("/plans", json=body).get_json()
    assert [g["name"] for g in draft["groups"]] == [
        "UBND các xã, phường, đặc khu thuộc UBND tỉnh Thái Nguyên (Sở Nội vụ - Ban Thi đua - Khen thưởng)"]
    assert draft["on_issue"] == {"units": 2, "obligations": 2 * 3 + 2}
    reviewer.post(f"/plans/{draft['id']}/issue")
    with db.read() as s:
        units = set(s.execute(select(PlanUnit.org_id).where(PlanUnit.plan_id == draft["id"])).scalars())
    assert units == {orgs[XA], orgs[SCHOOL]}
    # A group may lie anywhere in the tree (tests/web/test_plan_family.py); an unknown one is refused.
    r = reviewer.post("/plans", json=province_plan(number="50/KH-UBND", groups=[
        {"kind": "department", "under": 987654}]))
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "groups[0].under"


def test_a_milestone_before_the_issue_date_or_on_a_day_off_is_flagged_not_refused(login, db):
    """Issued 01/12/2026: "trước ngày 10/01/2027" ends on Saturday 09/01/2027 (the period then ends
    on Monday 11/01/2027, BLDS Art. 148); "trước ngày 20/11/2026" ends before the plan exists."""
    reviewer = login("tinh.chuyenvien")
    r = reviewer.post("/plans", json=province_plan(number="47/KH-UBND", milestones=[
        {"text": "trước ngày 10/01/2027", "purpose": "report", "description": "Báo cáo"},
        {"text": "trước ngày 20/11/2026", "purpose": "event", "description": "Hội nghị"},
        {"text": "trước ngày 16/12/2026", "purpose": "submission"}]))
    assert r.status_code == 201, r.get_json()
    plan = r.get_json()
    said = [w["message"] for w in plan["deadline_warnings"]]
    assert len(said) == 2, said
    assert "09/01/2027" in said[0] and "thứ Bảy" in said[0] and "11/01/2027" in said[0]
    assert "19/11/2026" in said[1] and "trước ngày ban hành 01/12/2026" in said[1]
    assert plan["status"] == "issued"  # said, not refused
