"""A nomination's moves along its route: the checks, and where a move leaves it.

Every command on a nomination (a person's action, a dossier's command, the sweep's escalation
or expiry) runs `check` once — the client's version, the route's shared machine, the actor's
permission (workflow/access/policy.py) — then asks a step builder (workflow/nominations/steps.py)
what the step does, then `write`s it: the machine's answer with the step's facts (a vote
passed or not), where the nomination waits next (state, level, holder, due date and reminder,
from the route's step and the working-day calendar), and the kernel's one write path
(workflow/kernel/transition.py: conditional UPDATE, chained audit event, deadline row, notices).
"""
from datetime import datetime

from sqlalchemy.orm import Session

from states import machine_for
from states.labels import action_label, both, cap, nominee_ref, role_label, state_label
from states.lifecycle import RETURNED, STATE_LEVEL, TERMINAL_STATES
from states.machines import returned_from
from states.routes import ROUTES, Route, Step
from workflow.access.actors import Actor, RequestContext
from workflow.access.policy import may_act
from workflow.calendar.timelimits import calendar_for, step_due
from workflow.catalogue.routing import holder_for  # also compiles the route of every nomination loaded
from workflow.errors import Conflict, Forbidden, InvalidTransition
from workflow.kernel.transition import Change, Due, apply
from workflow.models import Nomination
from workflow.nominations import central, posting
from workflow.notices.notify import transition_notices
from workflow.orgs.tree import OrgTree


def check_version(nom: Nomination, version: int | None) -> None:
    if version is not None and version != nom.version:
        vi, en = nominee_ref(nom.nominee_name)
        raise Conflict(
            f"{cap(vi)} đã được người khác thay đổi (phiên bản {nom.version}, bạn gửi {version}); "
            "hãy tải lại trang",
            f"{cap(en)} was changed by someone else (version {nom.version}, you sent "
            f"{version}); reload and try again", field="version")


def target(nom: Nomination, action: str, facts: dict | None = None) -> str:
    """Where `action` takes `nom` now, by its route's machine; InvalidTransition when nowhere."""
    known = {returned_from(nom.returned_from): True} if nom.returned_from else {}
    dest = machine_for(nom.route).next_state(nom.state, action, {**known, **(facts or {})})
    if dest is None:
        (act_vi, act_en), (st_vi, st_en) = both(action_label, action, "nomination"), both(state_label, nom.state)
        vi, en = nominee_ref(nom.nominee_name)
        raise InvalidTransition(
            f"Không thể thực hiện “{act_vi}” khi {vi} đang ở trạng thái “{st_vi}”",
            f"“{act_en}” is not possible while {en} is “{st_en}”")
    return dest


def check(actor: Actor, nom: Nomination, action: str, version: int | None = None) -> None:
    """Raise unless `actor` may perform `action` on `nom` now (the one check of a command)."""
    check_version(nom, version)
    target(nom, action)
    if not may_act(actor, nom, action):
        (act_vi, act_en), (role_vi, role_en) = both(action_label, action, "nomination"), both(role_label, actor.role)
        vi, en = nominee_ref(nom.nominee_name)
        raise Forbidden(f"{role_vi} không được thực hiện “{act_vi}” với {vi} lúc này",
                        f"A {role_en.lower()} may not do “{act_en}” on {en} now")


def write(session: Session, tree: OrgTree, nom: Nomination, actor: Actor, change: Change, now: datetime,
          ctx: RequestContext) -> str:
    """Write a checked step: where it leads, where the nomination then waits; returns the new state."""
    source = nom.state
    dest = target(nom, change.action, change.facts)
    placed, due = placement(session, tree, nom, change.action, dest, now)
    change.values = {**placed, **change.values}
    step = ROUTES[nom.route].step(dest)
    if step is not None and step.kind == "posting" and dest != source:
        # Entering a posting step posts the nominee (Law Art. 84(5)), in the same transaction.
        change.rows = (*change.rows, (posting.POSTINGS, posting.posting_row(  # type: ignore[arg-type]
            session, nom, step, placed.get("holder_org_id"), now)))
    change.due = due
    change.notices = lambda moved: transition_notices(tree, moved, source, change.action, now, change.reason)
    apply(session, nom, actor, change, now, ctx)
    return nom.state


def placement(session: Session, tree: OrgTree, nom: Nomination, action: str, dest: str, now: datetime,
              route: Route | None = None) -> tuple[dict, Due | None]:
    """The columns a move to `dest` sets (where it waits, its due date) and its deadline; `route`:
    the route it moves on (default its own; a re-route after a change of the tree passes the new)."""
    if action == "escalate":
        return {"escalation_level": nom.escalation_level + 1}, None
    if dest == nom.state and action != "resubmit":
        return {}, None
    step: Step | None = (route or ROUTES[nom.route]).step(dest)
    values: dict = {"state": dest, "level": step.level if step else STATE_LEVEL.get(dest), "escalation_level": 0,
              "holder_org_id": holder_for(tree, step.org_level, nom.unit_id) if step else (
                  nom.unit_id if dest == RETURNED else None),
              "returned_from": nom.state if dest == RETURNED else None, "due_at": None}
    due = None
    if step:
        settings = session.info["settings"]
        limit = step
        if central.is_central_appraisal(step) and step.state != nom.state:
            # Arriving at the centre: 5 working days to check the dossier and return it if incomplete;
            # the 20-day appraisal starts when it is complete (NĐ 98/2023 Art. 32).
            limit = central.arrival_step(step)
            values.update(complete_at=None, paused_at=None)
        values["due_at"], remind_at = step_due(calendar_for(session), limit, now, settings.remind_days_before)
        due = Due(values["due_at"], remind_at)
    if dest in TERMINAL_STATES:
        values["holder_org_id"] = None
        values["level"] = None
    return values, due


def record(session: Session, nom: Nomination, actor: Actor, action: str, now: datetime, ctx: RequestContext, *,
           reason: str | None = None, payload: dict | None = None, values: dict | None = None,
           bump: bool = True, created: bool = False) -> None:
    """A change that is not a move along the route (created, edited, put on a dossier's list,
    reminded): recorded on the nomination's chain by the same write path."""
    apply(session, nom, actor, Change(action, values=values or {}, reason=reason, payload=payload, bump=bump),
          now, ctx, created=created)
