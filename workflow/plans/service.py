"""Plans (Kế hoạch thi đua, khen thưởng) and their milestones."""
from datetime import date, datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from workflow import validation as v
from workflow.audit import chain as audit
from workflow.access.actors import NO_CONTEXT, Actor, RequestContext
from workflow.kernel.db import Database
from workflow.calendar.deadlines import Deadline, DeadlineParseError, Period, parse_deadline
from workflow.calendar.milestones import milestone_warnings
from workflow.calendar.timelimits import calendar_for
from states.labels import pick
from states.plans import DRAFT, ISSUED, PLAN_ACTION_NAMES, PLAN_STATE_NAMES, plan_machine
from workflow.errors import Conflict, Forbidden, InvalidInput, InvalidTransition
from workflow.kernel.uow import unit_of_work
from workflow.plans import groups
from workflow.models import AuditEvent, AwardType, Plan, PlanMilestone, PlanUnit, User
from workflow.orgs.tree import OrgTree, org_tree
from workflow.access.loading import load_actor
from workflow.access.policy import PLAN_ISSUERS, may_manage_plan
from workflow.access.visibility import can_see
from workflow.plans.lookup import accepting, load_plan
from workflow.plans.obligations import create_obligations
from workflow.calendar.workdays import end_of_day_utc, local_date

PLAN_KINDS = ("annual", "thematic", "ad_hoc", "congress", "campaign", "other")
PURPOSES = ("submission", "report", "event")


def plan_dict(s: Session, plan: Plan, tree: OrgTree, now: datetime, actor: Actor | None = None) -> dict:
    milestones = _milestones(s, plan.id)
    issuer = tree.get(plan.issuer_org_id)
    units = s.execute(select(PlanUnit.org_id).where(PlanUnit.plan_id == plan.id)).scalars().all()
    out = {
        "id": plan.id, "number": plan.number, "title": plan.title, "kind": plan.kind,
        "status": plan.status, "version": plan.version,
        "issuer": {"id": plan.issuer_org_id, "name": plan.issuer_name or (issuer.name if issuer else None)},
        "issued_on": plan.issued_on.isoformat() if plan.issued_on else None,
        "issued_text": plan.issued_text, "parent_number": plan.parent_number,
        "parent_plan_id": plan.parent_plan_id, "basis": plan.basis, "period_text": plan.period_text,
        "period": ({"start": plan.period_start.isoformat() if plan.period_start else None,
                    "end": plan.period_end.isoformat() if plan.period_end else None}
                   if plan.period_start or plan.period_end else None),
        "award_types": plan.award_codes, "award_forms_text": plan.award_forms_text,
        "criteria": plan.criteria, "units": sorted(units),
        "groups": [_ref_dict(tree, r) for r in plan.groups or ()],
        "milestones": [milestone_dict(m, tree) for m in milestones],
        "submission_closes_at": plan.submission_closes_at.isoformat() if plan.submission_closes_at else None,
        "accepting_nominations": accepting(plan, now),
        "closed_at": plan.closed_at.isoformat() if plan.closed_at else None,
        "warnings": _warnings(milestones),
        "deadline_warnings": _deadline_warnings(s, plan, milestones),
        "actions": _actions(actor, plan) if actor is not None else [],
        "amendments": amendments(s, plan.id),
        **_family(s, plan, tree, actor),
    }
    if plan.status == DRAFT:
        out["on_issue"] = _on_issue(s, plan, tree, milestones)
    return out


def amendments(s: Session, plan_id: int) -> list[dict]:
    """The issued plan's amendments (workflow/plans/amend.py), oldest first, read from its own audit chain."""
    events = s.execute(select(AuditEvent, User.full_name).outerjoin(User, User.id == AuditEvent.actor_id).where(
        AuditEvent.chain == f"p:{plan_id}", AuditEvent.action == "amend").order_by(AuditEvent.seq)).all()
    return [{"version": (e.payload or {}).get("version"), "at": e.at.isoformat(), "by": e.actor,
             "by_name": name, "reason": e.reason, "fields": (e.payload or {}).get("fields", {}),
             "obligations": (e.payload or {}).get("obligations", {})} for e, name in events]


