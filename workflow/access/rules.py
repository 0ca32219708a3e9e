"""Who may see and do what: role plus org scope, checked in the service layer.

- Unit roles see the nominations of their unit (and units below it), drafts included.
- Ministry, central and auditor roles see what units in their subtree have submitted;
  a draft belongs to its unit until it is submitted.
- The administrator sees everything and acts on nothing.
"""
from sqlalchemy import and_, true

from states import machine_for
from states.lifecycle import DRAFT, RETURNED
from states.machines import returned_from
from states.routes import ROUTES, UNIT_OFFICER
from workflow.access.actors import UNIT_ROLES, Actor
from workflow.models import Nomination
from workflow.orgs.tree import OrgTree

UNIT_OFFICER_ACTIONS = frozenset({"submit", "resubmit", "withdraw"})


def visibility_clause(actor: Actor, tree: OrgTree, *, newest_first: bool = False):
    """What `actor` may see, as a WHERE clause.

    `newest_first`: the caller pages by id; for a subtree of several units the clause is kept
    off the unit index (`unit_id + 0`) so the database walks the primary key in order instead
    of sorting every visible row.
    """
    if actor.is_admin or actor.is_system:
        return true()
    if actor.org_id not in tree.nodes:
        return Nomination.id.is_(None)
    units = sorted(tree.subtree_ids(actor.org_id))
    if len(units) == 1:
        clause = Nomination.unit_id == units[0]
    elif newest_first:
        clause = (Nomination.unit_id + 0).in_(units)
    else:
        clause = Nomination.unit_id.in_(units)
    if actor.role in UNIT_ROLES:
        return clause
    return and_(clause, Nomination.submitted_at.is_not(None))


def can_see(actor: Actor, nom: Nomination, tree: OrgTree) -> bool:
    if actor.is_admin or actor.is_system:
        return True
    if actor.org_id not in tree.nodes or not tree.is_within(nom.unit_id, actor.org_id):
        return False
    return actor.role in UNIT_ROLES or nom.submitted_at is not None


def may_act(actor: Actor, nom: Nomination, action: str) -> bool:
    """Role and org allow `actor` to perform `action` on `nom` in its current state."""
    if action in ("escalate", "expire"):
        return actor.is_system
    if action in UNIT_OFFICER_ACTIONS:
        return actor.role == UNIT_OFFICER and actor.org_id == nom.unit_id
    step = ROUTES[nom.route].step(nom.state)
    if step is None or actor.org_id != nom.holder_org_id:
        return False
    allowed = step.deciders if action == "decide" else step.reviewers
    return actor.role in allowed


def facts_of(nom: Nomination, **extra) -> dict[str, bool]:
    facts = {returned_from(nom.returned_from): True} if nom.returned_from else {}
    facts.update(extra)
    return facts


def available_actions(actor: Actor, nom: Nomination) -> list[str]:
    """Exactly the actions `actor` may perform on `nom` now."""
    rm = machine_for(nom.route)
    out = []
    for action in rm.actions_from(nom.state):
        if action in ("escalate", "expire") or not may_act(actor, nom, action):
            continue
        if action == "vote" or rm.next_state(nom.state, action, facts_of(nom)) is not None:
            out.append(action)
    return out


def is_editable_draft(actor: Actor, nom: Nomination) -> bool:
    return nom.state in (DRAFT, RETURNED) and actor.role == UNIT_OFFICER and actor.org_id == nom.unit_id
