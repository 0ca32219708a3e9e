"""Plan obligations (nghĩa vụ báo cáo): each participating unit reports by each `report` milestone.

Created with the plan; the unit's officer submits the report (text and attachments); the
plan's owner accepts it or returns it with a reason. Every change is audited on the chain
"o:<id>", whose head lives on the row, so the version check that serialises commands on an
obligation also serialises its chain. Deadline rows (subject "obligation") let the sweep
remind and escalate a unit that has not reported.
"""
import hashlib
import re
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from states.labels import action_label, both, role_label, state_label
from states.obligations import (
    AWAITING_REPORT, CANCELLED, OWNER_ROLES, RESUBMIT_WORKING_DAYS, USER_OBLIGATION_ACTIONS,
    obligation_machine,
)
from workflow import validation as v
from workflow.files import sniff
from workflow.access.actors import NO_CONTEXT, SYSTEM_ACTOR, Actor, RequestContext
from workflow.access.loading import load_actor
from workflow.access.policy import may_report
from workflow.access.visibility import can_see
from workflow.errors import Conflict, Forbidden, InvalidInput, InvalidTransition, NotFound
from workflow.kernel.db import Database
from workflow.kernel.uow import flush, unit_of_work
from workflow.models import Attachment, AuditEvent, Obligation, Plan, PlanMilestone, PlanUnit, User
from workflow.notices import notify
from workflow.orgs.tree import OrgTree, org_tree
from workflow.plans.lookup import load_plan
from workflow.plans.obligation_rows import due, record, retire_deadlines
from workflow.calendar.timelimits import calendar_for
from workflow.calendar.workdays import end_of_day_utc, local_date

MAX_REPORT = 20000
MAX_REASON = 2000


# --- creation ----------------------------------------------------------------------------

def create_obligations(session: Session, plan: Plan, now: datetime, *, actor: Actor = SYSTEM_ACTOR,
                       ctx: RequestContext = NO_CONTEXT, bound: dict[int, set[int]] | None = None
                       ) -> list[Obligation]:
    """One obligation per participating unit and `report` milestone of `plan`, audited; a
    milestone in `bound` (it names its own units or groups) only for those units; a "hằng năm"
    milestone one per year, each due at the end of its year's period.

    A milestone already past when the plan is recorded (a plan entered after the fact) gives
    obligations that show as missing but are never reminded or escalated; nor is an expected
    ("dự kiến") milestone, which is not binding.
    """
    milestones = session.execute(select(PlanMilestone).where(
        PlanMilestone.plan_id == plan.id, PlanMilestone.purpose == "report", PlanMilestone.removed_at.is_(None))
        .order_by(PlanMilestone.position, PlanMilestone.id)).scalars().all()
    units = session.execute(select(PlanUnit.org_id).where(PlanUnit.plan_id == plan.id)
                            .order_by(PlanUnit.org_id)).scalars().all()
    bound = bound or {}
    return add_obligations(session, plan, [(m, org_id, due_at) for m in milestones for due_at in due_dates(m)
                                           for org_id in (sorted(bound[m.id]) if m.id in bound else units)],
                           now, actor=actor, ctx=ctx)


def add_obligations(session: Session, plan: Plan, owed: list[tuple[PlanMilestone, int, datetime]],
                    now: datetime, *, actor: Actor = SYSTEM_ACTOR, ctx: RequestContext = NO_CONTEXT
                    ) -> list[Obligation]:
    """An obligation for each (milestone, unit, due date) in `owed`, audited, with its deadline
    row and notice unless it is already past or only expected ("dự kiến")."""
    created = [Obligation(plan_id=plan.id, milestone_id=m.id, org_id=org_id, state="pending",
                          version=1, due_at=due_at, escalation_level=0) for m, org_id, due_at in owed]
    session.add_all(created)
    session.flush()
    binding = {m.id: not m.expected for m, _, _ in owed}
    for ob in created:
        live = binding[ob.milestone_id] and ob.due_at > now
        record(session, ob, actor, "create", now, ctx, bump=False, created=True,
               payload={"plan_id": plan.id, "milestone_id": ob.milestone_id, "org_id": ob.org_id,
                        "due_at": ob.due_at.isoformat()},
               due=due(session, ob.due_at) if live else None,
               notices=(lambda o: [notify.obligation_notice(o, plan, "obligation", "created")]) if live else None)
    return created