def _identifies(number: str | None) -> bool:
    """A plan number that names one plan: "789/KH-UBTVQH15", not a blank "/KH-BTTTT"."""
    return bool(number) and not number.strip().startswith("/")  # type: ignore[union-attr]


def _plan_ref(p: Plan, tree: OrgTree) -> dict:
    issuer = tree.get(p.issuer_org_id)
    return {"id": p.id, "number": p.number, "title": p.title, "status": p.status,
            "issued_on": p.issued_on.isoformat() if p.issued_on else None, "issued_text": p.issued_text,
            "issuer": {"id": p.issuer_org_id, "name": p.issuer_name or (issuer.name if issuer else None)}}


def _family(s: Session, plan: Plan, tree: OrgTree, actor: Actor | None) -> dict:
    """The plan this one answers (`parent`: linked — with its id — when it is in the product and
    seen, else its number as the text wrote it) and the plans that answer this one (`children`:
    their `parent_plan_id` is this plan, or their `parent_number` is this plan's number)."""
    def seen(p: Plan) -> bool:
        return p.status != DRAFT and (actor is None or can_see(actor, tree, p))

    parent = s.get(Plan, plan.parent_plan_id) if plan.parent_plan_id not in (None, plan.id) else None
    if parent is None and _identifies(plan.parent_number):
        parent = s.execute(select(Plan).where(Plan.number == plan.parent_number, Plan.id != plan.id)
                           .order_by(Plan.id).limit(1)).scalar_one_or_none()
    if parent is not None and seen(parent):
        parent_out: dict | None = _plan_ref(parent, tree)
    elif plan.parent_number:
        parent_out = {"id": None, "number": plan.parent_number}
    else:
        parent_out = None
    answers = Plan.parent_plan_id == plan.id
    if _identifies(plan.number):
        answers = or_(answers, Plan.parent_number == plan.number)
    children = s.execute(select(Plan).where(answers, Plan.id != plan.id)
                         .order_by(Plan.issued_on, Plan.id)).scalars().all()
    return {"parent": parent_out, "children": [_plan_ref(c, tree) for c in children if seen(c)]}


def milestone_dict(m: PlanMilestone, tree: OrgTree | None = None) -> dict:
    out = {"id": m.id, "text": m.text, "purpose": m.purpose, "description": m.description,
           "periods": m.periods, "expected": m.expected, "ends_at": m.ends_at.isoformat(),
           "recurring": m.recurrence, "binds_text": m.binds_text,
           "binds": [_ref_dict(tree, r) for r in m.binds or ()] if tree else m.binds}
    return out


def _ref_dict(tree: OrgTree | None, ref: dict) -> dict:
    return {**ref, "name": groups.describe(tree, ref)} if tree else dict(ref)


def _milestones(s: Session, plan_id: int) -> list[PlanMilestone]:
    return list(s.execute(select(PlanMilestone).where(PlanMilestone.plan_id == plan_id,
                                                      PlanMilestone.removed_at.is_(None))
                          .order_by(PlanMilestone.position, PlanMilestone.id)).scalars())


def _warnings(milestones: list[PlanMilestone]) -> list[dict]:
    """Who a milestone binds, as written, when no organisation or group could be read from it."""
    return [{"milestone_id": m.id, "field": f"milestones[{i}].binds",
             "message": f'Không xác định được đơn vị phải thực hiện: "{m.binds_text}"',
             "message_en": f'Cannot tell which units must do this: "{m.binds_text}"'}
            for i, m in enumerate(milestones) if m.binds_text and not m.binds]


def _deadline_warnings(s: Session, plan: Plan, milestones: list[PlanMilestone]) -> list[dict]:
    """Milestones that end before the plan's issue date or on a day off (workflow/calendar/
    milestones.py; Bộ luật Dân sự 2015 Art. 148). Said, never blocking: the plan keeps its words."""
    cal = calendar_for(s)
    out = []
    for m in milestones:
        periods = tuple(Period(date.fromisoformat(p["start"]) if p.get("start") else None, date.fromisoformat(p["end"]))
                        for p in m.periods or () if p.get("end"))
        if not periods:
            continue
        for vi, en in milestone_warnings(Deadline(m.text, periods), plan.issued_on, cal):
            out.append({"milestone_id": m.id, "message": vi, "message_en": en})
    return out


