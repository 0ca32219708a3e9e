"""Merging an org into another (sáp nhập, hợp nhất) with an effective date.

What the merged org held moves to the absorbing one: its units, users, open nominations (as
nominee's unit and where they wait), open dossiers, the plans it issued (which keep the
issuer's name as signed) and its pending plan obligations. The merged org keeps its row and
its names, closed the day before the merger (`valid_to`, `merged_into_id`), so history still
names it and a search by its old name finds it. Moves of nominations, dossiers and obligations
are written by the kernel (workflow/kernel/transition.py) on each row's own chain; the merger
itself is one event on "admin:org_unit".
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from states.dossiers import AGGREGATED, CLOSED
from states.lifecycle import TERMINAL_STATES
from states.obligations import ACCEPTED
from states.routes import ROUTES
from workflow.access.actors import NO_CONTEXT, Actor, RequestContext
from workflow.audit import chain as audit
from workflow.catalogue.routing import holder_for
from workflow.errors import InvalidInput
from workflow.kernel.db import Database
from workflow.kernel.transition import Change, apply
from workflow.kernel.uow import unit_of_work
from workflow.models import Dossier, Nomination, Obligation, OrgUnit, Plan, PlanUnit, User
from workflow.orgs import service
from workflow.orgs.reroute import reroute
from workflow.orgs.tree import invalidate_org_cache, load_tree

ACTION = "org_merge"


@dataclass(frozen=True)
class MergeResult:
    org: service.OrgView
    into: service.OrgView
    units: int
    users: int
    nominations: int
    dossiers: int
    plans: int
    obligations: int
    obligations_stayed: int
    rerouted: int = 0  # open nominations given the route of their unit's new place


def merge_org(db: Database, actor_id: int, org_id: int, body: object, *, now: datetime,
              ctx: RequestContext = NO_CONTEXT) -> MergeResult:
    """Merge org `org_id` into `into_id` from `date` (its first day in the absorbing org)."""
    body = service._body(body)
    with unit_of_work(db) as s:
        actor = service._admin(s, actor_id)
        result = merge_in(s, actor, org_id, body, now, ctx)
    invalidate_org_cache()
    return result


def merge_in(s: Session, actor: Actor, org_id: int, body: dict, now: datetime,
             ctx: RequestContext = NO_CONTEXT) -> MergeResult:
    """The merger inside the caller's transaction (the demo loader uses it too)."""
    orgs = service._lock_tree(s)
    org = service._org(s, org_id)
    into = service._org(s, body.get("into_id"), "into_id")
    day = service._effective(body, "date", now)
    _check(orgs, org, into, day)
    units = [o for o in orgs.values() if o.parent_id == org.id and o.valid_to is None]
    for child in units:
        service._move(orgs, child, into)
    users = list(s.execute(select(User).where(User.org_id == org.id)).scalars())
    for u in users:
        u.org_id = into.id
    org.valid_to, org.merged_into_id = day - timedelta(days=1), into.id
    service._close_name(s, org, org.valid_to)
    tree = load_tree(s)
    moved = {"org_id": org.id, "into_id": into.id, "date": day.isoformat()}
    noms = _nominations(s, tree, actor, org, into, moved, now, ctx)
    dossiers = _dossiers(s, actor, org, into, moved, now, ctx)
    plans = _plans(s, actor, org, into, moved, now, ctx)
    obligations, stayed = _obligations(s, actor, org, into, moved, now, ctx)
    # The absorbed org's nominations now belong to `into`, its units sit under `into`: each takes
    # the route of its new place (workflow/orgs/reroute.py).
    affected = {into.id}.union(*(tree.subtree_ids(u.id) for u in units))
    rerouted = reroute(s, tree, actor, affected, {"org_id": org.id, "into_id": into.id, "cause": ACTION}, now, ctx)
    audit.admin_event(s, actor, ctx, now, ACTION, service.CHAIN_ENTITY, org.id,
                      {**moved, "name": org.name, "into_name": into.name, "units": [u.id for u in units],
                       "users": [u.id for u in users], "nominations": noms, "dossiers": dossiers, "plans": plans,
                       "obligations": obligations, "obligations_stayed": stayed,
                       **({"rerouted": rerouted} if rerouted else {})})
    s.flush()
    views = service._views(s, [org, into])
    return MergeResult(views[0], views[1], len(units), len(users), noms, dossiers, plans, obligations, stayed,
                       len(rerouted))


