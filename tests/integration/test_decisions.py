"""One decision ("1234/QĐ-TTg") awards many nominations at once."""
from sqlalchemy import func, select

from workflow.models import Decision
from tests.conftest import counts
from tests.integration.test_dossier_lifecycle import add_people, history_actions, open_dossier, to_minister, votes

DECISION = {"number": "1234/QĐ-TTg", "date": "2026-11-23"}


def aggregated(login, plan, names):
    """Sent up by the ministry (drafted by its reviewer, signed by the minister), appraised by the
    central office, which forwards it to the Prime Minister's decision."""
    source, ids = to_minister(login, plan, names)
    r = login("bo.chuyenvien").post("/dossiers/aggregate", json={"number": "123/TTr-BTTTT", "nomination_ids": ids})
    assert r.status_code == 201, r.get_json()
    out = r.get_json()["id"]
    assert login("bo.lanhdao").post(f"/dossiers/{out}/sign").status_code == 200
    assert login("tw.chuyenvien").post(f"/dossiers/{out}/receive", json={"complete": True}).status_code == 200
    r = login("tw.chuyenvien").post(f"/dossiers/{out}/review", json={"action": "approve", "all": True})
    assert r.status_code == 200 and r.get_json()["failed"] == 0, r.get_json()
    return source, out, ids


def test_the_prime_minister_awards_a_whole_aggregate_dossier_by_one_decision_signed_kt(login, open_plan):
    source, out, ids = aggregated(login, open_plan, ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"])
    leader = login("tw.lanhdao")
    r = leader.post("/decisions", json={**DECISION, "signer": "Phó Thủ tướng Trần Hồng Hà",
                                        "on_behalf_of": "KT. THỦ TƯỚNG", "nomination_ids": ids})
    assert r.status_code == 201, r.get_json()
    dec = r.get_json()
    assert (dec["number"], dec["date"], dec["awarded"]) == ("1234/QĐ-TTg", "2026-11-23", 3)
    assert dec["on_behalf_of"] == "KT. THỦ TƯỚNG" and dec["signer"] == "Phó Thủ tướng Trần Hồng Hà"
    assert dec["org"]["name"] == "Ban Thi đua - Khen thưởng Trung ương"
    assert sorted(n["id"] for n in dec["nominations"]) == sorted(ids)
    assert {n["state"] for n in dec["nominations"]} == {"awarded"}

    officer = login("vtc.canbo")
    nom = officer.get(f"/nominations/{ids[0]}").get_json()
    assert nom["state"] == "awarded" and nom["decision"]["number"] == "1234/QĐ-TTg"
    last = officer.get(f"/nominations/{ids[0]}/history").get_json()["items"][-1]
    assert last["action"] == "decide" and last["on_behalf_of"] == "KT. THỦ TƯỚNG"
    assert last["payload"]["decision"]["number"] == "1234/QĐ-TTg"
    assert last["payload"]["dossier"]["number"] == "123/TTr-BTTTT"
    assert [a for a, _ in history_actions(officer, ids[0])] == [
        "create", "add_to_dossier", "submit", "vote", "approve", "approve", "vote", "approve", "appraisal_complete",
        "approve", "decide"]
    # Every nominee is terminal: both dossiers are closed.
    assert officer.get(f"/dossiers/{source}").get_json()["state"] == "closed"
    assert leader.get(f"/dossiers/{out}").get_json()["state"] == "closed"
    # The unit sees the decision that awarded its people.
    listed = officer.get("/decisions").get_json()["items"]
    assert [(x["number"], x["awarded"]) for x in listed] == [("1234/QĐ-TTg", 3)]
    assert len(officer.get(f"/decisions/{dec['id']}").get_json()["nominations"]) == 3


def test_a_decision_is_all_or_nothing_and_only_by_the_deciding_level(login, open_plan, db):
    _, _, ids = aggregated(login, open_plan, ["Nguyễn Văn An", "Trần Thị Bình"])
    officer = login("vtc.canbo")
    d = open_dossier(officer, open_plan, "46/TTr-VTC")
    pending = add_people(officer, d["id"], ["Phạm Thị Dung"])
    before = counts(db)
    # The ministry cannot decide what the centre decides.
    r = login("bo.lanhdao").post("/decisions", json={**DECISION, "number": "55/QĐ-BTTTT", "nomination_ids": ids})
    assert r.status_code == 403 and len(r.get_json()["error"]["rows"]) == 2
    # One nominee not at the deciding step (and not visible to the centre: a draft) blocks them all.
    r = login("tw.lanhdao").post("/decisions", json={**DECISION, "nomination_ids": ids + pending})
    assert r.status_code == 404
    assert [x["nomination_id"] for x in r.get_json()["error"]["rows"]] == pending
    assert counts(db) == before
    with db.read() as s:
        assert s.execute(select(func.count()).select_from(Decision)).scalar_one() == 0
    # A reviewer of the centre may appraise but not sign.
    r = login("tw.chuyenvien").post("/decisions", json={**DECISION, "nomination_ids": ids})
    assert r.status_code == 403


def test_the_decision_fields_are_checked_before_anything_happens(login, open_plan):
    _, _, ids = aggregated(login, open_plan, ["Nguyễn Văn An"])
    leader = login("tw.lanhdao")
    cases = [({"number": "số 1234", "date": "2026-11-23"}, "number"),
             ({"number": "1234/QĐ-TTg", "date": "2026-11-31"}, "date"),
             ({"number": "1234/QĐ-TTg", "date": "2027-01-05"}, "date"),
             ({"number": "1234/QĐ-TTg", "date": "2026-11-23", "nomination_ids": "all"}, "nomination_ids")]
    for body, field in cases:
        r = leader.post("/decisions", json={"nomination_ids": ids, **body})
        assert r.status_code == 422 and r.get_json()["error"]["field"] == field, (body, r.get_json())
    assert leader.get("/decisions/999999").status_code == 404


def test_a_unit_head_awards_giay_khen_of_a_whole_dossier_by_one_decision(login, open_plan):
    officer = login("vtc.canbo")
    d = open_dossier(officer, open_plan)
    ids = add_people(officer, d["id"], ["Nguyễn Văn An", "Trần Thị Bình"], award="giay_khen")
    officer.post(f"/dossiers/{d['id']}/submit")
    login("vtc.hoidong").post(f"/dossiers/{d['id']}/votes", json=votes(ids))
    head = login("vtc.thutruong")
    assert "decide" in head.get(f"/dossiers/{d['id']}").get_json()["actions"]
    r = head.post("/decisions", json={"number": "15/QĐ-VTC", "date": "2026-11-23", "nomination_ids": ids})
    assert r.status_code == 201 and r.get_json()["awarded"] == 2
    assert head.get(f"/dossiers/{d['id']}").get_json()["state"] == "closed"
    # Another unit neither sees the decision nor its list.
    assert login("baochi.canbo").get(f"/decisions/{r.get_json()['id']}").status_code == 404
    assert login("baochi.canbo").get("/decisions").get_json()["items"] == []
