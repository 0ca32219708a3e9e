"""Drafts of a plan whose submission window has closed become `expired` (engine, system actor).

Once no draft of the plan is left the plan is marked (`drafts_expired_at`, compare-and-set),
so later sweeps do not look at it again. A draft cannot be submitted once the window has
closed, so nothing new appears behind the sweep's back.
"""
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from states.lifecycle import DRAFT
from workflow.kernel.transition import Change
from workflow.nominations import transitions
from workflow.access.actors import NO_CONTEXT, SYSTEM_ACTOR
from workflow.kernel.db import Database
from workflow.models import Nomination, Plan
from workflow.orgs.tree import org_tree
from workflow.sweep.report import SweepReport
from workflow.sweep.stages import Policy
from workflow.calendar.workdays import local_date

log = logging.getLogger(__name__)


def closed_plans(db: Database, now: datetime) -> list[int]:
    with db.read() as s:
        return list(s.execute(select(Plan.id).where(
            Plan.submission_closes_at.is_not(None), Plan.submission_closes_at < now,
            Plan.drafts_expired_at.is_(None)).order_by(Plan.id)).scalars())


def expire_drafts(db: Database, now: datetime, policy: Policy, report: SweepReport,
                  keep_going: Callable[[], bool]) -> None:
    for plan_id in closed_plans(db, now):
        while keep_going():
            with db.write() as s:
                done, failed = _batch(s, plan_id, now, policy, report)
                if done == 0 and not failed and _close_plan(s, plan_id, now):
                    report.plans_closed += 1
            if done == 0 or failed:
                break


def _batch(s, plan_id: int, now: datetime, policy: Policy, report: SweepReport) -> tuple[int, int]:
    q = (select(Nomination).where(Nomination.plan_id == plan_id, Nomination.state == DRAFT)
         .order_by(Nomination.id).limit(policy.batch_size))
    if s.get_bind().dialect.name == "postgresql":
        q = q.with_for_update(skip_locked=True)
    drafts = s.execute(q).scalars().all()
    if not drafts:
        return 0, 0
    tree = org_tree(s)
    closes = s.get(Plan, plan_id).submission_closes_at
    t: dict[str, Any] = {"reason": f"Kế hoạch hết thời hạn nhận hồ sơ ({local_date(closes):%d/%m/%Y})",
         "payload": {"plan_id": plan_id, "closed_at": closes.isoformat()}}
    failed = 0
    for nom in drafts:
        try:
            with s.begin_nested():
                transitions.check(SYSTEM_ACTOR, nom, "expire", nom.version)
                transitions.write(s, tree, nom, SYSTEM_ACTOR, Change("expire", **t), now, NO_CONTEXT)
        except Exception as e:  # go on past a draft that cannot be expired now
            log.exception("expiring nomination %s failed", nom.id)
            failed += 1
            report.count("failed")
            report.errors.append({"subject": "nomination", "id": nom.id, "error": f"{type(e).__name__}: {e}"[:500]})
            continue
        report.count("expired", subject="nomination", id=nom.id, action="expire")
    return len(drafts) - failed, failed


def _close_plan(s, plan_id: int, now: datetime) -> bool:
    """Mark the plan done once no draft is left (none skipped because a user held it locked)."""
    left = s.execute(select(Nomination.id).where(Nomination.plan_id == plan_id, Nomination.state == DRAFT)
                     .limit(1)).first()
    if left:
        return False
    return s.execute(update(Plan).where(Plan.id == plan_id, Plan.drafts_expired_at.is_(None))
                     .values(drafts_expired_at=now).execution_options(synchronize_session=False)
                     ).rowcount == 1
