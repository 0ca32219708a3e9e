"""Five hundred names on one tờ trình: imported from Excel, voted in one council form, submitted,
480 aggregated into the ministry's dossier and awarded by one Prime Minister's decision."""
from collections import defaultdict

from sqlalchemy import select

from workflow.models import AuditEvent, Nomination
from tests.integration.test_dossier_lifecycle import person_row, upload, workbook

SIZE, FAILING = 500, 20


def test_a_dossier_of_500_goes_from_excel_to_one_decision_and_every_history_tells_it(login, open_plan, db):
    officer = login("vtc.canbo")
    d = officer.post("/dossiers", json={"plan_id": open_plan, "number": "45/TTr-VTC"}).get_json()
    rows = [person_row(i, f"Nguyễn Văn Thứ {i:03d}") for i in range(1, SIZE + 1)]
    r = upload(officer, f"/dossiers/{d['id']}/import", workbook(rows))
    assert r.status_code == 201 and r.get_json()["imported"] == SIZE, r.get_json()
    ids = r.get_json()["nomination_ids"]

    assert officer.post(f"/dossiers/{d['id']}/submit").get_json()["counts"] == {"council_review": SIZE}

    failing = set(ids[:FAILING])
    results = [{"nomination_id": i, "yes": 5 if i in failing else 14, "no": 10 if i in failing else 1} for i in ids]
    r = login("vtc.hoidong").post(f"/dossiers/{d['id']}/votes", json={"members": 15, "present": 15, "results": results})
    assert r.status_code == 200 and r.get_json()["counts"] == {"rejected": FAILING, "unit_review": SIZE - FAILING}

    r = login("vtc.thutruong").post(f"/dossiers/{d['id']}/review", json={"action": "approve", "all": True})
    assert r.status_code == 200 and r.get_json()["succeeded"] == SIZE - FAILING
    assert r.get_json()["dossier"]["state"] == "received"

    supported = [i for i in ids if i not in failing]
    # The Vụ TĐKT appraises the list, the ministry's council votes it in one session.
    r = login("bo.chuyenvien").post(f"/dossiers/{d['id']}/review", json={"action": "approve", "all": True})
    assert r.status_code == 200 and r.get_json()["succeeded"] == SIZE - FAILING
    council = [{"nomination_id": i, "yes": 9, "no": 1} for i in supported]  # the ministry council's roster of 10
    r = login("bo.hoidong").post(f"/dossiers/{d['id']}/votes", json={"members": 10, "present": 10, "results": council})
    assert r.status_code == 200 and r.get_json()["counts"] == {"rejected": FAILING, "ministry_decision": SIZE - FAILING}
    # The reviewer drafts the tờ trình to the centre, the minister signs it, the centre takes it in.
    r = login("bo.chuyenvien").post("/dossiers/aggregate", json={"number": "123/TTr-BTTTT", "nomination_ids": supported})
    assert r.status_code == 201 and r.get_json()["state"] == "draft"
    out = r.get_json()["id"]
    r = login("bo.lanhdao").post(f"/dossiers/{out}/sign", json={"on_behalf_of": "KT. BỘ TRƯỞNG"})
    assert r.status_code == 200 and r.get_json()["counts"] == {"central_review": SIZE - FAILING}
    assert login("tw.chuyenvien").post(f"/dossiers/{out}/receive").status_code == 200
    r = login("tw.chuyenvien").post(f"/dossiers/{out}/review", json={"action": "approve", "all": True})
    assert r.status_code == 200 and r.get_json()["succeeded"] == SIZE - FAILING

    r = login("tw.lanhdao").post("/decisions", json={"number": "1234/QĐ-TTg", "date": "2026-11-23",
                                                     "on_behalf_of": "KT. THỦ TƯỚNG", "nomination_ids": supported})
    assert r.status_code == 201 and r.get_json()["awarded"] == SIZE - FAILING

    assert officer.get(f"/dossiers/{d['id']}").get_json()["state"] == "closed"
    assert login("tw.lanhdao").get(f"/dossiers/{out}").get_json()["state"] == "closed"
    stories = histories(db, ids)
    awarded = [("create", None, None), ("add_to_dossier", "45/TTr-VTC", None), ("submit", "45/TTr-VTC", None),
               ("vote", "45/TTr-VTC", None), ("approve", "45/TTr-VTC", None), ("approve", "45/TTr-VTC", None),
               ("vote", "45/TTr-VTC", None), ("approve", "123/TTr-BTTTT", None), ("approve", "123/TTr-BTTTT", None),
               ("decide", "123/TTr-BTTTT", "1234/QĐ-TTg")]
    assert all(stories[i] == awarded for i in supported)
    assert all(stories[i] == awarded[:4] for i in failing)
    with db.read() as s:
        states = s.execute(select(Nomination.state, Nomination.dossier_id).where(Nomination.id.in_(ids))).all()
        assert sorted(set(states)) == [("awarded", out), ("rejected", d["id"])]


def histories(db, ids) -> dict[int, list[tuple]]:
    """(action, dossier number, decision number) of each nomination's own chain, in order."""
    out = defaultdict(list)
    with db.read() as s:
        rows = s.execute(select(AuditEvent.nomination_id, AuditEvent.action, AuditEvent.payload)
                         .where(AuditEvent.nomination_id.in_(ids), AuditEvent.chain.like("n:%"))
                         .order_by(AuditEvent.nomination_id, AuditEvent.seq)).all()
    for nid, action, payload in rows:
        payload = payload or {}
        out[nid].append((action, (payload.get("dossier") or {}).get("number"),
                         (payload.get("decision") or {}).get("number")))
    return out
