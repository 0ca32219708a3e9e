"""Notifications (thông báo): in-app rows and outbox e-mails, written in the caller's transaction.

A notice goes to every user of some roles at one org. It becomes one `Notification` row per
role (shared by the users of that role at the org) and one outbox e-mail per recipient. Both
are keyed: a retried command or a re-run sweep writes nothing twice (INSERT ... ON CONFLICT DO
NOTHING). `on_transition` runs on every transition: a few inserts and one small query for
the recipients, memoised per transaction. Arrivals at a step are mailed as one digest per
org, step and day, so a council voting 200 nominations sends one e-mail, not 200.

A notification's `message` holds the Vietnamese text, a newline, then the English text.
"""
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, event, select
from sqlalchemy.orm import Session, object_session

from states.lifecycle import AWARDED, EXPIRED, REJECTED, RETURNED, state_names
from states.routes import CENTRAL_LEADER, MINISTRY_LEADER, UNIT_HEAD, UNIT_OFFICER
from workflow.access.policy import roles_at
from workflow.kernel.db import identity
from workflow.models import AwardType, Nomination, Notification, Obligation, OutboxMessage, Plan, User
from workflow.orgs.tree import OrgTree
from workflow.notices.outbox import insert_ignore, outbox_rows
from workflow.calendar.workdays import local_date

# The leader of an org (lãnh đạo), by the org's level: escalations go to them.
LEADER_ROLE = {"unit": UNIT_HEAD, "ministry": MINISTRY_LEADER, "central": CENTRAL_LEADER}
OUTCOMES = {
    RETURNED: ("returned", "bị trả lại để bổ sung", "was returned for supplement"),
    REJECTED: ("rejected", "không được đề nghị", "was rejected"),
    AWARDED: ("awarded", "đã được quyết định khen thưởng", "was awarded"),
    EXPIRED: ("expired", "đã hết hạn (kế hoạch hết thời hạn nhận hồ sơ)",
              "expired (the plan's submission window closed)"),
}
SUBJECT_PREFIX = "[Thi đua - Khen thưởng]"


@dataclass(frozen=True)
class Notice:
    """What to tell the users of `roles` at `org_id`; `key` makes it happen once."""
    key: str
    kind: str
    org_id: int
    roles: tuple[str, ...]
    vi: str
    en: str
    nomination_id: int | None = None
    # Several notices may share one e-mail (a digest): (key, Vietnamese, English).
    digest: tuple[str, str, str] | None = None


_RECIPIENTS = (select(User.__table__.c.email)
               .where(User.__table__.c.org_id == bindparam("org_id"),
                      User.__table__.c.role.in_(bindparam("roles", expanding=True)),
                      User.__table__.c.active.is_(True), User.__table__.c.email.is_not(None))
               .order_by(User.__table__.c.email))


def recipients(session: Session, org_id: int, roles: tuple[str, ...]) -> list[str]:
    """E-mail addresses of the active users of `roles` at `org_id` (memoised per session)."""
    cache = session.info.setdefault("notify_recipients", {})
    key = (org_id, roles)
    if key not in cache:
        cache[key] = list(session.connection().execute(
            _RECIPIENTS, {"org_id": org_id, "roles": list(roles)}).scalars())
    return cache[key]


# Digests this process has queued in committed transactions, per database. A later arrival
# for the same digest would only have its rows ignored, so it skips the recipients query and
# the INSERT; who receives a day's digest is settled by its first arrival.
_QUEUED_DIGESTS: dict[tuple[tuple, str], None] = {}
_PENDING_DIGESTS = "notify_pending_digests"
DIGESTS_KEPT = 50_000


@event.listens_for(Session, "after_commit")
def _remember_digests(session: Session) -> None:
    pending = session.info.pop(_PENDING_DIGESTS, None)
    if pending:
        if len(_QUEUED_DIGESTS) + len(pending) > DIGESTS_KEPT:
            _QUEUED_DIGESTS.clear()
        _QUEUED_DIGESTS.update(dict.fromkeys(pending))


@event.listens_for(Session, "after_rollback")
def _forget_digests(session: Session) -> None:
    session.info.pop(_PENDING_DIGESTS, None)


