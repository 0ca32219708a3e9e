"""Fire one transition of one nomination: the heart of every command (DESIGN.md §4 rule 3).

The caller has opened the transaction and loaded the nomination. The engine checks the
client's version, asks the route's shared machine whether the action is allowed and where
it leads, checks the actor's permission, computes the new column values, the audit event
and the deadline row, and has `workflow.moves` write them (a conditional UPDATE on the
version), all in the caller's transaction. Nothing here sends mail or touches the scheduler;
the notices it posts are rows in the same transaction.
"""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from states import machine_for
from states.lifecycle import RETURNED, STATE_LEVEL, TERMINAL_STATES
from states.routes import ROUTES
from workflow.audit import chain as audit
from workflow.kernel import writes as moves
from workflow.notices import notify
from workflow.access.rules import facts_of, may_act
from workflow.access.actors import Actor, RequestContext
from workflow.errors import Conflict, Forbidden, InvalidTransition
from workflow.models import AuditEvent, Nomination
from workflow.kernel.writes import flush_or_conflict  # noqa: F401  (the services' entry point)
from workflow.orgs.tree import OrgTree
from workflow.calendar.timelimits import calendar_for, step_due

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
    step = ROUTES[nom.route].step(dest)
    values, remind_at = _moved(session, tree, nom, t, dest, step, now, remind_days_before)
    values.update(t.changes)
    values["version"] = nom.version + 1
    values["updated_at"] = now
    event = _event(nom, actor, t.action, now, ctx, from_state=source, to_state=values.get("state", source),
                   holder_org_id=values.get("holder_org_id", nom.holder_org_id), reason=t.reason,
                   payload=t.payload, on_behalf_of=t.on_behalf_of)
    values["audit_seq"], values["audit_head"] = event["seq"], event["hash"]
    deadline = None
    if step and "state" in values:
        due_at = values["due_at"]
        waiting = bool(remind_at and remind_at > now)
        deadline = {"subject": "nomination", "subject_id": nom.id, "version": values["version"], "state": dest,
                    "due_at": due_at, "remind_at": remind_at, "stage": "remind" if waiting else "escalate1",
                    "next_at": remind_at if waiting else due_at}
    moves.write(session, nom, values, event, deadline)
    notify.on_transition(session, tree, nom, source, t.action, actor, now)
    return nom.state


def _moved(session: Session, tree: OrgTree, nom: Nomination, t: Transition, dest: str, step, now: datetime,
           remind_days_before: int) -> tuple[dict, datetime | None]:
    """The columns a transition to `dest` changes (where it waits, its due date), and when
    to remind."""
    if t.action == "escalate":
        return {"escalation_level": nom.escalation_level + 1}, None
    if dest == nom.state and t.action != "resubmit":
        return {}, None
    values = {"state": dest, "level": STATE_LEVEL.get(dest), "escalation_level": 0,
              "holder_org_id": tree.holder_for(step.org_level, nom.unit_id) if step else (
                  nom.unit_id if dest == RETURNED else None),
              "returned_from": nom.state if dest == RETURNED else None, "due_at": None}
    remind_at = None
    if step:
        values["due_at"], remind_at = step_due(calendar_for(session), step, now, remind_days_before)
    if dest in TERMINAL_STATES:
        values["holder_org_id"] = None
        values["level"] = None
    return values, remind_at


def record_change(session: Session, nom: Nomination, actor: Actor, action: str, now: datetime,
                  ctx: RequestContext, *, from_state: str | None, reason: str | None = None,
                  payload: dict | None = None, on_behalf_of: str | None = None,
                  bump: bool = True) -> None:
    """Bump the version and append the audit event, in the caller's transaction."""
    if bump:
        nom.version = nom.version + 1
    nom.updated_at = now
    event = _event(nom, actor, action, now, ctx, from_state=from_state, to_state=nom.state,
                   holder_org_id=nom.holder_org_id, reason=reason, payload=payload, on_behalf_of=on_behalf_of)
    session.add(AuditEvent(**event))
    nom.audit_seq = event["seq"]
    nom.audit_head = event["hash"]


def _event(nom: Nomination, actor: Actor, action: str, now: datetime, ctx: RequestContext, *,
           from_state: str | None, to_state: str, holder_org_id: int | None, reason: str | None,
           payload: dict | None, on_behalf_of: str | None) -> dict:
    """The next event of the nomination's chain; the system's are filed under the org holding it."""
    return audit.event_row(
        chain=f"n:{nom.id}", seq=nom.audit_seq + 1, prev_hash=nom.audit_head, at=now, actor=actor, ctx=ctx,
        action=action, entity="nomination", entity_id=nom.id, nomination_id=nom.id, from_state=from_state,
        to_state=to_state, reason=reason, payload=payload, on_behalf_of=on_behalf_of,
        org_id=(holder_org_id or nom.unit_id) if actor.is_system else actor.org_id)
