"""Amending an issued plan (sửa đổi kế hoạch): `PATCH /plans/{id}` with a reason.

The amendment is a new version of the plan, made in one transaction: the plan's fields and
milestones change, the change is recorded on the plan's chain "p:<id>" (each changed field's old
and new value, and the reason), and its report obligations follow through the kernel
(`workflow/plans/obligation_rows.py`):

- a milestone whose date changed moves the reports still owed (pending or returned) to the new
  due date, their reminder and escalation rows with them ("reschedule");
- a new report milestone, or a unit newly taking part, creates the obligations it calls for;
- a removed milestone, or a unit no longer bound, cancels the reports still owed ("cancel");
  owed again by a later amendment (same milestone, unit and due date), it is reinstated;
- a report already submitted or accepted stays as it is.

A milestone keeps its identity by its `id` (as `GET /plans/{id}` shows it), else by the same
text and purpose; a removed one keeps its row (`removed_at`) for the reports made against it,
and comes back when a later amendment names its id.
"""
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from states.obligations import AWAITING_REPORT, CANCELLED, PENDING
from states.plans import ISSUED
from workflow import validation as v
from workflow.access.actors import NO_CONTEXT, Actor, RequestContext
from workflow.access.loading import load_actor
from workflow.audit import chain as audit
from workflow.errors import InvalidInput
from workflow.kernel.db import Database
from workflow.kernel.uow import unit_of_work
from workflow.models import Obligation, Plan, PlanMilestone, PlanUnit
from workflow.orgs.tree import OrgTree, org_tree
from workflow.plans.lookup import load_plan
from workflow.plans.obligation_rows import due, record, retire_deadlines
from workflow.plans.obligations import add_obligations, due_dates
from workflow.plans.service import (
    _bound, _command, _draft_body, _lifecycle, _milestones, _move, _plan_fields, _refuse_unbound,
    _take_part, edit_draft, merged_body, milestone_values, plan_dict, plan_values,
)

MAX_REASON = 2000
PARTICIPATION = ("participants", "units", "groups")


def change_plan(db: Database, actor_id: int, plan_id: int, body: dict, *, now: datetime,
                strict_before: bool = True, ctx: RequestContext = NO_CONTEXT) -> dict:
    """PATCH /plans/{id}: a draft is edited (no reason asked); an issued plan is amended."""
    body, version = _command(db, actor_id, plan_id, body)
    with unit_of_work(db) as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        plan = load_plan(s, actor, tree, plan_id)
        if plan.status != ISSUED:
            return edit_draft(s, actor, tree, plan, body, version, now=now, strict_before=strict_before, ctx=ctx)
        _amend(s, actor, tree, plan, body, version, now, strict_before, ctx)
        return plan_dict(s, plan, tree, now, actor)


class _Preview(Exception):
    def __init__(self, summary: dict) -> None:
        super().__init__("preview")
        self.summary = summary


def preview_amendment(db: Database, actor_id: int, plan_id: int, body: dict, *, now: datetime,
                      strict_before: bool = True) -> dict:
    """What the amendment would change — the fields, and how many obligations move, are created
    and are cancelled — found by making it and rolling it back, so the preview is the change."""
    body, version = _command(db, actor_id, plan_id, body)
    try:
        with unit_of_work(db) as s:
            actor = load_actor(s, actor_id)
            tree = org_tree(s)
            plan = load_plan(s, actor, tree, plan_id)
            raise _Preview(_amend(s, actor, tree, plan, body, version, now, strict_before, NO_CONTEXT))
    except _Preview as p:
        return p.summary


def _reason(body: dict) -> str:
    raw = body.get("reason")
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidInput("Hãy ghi lý do sửa đổi kế hoạch đã ban hành",
                           "Give the reason for amending the issued plan", field="reason")
    return v.text(raw, "reason", max_len=MAX_REASON, multiline=True)


def _public(body: dict) -> dict:
    """The plan as recorded in an amendment: milestones without their row ids."""
    return {**body, "milestones": [{k: x for k, x in m.items() if k != "id"} for m in body["milestones"]]}


def _amend(s: Session, actor: Actor, tree: OrgTree, plan: Plan, body: dict, version: int | None,
           now: datetime, strict_before: bool, ctx: RequestContext) -> dict:
    _lifecycle(s, actor, plan, "amend", version)
    reason = _reason(body)
    before = _public(_draft_body(s, plan))
    merged, _ = merged_body(s, plan, body)
    f = _plan_fields(s, actor, tree, merged, strict_before, plan.issuer_org_id, now)
    _refuse_unbound(f["milestones"])
    _move(s, plan, plan_values(f, plan))
    _replace_milestones(s, plan, merged.get("milestones") or [], f["milestones"], now)
    if any(k in body for k in PARTICIPATION):
        s.execute(delete(PlanUnit).where(PlanUnit.plan_id == plan.id))
        for org_id in f["units"] or ():
            s.add(PlanUnit(plan_id=plan.id, org_id=org_id))
        s.flush()
    _take_part(s, plan, tree)
    after = _public(_draft_body(s, plan))
    fields = {k: {"old": before[k], "new": after[k]} for k in after if before.get(k) != after[k]}
    if not fields:
        raise InvalidInput(f"Sửa đổi không thay đổi gì trong kế hoạch {plan.number}",
                           f"The amendment changes nothing in plan {plan.number}", field="body")
    counts = _adjust_obligations(s, actor, tree, plan, reason, now, ctx)
    audit.append(s, f"p:{plan.id}", at=now, actor=actor, ctx=ctx, action="amend", entity="plan",
                 entity_id=plan.id, reason=reason,
                 payload={"version": plan.version, "fields": fields, "obligations": counts})
    return {"plan_id": plan.id, "version": plan.version, "fields": sorted(fields), "obligations": counts}


