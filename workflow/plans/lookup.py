"""Loading a plan the actor may see: what both plan and report use cases start from."""
from datetime import datetime

from sqlalchemy.orm import Session

from states.plans import ISSUED

from workflow.access.actors import Actor
from workflow.access.visibility import can_see
from workflow.errors import NotFound
from workflow.models import Plan
from workflow.orgs.tree import OrgTree


def load_plan(s: Session, actor: Actor, tree: OrgTree, plan_id: object) -> Plan:
    """The plan, or NotFound when it does not exist or the actor may not see it."""
    plan = s.get(Plan, plan_id) if isinstance(plan_id, int) and 0 < plan_id < 2**62 else None
    if plan is None or not can_see(actor, tree, plan):
        raise NotFound(f"Không tìm thấy kế hoạch #{plan_id}", f"Plan #{plan_id} not found")
    return plan


def accepting(plan: Plan, now: datetime) -> bool:
    """Nominations are taken while the plan is issued (not a draft, not closed) and its window is open."""
    return plan.status == ISSUED and (plan.submission_closes_at is None or now <= plan.submission_closes_at)