def _check(orgs: dict[int, OrgUnit], org: OrgUnit, into: OrgUnit, day) -> None:
    if org.id == into.id:
        raise InvalidInput("Không thể sáp nhập một đơn vị vào chính nó", "An org cannot merge into itself",
                           field="into_id")
    if org.valid_to is not None:
        raise InvalidInput(f"'{org.name}' đã giải thể hoặc sáp nhập", f"'{org.name}' is already closed", field="org")
    if into.valid_to is not None:
        raise InvalidInput(f"'{into.name}' đã giải thể hoặc sáp nhập; không thể sáp nhập vào đơn vị đã đóng",
                           f"'{into.name}' is closed; nothing can merge into a closed org", field="into_id")
    if into.path.startswith(org.path):
        raise InvalidInput(f"'{into.name}' nằm trong '{org.name}': không thể sáp nhập vào đơn vị trực thuộc",
                           f"'{into.name}' is inside '{org.name}': an org cannot merge into its own unit",
                           field="into_id")
    if org.valid_from and day <= org.valid_from:
        raise InvalidInput(f"Ngày sáp nhập phải sau ngày thành lập {org.valid_from:%d/%m/%Y}",
                           f"The merger must come after the org was set up ({org.valid_from.isoformat()})",
                           field="date")
    for child in orgs.values():
        if child.parent_id == org.id and child.valid_to is None and into.kind not in service.PARENT_KINDS[child.kind]:
            raise InvalidInput(f"'{child.name}' ({child.kind}) không thể trực thuộc '{into.name}' ({into.kind})",
                               f"'{child.name}' ({child.kind}) cannot sit under '{into.name}' ({into.kind})",
                               field="into_id")


def _move(s: Session, row, actor: Actor, values: dict, payload: dict, now: datetime, ctx: RequestContext) -> None:
    """Bookkeeping on the row's own chain (its version stays: forms and deadline rows stay valid)."""
    apply(s, row, actor, Change(ACTION, values=values, payload=payload, bump=False), now, ctx)


def _nominations(s: Session, tree, actor: Actor, org: OrgUnit, into: OrgUnit, payload: dict, now: datetime,
                 ctx: RequestContext) -> int:
    rows = s.execute(select(Nomination).where(
        (Nomination.unit_id == org.id) | (Nomination.holder_org_id == org.id),
        Nomination.state.not_in(TERMINAL_STATES)).order_by(Nomination.id)).scalars().all()
    for nom in rows:
        unit_id = into.id if nom.unit_id == org.id else nom.unit_id
        step = ROUTES[nom.route].step(nom.state)
        holder = holder_for(tree, step.org_level, unit_id) if step else (
            into.id if nom.holder_org_id == org.id else nom.holder_org_id)
        _move(s, nom, actor, {"unit_id": unit_id, "holder_org_id": holder}, payload, now, ctx)
    return len(rows)


def _dossiers(s: Session, actor: Actor, org: OrgUnit, into: OrgUnit, payload: dict, now: datetime,
              ctx: RequestContext) -> int:
    rows = s.execute(select(Dossier).where(
        (Dossier.org_id == org.id) | (Dossier.addressed_org_id == org.id),
        Dossier.state.not_in((CLOSED, AGGREGATED))).order_by(Dossier.id)).scalars().all()
    for d in rows:
        values = {"org_id": into.id if d.org_id == org.id else d.org_id,
                  "addressed_org_id": into.id if d.addressed_org_id == org.id else d.addressed_org_id}
        _move(s, d, actor, values, payload, now, ctx)
    return len(rows)


def _plans(s: Session, actor: Actor, org: OrgUnit, into: OrgUnit, payload: dict, now: datetime,
           ctx: RequestContext) -> int:
    plans = s.execute(select(Plan).where(Plan.issuer_org_id == org.id).order_by(Plan.id)).scalars().all()
    for plan in plans:
        # The plan stays as issued: its issuer's name as signed; the absorbing org now owns it.
        plan.issuer_name = plan.issuer_name or org.name
        plan.issuer_org_id = into.id
        audit.append(s, f"p:{plan.id}", at=now, actor=actor, ctx=ctx, action=ACTION, entity="plan",
                     entity_id=plan.id, payload={**payload, "issuer_name": plan.issuer_name})
    have = {(p.plan_id, p.org_id) for p in s.execute(select(PlanUnit).where(PlanUnit.org_id == into.id)).scalars()}
    for pu in s.execute(select(PlanUnit).where(PlanUnit.org_id == org.id)).scalars().all():
        if (pu.plan_id, into.id) in have:
            s.delete(pu)
        else:
            pu.org_id = into.id
    return len(plans)


def _obligations(s: Session, actor: Actor, org: OrgUnit, into: OrgUnit, payload: dict, now: datetime,
                 ctx: RequestContext) -> tuple[int, int]:
    rows = s.execute(select(Obligation).where(Obligation.org_id == org.id, Obligation.state != ACCEPTED)
                     .order_by(Obligation.id)).scalars().all()
    taken = set(s.execute(select(Obligation.milestone_id).where(Obligation.org_id == into.id)).scalars())
    moved = stayed = 0
    for ob in rows:
        if ob.milestone_id in taken:  # the absorbing org answers that milestone itself
            stayed += 1
            continue
        _move(s, ob, actor, {"org_id": into.id}, payload, now, ctx)
        moved += 1
    return moved, stayed
