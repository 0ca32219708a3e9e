"""The documents each award requires are checked when a nomination is submitted or sent on; the
papers the product generates count as present; whether the lack refuses is each org's setting."""
from sqlalchemy import select

from workflow.models import Nomination, OrgUnit
from tests.conftest import counts
from tests.integration.test_dossier_lifecycle import add_people, open_dossier, upload, votes


def test_a_bare_nomination_is_submitted_in_the_demo_and_its_checklist_names_what_is_missing(login, open_plan):
    officer = login("vtc.canbo")
    r = officer.post("/nominations", json={"plan_id": open_plan, "award_type": "chien_si_thi_dua_co_so",
                                           "nominee": {"kind": "individual", "name": "Đỗ Thị Hằng"},
                                           "achievements": "Sáng kiến cấp cơ sở"})
    nid = r.get_json()["id"]
    assert officer.post(f"/nominations/{nid}/submit", json={"version": 1}).status_code == 200
    check = officer.get(f"/nominations/{nid}/checklist").get_json()
    assert [m["code"] for m in check["missing_documents"]] == [
        "to_trinh", "bao_cao_thanh_tich", "bien_ban_binh_xet", "chung_nhan_sang_kien"]
    assert check["missing_documents"][1]["name"] == "Báo cáo thành tích"
    assert officer.get(f"/nominations/{nid}").get_json()["missing_documents"] == check["missing_documents"]


def put(api, path, body):
    return api.client.put(f"/api/v1{path}", json=body, headers=api.headers)


def head_refused_nothing_yet(admin, org_id) -> bool:
    got = admin.get(f"/orgs/{org_id}/paper-settings").get_json()
    return got["block_on_send"] is False and got["block_on_submit"] is False  # the demo's setting


def test_sending_an_incomplete_dossier_upward_is_refused_where_the_org_says_so(login, open_plan, db):
    officer = login("vtc.canbo")
    d = open_dossier(officer, open_plan)
    ids = add_people(officer, d["id"], ["Nguyễn Văn An", "Trần Thị Bình"])
    # Generated papers count: in a dossier the tờ trình is present; only the reports are missing.
    items = officer.get(f"/dossiers/{d['id']}/checklist").get_json()["items"]
    assert [[m["code"] for m in i["missing_documents"]] for i in items] == [
        ["bao_cao_thanh_tich", "bien_ban_xet_khen_thuong"]] * 2
    assert officer.post(f"/dossiers/{d['id']}/submit").status_code == 200  # within the unit: not refused
    assert login("vtc.hoidong").post(f"/dossiers/{d['id']}/votes", json=votes(ids)).status_code == 200
    with db.read() as s:
        vtc = s.execute(select(OrgUnit.id).where(OrgUnit.name.like("%VTC%"))).scalar_one()
    admin = login("admin")
    assert head_refused_nothing_yet(admin, vtc)
    assert put(admin, f"/orgs/{vtc}/paper-settings", {"block_on_send": "yes"}).status_code == 422
    assert put(login("vtc.canbo"), f"/orgs/{vtc}/paper-settings", {"block_on_send": True}).status_code == 403
    r = put(admin, f"/orgs/{vtc}/paper-settings", {"block_on_send": True})  # the check, on for sending up
    assert r.status_code == 200 and r.get_json() == {"org_id": vtc, "place": "Hà Nội", "block_on_submit": False,
                                                     "block_on_send": True}
    before = counts(db)
    head = login("vtc.thutruong")
    r = head.post(f"/nominations/{ids[0]}/approve", json={})
    assert r.status_code == 422, r.get_json()
    err = r.get_json()["error"]
    assert err["field"] == "missing_documents" and "Báo cáo thành tích" in err["message"]
    assert [m["code"] for m in err["rows"]] == ["bao_cao_thanh_tich"]  # the minutes now exist: the vote
    assert counts(db) == before
    # The report arrives for the first nominee: the first may go, the second still may not.
    r = upload(officer, f"/dossiers/{d['id']}/attachments", b"%PDF-1.4 bao cao", filename="bao-cao.pdf",
               doc_type="bao_cao_thanh_tich", nomination_id=str(ids[0]))
    assert r.status_code == 201, r.get_json()
    out = head.post(f"/dossiers/{d['id']}/review", json={"action": "approve", "all": True}).get_json()
    assert out["succeeded"] == 1 and out["failed"] == 1, out
    with db.read() as s:
        states = dict(s.execute(select(Nomination.id, Nomination.state).where(Nomination.id.in_(ids))).all())
    assert states[ids[0]] != states[ids[1]] and states[ids[1]] == "unit_review"