def _actions(actor: Actor, plan: Plan) -> list[str]:
    if not may_manage_plan(actor, plan):
        return []
    return plan_machine().actions_from(plan.status)


def list_plans(db: Database, actor_id: int, *, now: datetime) -> list[dict]:
    with db.read() as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        plans = s.execute(select(Plan).order_by(Plan.id)).scalars().all()
        return [plan_dict(s, p, tree, now, actor) for p in plans if can_see(actor, tree, p)]


def get_plan(db: Database, actor_id: int, plan_id: int, *, now: datetime) -> dict:
    with db.read() as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        plan = load_plan(s, actor, tree, plan_id)
        return plan_dict(s, plan, tree, now, actor)


def parse_milestones(raw, issued: date | None, strict_before: bool, *,
                     period: tuple[date | None, date | None] = (None, None),
                     tree: OrgTree | None = None, issuer_org_id: int | None = None) -> list[dict]:
    """Each milestone's deadline read from its text; a "hằng năm" milestone is repeated for each
    year of the plan's period (from its start, else the issue date, to its end; without an end,
    the first year only). `binds` is a list of refs or the words of the plan (groups.py)."""
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
        first = period[0] or issued
        if deadline.recurring and first is not None:
            deadline = deadline.every_year(first, period[1])
            if not deadline.periods:
                raise InvalidInput(f'Thời hạn hằng năm "{text}" không rơi vào thời gian của kế hoạch',
                                   f'The yearly deadline "{text}" falls outside the plan\'s period',
                                   field=f"{f}.text")
        out.append({"text": text, "purpose": purpose, "deadline": deadline,
                    "description": v.text(m.get("description"), f"{f}.description", required=False,
                                          max_len=1000),
                    **_binds(m.get("binds"), f"{f}.binds", tree, issuer_org_id)})
    return out


def _binds(raw, field: str, tree: OrgTree | None, issuer_org_id: int | None) -> dict:
    if raw is None or tree is None or issuer_org_id is None:
        return {"binds": None, "binds_text": None}
    if isinstance(raw, str):
        text = v.text(raw, field, max_len=1000)
        found = groups.match_binds(text, tree, issuer_org_id)
        return {"binds": found.refs or None, "binds_text": text}
    return {"binds": groups.refs(raw, field, tree, issuer_org_id, anywhere=True) or None, "binds_text": None}


def submission_closes(milestones: list[dict]) -> datetime | None:
    """The window closes at the end of the last `submission` milestone (if any)."""
    ends = [m["deadline"].last_end for m in milestones if m["purpose"] == "submission"]
    return end_of_day_utc(max(ends)) if ends else None


def _closes(milestones: list[dict]) -> datetime | None:
    # No explicit window: the plan takes nominations until its last milestone has passed.
    return submission_closes(milestones) or (
        end_of_day_utc(max(m["deadline"].last_end for m in milestones)) if milestones else None)


def milestone_values(position: int, m: dict) -> dict:
    """The columns of a milestone row, from a milestone `parse_milestones` read."""
    d = m["deadline"]
    return {"position": position, "text": m["text"], "purpose": m["purpose"], "description": m.get("description"),
            "periods": d.to_dict()["periods"], "expected": d.expected, "ends_at": end_of_day_utc(d.last_end),
            "binds": m.get("binds"), "binds_text": m.get("binds_text"),
            "recurrence": "yearly" if d.recurring else None}


def _add_milestones(s: Session, plan: Plan, milestones: list[dict]) -> None:
    for i, m in enumerate(milestones):
        s.add(PlanMilestone(plan_id=plan.id, **milestone_values(i, m)))


