"""Per-unit progress of plans (tiến độ thực hiện kế hoạch): submitted, still drafting, late.

A row per participating unit (PlanUnit) that the user may see: their own unit for unit roles,
the units below them for ministry and central roles, every unit for the administrator.
Counts are aggregates; no nominee of another unit is shown.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, select

from states.lifecycle import DRAFT, EXPIRED, RETURNED, WITHDRAWN
from states.plans import DRAFT as PLAN_DRAFT
from workflow.access.actors import Actor
from workflow.kernel.db import Database
from workflow.models import Nomination, Plan, PlanUnit
from workflow.orgs.tree import OrgTree, org_tree
from workflow.access.loading import load_actor
from workflow.access.visibility import can_see
from workflow.plans.lookup import load_plan


@dataclass
class UnitProgress:
    plan_id: int
    unit_id: int
    unit_name: str
    submitted: int   # sent up at least once, not withdrawn
    drafting: int    # still a draft
    returned: int    # returned for supplement, awaiting the unit
    late: int        # draft or returned after the window closed, or expired unsent
    window_closed: bool

    @property
    def total(self) -> int:
        return self.submitted + self.drafting + self.returned


def _counts(now: datetime):
    pending = Nomination.state.in_((DRAFT, RETURNED))
    closed = and_(Plan.submission_closes_at.is_not(None), Plan.submission_closes_at < now)
    return (
        func.sum(case((and_(Nomination.submitted_at.is_not(None), Nomination.state != WITHDRAWN), 1),
                      else_=0)),
        func.sum(case((Nomination.state == DRAFT, 1), else_=0)),
        func.sum(case((Nomination.state == RETURNED, 1), else_=0)),
        func.sum(case((and_(pending, closed), 1), (Nomination.state == EXPIRED, 1), else_=0)),
    )


def _unit_visible(actor: Actor, tree: OrgTree, org_id: int) -> bool:
    if actor.is_admin:
        return True
    return actor.org_id in tree.nodes and tree.is_within(org_id, actor.org_id)


def progress(db: Database, actor_id: int, *, now: datetime, plan_id: int | None = None
             ) -> dict[int, list[UnitProgress]]:
    """Plan id → its participating units' progress, for the plans the user may see."""
    with db.read() as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        if plan_id is not None:
            load_plan(s, actor, tree, plan_id)  # NotFound for a plan the user may not see
        q = (select(PlanUnit.plan_id, PlanUnit.org_id, Plan.submission_closes_at, *_counts(now))
             .join(Plan, Plan.id == PlanUnit.plan_id)
             .where(Plan.status != PLAN_DRAFT)  # a draft's units owe nothing yet
             .outerjoin(Nomination, and_(Nomination.plan_id == PlanUnit.plan_id,
                                         Nomination.unit_id == PlanUnit.org_id))
             .group_by(PlanUnit.plan_id, PlanUnit.org_id, Plan.submission_closes_at)
             .order_by(PlanUnit.plan_id, PlanUnit.org_id))
        if plan_id is not None:
            q = q.where(PlanUnit.plan_id == plan_id)
        plans = {p.id: p for p in s.execute(select(Plan)).scalars()}
        out: dict[int, list[UnitProgress]] = {}
        for pid, org_id, closes, submitted, drafting, returned, late in s.execute(q):
            if not can_see(actor, tree, plans[pid]) or not _unit_visible(actor, tree, org_id):
                continue
            node = tree.get(org_id)
            out.setdefault(pid, []).append(UnitProgress(
                pid, org_id, node.name if node else f"#{org_id}", int(submitted or 0),
                int(drafting or 0), int(returned or 0), int(late or 0),
                closes is not None and closes < now))
        for rows in out.values():
            rows.sort(key=lambda r: r.unit_name)
        return out
