"""Who may act where — one table, derived from the route definitions in `states/`.

A route's steps say which roles act at each review state (`Step.reviewers` forward, return and
reject; `Step.deciders` decide; at a vote step the reviewers record the ballot); the unit's
commendation officer submits, resubmits and withdraws its own nominations. From that and the
shared machines this module derives, once per route:

- `actions_for(actor, nomination)`: exactly the actions the actor may take now (a lookup);
- `roles_at(route, state)`: who acts at a state — the inbox, the notices and the escalations;
- `INBOX_STATES` / `INBOX_ROLES`: which states wait for which role.

Org scope is the second half of every rule: step actions belong to the org holding the
nomination, the officer's actions to the nomination's own unit. Dossier, plan and report
commands follow the same roles (`dossier_commands`, `may_report`, `PLAN_ISSUERS`).

Where is "who may approve a Bằng khen Bộ"? The award's route (workflow/catalogue/awards.py →
`ministry`) lists its steps in states/routes.py; this module turns them into permissions.
"""
from collections.abc import Iterable
from functools import cache

from states import machine_for
from states.dossiers import CLOSED, DRAFT as DOSSIER_DRAFT, KIND_UNIT, RECEIVED, RETURNED as DOSSIER_RETURNED
from states.dossiers import SUBMITTED
from states.lifecycle import DRAFT, RETURNED, STATES, SYSTEM_ACTIONS, TERMINAL_STATES, USER_ACTIONS
from states.obligations import OWNERS as REPORT_OWNERS, SUBMITTERS as REPORT_SUBMITTERS
from states.levels import ready_to_send
from states.routes import ACTORS as STEP_ACTORS, LEADERS as STEP_LEADERS, state_of
from states.routes import (
    ADMIN, AUDITOR, CENTRAL_LEADER, CENTRAL_REVIEWER, MINISTRY_LEADER, MINISTRY_REVIEWER, ROLES, ROUTES,
    UNIT_OFFICER,
)
from workflow.access.actors import Actor

# The unit's own actions on its nominations: its commendation officer's.
OFFICER_ACTIONS = frozenset({"submit", "resubmit", "withdraw"})
# Who may issue plans (ban hành kế hoạch) and build an aggregate dossier upward.
PLAN_ISSUERS = frozenset({ADMIN, MINISTRY_LEADER, MINISTRY_REVIEWER, CENTRAL_LEADER, CENTRAL_REVIEWER})
AGGREGATORS = frozenset({MINISTRY_REVIEWER, MINISTRY_LEADER})

Key = tuple[str, str]  # (state, role)


@cache
def _table(route_code: str) -> dict[Key, tuple[str, ...]]:
    """(state, role) → the actions that role may take there, in canonical order. An action the
    machine guards (a vote passes or rejects; a resubmission goes to the unit head or, when who is
    nominated changed, to the council) is allowed whichever way its guard goes."""
    route, machine = ROUTES[route_code], machine_for(route_code)
    table: dict[Key, tuple[str, ...]] = {}
    for state in dict.fromkeys([*STATES, *route.states]):
        triggers = set(machine.actions_from(state))
        for role in ROLES:
            allowed = tuple(a for a in USER_ACTIONS if a in triggers and role in _roles_for(route_code, state, a))
            if allowed:
                table[(state, role)] = allowed
    return table


def _roles_for(route_code: str, state: str, action: str) -> tuple[str, ...]:
    if action in OFFICER_ACTIONS:
        return (UNIT_OFFICER,)
    step = ROUTES[route_code].step(state)
    if step is None:
        return ()
    return step.deciders if action == "decide" else step.reviewers


def actions_for(actor: Actor, nom) -> list[str]:
    """Exactly the actions `actor` may perform on `nom` now."""
    if actor.is_system or actor.is_admin:
        return []
    allowed = _table(nom.route).get((nom.state, actor.role), ())
    return [a for a in allowed
            if actor.org_id == (nom.unit_id if a in OFFICER_ACTIONS else nom.holder_org_id)]


def may_act(actor: Actor, nom, action: str) -> bool:
    """Role and org allow `actor` to perform `action` on `nom` in its current state."""
    if action in SYSTEM_ACTIONS:
        return actor.is_system
    if action in OFFICER_ACTIONS:
        return actor.role == UNIT_OFFICER and actor.org_id == nom.unit_id
    # actions_for's answer for this one action, without building the list (bulk: every item).
    return (not (actor.is_system or actor.is_admin) and actor.org_id == nom.holder_org_id
            and action in _table(nom.route).get((nom.state, actor.role), ()))


