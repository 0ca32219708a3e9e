"""Logging in, browser sessions and API tokens. Tokens, session keys and passwords are stored
only as hashes.

A login (M5, M6 of the trust issue): the attempt is claimed from the (username, client)
throttle in a short write (workflow/auth/throttle.py), then the Argon2 hash is checked with
no transaction open (it takes about half a second: inside a SQLite write transaction it
would stall every writer), then one short write records the failure or clears the throttle.
An unknown username costs the same hash check as a known one, against a fixed dummy hash.
"""
from datetime import datetime, timedelta
from math import ceil

from sqlalchemy import select, update

from workflow import validation as v

from workflow.audit import chain as audit
from workflow.access.actors import NO_CONTEXT, Actor, RequestContext
from workflow.auth import throttle
from workflow.kernel.db import Database
from workflow.errors import InvalidInput, RateLimited, Unauthenticated
from workflow.models import ApiToken, LoginSession, User
from workflow.auth.passwords import dummy_hash, new_token, token_digest, verify_password
from workflow.access.loading import user_view
from workflow.views import UserView

BAD_LOGIN = ("Sai tên đăng nhập hoặc mật khẩu", "Wrong username or password")


def _wait_error(until: datetime, now: datetime) -> RateLimited:
    secs = max(1, ceil((until - now).total_seconds()))
    err = RateLimited(f"Đăng nhập sai nhiều lần; hãy thử lại sau {secs} giây",
                      f"Too many failed logins; try again in {secs} seconds")
    err.retry_after = secs  # type: ignore[attr-defined]
    return err


WRONG_CURRENT = ("Mật khẩu hiện tại không đúng; chưa có gì thay đổi",
                 "The current password is wrong; nothing was changed")


def check_password(db: Database, username, password, *, now: datetime,
                   ctx: RequestContext = NO_CONTEXT, purpose: str = "login") -> int:
    """The user's id when the password is right; every failure is audited and throttled.

    `purpose` "password_change": the user re-types their current password (/account); a wrong
    one counts against the same throttle as a login, is audited as `password_change_failed`
    and answered with a 422 naming the field `current`."""
    username = v.text(username, "username", max_len=80)
    password = v.text(password, "password" if purpose == "login" else "current", max_len=500)
    client = throttle.client_key(ctx.client_ip)
    wait = throttle.claim(db, username, client, now)
    if wait is not None:
        raise _wait_error(wait, now)
    with db.read() as s:
        user = s.execute(select(User.id, User.role, User.org_id, User.active, User.password_hash)
                         .where(User.username == username)).first()
    # The same Argon2 work whether the username exists or not, outside any transaction.
    good = verify_password(user.password_hash if user else dummy_hash(), password)
    if user is not None and user.active and good:
        throttle.clear(db, username, client)
        return user.id
    with db.write() as s:
        actor = Actor(user.id if user else None, username, user.role if user else "anonymous",
                      user.org_id if user else None)
        audit.append(s, f"auth:{username}", at=now, actor=actor, ctx=ctx,
                     action="login_failed" if purpose == "login" else "password_change_failed",
                     entity="user", entity_id=user.id if user else None)
    if purpose == "login":
        raise Unauthenticated(*BAD_LOGIN)
    raise InvalidInput(*WRONG_CURRENT, field="current")


def issue_token(db: Database, user_id: int, *, now: datetime, ttl_hours: int = 12) -> tuple[str, datetime]:
    token, digest = new_token()
    expires = now + timedelta(hours=ttl_hours)
    with db.write() as s:
        s.add(ApiToken(user_id=user_id, token_hash=digest, created_at=now, expires_at=expires))
    return token, expires


def revoke_all(s, user_id: int, now: datetime, *, keep_session: str | None = None,
               keep_token: str | None = None) -> int:
    """End every API token and browser session of a user, in the caller's transaction
    (password change or reset, deactivation): reactivating the account revives none. A user
    changing their own password keeps the session or token they did it with (`keep_*`: the
    session key or the token itself, not their digests)."""
    tokens = update(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
    if keep_token:
        tokens = tokens.where(ApiToken.token_hash != token_digest(keep_token))
    sessions = update(LoginSession).where(LoginSession.user_id == user_id, LoginSession.ended_at.is_(None))
    if keep_session:
        sessions = sessions.where(LoginSession.token_hash != token_digest(keep_session))
    n = s.execute(tokens.values(revoked_at=now).execution_options(synchronize_session=False)).rowcount
    n += s.execute(sessions.values(ended_at=now).execution_options(synchronize_session=False)).rowcount
    return n


def start_session(db: Database, user_id: int, *, now: datetime) -> str:
    """A new browser session; the returned key goes into the (signed) session cookie."""
    key, digest = new_token()
    with db.write() as s:
        s.add(LoginSession(user_id=user_id, token_hash=digest, created_at=now))
    return key


def session_owner(db: Database, key: str) -> int | None:
    """The user of a live browser session (not ended, account active), else None."""
    if not key or len(key) > 100:
        return None
    with db.read() as s:
        return s.execute(select(LoginSession.user_id).join(User, User.id == LoginSession.user_id).where(
            LoginSession.token_hash == token_digest(key), LoginSession.ended_at.is_(None),
            User.active.is_(True))).scalar()


def end_session(db: Database, key: str, *, now: datetime) -> None:
    """Logout: the session ends on the server, so a copy of the cookie is worthless."""
    if not key or len(key) > 100:
        return
    with db.write() as s:
        s.execute(update(LoginSession).where(LoginSession.token_hash == token_digest(key),
                                             LoginSession.ended_at.is_(None)).values(ended_at=now))


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
