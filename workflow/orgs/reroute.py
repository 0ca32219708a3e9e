"""Routes computed again when the organisation tree changes (a unit moved, its kind changed, an
org merged into another).

A nomination's route is its award's steps laid over the nominee's place in the tree
(workflow/catalogue/routing.py): a school under a Sở passes the Sở's review, a school directly
under the province does not. When the tree changes, every open nomination (not decided, rejected,
withdrawn or expired) of a unit in the changed part of the tree gets the route of its unit's new
place, at the definition version it was made under, in the same transaction as the change.

Where it then waits (docs/procedure.md, "Khi cơ cấu tổ chức thay đổi"):

- a draft or a returned nomination stays a draft or returned (it has not entered the route yet,
  or is back with its unit's officer);
- a nomination whose step exists in the new route stays at that step; only the org that acts
  there may change (a school moved from one Sở to another waits at the new Sở);
- a nomination whose step no longer exists (the Sở's review of a school now directly under the
  province) moves back to the nearest earlier step of its old route that the new route still
  has — the unit head's step, say, who signs the submission again to the unit's new superior,
  since a tờ trình is addressed to one org (Law Art. 84; NĐ 152/2025/NĐ-CP Mẫu số 01). No step
  anyone has not seen is skipped, and no decision is taken by an org that was never asked. With
  no earlier step left, it goes to the new route's first step. Its time limit runs from the move.

The tree change is never refused for this: a reorganisation takes effect on its legal date, and an
office cannot wait until every nomination in flight has been decided.

Each nomination whose route, step or acting org changes gets its own `route_recompute` event on
its chain, written by the kernel (workflow/kernel/transition.py), so `audit verify` replays it.
"""
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from states.lifecycle import DRAFT, RETURNED, TERMINAL_STATES
from states.routes import ROUTES, Route
from workflow.access.actors import Actor, RequestContext
from workflow.catalogue.routing import holder_for, route_for
from workflow.kernel.transition import Change, Due, apply
from workflow.models import AwardType, Nomination
from workflow.nominations import posting
from workflow.nominations.transitions import placement
from workflow.orgs.tree import OrgTree

ACTION = "route_recompute"


def place(old: Route, new: Route, state: str) -> str:
    """Where a nomination at `state` of route `old` waits on route `new` (the rule above)."""
    if state in (DRAFT, RETURNED) or new.step(state) is not None:
        return state
    if state in old.states:
        for earlier in reversed(old.states[:old.index(state)]):
            if new.step(earlier) is not None:
                return earlier
    return new.steps[0].state


def reroute(s: Session, tree: OrgTree, actor: Actor, unit_ids: Iterable[int], cause: dict, now: datetime,
            ctx: RequestContext) -> list[int]:
    """Give the open nominations of `unit_ids` the route of their unit's place in `tree` (the tree
    as this transaction now sees it); returns the ids of the nominations that changed."""
    ids = sorted(set(unit_ids))
    if not ids:
        return []
    noms = s.execute(select(Nomination).where(Nomination.unit_id.in_(ids), Nomination.state.not_in(TERMINAL_STATES))
                     .order_by(Nomination.id)).scalars().all()
    changed = []
    for nom in noms:
        award = s.get(AwardType, nom.award_code)
        if award is None:
            continue
        old, new = ROUTES[nom.route], route_for(s, tree, award, nom.unit_id, nom.definition_version)
        dest = place(old, new, nom.state)
        values, due = _where(s, tree, nom, new, dest, now)
        if new.code != nom.route:
            values["route"] = new.code
        if not values:
            continue
        step = new.step(dest)
        rows: tuple = ()
        if step is not None and step.kind == "posting" and dest != nom.state:
            rows = ((posting.POSTINGS, posting.posting_row(s, nom, step, values.get("holder_org_id"), now)),)
        apply(s, nom, actor, Change(ACTION, values=values, due=due, rows=rows,
                                    payload={**cause, "route": [nom.route, new.code], "state": [nom.state, dest]}),
              now, ctx)
        changed.append(nom.id)
    return changed


def _where(s: Session, tree: OrgTree, nom: Nomination, new: Route, dest: str, now: datetime
           ) -> tuple[dict, Due | None]:
    """The columns that say where the nomination waits on `new`: a new step with its time limit,
    or the same step with (perhaps) another org acting there."""
    if dest != nom.state:
        return placement(s, tree, nom, ACTION, dest, now, route=new)
    step = new.step(dest)
    if step is None:
        return {}, None
    holder = holder_for(tree, step.org_level, nom.unit_id)
    return ({"holder_org_id": holder} if holder != nom.holder_org_id else {}), None
