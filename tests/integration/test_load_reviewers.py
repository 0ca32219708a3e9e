"""Load: 50 reviewers act on shared inboxes for 60 seconds against gunicorn and PostgreSQL.

The same code as `python -m bench reviewers` (bench/reviewers.py): a throw-away PostgreSQL
database with 20,000 nominations in the demo's five reviewing inboxes, gunicorn with two
workers, 50 reviewers (each its own token) reading their inbox and approving or returning one
of its most urgent nominations with the version they read. Ten or so share each inbox, so
they collide: the loser of each collision must get a clean 409, never a 5xx, and the
database must end exactly where the audit log says. It needs PostgreSQL and fails without it;
on a machine without one, leave it out with `-m "not load"`.
"""
import pytest

from bench import reviewers

from tests.conftest import PG_ADMIN_URL

pytestmark = [pytest.mark.load, pytest.mark.postgres]


def test_fifty_reviewers_on_shared_inboxes_for_a_minute_collide_cleanly_and_leave_the_log_true(tmp_path):
    figures = reviewers.run(db_url=PG_ADMIN_URL, seconds=60, reviewers=50, n=20000, workers=2, threads=8,
                            log_path=str(tmp_path / "gunicorn.log"))
    reviewers.report(figures)
    assert figures["db"] == "postgresql" and figures["seconds"] >= 60
    # Every check of the run held: no 5xx or dropped connection, every refusal a 409 with the
    # API's error body, each nomination's state the one its audit events lead to, one event
    # per accepted action and none for a refused one, the hash chains intact.
    assert figures["problems"] == []
    assert figures["errors_5xx"] == 0 and figures["connection_errors"] == 0
    assert set(figures["statuses"]) <= {"200", "409"}
    # The reviewers did work and did collide: approvals and returns, accepted and refused.
    assert figures["accepted"] >= 500 and figures["conflicts_409"] >= 100
    assert all(figures["by_action"].get(k, 0) > 0 for k in ("approve 200", "approve 409", "return 200", "return 409"))
