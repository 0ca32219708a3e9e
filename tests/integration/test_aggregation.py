"""The ministry aggregates (tổng hợp) what its units sent into one dossier to the centre."""

from sqlalchemy import func, select

from workflow.models import Dossier, DossierNomination, Nomination
from workflow.dossiers import aggregation
from tests.conftest import NOW, counts
from tests.scenarios import race as scenario_race
from tests.integration.test_dossier_lifecycle import (
    add_people, history_actions, open_dossier, to_minister, votes,
)


def test_the_ministry_aggregates_two_units_dossiers_into_one_to_the_centre(login, open_plan):
    vtc_id, vtc = to_minister(login, open_plan, ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"])
    officer = login("baochi.canbo")
    d = open_dossier(officer, open_plan, "12/TTr-CBC")
    cbc = add_people(officer, d["id"], ["Phạm Thị Dung"])
    officer.post(f"/dossiers/{d['id']}/submit")
    # Cục Báo chí has no users of its own council in the demo: VTC's dossier carries the vote;
    # here the ministry only takes VTC's first two and leaves the rest.
    # The reviewer drafts the ministry's tờ trình: nothing moves yet.
    reviewer = login("bo.chuyenvien")
    r = reviewer.post("/dossiers/aggregate", json={"number": "123/TTr-BTTTT", "nomination_ids": vtc[:2],
                                                   "title": "Đề nghị Thủ tướng tặng Bằng khen"})
    assert r.status_code == 201, r.get_json()
    out = r.get_json()
    assert out["kind"] == "aggregate" and out["state"] == "draft" and out["number"] == "123/TTr-BTTTT"
    assert out["org"]["name"] == "Bộ Khoa học và Công nghệ"  # Bộ TT&TT merged into it (demo, 2025)
    assert out["addressed_org"]["name"] == "Ban Thi đua - Khen thưởng Trung ương"
    assert reviewer.post(f"/dossiers/{out['id']}/sign").status_code == 403  # the reviewer does not sign
    # The minister's deputy signs "KT." and sends it; the nominations go up with it.
    r = login("bo.lanhdao").post(f"/dossiers/{out['id']}/sign", json={"on_behalf_of": "KT. BỘ TRƯỞNG"})
    assert r.status_code == 200, r.get_json()
    out = r.get_json()
    assert out["state"] == "submitted" and out["counts"] == {"central_review": 2}

    source = reviewer.get(f"/dossiers/{vtc_id}").get_json()
    assert source["state"] == "aggregated" and source["aggregated_into_id"] == out["id"]
    assert source["moved_on"] == 2 and source["total"] == 3
    assert [(x["id"], x["dossier_id"]) for x in source["nominations"]] == [
        (vtc[0], out["id"]), (vtc[1], out["id"]), (vtc[2], vtc_id)]
    assert [x["id"] for x in reviewer.get(f"/dossiers/{out['id']}").get_json()["related"]] == [vtc_id]
    assert cbc  # Cục Báo chí's nominee is untouched, still at its council
    assert history_actions(reviewer, vtc[0])[-1] == ("approve", "123/TTr-BTTTT")
    last = reviewer.get(f"/nominations/{vtc[0]}/history").get_json()["items"][-1]
    assert last["payload"]["aggregated_from"] == {"id": vtc_id, "number": "45/TTr-VTC"}
    assert (last["actor"], last["on_behalf_of"]) == ("bo.lanhdao", "KT. BỘ TRƯỞNG")
    # The centre sees it as incoming, and its own staff record the receipt.
    central = login("tw.chuyenvien")
    incoming = central.get("/dossiers?direction=incoming").get_json()["items"]
    assert [x["id"] for x in incoming] == [out["id"]]
    assert reviewer.post(f"/dossiers/{out['id']}/receive").status_code == 403
    r = central.post(f"/dossiers/{out['id']}/receive")
    assert r.status_code == 200 and r.get_json()["state"] == "received"
    events = central.get(f"/dossiers/{out['id']}/history").get_json()["items"]
    assert [(e["action"], e["actor"]) for e in events][-1] == ("receive", "tw.chuyenvien")

    # The remaining nominee goes in a second aggregation; the source records it again.
    r = login("bo.lanhdao").post("/dossiers/aggregate", json={"number": "124/TTr-BTTTT", "nomination_ids": [vtc[2]]})
    assert r.status_code == 201 and r.get_json()["state"] == "submitted"  # the leader drafts and signs at once
    events = reviewer.get(f"/dossiers/{vtc_id}/history").get_json()["items"]
    assert [(e["action"], e["payload"]["into"]["number"]) for e in events if e["action"] == "aggregate"] == [
        ("aggregate", "123/TTr-BTTTT"), ("aggregate", "124/TTr-BTTTT")]


def test_a_nomination_is_aggregated_at_most_once_and_a_refused_aggregation_changes_nothing(login, open_plan, db):
    _, ids = to_minister(login, open_plan, ["Nguyễn Văn An", "Trần Thị Bình"])
    reviewer = login("bo.chuyenvien")
    assert reviewer.post("/dossiers/aggregate", json={"number": "123/TTr-BTTTT", "nomination_ids": [ids[0]]}).status_code == 201
    before = counts(db)
    r = reviewer.post("/dossiers/aggregate", json={"number": "124/TTr-BTTTT", "nomination_ids": ids})
    assert r.status_code == 409
    assert [(x["nomination_id"], x["code"]) for x in r.get_json()["error"]["rows"]] == [(ids[0], "invalid_transition")]
    assert counts(db) == before
    with db.read() as s:
        assert s.execute(select(func.count()).select_from(Dossier).where(Dossier.number == "124/TTr-BTTTT")).scalar_one() == 0
        assert s.get(Nomination, ids[1]).state == "ministry_decision"


def test_only_the_upper_level_aggregates_and_only_what_it_may_see(login, open_plan):
    _, ids = to_minister(login, open_plan, ["Nguyễn Văn An"])
    body = {"number": "9/TTr-X", "nomination_ids": ids}
    assert login("vtc.thutruong").post("/dossiers/aggregate", json=body).status_code == 403
    assert login("tw.chuyenvien").post("/dossiers/aggregate", json=body).status_code == 403
    r = login("tinh.chuyenvien").post("/dossiers/aggregate", json=body)  # another province: cannot see it
    assert r.status_code == 409 and r.get_json()["error"]["rows"][0]["code"] == "not_found"
    r = login("bo.chuyenvien").post("/dossiers/aggregate", json={"number": "123/TTr-BTTTT", "nomination_ids": []})
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "nomination_ids"


def test_a_ministry_decided_award_is_not_aggregated_upward(login, open_plan):
    officer = login("vtc.canbo")
    d = open_dossier(officer, open_plan)
    ids = add_people(officer, d["id"], ["Nguyễn Văn An"], award="bang_khen_bo")
    officer.post(f"/dossiers/{d['id']}/submit")
    login("vtc.hoidong").post(f"/dossiers/{d['id']}/votes", json=votes(ids))
    login("vtc.thutruong").post(f"/dossiers/{d['id']}/review", json={"action": "approve", "all": True})
    login("bo.chuyenvien").post(f"/dossiers/{d['id']}/review", json={"action": "approve", "all": True})
    # At the minister's decision: decided here, never sent up.
    assert login("admin").get(f"/nominations/{ids[0]}").get_json()["state"] == "ministry_decision"
    r = login("bo.chuyenvien").post("/dossiers/aggregate", json={"number": "123/TTr-BTTTT", "nomination_ids": ids})
    assert r.status_code == 409 and r.get_json()["error"]["rows"][0]["code"] == "invalid_transition"


def race(n, fn):
    """Like scenarios.race; a refusal becomes its code and per-item rows, as the API answers."""
    def guarded(i):
        try:
            return fn(i)
        except Exception as e:
            return (getattr(e, "code", repr(e)),
                    [(r["nomination_id"], r["code"]) for r in getattr(e, "details", None) or []])
    return scenario_race(n, guarded)


def test_reviewers_aggregating_overlapping_picks_at_once_put_each_nomination_in_one_dossier(
        login, open_plan, db, users):
    _, ids = to_minister(login, open_plan, [f"Cán bộ số {i}" for i in range(1, 10)])
    # Four reviewers at once (the leaders drafting and signing at once); every pick holds ids[0] and two nominations of its own.
    picks = [[ids[0], *ids[1 + 2 * i:3 + 2 * i]] for i in range(4)]
    people = ["bo.chuyenvien", "bo.lanhdao"] * 2

    def aggregate(i):
        view = aggregation.aggregate(db, users[people[i]], {"number": f"{200 + i}/TTr-BTTTT",
                                                            "nomination_ids": picks[i]}, now=NOW)
        return view.id

    results = race(4, aggregate)
    winners = [(i, r) for i, r in enumerate(results) if isinstance(r, int)]
    assert len(winners) == 1, results
    # Each loser waited for the winner, then was told which nomination it had already listed.
    assert [r for r in results if not isinstance(r, int)] == [("conflict", [(ids[0], "invalid_transition")])] * 3
    index, winner = winners[0]
    with db.read() as s:
        outgoing = s.execute(select(DossierNomination.nomination_id, DossierNomination.dossier_id)
                             .join(Dossier, Dossier.id == DossierNomination.dossier_id)
                             .where(Dossier.kind == "aggregate")).all()
        assert sorted(outgoing) == sorted((n, winner) for n in picks[index])
        signed = people[index] == "bo.lanhdao"  # a reviewer's win is a draft: nothing moved yet
        moved = s.execute(select(Nomination.id).where(Nomination.id.in_(ids), Nomination.state == "central_review",
                                                      Nomination.dossier_id == winner)).scalars().all()
        assert sorted(moved) == (sorted(picks[index]) if signed else [])
        assert s.execute(select(func.count()).select_from(Nomination).where(
            Nomination.id.in_(ids), Nomination.state == "ministry_decision")).scalar_one() == len(ids) - 3 * signed


def test_the_unit_learns_that_its_nominees_moved_on_but_not_the_ministrys_dossier(login, open_plan):
    vtc_id, vtc = to_minister(login, open_plan, ["Nguyễn Văn An"])
    reviewer = login("bo.chuyenvien")
    out = login("bo.lanhdao").post("/dossiers/aggregate",
                                   json={"number": "123/TTr-BTTTT", "nomination_ids": vtc}).get_json()
    officer = login("vtc.canbo")
    assert officer.get(f"/dossiers/{out['id']}").status_code == 404
    mine = officer.get(f"/dossiers/{vtc_id}").get_json()
    assert mine["state"] == "aggregated" and mine["related"] == []
    assert "123/TTr-BTTTT" not in str(mine["related"])
    # The ministry, which may open both, still sees the link.
    assert [x["id"] for x in reviewer.get(f"/dossiers/{vtc_id}").get_json()["related"]] == [out["id"]]
