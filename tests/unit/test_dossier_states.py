"""The dossier lifecycle as data: one shared machine, and the forward steps nominations call for."""
import pytest

from states.dossiers import MemberSummary, derived_action, dossier_machine


def test_one_dossier_machine_is_compiled_once_shared_and_bound_to_no_dossier():
    m = dossier_machine()
    assert m is dossier_machine()
    assert m.machine.models == []
    assert not any(t.startswith("to_") for t in m.machine.events), "auto_transitions must be off"


@pytest.mark.parametrize("state, action, dest", [
    ("draft", "submit", "submitted"), ("submitted", "receive", "received"),
    ("received", "return", "returned"), ("returned", "resubmit", "submitted"),
    ("received", "aggregate", "aggregated"), ("aggregated", "aggregate", "aggregated"),
    ("aggregated", "close", "closed"), ("submitted", "close", "closed"),
    ("draft", "close", None), ("closed", "submit", None), ("aggregated", "return", None),
    ("draft", "receive", None), ("received", "fly", None),
])
def test_what_each_dossier_action_leads_to(state, action, dest):
    assert dossier_machine().next_state(state, action) == dest


def summary(total=3, terminal=0, moved=0, at_submitter=0, at_addressed=0):
    return MemberSummary(total, terminal, moved, at_submitter, at_addressed)


@pytest.mark.parametrize("state, members, moved_now, expected", [
    ("draft", summary(terminal=3), False, None),                       # a draft moves only by hand
    ("submitted", summary(at_submitter=1, at_addressed=2), False, None),  # the unit is not done yet
    ("submitted", summary(terminal=1, at_addressed=2), False, "receive"),
    ("submitted", summary(terminal=3), False, "close"),                # e.g. every vote failed
    ("received", summary(at_submitter=1, at_addressed=2), False, None),   # one returned: no step back
    ("received", summary(moved=2, at_addressed=1), True, "aggregate"),
    ("aggregated", summary(moved=2, at_addressed=1), True, "aggregate"),  # taken again: recorded
    ("aggregated", summary(moved=2, at_addressed=1), False, None),
    ("aggregated", summary(terminal=3, moved=2), False, "close"),
    ("returned", summary(at_submitter=3), False, None),
    ("returned", summary(terminal=3), False, "close"),
    ("closed", summary(terminal=3), False, None),
])
def test_the_nominations_move_a_dossier_only_forward(state, members, moved_now, expected):
    assert derived_action(state, members, moved_now=moved_now) == expected
