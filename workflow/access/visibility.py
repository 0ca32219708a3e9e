"""Who may see what: one `can_see(actor, tree, thing)` for nominations, dossiers, plans and
report obligations, and the matching WHERE clauses for lists.

- Unit roles see the nominations and dossiers of their unit (and units below it), drafts included.
- Ministry, central and auditor roles see what units in their subtree have submitted; a draft
  belongs to its unit until it is submitted (a dossier: unless it is their own org's).
- A plan concerns the orgs below its issuer and those above it, and its participants (and the
  units below them) wherever they are in the tree — a ministry's plan a province's Sở answers; a
  draft plan (dự thảo) only its issuing org's staff who may issue plans, until it is issued; a
  report obligation, its unit and the orgs above it, and the plan's issuer and the orgs above
  it (the plan's owner among them), so a participant never sees another unit's report.
- The administrator and the system see everything. What someone may not see is "not found".
The audit log's own scope (an auditor reads everything recorded in or about its subtree) is
`workflow/audit/log.visible_events`, built on `nomination_clause`.
"""
from functools import singledispatch
from typing import Any

from sqlalchemy import and_, or_, select, true
from sqlalchemy.orm import object_session

from states.dossiers import DRAFT as DOSSIER_DRAFT
from states.plans import DRAFT as PLAN_DRAFT
from workflow.access.actors import UNIT_ROLES, Actor
from workflow.access.policy import may_manage_plan
from workflow.models import Dossier, Nomination, Obligation, Plan, PlanUnit
from workflow.orgs.tree import OrgTree


def _sees_all(actor: Actor) -> bool:
    return actor.is_admin or actor.is_system


def _within(actor: Actor, tree: OrgTree, org_id: int) -> bool:
    return actor.org_id in tree.nodes and tree.is_within(org_id, actor.org_id)


def can_see(actor: Actor, tree: OrgTree, thing: Any) -> bool:
    """Whether `actor` may see `thing` (a nomination, dossier, plan or report obligation)."""
    return _rule(thing, actor, tree)


@singledispatch
def _rule(thing: Any, actor: Actor, tree: OrgTree) -> bool:
    raise TypeError(f"no visibility rule for {type(thing).__name__}")


@_rule.register
def _(nom: Nomination, actor: Actor, tree: OrgTree) -> bool:
    if _sees_all(actor):
        return True
    return _within(actor, tree, nom.unit_id) and (actor.role in UNIT_ROLES or nom.submitted_at is not None)


@_rule.register
def _(d: Dossier, actor: Actor, tree: OrgTree) -> bool:
    if _sees_all(actor):
        return True
    return _within(actor, tree, d.org_id) and (
        d.state != DOSSIER_DRAFT or actor.role in UNIT_ROLES or d.org_id == actor.org_id)


@_rule.register
def _(plan: Plan, actor: Actor, tree: OrgTree) -> bool:
    if actor.is_admin or actor.org_id is None:
        return True
    if plan.status == PLAN_DRAFT:
        return may_manage_plan(actor, plan)
    if tree.is_within(actor.org_id, plan.issuer_org_id) or tree.is_within(plan.issuer_org_id, actor.org_id):
        return True
    return actor.org_id in tree.nodes and any(tree.is_within(actor.org_id, org_id) for org_id in _participants(plan))


def _participants(plan: Plan) -> list[int]:
    session = object_session(plan)
    if session is None or plan.id is None:
        return []
    return list(session.execute(select(PlanUnit.org_id).where(PlanUnit.plan_id == plan.id)).scalars())


@_rule.register
def _(ob: Obligation, actor: Actor, tree: OrgTree) -> bool:
    if _sees_all(actor) or _within(actor, tree, ob.org_id):
        return True
    # A participant outside the issuer's subtree: its report is the issuer's to read.
    session = object_session(ob)
    plan = session.get(Plan, ob.plan_id) if session is not None else None
    return plan is not None and _within(actor, tree, plan.issuer_org_id)


def nomination_clause(actor: Actor, tree: OrgTree, *, newest_first: bool = False):
    """What `actor` may see, as a WHERE clause on nominations.

    `newest_first`: the caller pages by id; for a subtree of several units the clause is kept
    off the unit index (`unit_id + 0`) so the database walks the primary key in order instead
    of sorting every visible row.
    """
    if _sees_all(actor):
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


def dossier_clause(actor: Actor, tree: OrgTree):
    """What `actor` may see, as a WHERE clause on dossiers."""
    if _sees_all(actor):
        return true()
    if actor.org_id not in tree.nodes:
        return Dossier.id.is_(None)
    clause = Dossier.org_id.in_(sorted(tree.subtree_ids(actor.org_id)))
    if actor.role in UNIT_ROLES:
        return clause
    return and_(clause, or_(Dossier.state != DOSSIER_DRAFT, Dossier.org_id == actor.org_id))
