"""The daily digest (thư tổng hợp hằng ngày) of a user who asked for it on /account.

Such a user gets no e-mail per notice (workflow/notices/notify.py leaves them out of the
recipients) but, once a day, one e-mail listing the notices their role at their org received
the day before (Vietnam time), grouped by kind and counted, each with its link. Nothing is sent
for a day without notices.

Exactly once per user and day: the scheduler's sweep calls `send_due`; the digest's
`user_digests` row (unique on user and day) and its outbox row are written in one transaction
with INSERT ... ON CONFLICT DO NOTHING, so a restarted sweep, a rehearsal (`khenthuong
scheduler tick --now`) or a second scheduler finds the day taken and writes nothing again. A
day without notices gets its row too (notices 0), so it is not looked at again.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from workflow.calendar.workdays import TZ, local_date
from workflow.kernel.db import Database
from workflow.models import Notification, OutboxMessage, User, UserDigest
from workflow.notices.notify import SUBJECT_PREFIX, SUBJECT_PREFIX_EN, absolute
from workflow.notices.outbox import insert_ignore, outbox_rows

# The headings of the groups, by notice kind (in this order); other kinds go under "Khác".
KINDS: dict[str, tuple[str, str]] = {
    "waiting": ("Hồ sơ chờ xử lý", "Nominations awaiting your action"),
    "reminder": ("Nhắc hạn", "Reminders"),
    "escalated": ("Quá hạn, chuyển cấp", "Overdue, escalated"),
    "returned": ("Bị trả lại", "Returned"),
    "rejected": ("Không được đề nghị", "Rejected"),
    "awarded": ("Được khen thưởng", "Awarded"),
    "expired": ("Hết hạn", "Expired"),
    "obligation": ("Báo cáo theo kế hoạch", "Plan reports"),
    "report": ("Báo cáo của đơn vị", "Reports from units"),
    "decision_copy": ("Sao gửi quyết định", "Copies of decisions"),
}
OTHER = ("Khác", "Other")
LIST_AT_MOST = 50  # items listed per group; the rest are counted ("và 120 thông báo khác")


@dataclass
class DigestRun:
    users: int = 0
    sent: int = 0
    empty: int = 0

    def to_dict(self) -> dict:
        return {"users": self.users, "sent": self.sent, "empty": self.empty}


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), TZ)
    return start, start + timedelta(days=1)


def _notices(s: Session, user: User, day: date) -> list[Notification]:
    start, end = _day_bounds(day)
    return list(s.execute(select(Notification).where(
        Notification.org_id == user.org_id, or_(Notification.role == user.role, Notification.role.is_(None)),
        Notification.created_at >= start, Notification.created_at < end)
        .order_by(Notification.id)).scalars())


def compose(notices: list[Notification], lang: str, day: date, session: Session | None) -> tuple[str, str]:
    """(subject, body) of one user's digest: the notices grouped by kind, counted, with links."""
    en = lang == "en"
    groups: dict[str, list[Notification]] = {}
    for n in notices:
        groups.setdefault(n.kind if n.kind in KINDS else "", []).append(n)
    order = [k for k in KINDS if k in groups] + ([""] if "" in groups else [])
    total = len(notices)
    if en:
        subject = f"{SUBJECT_PREFIX_EN} Daily digest of {day:%d/%m/%Y}: {total} notifications"
    else:
        subject = f"{SUBJECT_PREFIX} Tổng hợp thông báo ngày {day:%d/%m/%Y}: {total} thông báo"
    lines = [subject.split("] ", 1)[1], ""]
    for kind in order:
        items = groups[kind]
        head = KINDS.get(kind, OTHER)[1 if en else 0]
        lines.append(f"{head} ({len(items)})")
        for n in items[:LIST_AT_MOST]:
            vi, _, en_text = n.message.partition("\n")
            text = (en_text or vi) if en else vi
            link = f" — {absolute(session, f'/nominations/{n.nomination_id}')}" if n.nomination_id else ""
            lines.append(f"  • {text}{link}")
        if len(items) > LIST_AT_MOST:
            more = len(items) - LIST_AT_MOST
            lines.append(f"  … and {more} more" if en else f"  … và {more} thông báo khác")
        lines.append("")
    see = "All notifications" if en else "Tất cả thông báo"
    change = "Change how you are notified" if en else "Đổi cách nhận thông báo"
    lines += [f"{see}: {absolute(session, '/notifications')}", "", "-- ",
              f"{change}: {absolute(session, '/account')}"]
    return subject, "\n".join(lines) + "\n"


def _due_users(s: Session, day: date) -> list[User]:
    """Users who asked for the digest and have none for `day` yet."""
    done = select(UserDigest.id).where(and_(UserDigest.user_id == User.id, UserDigest.day == day)).exists()
    return list(s.execute(select(User).where(
        User.notify_digest.is_(True), User.active.is_(True), User.email.is_not(None), ~done)
        .order_by(User.id)).scalars())


def send_due(db: Database, now: datetime) -> DigestRun:
    """Write yesterday's digest (Vietnam time) of every user who wants one and has none yet:
    into the outbox, which the same sweep then sends. A read first, so an idle sweep writes nothing."""
    day = local_date(now) - timedelta(days=1)
    run = DigestRun()
    with db.read() as s:
        pending = [u.id for u in _due_users(s, day)]
    for user_id in pending:
        with db.write() as s:
            user = s.get(User, user_id)
            if user is None or not user.notify_digest or not user.email:
                continue
            notices = _notices(s, user, day)
            # The day is taken by whoever writes its row first: a parallel sweep writes nothing.
            if not insert_ignore(s, UserDigest, [{"user_id": user.id, "day": day, "notices": len(notices),
                                                  "created_at": now}]):
                continue
            run.users += 1
            if not notices:
                run.empty += 1
                continue
            subject, body = compose(notices, user.language or "vi", day, s)
            insert_ignore(s, OutboxMessage, outbox_rows([(f"userdigest:{user.id}:{day.isoformat()}", user.email)],
                                                        subject=subject, body=body, now=now))
            run.sent += 1
    return run
