"""In-app notifications (thông báo) of the caller: those addressed to their role at their org.

A notification is addressed to a role at an org and shared by its users: whoever reads it
marks it read for all of them (they share one inbox of work too).
"""
import base64
import json
from datetime import datetime

from sqlalchemy import and_, case, func, or_, select, update

from workflow import validation as v
from workflow.access.actors import Actor
from workflow.kernel.db import Database
from workflow.errors import InvalidInput, NotFound
from workflow.models import Notification
from workflow.access.loading import load_actor

UNREAD_FIRST = case((Notification.read_at.is_(None), 0), else_=1)


def _mine(actor: Actor):
    return and_(Notification.org_id == actor.org_id,
                or_(Notification.role == actor.role, Notification.role.is_(None)))


def notification_dict(n: Notification) -> dict:
    vi, _, en = n.message.partition("\n")
    return {"id": n.id, "kind": n.kind, "message": vi, "message_en": en or vi,
            "nomination_id": n.nomination_id, "created_at": n.created_at.isoformat(),
            "read_at": n.read_at.isoformat() if n.read_at else None, "unread": n.read_at is None}


def _cursor(raw: str | None) -> tuple[int, int] | None:
    if not raw:
        return None
    try:
        flag, last = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        return int(flag), int(last)
    except (ValueError, TypeError):
        raise InvalidInput("Con trỏ phân trang không hợp lệ", "Invalid cursor", field="cursor") from None


def list_notifications(db: Database, actor_id: int, *, unread_only: bool = False,
                       cursor: str | None = None, limit: int = 50) -> dict:
    """Mine, unread first, newest first within each; keyset-paged."""
    limit = v.integer(limit, "limit", minimum=1, maximum=200)
    after = _cursor(cursor)
    with db.read() as s:
        actor = load_actor(s, actor_id)
        q = select(Notification).where(_mine(actor))
        if unread_only:
            q = q.where(Notification.read_at.is_(None))
        if after:
            q = q.where(or_(after[0] < UNREAD_FIRST, and_(after[0] == UNREAD_FIRST, Notification.id < after[1])))
        rows = s.execute(q.order_by(UNREAD_FIRST, Notification.id.desc()).limit(limit + 1)).scalars().all()
        unread = s.execute(select(func.count()).select_from(Notification)
                           .where(_mine(actor), Notification.read_at.is_(None))).scalar_one()
        nxt = None
        if len(rows) > limit:
            last = rows[limit - 1]
            key = json.dumps([0 if last.read_at is None else 1, last.id]).encode()
            nxt = base64.urlsafe_b64encode(key).decode().rstrip("=")
        return {"items": [notification_dict(n) for n in rows[:limit]], "unread": unread, "next_cursor": nxt}


def mark_read(db: Database, actor_id: int, notification_id: int, *, now: datetime) -> dict:
    """Mark one of mine read (again: no change); 404 for anyone else's."""
    with db.write() as s:
        actor = load_actor(s, actor_id)
        n = s.get(Notification, notification_id) if 0 < notification_id < 2**62 else None
        if n is None or s.execute(select(Notification.id).where(
                Notification.id == n.id, _mine(actor))).first() is None:
            raise NotFound(f"Không tìm thấy thông báo #{notification_id}",
                           f"Notification #{notification_id} not found")
        if n.read_at is None:
            n.read_at = now
        s.flush()
        return notification_dict(n)


def mark_all_read(db: Database, actor_id: int, *, now: datetime) -> dict:
    with db.write() as s:
        actor = load_actor(s, actor_id)
        done = s.connection().execute(update(Notification).where(_mine(actor), Notification.read_at.is_(None))
                         .values(read_at=now).execution_options(synchronize_session=False)).rowcount
        return {"marked": done}


def unread_count(db: Database, actor_id: int) -> int:
    """How many of mine are unread (the bell in the page header)."""
    with db.read() as s:
        actor = load_actor(s, actor_id)
        if actor.org_id is None:
            return 0
        return s.execute(select(func.count()).select_from(Notification)
                         .where(_mine(actor), Notification.read_at.is_(None))).scalar_one()
