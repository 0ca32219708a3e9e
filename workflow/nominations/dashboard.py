"""The dashboard (bảng tổng hợp): nominations by state and by level, and what is overdue.

Counts only what the user may see (workflow.access.visibility_clause): a unit sees its own
nominations, drafts included; a ministry or the centre sees what was submitted below it.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, select

from states.lifecycle import LEVELS, STATES, TERMINAL_STATES
from workflow import validation as v
from workflow.access.visibility import nomination_clause as visibility_clause
from workflow.kernel.db import Database
from workflow.models import Nomination
from workflow.orgs.tree import org_tree
from workflow.access.loading import load_actor


@dataclass
class Dashboard:
    by_state: list[tuple[str, int]]          # every state, in lifecycle order
    by_level: list[tuple[str, int]]          # where open nominations wait
    overdue_by_level: list[tuple[str, int]]  # of those, past their due date
    total: int
    open: int
    overdue: int
    escalated: int

    def to_dict(self) -> dict:
        return {"by_state": dict(self.by_state), "by_level": dict(self.by_level),
                "overdue_by_level": dict(self.overdue_by_level), "total": self.total,
                "open": self.open, "overdue": self.overdue, "escalated": self.escalated}


def _overdue(now: datetime):
    return and_(Nomination.due_at.is_not(None), Nomination.due_at < now,
                Nomination.state.not_in(TERMINAL_STATES))


def dashboard(db: Database, actor_id: int, *, now: datetime, plan_id=None) -> Dashboard:
    """Counts in one grouped query over the nominations the user may see."""
    with db.read() as s:
        actor = load_actor(s, actor_id)
        q = (select(Nomination.state, Nomination.level, func.count(),
                    func.sum(case((_overdue(now), 1), else_=0)),
                    func.sum(case((Nomination.escalation_level > 0, 1), else_=0)))
             .where(visibility_clause(actor, org_tree(s)))
             .group_by(Nomination.state, Nomination.level))
        if plan_id is not None:
            q = q.where(Nomination.plan_id == v.integer(plan_id, "plan_id", minimum=1))
        rows = s.execute(q).all()
    return _summarise(rows)


def _summarise(rows) -> Dashboard:
    by_state = dict.fromkeys(STATES, 0)
    by_level = dict.fromkeys(LEVELS, 0)
    overdue_by_level = dict.fromkeys(LEVELS, 0)
    escalated = 0
    for state, level, count, overdue, esc in rows:
        by_state[state] = by_state.get(state, 0) + count
        if state in TERMINAL_STATES or level is None:
            continue
        by_level[level] = by_level.get(level, 0) + count
        overdue_by_level[level] = overdue_by_level.get(level, 0) + int(overdue or 0)
        escalated += int(esc or 0)
    total = sum(by_state.values())
    return Dashboard(list(by_state.items()), list(by_level.items()), list(overdue_by_level.items()),
                     total, sum(by_level.values()), sum(overdue_by_level.values()), escalated)