def add_plan(s: Session, actor: Actor, tree: OrgTree, *, issuer_org_id: int, number: str, title: str,
             kind: str, milestones: list[dict], now: datetime, ctx: RequestContext, units=None,
             award_codes=None, draft: bool = False, groups_=None, **extra) -> Plan:
    """Store a plan with its parsed milestones and participants; audited. Issued at once unless
    `draft`: a draft owes nothing until `issue_plan`. Named nobody: every unit under the issuer."""
    if units is None and groups_ is None:
        groups_ = [{"kind": groups.ALL, "under": issuer_org_id}]
    plan = Plan(number=number, title=title, kind=kind, issuer_org_id=issuer_org_id,
                award_codes=award_codes, created_by=actor.user_id, created_at=now,
                submission_closes_at=_closes(milestones), status=DRAFT if draft else ISSUED, version=1,
                groups=groups_ or None, **extra)
    s.add(plan)
    s.flush()
    _add_milestones(s, plan, milestones)
    for org_id in units or ():
        s.add(PlanUnit(plan_id=plan.id, org_id=org_id))
    s.flush()
    audit.append(s, f"p:{plan.id}", at=now, actor=actor, ctx=ctx,
                 action="plan_draft" if draft else "plan_create", entity="plan", entity_id=plan.id,
                 payload={"number": number, "milestones": [m["text"] for m in milestones]})
    if not draft:
        _take_part(s, plan, tree)
        create_obligations(s, plan, now, actor=actor, ctx=ctx, bound=_bound(s, plan, tree))
    return plan


def _participants(s: Session, plan: Plan, tree: OrgTree) -> set[int]:
    """Named units, the plan's groups as they are today, and whoever a milestone binds."""
    named = set(s.execute(select(PlanUnit.org_id).where(PlanUnit.plan_id == plan.id)).scalars())
    bound = set().union(*_bound(s, plan, tree).values()) if plan.id else set()
    return named | groups.resolve_all(tree, plan.groups) | bound


def _bound(s: Session, plan: Plan, tree: OrgTree) -> dict[int, set[int]]:
    """The units each milestone that names its own binds."""
    return {m.id: groups.resolve_all(tree, m.binds) for m in _milestones(s, plan.id) if m.binds}


def _take_part(s: Session, plan: Plan, tree: OrgTree) -> None:
    named = set(s.execute(select(PlanUnit.org_id).where(PlanUnit.plan_id == plan.id)).scalars())
    for org_id in sorted(_participants(s, plan, tree) - named):
        s.add(PlanUnit(plan_id=plan.id, org_id=org_id))
    s.flush()


def _on_issue(s: Session, plan: Plan, tree: OrgTree, milestones: list[PlanMilestone]) -> dict:
    """What issuing the draft would create: participants and report obligations."""
    units = _participants(s, plan, tree)
    bound = _bound(s, plan, tree)
    count = sum(len(bound.get(m.id, units)) * (len(m.periods) if m.recurrence else 1)
                for m in milestones if m.purpose == "report")
    return {"units": len(units), "obligations": count}


def _plan_fields(s: Session, actor: Actor, tree: OrgTree, body: dict, strict_before: bool,
                 issuer_org_id: int, now: datetime) -> dict:
    """Everything POST /plans and PATCH of a draft accept, checked."""
    number = v.text(body.get("number"), "number", max_len=80)
    title = v.text(body.get("title"), "title", max_len=1000)
    kind = v.choice(body.get("kind", "annual"), "kind", PLAN_KINDS)
    issued = v.iso_date(body.get("issued_on"), "issued_on", required=False) or local_date(now)
    period = body.get("period") or {}
    if not isinstance(period, dict):
        raise InvalidInput("period phải là {start, end}", "period must be {start, end}", field="period")
    start = v.iso_date(period.get("start"), "period.start", required=False)
    end = v.iso_date(period.get("end"), "period.end", required=False)
    if start and end and end < start:
        raise InvalidInput("Thời gian kế hoạch kết thúc trước khi bắt đầu", "The period ends before it starts",
                           field="period.end")
    milestones = parse_milestones(body.get("milestones"), issued, strict_before, period=(start, end),
                                  tree=tree, issuer_org_id=issuer_org_id)
    raw_units = body.get("participants", body.get("units"))
    return {
        "number": number, "title": title, "kind": kind, "milestones": milestones,
        "award_codes": _award_codes(s, body.get("award_types")),
        "units": _units(tree, raw_units),
        "groups_": groups.refs(body.get("groups"), "groups", tree, issuer_org_id, anywhere=True),
        "extra": {"issued_on": issued, "period_start": start, "period_end": end,
                  "period_text": v.text(body.get("period_text"), "period_text", required=False, max_len=200),
                  "parent_number": v.text(body.get("parent_number"), "parent_number", required=False,
                                          max_len=200),
                  "parent_plan_id": _parent_plan(s, actor, tree, body.get("parent_plan_id")),
                  "criteria": v.text(body.get("criteria"), "criteria", required=False, max_len=20000,
                                     multiline=True),
                  # As the text states them (a plan read from its text: workflow/plans/reading.py).
                  "basis": v.text(body.get("basis"), "basis", required=False, max_len=20000, multiline=True),
                  "issued_text": v.text(body.get("issued_text"), "issued_text", required=False, max_len=200)},
    }


