"""The central procedure's clock (Bộ Nội vụ — Ban Thi đua - Khen thưởng Trung ương).

NĐ 98/2023 Art. 32 and the 2025 procedures (QĐ 311/QĐ-BNV; domain.md §5):
- on arrival the central office checks the dossier and, if it is not eligible or incomplete,
  returns it in writing within 5 working days;
- the 20-working-day appraisal runs from the day the dossier is complete ("nhận đủ hồ sơ"), not
  from its arrival;
- while it consults other bodies ("lấy ý kiến") the clock stops; it submits within 10 working
  days of receiving all the opinions.

Each event is a change of the nomination's time limit recorded on its chain by the kernel's one
write path (a new deadline row; none while paused); the nomination stays at its step.
"""
from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from states.labels import cap, nominee_ref
from states.routes import CENTRAL_LEADER, CENTRAL_REVIEWER, ROUTES, Step
from workflow import validation as v
from workflow.access.actors import NO_CONTEXT, Actor, RequestContext
from workflow.access.loading import load_actor
from workflow.calendar.timelimits import calendar_for, step_due
from workflow.errors import Forbidden, InvalidInput, InvalidTransition
from workflow.kernel.db import Database
from workflow.kernel.transition import Change, Due, apply
from workflow.kernel.uow import unit_of_work
from workflow.models import Nomination
from workflow.nominations.queries import load_visible, view_of
from workflow.orgs.tree import OrgTree, org_tree
from workflow.views import NominationView

RETURN_DAYS = 5       # an incomplete or ineligible dossier is returned within 5 working days
APPRAISAL_DAYS = 20   # appraisal and submission within 20 working days of a complete dossier
CONSULTED_DAYS = 10   # submission within 10 working days of the last opinion received
EVENTS = ("complete", "consult", "resume")


def arrival_step(step: Step) -> Step:
    """The time limit a nomination gets on arriving at the central appraisal: the completeness
    check (5 working days), until the office records the dossier complete."""
    return replace(step, time_limit_days=RETURN_DAYS)


def is_central_appraisal(step: Step | None) -> bool:
    return step is not None and step.org_level == "central" and step.kind == "review"


def _due(s: Session, step: Step, days: int, now: datetime) -> tuple[dict, Due]:
    due_at, remind_at = step_due(calendar_for(s), replace(step, time_limit_days=days), now,
                                 s.info["settings"].remind_days_before)
    return {"due_at": due_at}, Due(due_at, remind_at)


def clock_in(s: Session, actor: Actor, tree: OrgTree, nom: Nomination, event: str, now: datetime,
             ctx: RequestContext, reason: str | None = None) -> Nomination:
    """Record `event` of the central appraisal on `nom`, inside the caller's transaction."""
    step = ROUTES[nom.route].step(nom.state)
    if not is_central_appraisal(step):
        vi, en = nominee_ref(nom.nominee_name)
        raise InvalidTransition(f"{cap(vi)} không ở bước thẩm định của Trung ương",
                                f"{cap(en)} is not at the central appraisal")
    if actor.role not in (CENTRAL_REVIEWER, CENTRAL_LEADER) or actor.org_id != nom.holder_org_id:
        raise Forbidden("Chỉ cán bộ Ban Thi đua - Khen thưởng Trung ương ghi tiến trình thẩm định",
                        "Only the central office's staff record the central appraisal")
    assert step is not None
    due: Due | None
    if event == "complete":
        if nom.complete_at is not None:
            vi, en = nominee_ref(nom.nominee_name)
            raise InvalidTransition(f"{cap(vi)} đã ghi nhận đủ từ {nom.complete_at:%d/%m/%Y}",
                                    f"{cap(en)} is already complete")
        values, due = _due(s, step, APPRAISAL_DAYS, now)
        values.update(complete_at=now, paused_at=None)
    elif event == "consult":
        if nom.complete_at is None or nom.paused_at is not None:
            raise InvalidTransition("Chỉ lấy ý kiến khi hồ sơ đã đủ và đang thẩm định",
                                    "Other bodies are consulted only on a complete dossier under appraisal")
        values, due = {"paused_at": now, "due_at": None}, None
    else:
        if nom.paused_at is None:
            raise InvalidTransition("Hồ sơ không tạm dừng để lấy ý kiến", "The appraisal is not paused")
        values, due = _due(s, step, CONSULTED_DAYS, now)
        values["paused_at"] = None
    said: dict = {"appraisal": event}
    if values.get("due_at"):
        said["due_at"] = values["due_at"].isoformat()
    apply(s, nom, actor, Change(f"appraisal_{event}", values=values, due=due, reason=reason, payload=said), now, ctx)
    return nom


def record_event(db: Database, actor_id: int, nomination_id: int, event: object, body: object = None, *,
                 now: datetime, ctx: RequestContext = NO_CONTEXT) -> NominationView:
    """The central office records that a nomination's dossier is complete, that it consults other
    bodies, or that the opinions came back."""
    event = v.choice(event, "event", EVENTS)
    if body is not None and not isinstance(body, dict):
        raise InvalidInput("Nội dung phải là đối tượng JSON", "The body must be a JSON object", field="body")
    body = body or {}
    reason = v.text(body.get("reason"), "reason", required=False, max_len=2000, multiline=True)
    with unit_of_work(db) as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        nom = load_visible(s, actor, tree, nomination_id)
        clock_in(s, actor, tree, nom, event, now, ctx, reason)
        return view_of(s, actor, tree, nom, now)