def due_dates(m: PlanMilestone) -> list[datetime]:
    """A recurring milestone is due at the end of each year's period; any other at its last end."""
    if m.recurrence != "yearly":
        return [m.ends_at]
    return sorted({end_of_day_utc(date.fromisoformat(p["end"])) for p in m.periods})


# --- who sees and does what ----------------------------------------------------------------

def actions_for(actor: Actor, plan: Plan, ob: Obligation) -> list[str]:
    machine = obligation_machine()
    return [a for a in USER_OBLIGATION_ACTIONS
            if machine.next_state(ob.state, a) is not None and may_report(actor, plan, ob, a)]


def standing(ob: Obligation, now: datetime) -> str:
    """on_time / late (reported after the due date) / missing (overdue, no report) / open."""
    if ob.state in AWAITING_REPORT:
        return "missing" if now > ob.due_at else "open"
    return "late" if ob.submitted_at and ob.submitted_at > ob.due_at else "on_time"


# --- reading -------------------------------------------------------------------------------

def report_dict(ob: Obligation, plan: Plan, actor: Actor, tree: OrgTree, milestone: PlanMilestone,
                attachments: list[Attachment], now: datetime, history: list[dict] | None = None) -> dict:
    unit = tree.get(ob.org_id)
    mark = standing(ob, now)
    return {
        "id": ob.id, "plan_id": ob.plan_id,
        "unit": {"id": ob.org_id, "name": unit.name if unit else None},
        "milestone": {"id": milestone.id, "text": milestone.text, "description": milestone.description},
        "state": ob.state, "due": local_date(ob.due_at).isoformat(), "due_at": ob.due_at.isoformat(),
        "late": mark in ("late", "missing"), "standing": mark, "version": ob.version,
        "escalation_level": ob.escalation_level, "text": ob.report_text, "reason": ob.reason,
        "submitted_at": ob.submitted_at.isoformat() if ob.submitted_at else None,
        "decided_at": ob.decided_at.isoformat() if ob.decided_at else None,
        "attachments": [attachment_dict(a) for a in attachments],
        "history": history or [],
        "actions": actions_for(actor, plan, ob),
    }


def attachment_dict(a: Attachment) -> dict:
    return {"id": a.id, "filename": a.filename, "content_type": a.content_type, "size": a.size,
            "sha256": a.sha256, "uploaded_at": a.uploaded_at.isoformat()}


# The rounds of a report as its audit chain "o:<id>" records them: each submission with its text
# (payload "text") and the files attached before it, each return with its reason, the acceptance.
ROUND_ACTIONS = ("submit", "return", "accept")


def report_histories(s: Session, obs: list[Obligation]) -> dict[int, list[dict]]:
    """Each obligation's rounds, oldest first, read from its own audit chain (no copy is kept)."""
    if not obs:
        return {}
    events = s.execute(select(AuditEvent).where(
        AuditEvent.chain.in_([f"o:{o.id}" for o in obs]),
        AuditEvent.action.in_((*ROUND_ACTIONS, "attach")))
        .order_by(AuditEvent.chain, AuditEvent.seq)).scalars().all()
    ids = {e.actor_id for e in events if e.actor_id}
    names: dict[int, str] = {}
    if ids:
        names.update((uid, name) for uid, name in s.execute(select(User.id, User.full_name).where(User.id.in_(ids))))
    out: dict[int, list[dict]] = {o.id: [] for o in obs}
    attached: dict[int, list[dict]] = {}
    for e in events:
        oid, payload = int(e.chain[2:]), e.payload or {}
        if e.action == "attach":
            attached.setdefault(oid, []).append({"id": payload.get("attachment_id"), "name": payload.get("filename")})
            continue
        entry: dict = {"action": e.action, "at": e.at.isoformat(), "by": e.actor,
                       "by_name": names.get(e.actor_id or 0), "role": e.role}
        if e.action == "submit":
            entry.update(text=payload.get("text"), late=bool(payload.get("late")), files=attached.pop(oid, []))
        else:
            entry["reason"] = e.reason
        out[oid].append(entry)
    return out


def report_dicts(s: Session, actor: Actor, tree: OrgTree, plan: Plan, obs: list[Obligation],
                 now: datetime) -> list[dict]:
    milestones = {m.id: m for m in s.execute(select(PlanMilestone).where(
        PlanMilestone.plan_id == plan.id)).scalars()}
    files: dict[int, list[Attachment]] = {}
    if obs:
        for a in s.execute(select(Attachment).where(
                Attachment.owner_type == "obligation", Attachment.owner_id.in_([o.id for o in obs]))
                .order_by(Attachment.id)).scalars():
            files.setdefault(a.owner_id, []).append(a)
    histories = report_histories(s, obs)
    return [report_dict(o, plan, actor, tree, milestones[o.milestone_id], files.get(o.id, []), now,
                        histories.get(o.id))
            for o in obs]


