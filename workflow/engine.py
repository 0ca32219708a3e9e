"""Fire one transition of one nomination: the heart of every command (DESIGN.md §4 rule 3).

The caller has opened the transaction and loaded the nomination. The engine checks the
client's version, asks the route's shared machine whether the action is allowed and where
it leads, checks the actor's permission, then changes the row (a conditional UPDATE on the
version, done by SQLAlchemy's `version_id_col`), appends the audit event and the deadline
row, all in the caller's transaction. Nothing here sends mail or touches the scheduler.
"""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from states import machine_for
from states.lifecycle import RETURNED, STATE_LEVEL, TERMINAL_STATES
from states.routes import ROUTES
from workflow import audit, notify
from workflow.access import facts_of, may_act
from workflow.actors import Actor, RequestContext
from workflow.errors import Conflict, Forbidden, InvalidTransition
from workflow.models import Deadline, Nomination
from workflow.orgs import OrgTree
from workflow.timelimits import calendar_for, step_due

REMIND_DAYS_BEFORE = 3


@dataclass
class Transition:
    """What a command asks of the engine."""
    action: str
    version: int | None = None
    reason: str | None = None
    facts: dict = field(default_factory=dict)      # e.g. {"vote_passed": True}
    payload: dict | None = None                    # recorded in the audit event
    changes: dict = field(default_factory=dict)    # extra column values to set
    on_behalf_of: str | None = None


def check_version(nom: Nomination, version: int | None) -> None:
    if version is not None and version != nom.version:
        raise Conflict(
            f"Hồ sơ #{nom.id} đã được người khác thay đổi (phiên bản {nom.version}, bạn gửi {version}); "
            "hãy tải lại trang",
            f"Nomination #{nom.id} was changed by someone else (version {nom.version}, you sent "
            f"{version}); reload and try again", field="version")


def target_state(nom: Nomination, t: Transition) -> str:
    dest = machine_for(nom.route).next_state(nom.state, t.action, facts_of(nom, **t.facts))
    if dest is None:
        raise InvalidTransition(
            f"Không thể thực hiện '{t.action}' khi hồ sơ #{nom.id} đang ở trạng thái '{nom.state}'",
            f"Action '{t.action}' is not allowed while nomination #{nom.id} is '{nom.state}'")
    return dest


def check_allowed(actor: Actor, nom: Nomination, t: Transition) -> str:
    """Raise unless `actor` may perform `t` now; return the state it leads to."""
    check_version(nom, t.version)
    dest = target_state(nom, t)
    if not may_act(actor, nom, t.action):
        raise Forbidden(
            f"Vai trò '{actor.role}' không được thực hiện '{t.action}' với hồ sơ #{nom.id}",
            f"Role '{actor.role}' may not '{t.action}' nomination #{nom.id}")
    return dest


def fire(session: Session, tree: OrgTree, nom: Nomination, actor: Actor, t: Transition,
         now: datetime, ctx: RequestContext, *, remind_days_before: int = REMIND_DAYS_BEFORE) -> str:
    """Apply `t` to `nom` within the caller's transaction; returns the new state."""
    dest = check_allowed(actor, nom, t)
    source = nom.state
    route = ROUTES[nom.route]
    step = route.step(dest)
    if t.action == "escalate":
        nom.escalation_level = nom.escalation_level + 1
    elif dest != source or t.action == "resubmit":
        nom.state = dest
        nom.level = STATE_LEVEL.get(dest)
        nom.escalation_level = 0
        nom.holder_org_id = tree.holder_for(step.org_level, nom.unit_id) if step else (
            nom.unit_id if dest == RETURNED else None)
        nom.returned_from = source if dest == RETURNED else None
        nom.due_at = None
        if step:
            cal = calendar_for(session)
            nom.due_at, remind_at = step_due(cal, step, now, remind_days_before)
        if dest in TERMINAL_STATES:
            nom.holder_org_id = None
            nom.level = None
    for column, value in t.changes.items():
        setattr(nom, column, value)
    record_change(session, nom, actor, t.action, now, ctx, from_state=source, reason=t.reason,
                  payload=t.payload, on_behalf_of=t.on_behalf_of)
    if step and t.action != "escalate":
        session.add(Deadline(
            subject="nomination", subject_id=nom.id, version=nom.version, state=dest,
            due_at=nom.due_at, remind_at=remind_at,
            stage="remind" if remind_at and remind_at > now else "escalate1",
            next_at=remind_at if remind_at and remind_at > now else nom.due_at))
    notify.on_transition(session, tree, nom, source, t.action, actor, now)
    return nom.state


def record_change(session: Session, nom: Nomination, actor: Actor, action: str, now: datetime,
                  ctx: RequestContext, *, from_state: str | None, reason: str | None = None,
                  payload: dict | None = None, on_behalf_of: str | None = None,
                  bump: bool = True) -> None:
    """Bump the version and append the audit event, in the caller's transaction."""
    if bump:
        nom.version = nom.version + 1
    nom.updated_at = now
    ev = audit.new_event(
        session, chain=f"n:{nom.id}", seq=nom.audit_seq + 1, prev_hash=nom.audit_head, at=now,
        actor=actor, ctx=ctx, action=action, entity="nomination", entity_id=nom.id,
        nomination_id=nom.id, from_state=from_state, to_state=nom.state, reason=reason,
        payload=payload, on_behalf_of=on_behalf_of,
        org_id=nom.holder_org_id or nom.unit_id if actor.is_system else actor.org_id)
    nom.audit_seq = ev.seq
    nom.audit_head = ev.hash


def flush_or_conflict(session: Session, nom_id: int | None = None) -> None:
    """Flush; a concurrent change of the same row becomes a Conflict."""
    from sqlalchemy.orm.exc import StaleDataError
    try:
        session.flush()
    except StaleDataError:
        raise Conflict(
            "Hồ sơ vừa được người khác xử lý; không có gì thay đổi",
            "Someone else acted on this nomination first; nothing was changed",
            field="version") from None
