"""Twenty reviewers press the same button at once: exactly one wins, on both databases."""
from collections import Counter

import pytest
from sqlalchemy import func, select

from workflow.models import AuditEvent, CouncilVote, Nomination

from tests.scenarios import FULL_VOTE, act, draft, race

THREADS = 20


def events_of(db, nomination_id, action):
    with db.read() as s:
        return s.execute(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.nomination_id == nomination_id, AuditEvent.action == action)).scalar_one()


@pytest.mark.parametrize("with_version", [True, False])
def test_twenty_identical_votes_at_once_record_one_vote(app, login, db, users, open_plan, with_version):
    n = draft(db, users, open_plan)
    n = act(db, users, "vtc.canbo", n.id, "submit")
    secretary = login("vtc.hoidong")
    body = {"votes": FULL_VOTE, **({"version": n.version} if with_version else {})}

    def vote(_):
        client = app.test_client()
        r = client.post(f"/api/v1/nominations/{n.id}/vote", json=body, headers=secretary.headers)
        return r.status_code, r.get_json()["error"]["code"] if r.status_code != 200 else None

    results = race(THREADS, vote)
    assert Counter(code for code, _ in results) == {200: 1, 409: THREADS - 1}
    assert {err for code, err in results if code == 409} <= {"conflict", "invalid_transition"}
    assert events_of(db, n.id, "vote") == 1
    with db.read() as s:
        assert s.get(Nomination, n.id).version == n.version + 1
        assert s.execute(select(func.count()).select_from(CouncilVote)
                         .where(CouncilVote.nomination_id == n.id)).scalar_one() == 1


def test_twenty_concurrent_approvals_through_the_services_leave_one_event(db, users, open_plan):
    n = draft(db, users, open_plan)
    act(db, users, "vtc.canbo", n.id, "submit")
    n = act(db, users, "vtc.hoidong", n.id, "vote", votes=FULL_VOTE)

    def approve(_):
        try:
            act(db, users, "vtc.thutruong", n.id, "approve", version=n.version)
            return "ok"
        except Exception as e:  # the domain error's code is what the API would answer
            return getattr(e, "code", type(e).__name__)

    results = race(THREADS, approve)
    assert Counter(results) == {"ok": 1, "conflict": THREADS - 1}
    assert events_of(db, n.id, "approve") == 1