def late_by_milestone(items: list[dict], now: datetime) -> list[dict]:
    """Per report milestone (and due date, a yearly milestone being due once a year), the units
    past the due date whose report is not accepted (`late`), and among them those with no report
    in hand — never sent, or returned and not sent again (`missing`)."""
    groups: dict[tuple[int, str], dict] = {}
    for i in items:
        g = groups.setdefault((i["milestone"]["id"], i["due"]), {
            "milestone": i["milestone"], "due": i["due"], "due_at": i["due_at"],
            "past_due": now > datetime.fromisoformat(i["due_at"]),
            "units": 0, "accepted": 0, "late": [], "missing": []})
        g["units"] += 1
        g["accepted"] += i["state"] == "accepted"
        if g["past_due"] and i["state"] != "accepted":
            unit = {"obligation_id": i["id"], "unit": i["unit"], "state": i["state"]}
            g["late"].append(unit)
            if i["state"] in AWAITING_REPORT:
                g["missing"].append(unit)
    out = sorted(groups.values(), key=lambda g: (g["due_at"], g["milestone"]["id"]))
    for g in out:
        g["late_count"], g["missing_count"] = len(g["late"]), len(g["missing"])
    return out


def list_reports(db: Database, actor_id: int, plan_id: int, *, now: datetime) -> dict:
    """GET /plans/{id}/reports: each unit's obligation per report milestone, and a summary."""
    with db.read() as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        plan = load_plan(s, actor, tree, plan_id)
        obs = [o for o in s.execute(select(Obligation).where(Obligation.plan_id == plan.id,
                                                             Obligation.state != CANCELLED)
                                    .order_by(Obligation.milestone_id, Obligation.org_id)).scalars()
               if can_see(actor, tree, o)]
        items = report_dicts(s, actor, tree, plan, obs, now)
        summary = {k: sum(i["standing"] == k for i in items) for k in ("on_time", "late", "missing", "open")}
        return {"plan_id": plan.id, "items": items, "summary": summary,
                "late_by_milestone": late_by_milestone(items, now)}


def late_reports(db: Database, actor_id: int, plan_id: int, *, now: datetime) -> dict:
    """GET /plans/{id}/reports/late: the late list per report milestone, alone."""
    body = list_reports(db, actor_id, plan_id, now=now)
    return {"plan_id": body["plan_id"], "late_by_milestone": body["late_by_milestone"]}


STANDINGS = ("on_time", "late", "missing", "open")


def report_standings(db: Database, actor_id: int, *, now: datetime, plan_id: int | None = None) -> dict[str, int]:
    """The dashboard's plan progress: the report obligations the user may see (of one plan, or of
    every plan), counted as reported on time, reported late, missing (overdue) and still open."""
    with db.read() as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        q = select(Obligation.org_id, Plan.issuer_org_id, Obligation.state, Obligation.due_at,
                   Obligation.submitted_at).join(Plan, Plan.id == Obligation.plan_id).where(
            Obligation.state != CANCELLED)
        if plan_id is not None:
            q = q.where(Obligation.plan_id == load_plan(s, actor, tree, plan_id).id)
        counts = dict.fromkeys(STANDINGS, 0)
        for org_id, issuer_org_id, state, due_at, submitted_at in s.execute(q):
            # The unit's and those above it, and the plan's issuer's (a participant outside its subtree).
            mine = actor.org_id in tree.nodes and (tree.is_within(org_id, actor.org_id)
                                                   or tree.is_within(issuer_org_id, actor.org_id))
            if actor.is_admin or actor.is_system or mine:
                counts[standing(Obligation(state=state, due_at=due_at, submitted_at=submitted_at), now)] += 1
        return counts


def load_obligation(s: Session, actor: Actor, tree: OrgTree, plan_id, obligation_id
                    ) -> tuple[Plan, Obligation]:
    """The plan and its obligation, or NotFound when either is unknown or out of sight."""
    plan = load_plan(s, actor, tree, plan_id)
    ob = s.get(Obligation, obligation_id) if isinstance(obligation_id, int) and 0 < obligation_id < 2**62 else None
    if ob is None or ob.plan_id != plan.id or not can_see(actor, tree, ob):
        raise NotFound(f"Không tìm thấy báo cáo #{obligation_id} của kế hoạch #{plan_id}",
                       f"Report obligation #{obligation_id} of plan #{plan_id} not found")
    return plan, ob