def _replace_milestones(s: Session, plan: Plan, raw: list, parsed: list[dict], now: datetime) -> None:
    """Each milestone of the amended plan updates the one it was (same id, else same text and
    purpose) or is added; the ones left are marked removed."""
    free = {m.id: m for m in _milestones(s, plan.id)}
    gone = {m.id: m for m in s.execute(select(PlanMilestone).where(
        PlanMilestone.plan_id == plan.id, PlanMilestone.removed_at.is_not(None))).scalars()}
    for i, (r, m) in enumerate(zip(raw, parsed, strict=True)):
        mid = r.get("id") if isinstance(r, dict) else None
        row = free.pop(mid) if isinstance(mid, int) and mid in free else None
        if row is None and isinstance(mid, int) and mid in gone:  # a removed milestone put back
            row = gone.pop(mid)
            row.removed_at = None
        if row is None:
            row = next((o for o in free.values() if o.text == m["text"] and o.purpose == m["purpose"]), None)
            if row is not None:
                free.pop(row.id)
        if row is None:
            s.add(PlanMilestone(plan_id=plan.id, **milestone_values(i, m)))
        else:
            for k, x in milestone_values(i, m).items():
                setattr(row, k, x)
    for row in free.values():
        row.removed_at = now
    s.flush()


def _adjust_obligations(s: Session, actor: Actor, tree: OrgTree, plan: Plan, reason: str, now: datetime,
                        ctx: RequestContext) -> dict:
    """Bring the plan's obligations in line with its amended milestones and participants."""
    units = sorted(s.execute(select(PlanUnit.org_id).where(PlanUnit.plan_id == plan.id)).scalars())
    bound = _bound(s, plan, tree)
    milestones = {m.id: m for m in _milestones(s, plan.id)}
    owed: dict[tuple[int, int], list[datetime]] = {}
    for m in milestones.values():
        if m.purpose == "report":
            for org_id in sorted(bound[m.id]) if m.id in bound else units:
                owed[(m.id, org_id)] = due_dates(m)
    held: dict[tuple[int, int], list[Obligation]] = {}
    dropped: dict[tuple[int, int, datetime], Obligation] = {}  # cancelled by an earlier amendment
    for ob in s.execute(select(Obligation).where(Obligation.plan_id == plan.id)
                        .order_by(Obligation.due_at, Obligation.id)).scalars():
        if ob.state == CANCELLED:
            dropped[(ob.milestone_id, ob.org_id, ob.due_at)] = ob
        else:
            held.setdefault((ob.milestone_id, ob.org_id), []).append(ob)
    counts = {"moved": 0, "created": 0, "cancelled": 0}
    create: list[tuple[PlanMilestone, int, datetime]] = []
    for key in sorted(set(owed) | set(held)):
        dues, obs = owed.get(key, []), held.get(key, [])
        open_dues = [d for d in dues if d not in {o.due_at for o in obs}]
        unmatched = [o for o in obs if o.due_at not in dues]
        for ob, when in zip(unmatched, open_dues, strict=False):
            if ob.state in AWAITING_REPORT:
                _reschedule(s, actor, plan, ob, milestones[key[0]], when, reason, now, ctx)
                counts["moved"] += 1
        for ob in unmatched[len(open_dues):]:
            if ob.state in AWAITING_REPORT:
                retire_deadlines(s, ob)
                record(s, ob, actor, "cancel", now, ctx, reason=reason, values={"state": CANCELLED},
                       payload={"plan_id": plan.id, "plan_version": plan.version})
                counts["cancelled"] += 1
        for when in open_dues[len(unmatched):]:
            if (again := dropped.get((*key, when))) is not None:
                _reinstate(s, actor, plan, again, milestones[key[0]], reason, now, ctx)
                counts["created"] += 1
            else:
                create.append((milestones[key[0]], key[1], when))
    counts["created"] += len(add_obligations(s, plan, create, now, actor=actor, ctx=ctx))
    return counts


def _reinstate(s: Session, actor: Actor, plan: Plan, ob: Obligation, m: PlanMilestone, reason: str,
               now: datetime, ctx: RequestContext) -> None:
    """The same report (milestone, unit, due date) owed again: the cancelled obligation comes back."""
    live = not m.expected and ob.due_at > now
    record(s, ob, actor, "reinstate", now, ctx, reason=reason,
           values={"state": PENDING, "escalation_level": 0},
           payload={"plan_id": plan.id, "plan_version": plan.version},
           due=due(s, ob.due_at) if live else None)


def _reschedule(s: Session, actor: Actor, plan: Plan, ob: Obligation, m: PlanMilestone, when: datetime,
                reason: str, now: datetime, ctx: RequestContext) -> None:
    retire_deadlines(s, ob)
    live = not m.expected and when > now
    record(s, ob, actor, "reschedule", now, ctx, reason=reason,
           values={"due_at": when, "escalation_level": 0},
           payload={"plan_id": plan.id, "plan_version": plan.version, "from": ob.due_at.isoformat(),
                    "to": when.isoformat()},
           due=due(s, when) if live else None)

