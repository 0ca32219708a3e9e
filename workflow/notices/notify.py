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
from functools import lru_cache
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, event, select
from sqlalchemy.orm import Session, object_session

from states.lifecycle import AWARDED, EXPIRED, REJECTED, RETURNED, state_names
from states.routes import CENTRAL_LEADER, MINISTRY_LEADER, UNIT_HEAD, UNIT_OFFICER
from workflow.access.policy import roles_at
from workflow.catalogue.routing import award_name_of
from workflow.kernel import prepared
from workflow.kernel.db import core, identity
from workflow.models import (
    Decision, Dossier, Nomination, Notification, Obligation, OutboxMessage, Plan, User,
)
from workflow.orgs.tree import OrgTree, org_tree
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
    # Where to read the item (a path; e-mails make it absolute with settings.base_url), and
    # where the shared e-mail of a digest points (the inbox, the decision's list ...).
    link: str | None = None
    digest_link: str | None = None


_U = User.__table__.c
# Who gets a notice's e-mail at once: active users with an address who asked for e-mails at
# once and not for the daily digest instead (/account; the digest is workflow/notices/digest.py).
# The roles are picked here, not in SQL: an org has a handful of users, and a statement without
# an IN list is built once and run straight on the driver (workflow/kernel/prepared.py).
_RECIPIENTS = (select(_U.email, _U.language, _U.role)
               .where(_U.org_id == bindparam("org_id"), _U.active.is_(True), _U.email.is_not(None),
                      _U.notify_email.is_(True), _U.notify_digest.is_(False))
               .order_by(_U.email))


def recipients(session: Session, org_id: int, roles: tuple[str, ...]) -> list[tuple[str, str]]:
    """(address, language) of the users of `roles` at `org_id` mailed at once (memoised per session)."""
    cache = session.info.setdefault("notify_recipients", {})
    key = (org_id, roles)
    if key not in cache:
        cache[key] = [(r.email, r.language or "vi") for r in prepared.select_rows(
            session.connection(), _RECIPIENTS, {"org_id": org_id}) if r.role in roles]
    return cache[key]


DEFAULT_BASE_URL = "http://localhost:5000"
SUBJECT_PREFIX_EN = "[Emulation and commendation]"
FOOTER = {"vi": ("Xem tại", "Thư tự động của hệ thống Thi đua, khen thưởng. Đổi cách nhận thông báo tại"),
          "en": ("Open", "An automatic e-mail of the commendation system. Change how you are notified at")}


def absolute(session: Session | None, path: str) -> str:
    """`path` under the site's address (settings.base_url, KHENTHUONG_BASE_URL)."""
    settings = session.info.get("settings") if session is not None else None
    base = (getattr(settings, "base_url", None) or DEFAULT_BASE_URL).rstrip("/")
    return f"{base}{path}"


def mail_text(session: Session | None, lang: str, text: str, link: str | None) -> tuple[str, str]:
    """(subject, body) of an e-mail in `lang`: the sentence, a link to the item, the footer."""
    see, footer = FOOTER["en" if lang == "en" else "vi"]
    prefix = SUBJECT_PREFIX_EN if lang == "en" else SUBJECT_PREFIX
    body = text + (f"\n\n{see}: {absolute(session, link)}" if link else "")
    return f"{prefix} {text}", f"{body}\n\n-- \n{footer} {absolute(session, '/account')}\n"


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
    link = notice.digest_link if notice.digest else notice.link
    if notice.digest:
        digest = (identity(session), mail_key)
        pending = session.info.get(_PENDING_DIGESTS)
        if digest in _QUEUED_DIGESTS or (pending is not None and digest in pending):
            return []  # queued already (by this transaction: a bulk move's later items)
        if not session.in_nested_transaction():  # a savepoint may still be rolled back alone
            session.info.setdefault(_PENDING_DIGESTS, set()).add(digest)
    rows: list[dict] = []
    people = recipients(session, notice.org_id, notice.roles)
    for lang, text in (("vi", vi), ("en", en)):  # each in the language they chose (/account)
        to = [a for a, user_lang in people if (user_lang == "en") == (lang == "en")]
        if to:
            subject, body = mail_text(session, lang, text, link)
            rows += outbox_rows([(f"{mail_key}:{a}", a) for a in to], subject=subject, body=body, now=now)
    return rows


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


