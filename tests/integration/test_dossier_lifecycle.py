"""A unit sends a dossier (tờ trình "45/TTr-VTC") up the chain; its nominations move together.

Helpers at the top are shared by the other dossier, aggregation and decision test modules.
"""
import io

from openpyxl import Workbook
from sqlalchemy import func, select

from workflow.models import AuditEvent, CouncilVote, Dossier
from tests.conftest import counts

HEADER = ["STT", "Họ và tên / Tên tập thể", "Chức vụ, chức danh", "Đơn vị", "Cá nhân / Tập thể",
          "Mã hình thức khen thưởng", "Tóm tắt thành tích"]
VTC = "Tổng công ty Truyền thông đa phương tiện (VTC)"
ACHIEVEMENTS = "Hoàn thành xuất sắc nhiệm vụ năm 2026; chủ trì sáng kiến cấp cơ sở."


def nominee(name, award="bang_khen_thu_tuong", kind="individual", title="Phóng viên"):
    return {"award_type": award, "nominee": {"kind": kind, "name": name, "title": title},
            "achievements": ACHIEVEMENTS}


def open_dossier(api, plan, number="45/TTr-VTC", **extra):
    r = api.post("/dossiers", json={"plan_id": plan, "number": number, **extra})
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def add_people(api, dossier_id, names, award="bang_khen_thu_tuong"):
    ids = []
    for name in names:
        r = api.post(f"/dossiers/{dossier_id}/nominations", json=nominee(name, award))
        assert r.status_code == 201, r.get_json()
        ids.append(r.get_json()["nominations"][0]["id"])
    return ids


def workbook(rows, header=HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def person_row(i, name, award="bang_khen_thu_tuong", kind="Cá nhân", unit=VTC):
    return [i, name, "Phóng viên", unit, kind, award, ACHIEVEMENTS]


def upload(api, path, data: bytes, filename="danh-sach.xlsx", **form):
    return api.client.post(f"/api/v1{path}", headers=api.headers, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(data), filename), **form})


def votes(ids, members=15, yes=15):
    return {"members": members, "present": members,
            "results": [{"nomination_id": i, "yes": yes, "no": members - yes} for i in ids]}


def to_ministry(login, plan, names, number="45/TTr-VTC"):
    """A VTC dossier submitted, voted and forwarded by the unit head: it is `received`."""
    officer = login("vtc.canbo")
    d = open_dossier(officer, plan, number)
    ids = add_people(officer, d["id"], names)
    assert officer.post(f"/dossiers/{d['id']}/submit").status_code == 200
    assert login("vtc.hoidong").post(f"/dossiers/{d['id']}/votes", json=votes(ids)).status_code == 200
    r = login("vtc.thutruong").post(f"/dossiers/{d['id']}/review", json={"action": "approve", "all": True})
    assert r.status_code == 200 and r.get_json()["failed"] == 0, r.get_json()
    return d["id"], ids


def to_minister(login, plan, names, number="45/TTr-VTC"):
    """`to_ministry`, then the ministry's appraisal forwards the list to its council (Hội đồng TĐKT
    Bộ), which votes it in one session: the nominations wait for the minister's signature."""
    source, ids = to_ministry(login, plan, names, number)
    r = login("bo.chuyenvien").post(f"/dossiers/{source}/review", json={"action": "approve", "all": True})
    assert r.status_code == 200 and r.get_json()["failed"] == 0, r.get_json()
    r = login("bo.hoidong").post(f"/dossiers/{source}/votes", json=votes(ids, members=10, yes=10))  # the roster
    assert r.status_code == 200, r.get_json()
    return source, ids


def history_actions(api, nomination_id):
    return [(e["action"], (e["payload"] or {}).get("dossier", {}).get("number"))
            for e in api.get(f"/nominations/{nomination_id}/history").get_json()["items"]]


# --- scenarios ---------------------------------------------------------------------------

