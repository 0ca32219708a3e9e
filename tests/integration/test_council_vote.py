"""The council's secret ballot: the threshold counts over ALL members, written votes count."""
import pytest
from sqlalchemy import select

from workflow.catalogue.awards import passes_threshold
from workflow.errors import InvalidInput
from workflow.models import CouncilVote

from tests.conftest import snapshot
from tests.scenarios import act, draft


def submitted(db, users, plan, award):
    n = draft(db, users, plan, award=award)
    return act(db, users, "vtc.canbo", n.id, "submit")


@pytest.mark.parametrize("members, present, yes, no, passes", [
    (10, 10, 8, 2, True),    # 80% of all members
    (10, 10, 7, 3, False),
    (10, 8, 8, 0, True),     # two absent members' written votes are counted in `present`
    (15, 12, 11, 1, False),  # 11/15 = 73% even though 11/12 present said yes
    (15, 15, 12, 3, True),
])
def test_chien_si_thi_dua_co_so_needs_80_percent_of_all_council_members(db, users, open_plan, members, present,
                                                                         yes, no, passes):
    n = submitted(db, users, open_plan, "chien_si_thi_dua_co_so")
    n = act(db, users, "vtc.hoidong", n.id, "vote", votes={"members": members, "present": present, "yes": yes, "no": no})
    assert n.state == ("unit_review" if passes else "rejected")
    with db.read() as s:
        tally = s.execute(select(CouncilVote).where(CouncilVote.nomination_id == n.id)).scalar_one()
    # the tally is kept; who voted how is never stored
    assert (tally.members, tally.present, tally.yes, tally.no, tally.passed) == (members, present, yes, no, passes)
    assert not {"ballots", "voters", "member_votes"} & set(CouncilVote.__table__.columns.keys())


def test_a_meeting_without_two_thirds_present_is_refused_and_changes_nothing(db, users, open_plan):
    n = submitted(db, users, open_plan, "chien_si_thi_dua_co_so")
    before = snapshot(db, n.id)
    with pytest.raises(InvalidInput) as e:
        act(db, users, "vtc.hoidong", n.id, "vote", votes={"members": 12, "present": 7, "yes": 7, "no": 0})
    assert e.value.field == "votes.present"
    assert snapshot(db, n.id) == before


@pytest.mark.parametrize("votes, field", [
    ({"members": 0, "present": 0, "yes": 0, "no": 0}, "votes.members"),
    ({"members": 9, "present": 10, "yes": 9, "no": 0}, "votes.present"),
    ({"members": 9, "present": 9, "yes": 6, "no": 4}, "votes.no"),
    ({"members": 9, "present": 9, "yes": "9", "no": 0}, "votes.yes"),
    (None, "votes"),
])
def test_an_impossible_tally_is_refused(db, users, open_plan, votes, field):
    n = submitted(db, users, open_plan, "giay_khen")
    with pytest.raises(InvalidInput) as e:
        act(db, users, "vtc.hoidong", n.id, "vote", votes=votes)
    assert e.value.field == field


def test_90_percent_awards_and_plain_majorities():
    assert passes_threshold(9, 10, 0.9) and not passes_threshold(8, 10, 0.9)
    assert passes_threshold(27, 30, 0.9) and not passes_threshold(26, 30, 0.9)
    assert passes_threshold(6, 11, 0.5) and not passes_threshold(5, 10, 0.5)
