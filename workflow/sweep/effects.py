"""What a due stage does to its subject: remind it, or escalate it (system actor).

A nomination's escalation is a transition like a user's (workflow/nominations/transitions.py,
action "escalate"): the escalation level rises, the version is bumped, and the audit event and
the notifications are written by the kernel's one write path. A reminder changes nothing, so
it is recorded in the audit chain without a version bump and the forms users have open stay
valid. Obligations follow the same rules on
their own chain "o:<id>".
"""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from states.obligations import OBLIGATION_STATE_NAMES
from states.routes import UNIT_OFFICER
from workflow.access.actors import NO_CONTEXT, SYSTEM_ACTOR
from workflow.kernel.transition import Change
from workflow.models import Nomination, Obligation, Plan
from workflow.nominations import transitions
from workflow.notices import notify
from workflow.orgs.tree import OrgTree
from workflow.sweep.claims import DueRow
from workflow.plans.obligation_rows import record
from workflow.sweep.stages import Policy
from workflow.calendar.workdays import WorkCalendar, local_date


@dataclass
class Ctx:
    """One batch: its transaction, and what every row of it needs."""
    s: Session
    tree: OrgTree
    cal: WorkCalendar
    now: datetime
    policy: Policy
    worker: str
    subjects: dict = field(default_factory=dict)   # (subject, id) -> row, loaded for the batch


def load(c: Ctx, row: DueRow):
    found = c.subjects.get((row.subject, row.subject_id))
    if found is not None:
        return found
    return c.s.get(Obligation if row.subject == "obligation" else Nomination, row.subject_id)


def is_current(subject, row: DueRow) -> bool:
    """Still where the row was written for: same version and state."""
    return subject is not None and subject.version == row.version and subject.state == row.state


def remind(c: Ctx, subject, row: DueRow) -> None:
    days = c.policy.remind_days_before
    payload = {"deadline_id": row.id, "due_at": row.due_at.isoformat(), "days_before": days}
    if isinstance(subject, Obligation):
        plan = c.s.get(Plan, subject.plan_id)
        record(c.s, subject, SYSTEM_ACTOR, "remind", c.now, NO_CONTEXT, payload=payload, bump=False,
               notices=lambda ob: [notify.obligation_notice(
                   ob, plan, "reminder", f"remind:{row.id}",
                   vi=f"sắp đến hạn (còn {days} ngày làm việc)", en=f"is due soon ({days} working days left)")])
        return
    notify.post(c.s, notify.reminder_notice(subject, row.id, days), c.now)
    transitions.record(c.s, subject, SYSTEM_ACTOR, "remind", c.now, NO_CONTEXT, payload=payload, bump=False)


def escalate(c: Ctx, subject, row: DueRow, level: int) -> int:
    """Raise the escalation level (recorded as a system action); returns the new version."""
    reason = (f"Quá hạn xử lý (hạn {local_date(row.due_at):%d/%m/%Y}); chuyển cấp lần {level}")
    payload = {"level": level, "deadline_id": row.id, "due_at": row.due_at.isoformat()}
    if isinstance(subject, Obligation):
        return _escalate_obligation(c, subject, level, reason, payload)
    transitions.check(SYSTEM_ACTOR, subject, "escalate", row.version)
    transitions.write(c.s, c.tree, subject, SYSTEM_ACTOR, Change("escalate", reason=reason, payload=payload),
                      c.now, NO_CONTEXT)
    return subject.version


def _escalate_obligation(c: Ctx, ob: Obligation, level: int, reason: str, payload: dict) -> int:
    org_id, roles = notify.escalation_target(c.tree, ob.org_id, level, (UNIT_OFFICER,))
    state_vi, state_en = OBLIGATION_STATE_NAMES[ob.state]
    plan = c.s.get(Plan, ob.plan_id)
    record(c.s, ob, SYSTEM_ACTOR, "escalate", c.now, NO_CONTEXT, reason=reason, payload=payload,
           values={"escalation_level": level},
           notices=lambda moved: [notify.obligation_notice(
               moved, plan, "escalated", f"esc{level}", org_id=org_id, roles=roles,
               vi=f"quá hạn, đơn vị chưa báo cáo ({state_vi}); chuyển cấp lần {level}",
               en=f"is overdue, the unit has not reported ({state_en}); escalation level {level}")])
    return ob.version