def create_plan(db: Database, actor_id: int, body: dict, *, now: datetime, strict_before: bool = True,
                ctx: RequestContext = NO_CONTEXT) -> dict:
    """POST /plans: issued at once, or a draft with `"draft": true` (or `"status": "draft"`)."""
    if not isinstance(body, dict):
        raise InvalidInput("Nội dung phải là đối tượng JSON", "The body must be a JSON object", field="body")
    draft = body.get("draft") is True or body.get("status") == DRAFT
    if body.get("status") not in (None, DRAFT, ISSUED):
        raise InvalidInput("status chỉ nhận 'draft' hoặc 'issued'", "status must be 'draft' or 'issued'",
                           field="status")
    with unit_of_work(db) as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        if actor.role not in PLAN_ISSUERS or actor.org_id is None:
            raise Forbidden("Vai trò này không được ban hành kế hoạch", "This role may not issue plans")
        f = _plan_fields(s, actor, tree, body, strict_before, actor.org_id, now)
        if not draft:
            _refuse_unbound(f["milestones"])
        plan = add_plan(s, actor, tree, issuer_org_id=actor.org_id, number=f["number"], title=f["title"],
                        kind=f["kind"], milestones=f["milestones"], now=now, ctx=ctx, units=f["units"],
                        award_codes=f["award_codes"], draft=draft, groups_=f["groups_"], **f["extra"])
        s.flush()
        return plan_dict(s, plan, tree, now, actor)


def _refuse_unbound(milestones: list[dict]) -> None:
    for i, m in enumerate(milestones):
        if m.get("binds_text") and not m.get("binds"):
            raise InvalidInput(f'Mốc "{m["text"]}": không xác định được đơn vị phải thực hiện '
                               f'"{m["binds_text"]}"; hãy chọn đơn vị hoặc nhóm đơn vị',
                               f'Milestone "{m["text"]}": cannot tell which units must do this '
                               f'("{m["binds_text"]}"); choose units or groups', field=f"milestones[{i}].binds")


# --- the plan's lifecycle: edit a draft, issue, close -------------------------------------------

def _draft_body(s: Session, plan: Plan) -> dict:
    """The draft as a POST /plans body, so a PATCH changes only what it names."""
    units = sorted(s.execute(select(PlanUnit.org_id).where(PlanUnit.plan_id == plan.id)).scalars())
    return {
        "number": plan.number, "title": plan.title, "kind": plan.kind,
        "issued_on": plan.issued_on.isoformat() if plan.issued_on else None,
        "period": {"start": plan.period_start.isoformat() if plan.period_start else None,
                   "end": plan.period_end.isoformat() if plan.period_end else None},
        "period_text": plan.period_text, "parent_number": plan.parent_number, "criteria": plan.criteria,
        "parent_plan_id": plan.parent_plan_id,
        "basis": plan.basis, "issued_text": plan.issued_text,
        "award_types": plan.award_codes, "participants": units or None, "groups": plan.groups,
        "milestones": [{"id": m.id, "text": m.text, "purpose": m.purpose, "description": m.description,
                        "binds": m.binds_text if m.binds_text else m.binds}
                       for m in _milestones(s, plan.id)],
    }


EDITABLE = ("number", "title", "kind", "issued_on", "period", "period_text", "parent_number", "parent_plan_id",
            "criteria", "award_types", "participants", "units", "groups", "milestones", "basis", "issued_text")


