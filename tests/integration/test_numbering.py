"""Decision numbers under concurrency (issue 13 row L10): one number, one decision — the first
command wins, the others are told the number clashed; different numbers never clash."""
from workflow.decisions import service as decisions
from workflow.errors import Conflict

from tests.conftest import NOW
from tests.scenarios import act, draft, race


def at_minister(db, users, plan, names):
    ids = []
    for name in names:
        n = draft(db, users, plan, award="bang_khen_bo", name=name)
        for user, action, body in (("vtc.canbo", "submit", {}), ("vtc.hoidong", "vote", {"votes": {
                "members": 9, "present": 6, "yes": 6, "no": 0}}), ("vtc.thutruong", "approve", {}),
                ("bo.chuyenvien", "approve", {})):
            n = act(db, users, user, n.id, action, **body)
        assert n.state == "ministry_decision"
        ids.append(n.id)
    return ids


def decide(db, users, ids, number):
    try:
        return decisions.create_decision(db, users["bo.lanhdao"], {"number": number, "date": "2026-11-23",
                                                                   "nomination_ids": ids}, now=NOW).number
    except Conflict as e:
        return e


def test_concurrent_decisions_under_one_number_the_first_wins(db, users, open_plan):
    ids = at_minister(db, users, open_plan, [f"Người thứ {i}" for i in range(1, 5)])
    results = race(4, lambda i: decide(db, users, [ids[i]], "07/QĐ-BTTTT"))
    winners = [r for r in results if r == "07/QĐ-BTTTT"]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert len(winners) == 1 and len(losers) == 3, results
    assert all("07/QĐ-BTTTT" in (e.message_vi + str(e.details)) for e in losers)


def test_concurrent_decisions_under_different_numbers_all_succeed(db, users, open_plan):
    ids = at_minister(db, users, open_plan, [f"Người số {i}" for i in range(1, 5)])
    results = race(4, lambda i: decide(db, users, [ids[i]], f"{10 + i}/QĐ-BTTTT"))
    assert results == [f"{10 + i}/QĐ-BTTTT" for i in range(4)]