# --- acting --------------------------------------------------------------------------------

def act_on_report(db: Database, actor_id: int, plan_id: int, obligation_id: int, action: str,
                  body: dict | None, *, now: datetime, ctx: RequestContext = NO_CONTEXT,
                  files: tuple[tuple[str, bytes], ...] = ()) -> dict:
    """POST /plans/{id}/reports/{obligation_id}/{submit|accept|return}, in one transaction; a
    submission from the plan's page brings its `files` (name, bytes), attached in the same one."""
    body = body if body is not None else {}
    if not isinstance(body, dict):
        raise InvalidInput("Nội dung phải là đối tượng JSON", "The body must be a JSON object", field="body")
    version = v.integer(body.get("version"), "version", minimum=1, required=False)
    if files and action != "submit":
        raise InvalidInput("Chỉ đính kèm tệp khi nộp báo cáo", "Files are attached only when submitting a report",
                           field="file")
    uploads = [_upload(name, data) for name, data in files]
    with unit_of_work(db) as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        plan, ob = load_obligation(s, actor, tree, plan_id, obligation_id)
        _check(actor, plan, ob, action, version)
        for name, kind, data in uploads:
            _attach(s, actor, plan, ob, name, kind, data, now, ctx)
        _apply(s, actor, plan, ob, action, body, now, ctx)
        return report_dicts(s, actor, tree, plan, [ob], now)[0]


def _check(actor: Actor, plan: Plan, ob: Obligation, action: str, version: int | None) -> None:
    if action not in USER_OBLIGATION_ACTIONS:
        raise InvalidInput(f"Không có thao tác '{action}'", f"Unknown action '{action}'", field="action")
    if version is not None and version != ob.version:
        raise Conflict(f"Báo cáo của kế hoạch {plan.number} vừa được người khác xử lý; không có gì thay đổi",
                       f"Someone else acted on the report on plan {plan.number} first; nothing was changed",
                       field="version")
    if obligation_machine().next_state(ob.state, action) is None:
        (act_vi, act_en), (st_vi, st_en) = both(action_label, action, "obligation"), \
            both(state_label, ob.state, "obligation")
        raise InvalidTransition(
            f"Không thể thực hiện “{act_vi}” khi báo cáo của kế hoạch {plan.number} đang ở trạng thái “{st_vi}”",
            f"“{act_en}” is not possible while the report on plan {plan.number} is “{st_en}”")
    if not may_report(actor, plan, ob, action):
        (act_vi, act_en), (role_vi, role_en) = both(action_label, action, "obligation"), both(role_label, actor.role)
        raise Forbidden(f"{role_vi} không được thực hiện “{act_vi}” với báo cáo của kế hoạch {plan.number}",
                        f"A {role_en.lower()} may not do “{act_en}” on the report on plan {plan.number}")


def _apply(s: Session, actor: Actor, plan: Plan, ob: Obligation, action: str, body: dict,
           now: datetime, ctx: RequestContext) -> None:
    reason, payload = None, {}
    if action == "submit":
        if not isinstance(body.get("text"), str) or not body["text"].strip():
            raise InvalidInput("Hãy ghi nội dung báo cáo trước khi nộp",
                               "Write the report's text before submitting it", field="text")
        text = v.text(body.get("text"), "text", max_len=MAX_REPORT, multiline=True)
        values = {"report_text": text, "submitted_at": now, "reason": None}
        payload = {"text": text, "late": now > ob.due_at}
    else:
        if action == "return" and (not isinstance(body.get("reason"), str) or not body["reason"].strip()):
            raise InvalidInput("Hãy ghi lý do trả lại để đơn vị biết cần bổ sung gì",
                               "Give the reason for returning the report, so the unit knows what to add",
                               field="reason")
        reason = v.text(body.get("reason"), "reason", required=action == "return", max_len=MAX_REASON,
                        multiline=True)
        values = {"decided_at": now, "reason": reason}
    values.update(state=obligation_machine().next_state(ob.state, action), escalation_level=0)
    again = None
    if action == "return":
        # A report returned late still gets a few working days to come back before escalation.
        grace = end_of_day_utc(calendar_for(s).add_working_days(local_date(now), RESUBMIT_WORKING_DAYS))
        again = due(s, max(ob.due_at, grace))
    retire_deadlines(s, ob)
    record(s, ob, actor, action, now, ctx, reason=reason, payload=payload, values=values, due=again,
           notices=lambda moved: [_report_notice(moved, plan, action)])