def _lifecycle(s: Session, actor: Actor, plan: Plan, action: str, version: int | None) -> str:
    """The state `action` leads to, after the checks every plan command makes."""
    if not may_manage_plan(actor, plan):
        raise Forbidden("Chỉ cơ quan ban hành được sửa, ban hành hoặc kết thúc kế hoạch",
                        "Only the issuing organisation may edit, issue or close the plan")
    if version is not None and version != plan.version:
        raise Conflict(f"Kế hoạch #{plan.id} vừa được người khác sửa; không có gì thay đổi",
                       f"Someone else changed plan #{plan.id} first; nothing was changed", field="version")
    dest = plan_machine().next_state(plan.status, action)
    if dest is None:
        if action == "edit":
            raise InvalidTransition(f"Kế hoạch #{plan.id} đã ban hành: không sửa như dự thảo được",
                                    f"Plan #{plan.id} is issued: it cannot be edited as a draft")
        raise InvalidTransition(f"Không thể {pick(PLAN_ACTION_NAMES.get(action), 'vi', action).lower()} "
                                f"khi kế hoạch #{plan.id} {pick(PLAN_STATE_NAMES.get(plan.status), 'vi').lower()}",
                                f"Cannot {action} plan #{plan.id} while it is {plan.status}")
    return dest


def _move(s: Session, plan: Plan, values: dict) -> None:
    """Compare-and-set on the plan's version: a command that lost a race changes nothing."""
    done = s.execute(update(Plan).where(Plan.id == plan.id, Plan.version == plan.version)
                     .values(version=plan.version + 1, **values)
                     .execution_options(synchronize_session=False)).rowcount  # type: ignore[attr-defined]
    if done != 1:
        raise Conflict(f"Kế hoạch #{plan.id} vừa được người khác sửa; không có gì thay đổi",
                       f"Someone else changed plan #{plan.id} first; nothing was changed", field="version")
    s.expire(plan)


def _command(db: Database, actor_id: int, plan_id: int, body) -> tuple:
    body = body if body is not None else {}
    if not isinstance(body, dict):
        raise InvalidInput("Nội dung phải là đối tượng JSON", "The body must be a JSON object", field="body")
    return body, v.integer(body.get("version"), "version", minimum=1, required=False)


def edit_plan(db: Database, actor_id: int, plan_id: int, body: dict, *, now: datetime,
              strict_before: bool = True, ctx: RequestContext = NO_CONTEXT) -> dict:
    """PATCH /plans/{id} of a draft: change what the body names (milestones are replaced whole);
    no reason is asked, nothing is owed yet. (An issued plan is amended: workflow/plans/amend.py.)"""
    body, version = _command(db, actor_id, plan_id, body)
    with unit_of_work(db) as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        plan = load_plan(s, actor, tree, plan_id)
        return edit_draft(s, actor, tree, plan, body, version, now=now, strict_before=strict_before, ctx=ctx)


def merged_body(s: Session, plan: Plan, body: dict) -> tuple[dict, list[str]]:
    """The plan as a POST /plans body with what `body` changes, and the names it changes."""
    changed = sorted(k for k in body if k in EDITABLE)
    merged = {**_draft_body(s, plan), **{k: body[k] for k in changed}}
    if "units" in body and "participants" not in body:
        merged["participants"] = body["units"]
    return merged, changed


def plan_values(f: dict, plan: Plan) -> dict:
    """The plan's columns from its checked fields (`_plan_fields`); naming nobody, every unit under the issuer."""
    groups_ = f["groups_"]
    if f["units"] is None and groups_ is None:
        groups_ = [{"kind": groups.ALL, "under": plan.issuer_org_id}]
    return {"number": f["number"], "title": f["title"], "kind": f["kind"], "award_codes": f["award_codes"],
            "groups": groups_ or None, "submission_closes_at": _closes(f["milestones"]), **f["extra"]}