def test_an_officer_builds_a_dossier_and_the_council_votes_its_list_in_one_session(login, open_plan, db):
    officer = login("vtc.canbo")
    d = open_dossier(officer, open_plan, title="Đề nghị Bằng khen Thủ tướng năm 2026")
    assert d["state"] == "draft" and d["number"] == "45/TTr-VTC" and d["kind"] == "unit"
    assert d["addressed_org"]["name"] == "Bộ Khoa học và Công nghệ"  # Bộ TT&TT merged into it (demo, 2025)
    assert {"add", "import", "submit"} <= set(d["actions"])
    ids = add_people(officer, d["id"], ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"])

    r = officer.post(f"/dossiers/{d['id']}/submit")
    assert r.status_code == 200 and r.get_json()["state"] == "submitted"
    assert r.get_json()["counts"] == {"council_review": 3}

    body = votes(ids)
    body["results"][2]["yes"] = 7  # 7 of 15 members: below a majority of all members
    body["results"][2]["no"] = 8
    r = login("vtc.hoidong").post(f"/dossiers/{d['id']}/votes", json=body)
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["counts"] == {"rejected": 1, "unit_review": 2}
    with db.read() as s:
        tallies = s.execute(select(CouncilVote).where(CouncilVote.dossier_id == d["id"])).scalars().all()
        assert sorted((t.nomination_id, t.passed) for t in tallies) == [(ids[0], True), (ids[1], True), (ids[2], False)]

    r = login("vtc.thutruong").post(f"/dossiers/{d['id']}/review", json={"action": "approve", "all": True})
    assert r.status_code == 200 and r.get_json()["succeeded"] == 2
    view = officer.get(f"/dossiers/{d['id']}").get_json()
    assert view["state"] == "received"
    assert view["counts"] == {"ministry_review": 2, "rejected": 1}
    assert [n["id"] for n in view["nominations"]] == ids
    assert history_actions(officer, ids[0]) == [
        ("create", None), ("add_to_dossier", "45/TTr-VTC"), ("submit", "45/TTr-VTC"),
        ("vote", "45/TTr-VTC"), ("approve", "45/TTr-VTC")]


def test_the_dossier_keeps_its_own_audited_history(login, open_plan):
    d_id, _ = to_ministry(login, open_plan, ["Nguyễn Văn An"])
    events = login("vtc.canbo").get(f"/dossiers/{d_id}/history").get_json()["items"]
    assert [(e["action"], e["from_state"], e["to_state"]) for e in events] == [
        ("create", None, "draft"), ("add_nominations", "draft", "draft"), ("submit", "draft", "submitted"),
        ("council_session", "submitted", "submitted"), ("review", "submitted", "submitted"),
        ("receive", "submitted", "received")]
    assert all(e["chain"] == f"d:{d_id}" for e in events)
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert all(b["prev_hash"] == a["hash"] for a, b in zip(events, events[1:]))


def test_submitting_a_dossier_is_all_or_nothing_with_a_reason_per_blocked_nominee(login, open_plan, db):
    officer = login("vtc.canbo")
    d = open_dossier(officer, open_plan)
    ids = add_people(officer, d["id"], ["Nguyễn Văn An", "Trần Thị Bình"])
    # One nominee is taken forward on its own before the dossier goes.
    assert officer.post(f"/nominations/{ids[1]}/submit").status_code == 200
    before = counts(db)
    r = officer.post(f"/dossiers/{d['id']}/submit")
    assert r.status_code == 409
    rows = r.get_json()["error"]["rows"]
    assert [(x["nomination_id"], x["code"]) for x in rows] == [(ids[1], "invalid_transition")]
    assert counts(db) == before
    assert officer.get(f"/nominations/{ids[0]}").get_json()["state"] == "draft"
    assert officer.get(f"/dossiers/{d['id']}").get_json()["state"] == "draft"


def test_the_ministry_returns_the_whole_dossier_and_the_unit_resubmits_it(login, open_plan):
    d_id, ids = to_ministry(login, open_plan, ["Nguyễn Văn An", "Trần Thị Bình"])
    reviewer = login("bo.chuyenvien")
    assert reviewer.post(f"/dossiers/{d_id}/return", json={}).status_code == 422  # a reason is required
    r = reviewer.post(f"/dossiers/{d_id}/return", json={"reason": "Thiếu biên bản họp Hội đồng"})
    assert r.status_code == 200 and r.get_json()["state"] == "returned"
    assert r.get_json()["counts"] == {"returned": 2}
    officer = login("vtc.canbo")
    assert "submit" in officer.get(f"/dossiers/{d_id}").get_json()["actions"]
    r = officer.post(f"/dossiers/{d_id}/submit")
    assert r.status_code == 200, r.get_json()
    # Resubmitted nominations go to the unit head, who signs the supplemented tờ trình again.
    assert r.get_json()["state"] == "submitted" and r.get_json()["counts"] == {"unit_review": 2}
    r = login("vtc.thutruong").post(f"/dossiers/{d_id}/review", json={"action": "approve", "all": True})
    assert r.status_code == 200 and r.get_json()["dossier"]["state"] == "received"
    assert r.get_json()["dossier"]["counts"] == {"ministry_review": 2}
    events = officer.get(f"/dossiers/{d_id}/history").get_json()["items"]
    assert [e["action"] for e in events][-4:] == ["return", "resubmit", "review", "receive"]
    assert events[-4]["reason"] == "Thiếu biên bản họp Hội đồng"


def test_reviewers_act_per_nominee_and_each_item_reports_its_own_result(login, open_plan):
    d_id, ids = to_ministry(login, open_plan, ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"])
    reviewer = login("bo.chuyenvien")
    r = reviewer.post(f"/dossiers/{d_id}/review", json={"action": "reject", "nomination_ids": [ids[0], 999999],
                                                        "reason": "Chưa đủ tiêu chuẩn"})
    body = r.get_json()
    assert r.status_code == 200 and body["succeeded"] == 1 and body["failed"] == 1
    assert body["results"][0] == {"id": ids[0], "ok": True, "state": "rejected", "version": body["results"][0]["version"]}
    assert body["results"][1]["error"]["code"] == "not_found"
    # The appraisal recommends: its approve forwards to the ministry's council, still at the
    # ministry (forwarding to the centre is what the signed aggregate tờ trình does).
    r = reviewer.post(f"/dossiers/{d_id}/review", json={"action": "approve", "nomination_ids": [ids[1]]})
    assert r.get_json()["results"][0]["state"] == "ministry_council"
    r = login("bo.lanhdao").post(f"/dossiers/{d_id}/review", json={"action": "approve", "nomination_ids": [ids[1]]})
    assert r.get_json()["results"][0]["error"]["code"] in ("forbidden", "invalid_transition")
    r = reviewer.post(f"/dossiers/{d_id}/review", json={"action": "return", "nomination_ids": [ids[2]],
                                                        "reason": "Bổ sung báo cáo thành tích"})
    assert r.get_json()["results"][0]["state"] == "returned"
    assert reviewer.get(f"/dossiers/{d_id}").get_json()["state"] == "received"  # forward only


def test_nominees_are_added_by_id_or_removed_while_the_dossier_is_a_draft(login, open_plan):
    officer = login("vtc.canbo")
    d = open_dossier(officer, open_plan)
    loose = officer.post("/nominations", json={"plan_id": open_plan, **nominee("Phạm Thị Dung")}).get_json()
    r = officer.post(f"/dossiers/{d['id']}/nominations", json={"nomination_ids": [loose["id"]]})
    assert r.status_code == 201 and r.get_json()["dossier"]["total"] == 1
    assert officer.get(f"/nominations/{loose['id']}").get_json()["dossier_id"] == d["id"]
    other = open_dossier(officer, open_plan, "46/TTr-VTC")
    r = officer.post(f"/dossiers/{other['id']}/nominations", json={"nomination_ids": [loose["id"]]})
    assert r.status_code == 409 and r.get_json()["error"]["rows"][0]["nomination_id"] == loose["id"]

    r = officer.client.delete(f"/api/v1/dossiers/{d['id']}/nominations/{loose['id']}?withdraw=true",
                              headers=officer.headers)
    assert r.status_code == 200 and r.get_json()["dossier"]["total"] == 0
    assert r.get_json()["nomination"]["state"] == "withdrawn"
    assert officer.post(f"/dossiers/{d['id']}/submit").status_code == 409  # nobody left to submit


def test_a_dossier_number_is_written_as_issued_and_unique_in_its_unit(login, open_plan):
    officer = login("vtc.canbo")
    open_dossier(officer, open_plan, "45/TTr-VTC")
    r = officer.post("/dossiers", json={"plan_id": open_plan, "number": "45/TTr-VTC"})
    assert r.status_code == 409 and r.get_json()["error"]["field"] == "number"
    r = officer.post("/dossiers", json={"plan_id": open_plan, "number": "tờ trình số 45"})
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "number"
    assert login("baochi.canbo").post("/dossiers", json={"plan_id": open_plan, "number": "45/TTr-VTC"}).status_code == 201


def test_who_sees_and_who_may_change_a_dossier(login, open_plan):
    officer = login("vtc.canbo")
    d = open_dossier(officer, open_plan)
    add_people(officer, d["id"], ["Nguyễn Văn An"])
    # Another unit of the same ministry does not even learn it exists; the ministry sees no draft.
    assert login("baochi.canbo").get(f"/dossiers/{d['id']}").status_code == 404
    assert login("bo.chuyenvien").get(f"/dossiers/{d['id']}").status_code == 404
    assert login("vtc.hoidong").post(f"/dossiers/{d['id']}/nominations", json=nominee("X Y")).status_code == 403
    assert login("vtc.hoidong").post(f"/dossiers/{d['id']}/submit").status_code == 403
    assert login("bo.chuyenvien").post("/dossiers", json={"plan_id": open_plan, "number": "1/TTr-BTTTT"}).status_code == 403
    officer.post(f"/dossiers/{d['id']}/submit")
    assert login("bo.chuyenvien").get(f"/dossiers/{d['id']}").status_code == 200
    assert login("baochi.canbo").get("/dossiers").get_json()["items"] == []
    # Once submitted the list is closed.
    assert officer.post(f"/dossiers/{d['id']}/nominations", json=nominee("Mới Thêm")).status_code == 409


def test_incoming_and_outgoing_lists_and_the_dossier_inbox(login, open_plan):
    d_id, ids = to_ministry(login, open_plan, ["Nguyễn Văn An", "Trần Thị Bình"])
    reviewer = login("bo.chuyenvien")
    incoming = reviewer.get("/dossiers?direction=incoming").get_json()["items"]
    assert [x["id"] for x in incoming] == [d_id] and incoming[0]["counts"] == {"ministry_review": 2}
    assert reviewer.get("/dossiers?direction=outgoing").get_json()["items"] == []
    assert [x["id"] for x in login("vtc.canbo").get("/dossiers?direction=outgoing").get_json()["items"]] == [d_id]
    inbox = reviewer.get("/dossiers/inbox").get_json()["items"]
    assert [(x["id"], x["waiting"]) for x in inbox] == [(d_id, 2)]
    # At the appraisal: forward to the ministry's council, return; sending up comes after the council.
    assert {"review", "return"} <= set(inbox[0]["actions"]) and "aggregate" not in inbox[0]["actions"]
    assert login("vtc.thutruong").get("/dossiers/inbox").get_json()["items"] == []
    assert reviewer.get("/dossiers?state=bogus").status_code == 422


def test_a_council_session_without_quorum_changes_nothing(login, open_plan, db):
    officer = login("vtc.canbo")
    d = open_dossier(officer, open_plan)
    ids = add_people(officer, d["id"], ["Nguyễn Văn An", "Trần Thị Bình"])
    officer.post(f"/dossiers/{d['id']}/submit")
    before = counts(db)
    body = {"members": 15, "present": 9,  # of 15: below two thirds, written votes included
            "results": [{"nomination_id": i, "yes": 9, "no": 0} for i in ids]}
    r = login("vtc.hoidong").post(f"/dossiers/{d['id']}/votes", json=body)
    assert r.status_code == 422 and len(r.get_json()["error"]["rows"]) == 2
    assert "Không đủ số thành viên" in r.get_json()["error"]["message"]
    assert counts(db) == before
    with db.read() as s:
        assert s.execute(select(func.count()).select_from(CouncilVote)).scalar_one() == 0
        assert s.get(Dossier, d["id"]).state == "submitted"
        # create, two additions, submit: no council session recorded
        assert s.execute(select(func.count()).select_from(AuditEvent)
                         .where(AuditEvent.chain == f"d:{d['id']}")).scalar_one() == 4