def _report_notice(ob: Obligation, plan: Plan, action: str) -> notify.Notice:
    if action == "submit":
        return notify.obligation_notice(ob, plan, "report", "submitted", org_id=plan.issuer_org_id, roles=OWNER_ROLES)
    return notify.obligation_notice(ob, plan, "report", "accepted" if action == "accept" else "returned")


# --- attachments ---------------------------------------------------------------------------

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ATTACHMENT_EXTENSIONS = ("pdf", "doc", "docx", "odt", "xls", "xlsx", "ods", "jpg", "jpeg", "png", "zip", "txt")


def add_report_attachment(db: Database, actor_id: int, plan_id: int, obligation_id: int, *,
                          filename, content_type, data: bytes, now: datetime,
                          ctx: RequestContext = NO_CONTEXT) -> dict:
    """The unit's officer attaches a file to the report it still owes (audited, no version bump)."""
    name, kind, data = _upload(filename, data)
    with unit_of_work(db) as s:
        actor = load_actor(s, actor_id)
        plan, ob = load_obligation(s, actor, org_tree(s), plan_id, obligation_id)
        if not may_report(actor, plan, ob, "submit"):
            raise Forbidden("Chỉ cán bộ của đơn vị được đính kèm vào báo cáo",
                            "Only the unit's officer may attach files to its report")
        return attachment_dict(_attach(s, actor, plan, ob, name, kind, data, now, ctx))


def _upload(filename, data: bytes) -> tuple[str, str, bytes]:
    """(name, sniffed type, bytes) of a file fit to attach, or InvalidInput saying why not."""
    name = _filename(filename)
    if not data:
        raise InvalidInput(f"Tệp đính kèm “{name}” rỗng", f"The attached file “{name}” is empty", field="file")
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise InvalidInput(f"Tệp đính kèm “{name}” lớn hơn 10 MB", f"The attached file “{name}” is larger than 10 MB",
                           field="file")
    # The declared type is ignored: the bytes say what the file is (workflow/files.py).
    return name, sniff(data, name), data


def _attach(s: Session, actor: Actor, plan: Plan, ob: Obligation, name: str, kind: str, data: bytes,
            now: datetime, ctx: RequestContext) -> Attachment:
    if ob.state not in AWAITING_REPORT:
        raise InvalidTransition(f"Báo cáo của kế hoạch {plan.number} đã gửi; không thể đính kèm thêm",
                                f"The report on plan {plan.number} was already submitted; no more files")
    att = Attachment(owner_type="obligation", owner_id=ob.id, doc_type="report", filename=name,
                     content_type=kind, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                     data=data, uploaded_by=actor.user_id, uploaded_at=now)
    s.add(att)
    flush(s)
    # Nothing moved, so no version bump: the unit's reminders and escalations stay due.
    record(s, ob, actor, "attach", now, ctx, bump=False,
           payload={"attachment_id": att.id, "filename": name, "size": att.size, "sha256": att.sha256})
    return att


def get_report_attachment(db: Database, actor_id: int, plan_id: int, obligation_id: int,
                          attachment_id: int) -> tuple[dict, bytes]:
    """An attached file, for whoever may see the report."""
    with db.read() as s:
        actor = load_actor(s, actor_id)
        _, ob = load_obligation(s, actor, org_tree(s), plan_id, obligation_id)
        att = s.get(Attachment, attachment_id) if 0 < attachment_id < 2**62 else None
        if att is None or att.owner_type != "obligation" or att.owner_id != ob.id:
            raise NotFound(f"Không tìm thấy tệp #{attachment_id}", f"Attachment #{attachment_id} not found")
        # Sniffed again: a file stored before types were sniffed keeps the sender's claim.
        return {**attachment_dict(att), "content_type": sniff(att.data, att.filename)}, att.data


def _filename(raw) -> str:
    name = re.split(r"[\\/]", v.text(raw, "file", max_len=255))[-1]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ATTACHMENT_EXTENSIONS:
        raise InvalidInput(f"Loại tệp '.{ext}' không được chấp nhận ({', '.join(ATTACHMENT_EXTENSIONS)})",
                           f"File type '.{ext}' is not accepted ({', '.join(ATTACHMENT_EXTENSIONS)})",
                           field="file")
    return name