_NUMBERS = {model.__tablename__: select(model.__table__.c.number).where(model.__table__.c.id == bindparam("id"))
            for model in (Dossier, Decision)}


def _award_name(nom: Nomination, lang: str) -> str:
    """The award's name as its decider gives it (workflow/catalogue/routing.py); never a code."""
    session = object_session(nom)
    if session is None:
        return nom.award_code
    cache = session.info.setdefault("notify_award_names", {})
    key = (nom.award_code, nom.route, nom.unit_id)
    if key not in cache:
        cache[key] = award_name_of(session, org_tree(session), nom)
    vi, en = cache[key]
    return en if lang == "en" else vi


def _number(session: Session | None, model, row_id: int | None) -> str | None:
    """A tờ trình's or decision's number (memoised per session: a bulk move reads it once)."""
    if session is None or row_id is None:
        return None
    cache = session.info.setdefault("notify_numbers", {})
    key = (model.__tablename__, row_id)
    if key not in cache:
        cache[key] = core(session, _NUMBERS[model.__tablename__], {"id": row_id}).scalar()
    return cache[key] or None


def _label(nom: Nomination, lang: str = "vi") -> str:
    """"Nguyễn Văn An (Bằng khen của Bộ trưởng)": the nominee and the award by its name, never a code
    or a row number (the e-mail's link and the notice's page open the nomination itself)."""
    return f"{nom.nominee_name} ({_award_name(nom, lang)})"


def _papers(nom: Nomination, lang: str = "vi") -> str:
    """"; tờ trình số 45/TTr-VTC" / "; decision 12/QĐ-BTTTT": the numbers the nomination travels under."""
    s = object_session(nom)
    parts = []
    dossier = _number(s, Dossier, nom.dossier_id)
    if dossier:
        parts.append(f"{'submission' if lang == 'en' else 'tờ trình số'} {dossier}")
    decision = _number(s, Decision, nom.decision_id)
    if decision:
        parts.append(f"{'decision' if lang == 'en' else 'quyết định số'} {decision}")
    return "".join(f"; {p}" for p in parts)


def _reason(reason: str | None, lang: str) -> str:
    if not reason:
        return ""
    # On the same line: an in-app notice is one Vietnamese line, a newline, one English line.
    return f". {'Reason' if lang == 'en' else 'Lý do'}: {' '.join(reason.split())}"


def _link(nom: Nomination) -> str:
    return f"/nominations/{nom.id}"


def _due(nom: Nomination) -> str:
    return _day(nom.due_at) if nom.due_at else "—"


@lru_cache(maxsize=1024)  # the same few due dates on every notice of a bulk move
def _day(at: datetime) -> str:
    return f"{local_date(at):%d/%m/%Y}"


def step_roles(nom: Nomination) -> tuple[str, ...]:
    """The roles who must act on `nom` where it waits now (workflow/access/policy.py)."""
    return roles_at(nom.route, nom.state)


def waiting_notice(nom: Nomination, now: datetime) -> Notice:
    state_vi, state_en = state_names(nom.state) or (nom.state, nom.state)
    day, due = local_date(now), _due(nom)
    # Each name said once per language: a bulk approval builds thousands of these notices.
    label_vi, label_en = _label(nom), _label(nom, "en")
    if nom.dossier_id is None and nom.decision_id is None:  # not yet in a tờ trình: no numbers to say
        papers_vi = papers_en = ""
    else:
        papers_vi, papers_en = _papers(nom), _papers(nom, "en")
    return Notice(
        key=f"n:{nom.id}:v{nom.version}", kind="waiting", org_id=nom.holder_org_id,
        roles=step_roles(nom), nomination_id=nom.id, link=_link(nom), digest_link="/inbox",
        vi=f"Hồ sơ của {label_vi} chờ xử lý ({state_vi}), hạn {due}{papers_vi}",
        en=f"The nomination of {label_en} awaits your action ({state_en}), due {due}{papers_en}",
        # The day's arrivals at a step share one e-mail per org (a council voting 200 sends one):
        # it names the first, and the inbox lists them all.
        digest=(f"digest:{nom.holder_org_id}:{nom.state}:{day.isoformat()}",
                f"Có hồ sơ mới chờ xử lý ({state_vi}) ngày {day:%d/%m/%Y}, trong đó có hồ sơ của {label_vi}"
                f"{papers_vi}; xem Việc cần xử lý",
                f"New nominations await your action ({state_en}) on {day:%d/%m/%Y}, among them that of "
                f"{label_en}{papers_en}; see your inbox"))