def _mails(session: Session, notice: Notice, now: datetime) -> list[dict]:
    """The outbox rows of `notice`: one per recipient, none for a digest already queued."""
    mail_key, vi, en = notice.digest or (notice.key, notice.vi, notice.en)
    if notice.digest:
        digest = (identity(session), mail_key)
        if digest in _QUEUED_DIGESTS:
            return []
        if not session.in_nested_transaction():  # a savepoint may still be rolled back alone
            session.info.setdefault(_PENDING_DIGESTS, set()).add(digest)
    return outbox_rows([(f"{mail_key}:{a}", a) for a in recipients(session, notice.org_id, notice.roles)],
                       subject=f"{SUBJECT_PREFIX} {vi}", body=f"{vi}\n\n{en}\n", now=now)


BUFFER = "notify_buffer"


@contextmanager
def buffered(session: Session):
    """Collect the notices of many transitions; write them in two statements at the end.

    For the sweep, which escalates thousands of nominations in one transaction. Nothing is
    written if the block raises.
    """
    buf: dict[type, list[dict]] = {Notification: [], OutboxMessage: []}
    session.info[BUFFER] = buf
    try:
        yield
    finally:
        session.info.pop(BUFFER, None)
    for model, rows in buf.items():
        insert_ignore(session, model, rows)


def post(session: Session, notice: Notice, now: datetime, *, email: bool = True) -> None:
    """Write the in-app notifications and queue the e-mails of `notice`, once per key."""
    notes = [{"dedup_key": f"{notice.key}:{role}"[:200], "org_id": notice.org_id, "role": role,
              "nomination_id": notice.nomination_id, "kind": notice.kind,
              "message": f"{notice.vi}\n{notice.en}", "created_at": now} for role in notice.roles]
    mails = _mails(session, notice, now) if email else []
    buf = session.info.get(BUFFER)
    if buf is not None:
        buf[Notification] += notes
        buf[OutboxMessage] += mails
        return
    insert_ignore(session, Notification, notes)
    insert_ignore(session, OutboxMessage, mails)


def _label(nom: Nomination, lang: str = "vi") -> str:
    """The nominee and the award's name (never its code) as a notice names a nomination."""
    session = object_session(nom)
    award = session.get(AwardType, nom.award_code) if session is not None else None
    name = (award.name_en if lang == "en" else award.name_vi) if award is not None else nom.award_code
    return f"{nom.nominee_name} ({name})"


def _due(nom: Nomination) -> str:
    return f"{local_date(nom.due_at):%d/%m/%Y}" if nom.due_at else "—"


def step_roles(nom: Nomination) -> tuple[str, ...]:
    """The roles who must act on `nom` where it waits now (workflow/access/policy.py)."""
    return roles_at(nom.route, nom.state)


def waiting_notice(nom: Nomination, now: datetime) -> Notice:
    state_vi, state_en = state_names(nom.state) or (nom.state, nom.state)
    day = local_date(now)
    return Notice(
        key=f"n:{nom.id}:v{nom.version}", kind="waiting", org_id=nom.holder_org_id,
        roles=step_roles(nom), nomination_id=nom.id,
        vi=f"Hồ sơ {_label(nom)} chờ xử lý ({state_vi}), hạn {_due(nom)}",
        en=f"Nomination {_label(nom, 'en')} awaits your action ({state_en}), due {_due(nom)}",
        digest=(f"digest:{nom.holder_org_id}:{nom.state}:{day.isoformat()}",
                f"Có hồ sơ mới chờ xử lý ({state_vi}) ngày {day:%d/%m/%Y}; xem Hộp việc",
                f"New nominations await your action ({state_en}) on {day.isoformat()}; see your inbox"))


def outcome_notice(nom: Nomination) -> Notice:
    kind, vi, en = OUTCOMES[nom.state]
    digest = None
    if nom.state == EXPIRED:  # a closing plan expires many drafts at once: one e-mail per unit
        digest = (f"digest:expired:{nom.unit_id}:{nom.plan_id}",
                  "Các hồ sơ dự thảo của một kế hoạch đã hết hạn; xem danh sách hồ sơ",
                  "The drafts of a plan have expired; see the nominations list")
    elif nom.state == AWARDED and nom.decision_id:  # one decision awards many: one e-mail per unit
        digest = (f"digest:awarded:{nom.unit_id}:{nom.decision_id}",
                  "Đã có quyết định khen thưởng cho hồ sơ của đơn vị; xem danh sách hồ sơ",
                  "A decision awarded nominations of your unit; see the nominations list")
    return Notice(key=f"n:{nom.id}:v{nom.version}", kind=kind, org_id=nom.unit_id,
                  roles=(UNIT_OFFICER,), nomination_id=nom.id, digest=digest,
                  vi=f"Hồ sơ {_label(nom)} {vi}", en=f"Nomination {_label(nom, 'en')} {en}")


