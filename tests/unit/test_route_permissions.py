"""Who may do what at every state of every route, without a database.

The expected table is written out by hand from DESIGN.md §3 and the routes (states/routes.py):
the unit's officer submits, resubmits (to the step that returned it) and withdraws; a council
step's secretary records the vote; a review step's reviewers forward, return and reject; the
deciding step's deciders decide. Every route × state × role × action is checked against
`workflow.access.policy`, and each must agree with the route's compiled machine.
"""
from types import SimpleNamespace

import pytest

from states import ROUTES, machine_for
from states.lifecycle import DRAFT, RETURNED, STATES, SYSTEM_ACTIONS, TERMINAL_STATES, USER_ACTIONS
from states.routes import ROLES
from workflow.access.actors import SYSTEM_ACTOR, Actor
from workflow.access.policy import INBOX_STATES, actions_for, may_act, roles_at

UNIT, MINISTRY, CENTRAL = 10, 2, 1

# route → state → role → actions (the canonical order of states.lifecycle.USER_ACTIONS)
EXPECTED = {
    "unit": {
        DRAFT: {"unit_officer": ["submit", "withdraw"]},
        "council_review": {"council_secretary": ["vote"], "unit_officer": ["withdraw"]},
        "unit_review": {"unit_head": ["decide", "return", "reject"], "unit_officer": ["withdraw"]},
    },
    "ministry": {
        DRAFT: {"unit_officer": ["submit", "withdraw"]},
        "council_review": {"council_secretary": ["vote"], "unit_officer": ["withdraw"]},
        "unit_review": {"unit_head": ["approve", "return", "reject"], "unit_officer": ["withdraw"]},
        "ministry_review": {"ministry_reviewer": ["return", "reject"],
                            "ministry_leader": ["decide", "return", "reject"], "unit_officer": ["withdraw"]},
    },
    "central": {
        DRAFT: {"unit_officer": ["submit", "withdraw"]},
        "council_review": {"council_secretary": ["vote"], "unit_officer": ["withdraw"]},
        "unit_review": {"unit_head": ["approve", "return", "reject"], "unit_officer": ["withdraw"]},
        "ministry_review": {"ministry_reviewer": ["approve", "return", "reject"],
                            "ministry_leader": ["approve", "return", "reject"], "unit_officer": ["withdraw"]},
        "central_review": {"central_reviewer": ["return", "reject"],
                           "central_leader": ["decide", "return", "reject"], "unit_officer": ["withdraw"]},
    },
}
# Where each state waits: the holder of the step.
HOLDER = {DRAFT: UNIT, RETURNED: UNIT, "council_review": UNIT, "unit_review": UNIT, "ministry_review": MINISTRY,
          "central_review": CENTRAL}
ORG_OF_ROLE = {"unit_officer": UNIT, "council_secretary": UNIT, "unit_head": UNIT, "ministry_reviewer": MINISTRY,
               "ministry_leader": MINISTRY, "central_reviewer": CENTRAL, "central_leader": CENTRAL,
               "auditor": MINISTRY, "admin": CENTRAL}


def nomination(route: str, state: str, returned_from: str | None = None) -> SimpleNamespace:
    return SimpleNamespace(route=route, state=state, returned_from=returned_from, unit_id=UNIT,
                           holder_org_id=None if state in TERMINAL_STATES else HOLDER[state])


def expected(route: str, state: str, role: str, returned_from: str | None) -> list[str]:
    if state == RETURNED:  # the officer resubmits (to its unit head, or the council) or withdraws
        return ["resubmit", "withdraw"] if role == "unit_officer" else []
    return EXPECTED[route].get(state, {}).get(role, [])


CASES = [(route, state, back, role)
         for route in ROUTES for state in STATES
         for back in ([None, *ROUTES[route].states] if state == RETURNED else [None]) for role in ROLES]


@pytest.mark.parametrize("route, state, returned_from, role", CASES)
def test_each_role_may_take_exactly_the_actions_its_step_gives_it(route, state, returned_from, role):
    nom = nomination(route, state, returned_from)
    actor = Actor(1, role, role, ORG_OF_ROLE[role])
    assert actions_for(actor, nom) == expected(route, state, role, returned_from)
    for action in USER_ACTIONS:
        allowed = action in expected(route, state, role, returned_from)
        # may_act checks role and org; the machine decides whether the state allows it.
        machine_ok = action == "vote" or machine_for(route).next_state(state, action) is not None
        assert (may_act(actor, nom, action) and machine_ok) == allowed, action


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_the_same_role_at_another_org_may_do_nothing(route):
    for state in ROUTES[route].states:
        for role in roles_at(route, state):
            stranger = Actor(1, role, role, 999)
            assert actions_for(stranger, nomination(route, state)) == []


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_only_the_system_reminds_escalates_and_expires(route):
    nom = nomination(route, DRAFT)
    for action in SYSTEM_ACTIONS:
        assert may_act(SYSTEM_ACTOR, nom, action)
        assert not any(may_act(Actor(1, r, r, ORG_OF_ROLE[r]), nom, action) for r in ROLES)


def test_every_state_that_waits_for_someone_is_in_that_roles_inbox():
    for route, r in ROUTES.items():
        for state in r.states:
            for role in roles_at(route, state):
                assert state in INBOX_STATES[role]
    assert INBOX_STATES["unit_officer"] == (DRAFT, RETURNED)
    assert "auditor" not in INBOX_STATES and "admin" not in INBOX_STATES
