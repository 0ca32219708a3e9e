"""Plans (Kế hoạch thi đua, khen thưởng) and their milestones."""
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow import validation as v
from workflow.audit import chain as audit
from workflow.access.actors import NO_CONTEXT, Actor, RequestContext
from workflow.kernel.db import Database
from workflow.calendar.deadlines import DeadlineParseError, parse_deadline
from workflow.errors import Forbidden, InvalidInput
from workflow.models import AwardType, Plan, PlanMilestone, PlanUnit
from workflow.orgs.tree import OrgTree, org_tree
from workflow.access.loading import load_actor
from workflow.access.policy import PLAN_ISSUERS
from workflow.access.visibility import can_see
from workflow.plans.lookup import load_plan
from workflow.plans.obligations import create_obligations
from workflow.calendar.workdays import end_of_day_utc, local_date

PLAN_KINDS = ("annual", "thematic", "ad_hoc")
PURPOSES = ("submission", "report", "event")


def accepting(plan: Plan, now: datetime) -> bool:
    return plan.submission_closes_at is None or now <= plan.submission_closes_at


def plan_dict(s: Session, plan: Plan, tree: OrgTree, now: datetime) -> dict:
    milestones = s.execute(select(PlanMilestone).where(PlanMilestone.plan_id == plan.id)
                           .order_by(PlanMilestone.position, PlanMilestone.id)).scalars().all()
    issuer = tree.get(plan.issuer_org_id)
    units = s.execute(select(PlanUnit.org_id).where(PlanUnit.plan_id == plan.id)).scalars().all()
    return {
        "id": plan.id, "number": plan.number, "title": plan.title, "kind": plan.kind,
        "issuer": {"id": plan.issuer_org_id, "name": plan.issuer_name or (issuer.name if issuer else None)},
        "issued_on": plan.issued_on.isoformat() if plan.issued_on else None,
        "issued_text": plan.issued_text, "parent_number": plan.parent_number,
        "parent_plan_id": plan.parent_plan_id, "basis": plan.basis, "period_text": plan.period_text,
        "award_types": plan.award_codes, "award_forms_text": plan.award_forms_text,
        "criteria": plan.criteria, "units": sorted(units),
        "milestones": [milestone_dict(m) for m in milestones],
        "submission_closes_at": plan.submission_closes_at.isoformat() if plan.submission_closes_at else None,
        "accepting_nominations": accepting(plan, now),
    }


def milestone_dict(m: PlanMilestone) -> dict:
    return {"id": m.id, "text": m.text, "purpose": m.purpose, "description": m.description,
            "periods": m.periods, "expected": m.expected, "ends_at": m.ends_at.isoformat()}


def list_plans(db: Database, actor_id: int, *, now: datetime) -> list[dict]:
    with db.read() as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        plans = s.execute(select(Plan).order_by(Plan.id)).scalars().all()
        return [plan_dict(s, p, tree, now) for p in plans if can_see(actor, tree, p)]


def get_plan(db: Database, actor_id: int, plan_id: int, *, now: datetime) -> dict:
    with db.read() as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        plan = load_plan(s, actor, tree, plan_id)
        return plan_dict(s, plan, tree, now)


def parse_milestones(raw, issued: date | None, strict_before: bool) -> list[dict]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise InvalidInput("milestones phải là danh sách", "milestones must be a list", field="milestones")
    v.capped(raw, "milestones", max_items=v.MAX_MILESTONES)
    out = []
    for i, m in enumerate(raw):
        f = f"milestones[{i}]"
        if not isinstance(m, dict):
            raise InvalidInput(f"{f} phải là đối tượng", f"{f} must be an object", field=f)
        text = v.text(m.get("text"), f"{f}.text", max_len=500)
        purpose = v.choice(m.get("purpose", "event"), f"{f}.purpose", PURPOSES)
        try:
            deadline = parse_deadline(text, issued=issued, strict_before=strict_before)
        except DeadlineParseError as e:
            raise InvalidInput(e.message_vi, e.message_en, field=f"{f}.text") from None
        out.append({"text": text, "purpose": purpose, "deadline": deadline,
                    "description": v.text(m.get("description"), f"{f}.description", required=False,
                                          max_len=1000)})
    return out


