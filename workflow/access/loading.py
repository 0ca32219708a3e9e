"""Helpers every service uses: who is acting, and loading what they may see."""
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from workflow.access.actors import SYSTEM_ACTOR, Actor
from workflow.errors import NotFound, Unauthenticated
from workflow.kernel import prepared
from workflow.models import OrgUnit, User
from workflow.views import UserView


_USERS = User.__table__
_ACTOR = select(_USERS.c.id, _USERS.c.username, _USERS.c.role, _USERS.c.org_id, _USERS.c.full_name,
                _USERS.c.email, _USERS.c.active).where(_USERS.c.id == bindparam("user_id"))


def load_actor(session: Session, user_id: int | None) -> Actor:
    """The acting user, read afresh in this transaction (a disabled user stops at once)."""
    if user_id is None:
        return SYSTEM_ACTOR
    row = prepared.select_rows(session.connection(), _ACTOR, {"user_id": user_id}).first()
    if row is None or not row.active:
        raise Unauthenticated("Người dùng không tồn tại hoặc đã bị khoá", "Unknown or disabled user")
    return Actor(row.id, row.username, row.role, row.org_id, row.full_name, row.email)


def user_view(session: Session, user: User) -> UserView:
    org = session.get(OrgUnit, user.org_id)
    return UserView(user.id, user.username, user.full_name, user.email, user.role, user.org_id,
                    org.name if org else None, org.level if org else None, [user.role])


def get_or_404(session: Session, model, ident, what_vi: str, what_en: str):
    obj = session.get(model, ident) if isinstance(ident, int) and 0 < ident < 2**62 else None
    if obj is None:
        raise NotFound(f"Không tìm thấy {what_vi} #{ident}", f"{what_en} #{ident} not found")
    return obj