def edit_draft(s: Session, actor: Actor, tree: OrgTree, plan: Plan, body: dict, version: int | None, *,
               now: datetime, strict_before: bool, ctx: RequestContext) -> dict:
    _lifecycle(s, actor, plan, "edit", version)
    merged, changed = merged_body(s, plan, body)
    f = _plan_fields(s, actor, tree, merged, strict_before, plan.issuer_org_id, now)
    _move(s, plan, plan_values(f, plan))
    s.execute(delete(PlanMilestone).where(PlanMilestone.plan_id == plan.id))
    s.execute(delete(PlanUnit).where(PlanUnit.plan_id == plan.id))
    _add_milestones(s, plan, f["milestones"])
    for org_id in f["units"] or ():
        s.add(PlanUnit(plan_id=plan.id, org_id=org_id))
    s.flush()
    audit.append(s, f"p:{plan.id}", at=now, actor=actor, ctx=ctx, action="edit", entity="plan",
                 entity_id=plan.id, payload={"fields": changed})
    return plan_dict(s, plan, tree, now, actor)


def issue_plan(db: Database, actor_id: int, plan_id: int, body: dict | None, *, now: datetime,
               ctx: RequestContext = NO_CONTEXT) -> dict:
    """POST /plans/{id}/issue: the draft is issued; its groups become participants and each unit's
    report obligations are created with their deadlines, in one transaction, audited."""
    body, version = _command(db, actor_id, plan_id, body)
    with unit_of_work(db) as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        plan = load_plan(s, actor, tree, plan_id)
        dest = _lifecycle(s, actor, plan, "issue", version)
        milestones = _milestones(s, plan.id)
        if (warnings := _warnings(milestones)):
            w = warnings[0]
            raise InvalidInput(w["message"] + "; hãy chọn đơn vị hoặc nhóm đơn vị trước khi ban hành",
                               w["message_en"] + "; choose units or groups before issuing", field=w["field"])
        _move(s, plan, {"status": dest})
        _take_part(s, plan, tree)
        obligations = create_obligations(s, plan, now, actor=actor, ctx=ctx, bound=_bound(s, plan, tree))
        units = s.execute(select(PlanUnit.org_id).where(PlanUnit.plan_id == plan.id)).scalars().all()
        audit.append(s, f"p:{plan.id}", at=now, actor=actor, ctx=ctx, action="issue", entity="plan",
                     entity_id=plan.id, payload={"units": len(units), "obligations": len(obligations)})
        return plan_dict(s, plan, tree, now, actor)


def close_plan(db: Database, actor_id: int, plan_id: int, body: dict | None, *, now: datetime,
               ctx: RequestContext = NO_CONTEXT) -> dict:
    """POST /plans/{id}/close: the plan takes no more nominations; reports already owed stay."""
    body, version = _command(db, actor_id, plan_id, body)
    with unit_of_work(db) as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        plan = load_plan(s, actor, tree, plan_id)
        dest = _lifecycle(s, actor, plan, "close", version)
        reason = v.text(body.get("reason"), "reason", required=False, max_len=2000, multiline=True)
        _move(s, plan, {"status": dest, "closed_at": now})
        audit.append(s, f"p:{plan.id}", at=now, actor=actor, ctx=ctx, action="close", entity="plan",
                     entity_id=plan.id, reason=reason, payload={})
        return plan_dict(s, plan, tree, now, actor)


def _parent_plan(s: Session, actor: Actor, tree: OrgTree, raw) -> int | None:
    """The plan this one answers, when it is in the product: one the author may see."""
    parent_id = v.integer(raw, "parent_plan_id", minimum=1, required=False)
    if parent_id is None:
        return None
    parent = s.get(Plan, parent_id) if parent_id < 2**62 else None
    if parent is None or parent.status == DRAFT or not can_see(actor, tree, parent):
        raise InvalidInput(f"Không tìm thấy kế hoạch cấp trên #{parent_id}", f"No parent plan #{parent_id}",
                           field="parent_plan_id")
    return parent_id


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


def _units(tree: OrgTree, raw) -> list[int] | None:
    """Participants named one by one: any units of the tree, not only the issuer's subtree (a
    ministry's plan answered by every provincial Sở of its sector); each then sees the plan and
    its own reports (workflow/access/visibility.py)."""
    if raw is None:
        return None
    ids = v.id_list(raw, "units", max_items=5000)
    for org_id in ids:
        if org_id not in tree.nodes:
            raise InvalidInput(f"Không có cơ quan, đơn vị #{org_id}", f"No organisation #{org_id}", field="units")
    return ids