def submission_closes(milestones: list[dict]) -> datetime | None:
    """The window closes at the end of the last `submission` milestone (if any)."""
    ends = [m["deadline"].last_end for m in milestones if m["purpose"] == "submission"]
    return end_of_day_utc(max(ends)) if ends else None


def add_plan(s: Session, actor: Actor, tree: OrgTree, *, issuer_org_id: int, number: str, title: str,
             kind: str, milestones: list[dict], now: datetime, ctx: RequestContext, units=None,
             award_codes=None, **extra) -> Plan:
    """Store a plan with its parsed milestones and participating units; audited."""
    plan = Plan(number=number, title=title, kind=kind, issuer_org_id=issuer_org_id,
                award_codes=award_codes, created_by=actor.user_id, created_at=now,
                submission_closes_at=submission_closes(milestones), **extra)
    if plan.submission_closes_at is None and milestones:
        # No explicit window: the plan takes nominations until its last milestone has passed.
        plan.submission_closes_at = end_of_day_utc(max(m["deadline"].last_end for m in milestones))
    s.add(plan)
    s.flush()
    for i, m in enumerate(milestones):
        d = m["deadline"]
        s.add(PlanMilestone(plan_id=plan.id, position=i, text=m["text"], purpose=m["purpose"],
                            description=m.get("description"), periods=d.to_dict()["periods"],
                            expected=d.expected, ends_at=end_of_day_utc(d.last_end)))
    if units is None:
        units = [n.id for n in tree.nodes.values()
                 if n.level == "unit" and n.open and tree.is_within(n.id, issuer_org_id)]
    for org_id in units:
        s.add(PlanUnit(plan_id=plan.id, org_id=org_id))
    audit.append(s, f"p:{plan.id}", at=now, actor=actor, ctx=ctx, action="plan_create", entity="plan",
                 entity_id=plan.id, payload={"number": number, "milestones": [m["text"] for m in milestones]})
    create_obligations(s, plan, now, actor=actor, ctx=ctx)
    return plan


def create_plan(db: Database, actor_id: int, body: dict, *, now: datetime, strict_before: bool = True,
                ctx: RequestContext = NO_CONTEXT) -> dict:
    if not isinstance(body, dict):
        raise InvalidInput("Nội dung phải là đối tượng JSON", "The body must be a JSON object", field="body")
    with db.write() as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        if actor.role not in PLAN_ISSUERS:
            raise Forbidden("Vai trò này không được ban hành kế hoạch", "This role may not issue plans")
        number = v.text(body.get("number"), "number", max_len=80)
        title = v.text(body.get("title"), "title", max_len=1000)
        kind = v.choice(body.get("kind", "annual"), "kind", PLAN_KINDS)
        issued = v.iso_date(body.get("issued_on"), "issued_on", required=False) or local_date(now)
        milestones = parse_milestones(body.get("milestones"), issued, strict_before)
        award_codes = _award_codes(s, body.get("award_types"))
        units = _units(tree, actor, body.get("units"))
        plan = add_plan(s, actor, tree, issuer_org_id=actor.org_id, number=number, title=title,
                        kind=kind, milestones=milestones, now=now, ctx=ctx, units=units,
                        award_codes=award_codes, issued_on=issued,
                        parent_number=v.text(body.get("parent_number"), "parent_number",
                                             required=False, max_len=200),
                        criteria=v.text(body.get("criteria"), "criteria", required=False,
                                        max_len=20000, multiline=True))
        s.flush()
        return plan_dict(s, plan, tree, now)


def _award_codes(s: Session, raw) -> list[str] | None:
    if raw is None:
        return None
    if not isinstance(raw, list) or not all(isinstance(c, str) for c in raw):
        raise InvalidInput("award_types phải là danh sách mã", "award_types must be a list of codes",
                           field="award_types")
    for c in raw:
        if s.get(AwardType, c) is None:
            raise InvalidInput(f"Không có hình thức '{c}'", f"Unknown award type '{c}'", field="award_types")
    return list(dict.fromkeys(raw))


def _units(tree: OrgTree, actor: Actor, raw) -> list[int] | None:
    if raw is None:
        return None
    ids = v.id_list(raw, "units", max_items=5000)
    for org_id in ids:
        if org_id not in tree.nodes or not tree.is_within(org_id, actor.org_id):
            raise InvalidInput(f"Đơn vị #{org_id} không thuộc phạm vi của bạn",
                               f"Unit #{org_id} is outside your organisation", field="units")
    return ids
