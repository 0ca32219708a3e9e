"""Logging in and API tokens. Tokens and passwords are stored only as hashes."""
from datetime import datetime, timedelta

from sqlalchemy import func, select

from workflow import validation as v

from workflow.audit import chain as audit
from workflow.access.actors import NO_CONTEXT, Actor, RequestContext
from workflow.kernel.db import Database
from workflow.errors import RateLimited, Unauthenticated
from workflow.models import ApiToken, AuditEvent, User
from workflow.auth.passwords import new_token, token_digest, verify_password
from workflow.access.loading import user_view
from workflow.views import UserView

MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
BAD_LOGIN = ("Sai tên đăng nhập hoặc mật khẩu", "Wrong username or password")


def _recent_failures(s, username: str, now: datetime) -> int:
    return s.execute(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.chain == f"auth:{username}", AuditEvent.action == "login_failed",
        AuditEvent.at > now - FAILURE_WINDOW)).scalar_one()


def check_password(db: Database, username, password, *, now: datetime,
                   ctx: RequestContext = NO_CONTEXT) -> int:
    """The user's id when the password is right; every failure is audited and rate-limited."""
    username = v.text(username, "username", max_len=80)
    password = v.text(password, "password", max_len=500)
    failed = False
    with db.write() as s:
        if _recent_failures(s, username, now) >= MAX_FAILURES:
            raise RateLimited("Đăng nhập sai quá nhiều lần; hãy thử lại sau 15 phút",
                              "Too many failed logins; try again in 15 minutes")
        user = s.execute(select(User).where(User.username == username)).scalar_one_or_none()
        if user is None or not user.active or not verify_password(user.password_hash, password):
            failed = True
            actor = Actor(user.id if user else None, username, user.role if user else "anonymous",
                          user.org_id if user else None)
            audit.append(s, f"auth:{username}", at=now, actor=actor, ctx=ctx, action="login_failed",
                         entity="user", entity_id=user.id if user else None)
        else:
            return user.id
    if failed:
        raise Unauthenticated(*BAD_LOGIN)


def issue_token(db: Database, user_id: int, *, now: datetime, ttl_hours: int = 12) -> tuple[str, datetime]:
    token, digest = new_token()
    expires = now + timedelta(hours=ttl_hours)
    with db.write() as s:
        s.add(ApiToken(user_id=user_id, token_hash=digest, created_at=now, expires_at=expires))
    return token, expires


def token_for_username(db: Database, username: str, *, now: datetime, ttl_hours: int = 24 * 30
                       ) -> tuple[str, datetime]:
    with db.read() as s:
        user = s.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None:
        raise Unauthenticated(f"Không có người dùng {username}", f"No user {username}")
    return issue_token(db, user.id, now=now, ttl_hours=ttl_hours)


def authenticate(db: Database, token: str, *, now: datetime) -> int:
    """The user id behind a bearer token, or Unauthenticated."""
    with db.read() as s:
        row = s.execute(select(ApiToken.user_id, ApiToken.expires_at, ApiToken.revoked_at, User.active)
                        .join(User, User.id == ApiToken.user_id)
                        .where(ApiToken.token_hash == token_digest(token))).first()
    if row is None or row.revoked_at is not None or row.expires_at <= now or not row.active:
        raise Unauthenticated("Mã truy cập không hợp lệ hoặc đã hết hạn", "Invalid or expired token")
    return row.user_id


def revoke_token(db: Database, token: str, *, now: datetime) -> None:
    with db.write() as s:
        row = s.execute(select(ApiToken).where(ApiToken.token_hash == token_digest(token))).scalar_one_or_none()
        if row is not None and row.revoked_at is None:
            row.revoked_at = now


def me(db: Database, user_id: int) -> UserView:
    with db.read() as s:
        return user_view(s, s.get(User, user_id))