def outcome_notice(nom: Nomination, reason: str | None = None) -> Notice:
    """The unit is told how its nomination ended or that it came back, with the reason given."""
    kind, vi, en = OUTCOMES[nom.state]
    digest, digest_link = None, None
    if nom.state == EXPIRED:  # a closing plan expires many drafts at once: one e-mail per unit
        digest = (f"digest:expired:{nom.unit_id}:{nom.plan_id}",
                  f"Các hồ sơ dự thảo của kế hoạch #{nom.plan_id} đã hết hạn, trong đó có hồ sơ của {_label(nom)}",
                  f"The drafts of plan #{nom.plan_id} have expired, among them that of {_label(nom, 'en')}")
        digest_link = f"/nominations?state={EXPIRED}&plan_id={nom.plan_id}"
    elif nom.state == AWARDED and nom.decision_id:  # one decision awards many: one e-mail per unit
        number = _number(object_session(nom), Decision, nom.decision_id) or f"#{nom.decision_id}"
        digest = (f"digest:awarded:{nom.unit_id}:{nom.decision_id}",
                  f"Quyết định khen thưởng số {number} đã khen thưởng hồ sơ của đơn vị, trong đó có "
                  f"{_label(nom)}; xem danh sách trong quyết định",
                  f"Decision {number} awarded nominations of your unit, among them {_label(nom, 'en')}; "
                  "see the decision's list")
        digest_link = f"/decisions/{nom.decision_id}"
    return Notice(key=f"n:{nom.id}:v{nom.version}", kind=kind, org_id=nom.unit_id,
                  roles=(UNIT_OFFICER,), nomination_id=nom.id, digest=digest, link=_link(nom),
                  digest_link=digest_link,
                  vi=f"Hồ sơ của {_label(nom)} {vi}{_papers(nom)}{_reason(reason, 'vi')}",
                  en=f"The nomination of {_label(nom, 'en')} {en}{_papers(nom, 'en')}{_reason(reason, 'en')}")


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
        nomination_id=nom.id, link=_link(nom),
        vi=f"Hồ sơ của {_label(nom)} quá hạn xử lý ({_due(nom)}), chuyển cấp lần {level}{_papers(nom)}",
        en=f"The nomination of {_label(nom, 'en')} is overdue (due {_due(nom)}); escalation level {level}"
           f"{_papers(nom, 'en')}")


def reminder_notice(nom: Nomination, deadline_id: int, days_before: int) -> Notice:
    return Notice(
        key=f"n:{nom.id}:remind:{deadline_id}", kind="reminder", org_id=nom.holder_org_id,
        roles=step_roles(nom), nomination_id=nom.id, link=_link(nom),
        vi=f"Nhắc việc: hồ sơ của {_label(nom)} đến hạn xử lý ngày {_due(nom)} (còn {days_before} ngày làm việc)"
           f"{_papers(nom)}",
        en=f"Reminder: the nomination of {_label(nom, 'en')} is due on {_due(nom)} ({days_before} working days "
           f"left){_papers(nom, 'en')}")


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


def transition_notices(tree: OrgTree, nom: Nomination, source: str, action: str, now: datetime,
                       reason: str | None = None) -> list[Notice]:
    """Who to tell after a move: those who must act at the step it reached, or the unit of an
    outcome (with the reason of a return or refusal); an escalation goes to the step's people
    and their leader."""
    if action == "escalate":
        return [escalation_notice(tree, nom)]
    if nom.holder_org_id and step_roles(nom) and (nom.state != source or action == "resubmit"):
        return [waiting_notice(nom, now)]
    if nom.state in OUTCOMES and nom.state != source:
        return [outcome_notice(nom, reason)]
    return []