@cache
def roles_at(route_code: str, state: str) -> tuple[str, ...]:
    """The roles who act on a nomination of this route waiting in `state` (inbox, notices)."""
    step = ROUTES[route_code].step(state)
    return tuple(dict.fromkeys((*step.reviewers, *step.deciders))) if step else ()


def _inbox_states() -> dict[str, tuple[str, ...]]:
    """Every state a role may wait on: those of the routes compiled now, and every step any
    catalogue route can have (a route resolved later, e.g. the ministry council's vote)."""
    waiting: dict[str, list[str]] = {UNIT_OFFICER: [DRAFT, RETURNED]}
    for code, route in ROUTES.items():
        for state in route.states:
            for role in roles_at(code, state):
                if state not in waiting.setdefault(role, []):
                    waiting[role].append(state)
    for (level, kind), roles in STEP_ACTORS.items():
        deciders = STEP_LEADERS[level] if kind in ("review", "decide") else ()
        for role in dict.fromkeys((*roles, *deciders)):
            state = state_of(level, kind)
            if state not in waiting.setdefault(role, []):
                waiting[role].append(state)
    return {role: tuple(states) for role, states in waiting.items()}


# States in which each role has something to do.
INBOX_STATES: dict[str, tuple[str, ...]] = _inbox_states()
INBOX_ROLES: frozenset[str] = frozenset(INBOX_STATES)


def is_editable_draft(actor: Actor, nom) -> bool:
    """The officer edits its unit's drafts and the nominations returned to it."""
    return nom.state in (DRAFT, RETURNED) and actor.role == UNIT_OFFICER and actor.org_id == nom.unit_id


# --- dossiers (tờ trình) --------------------------------------------------------------------

def is_dossier_builder(actor: Actor, d) -> bool:
    """The commendation officer of a unit dossier's own unit builds and submits its list."""
    return actor.role == UNIT_OFFICER and actor.org_id == d.org_id and d.kind == KIND_UNIT


def dossier_commands(actor: Actor, d, groups: Iterable) -> list[str]:
    """Dossier commands the caller may use now, from the nominations it carries (`groups`:
    state, holder, route, still here); each item is still checked when run."""
    out: list[str] = []
    if is_dossier_builder(actor, d) and d.state == DOSSIER_DRAFT:
        out += ["add", "import", "remove"]
    if is_dossier_builder(actor, d) and d.state in (DOSSIER_DRAFT, DOSSIER_RETURNED):
        out.append("submit")
    mine = [(g, ROUTES[g.route]) for g in groups if g.route in ROUTES and g.here
            and g.holder_org_id == actor.org_id and g.state not in TERMINAL_STATES]
    steps = [(g, r, r.step(g.state)) for g, r in mine if r.step(g.state) is not None]
    if any(st.kind == "vote" and actor.role in st.reviewers for _, _, st in steps):
        out.append("votes")
    reviewing = [(g, r, st) for g, r, st in steps if st.kind == "review" and actor.role in st.reviewers]
    if reviewing:
        out.append("review")
        if d.kind == KIND_UNIT and d.state in (SUBMITTED, RECEIVED):
            out.append("return")
    if actor.role in AGGREGATORS and any(ready_to_send(g) for g, _, _ in steps):
        out.append("aggregate")
    if any(actor.role in st.deciders and st.state == r.steps[-1].state for _, r, st in steps):
        out.append("decide")
    # The leader signs and sends the tờ trình its reviewer drafted; the receiving staff take it in.
    if d.kind != KIND_UNIT and d.state == DOSSIER_DRAFT and actor.role == MINISTRY_LEADER and actor.org_id == d.org_id:
        out.append("sign")
    if d.kind != KIND_UNIT and d.state == SUBMITTED and actor.role in (CENTRAL_REVIEWER, CENTRAL_LEADER) \
            and actor.org_id == d.addressed_org_id:
        out.append("receive")
    if actor.org_id == d.org_id and actor.role != AUDITOR and d.state != CLOSED:
        out.append("attach")
    return out


# --- plan reports (nghĩa vụ báo cáo) -----------------------------------------------------------

def is_plan_owner(actor: Actor, plan) -> bool:
    return actor.role == ADMIN or (actor.role in REPORT_OWNERS and actor.org_id == plan.issuer_org_id)


def may_manage_plan(actor: Actor, plan) -> bool:
    """Edit a draft, issue or close a plan: the issuing organisation's plan issuers, or the administrator."""
    return actor.role == ADMIN or (actor.role in PLAN_ISSUERS and actor.org_id == plan.issuer_org_id)


def may_report(actor: Actor, plan, ob, action: str) -> bool:
    """The unit's officer submits its report; the plan's owner accepts or returns it."""
    if action == "submit":
        return actor.role in REPORT_SUBMITTERS and actor.org_id == ob.org_id
    return is_plan_owner(actor, plan)