def escalation_target(tree: OrgTree, holder_id: int, level: int, roles: tuple[str, ...]
                      ) -> tuple[int, tuple[str, ...]]:
    """Level 1: the step's people and their leader; level 2: the leader one level up."""
    holder = tree.get(holder_id)
    leader = LEADER_ROLE.get(holder.level) if holder else None
    if level <= 1:
        return holder_id, tuple(dict.fromkeys((*roles, *([leader] if leader else []))))
    parent = tree.parent_level_org(holder_id) if holder else None
    if parent is not None and parent.level in LEADER_ROLE:
        return parent.id, (LEADER_ROLE[parent.level],)
    return holder_id, (leader,) if leader else roles


def escalation_notice(tree: OrgTree, nom: Nomination) -> Notice:
    level = nom.escalation_level
    org_id, roles = escalation_target(tree, nom.holder_org_id, level, step_roles(nom))
    return Notice(
        key=f"n:{nom.id}:esc{level}:v{nom.version}", kind="escalated", org_id=org_id, roles=roles,
        nomination_id=nom.id,
        vi=f"Hồ sơ {_label(nom)} quá hạn xử lý ({_due(nom)}), chuyển cấp lần {level}",
        en=f"Nomination {_label(nom, 'en')} is overdue (due {_due(nom)}); escalation level {level}")


def reminder_notice(nom: Nomination, deadline_id: int, days_before: int) -> Notice:
    return Notice(
        key=f"n:{nom.id}:remind:{deadline_id}", kind="reminder", org_id=nom.holder_org_id,
        roles=step_roles(nom), nomination_id=nom.id,
        vi=f"Nhắc việc: hồ sơ {_label(nom)} đến hạn xử lý ngày {_due(nom)} (còn {days_before} ngày làm việc)",
        en=f"Reminder: nomination {_label(nom, 'en')} is due on {_due(nom)} ({days_before} working days left)")


# The end of the sentence about a plan's report (nghĩa vụ báo cáo), by event.
OBLIGATION_TEXTS = {
    "created": ("cần được gửi đúng hạn", "is required by the due date"),
    "submitted": ("đã được đơn vị gửi, chờ xem xét", "was submitted by the unit and awaits review"),
    "accepted": ("đã được chấp nhận", "was accepted"),
    "returned": ("bị trả lại để bổ sung", "was returned for supplement"),
}


def obligation_notice(ob: Obligation, plan: Plan, kind: str, event: str, *, org_id: int | None = None,
                      roles: tuple[str, ...] = (UNIT_OFFICER,), vi: str = "", en: str = ""
                      ) -> Notice:
    """A notice about `ob`; `event` (with the version) keys it, `vi`/`en` end the sentence."""
    due = f"{local_date(ob.due_at):%d/%m/%Y}"
    plan_ref = plan.number or f"#{plan.id}"
    tail_vi, tail_en = OBLIGATION_TEXTS.get(event, (vi, en))
    return Notice(key=f"o:{ob.id}:{event}:v{ob.version}", kind=kind, org_id=org_id or ob.org_id,
                  roles=roles, vi=f"Báo cáo theo kế hoạch {plan_ref} (hạn {due}) {tail_vi}",
                  en=f"Report under plan {plan_ref} (due {due}) {tail_en}")


def transition_notices(tree: OrgTree, nom: Nomination, source: str, action: str, now: datetime) -> list[Notice]:
    """Who to tell after a move: those who must act at the step it reached, or the unit of an
    outcome; an escalation goes to the step's people and their leader."""
    if action == "escalate":
        return [escalation_notice(tree, nom)]
    if nom.holder_org_id and step_roles(nom) and (nom.state != source or action == "resubmit"):
        return [waiting_notice(nom, now)]
    if nom.state in OUTCOMES and nom.state != source:
        return [outcome_notice(nom)]
    return []
