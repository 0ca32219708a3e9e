"""Users, their API tokens and failed logins."""
from datetime import datetime

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint, true, false
from sqlalchemy.orm import Mapped, mapped_column

from workflow.models.base import Base, BigId


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(40))
    org_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    # The user's own preferences (/account): the pages' language, and how notices reach them by
    # e-mail — at once (one e-mail per notice) and/or in one digest a day instead.
    language: Mapped[str] = mapped_column(String(5), default="vi", server_default="vi")
    notify_email: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    notify_digest: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class UserDigest(Base):
    """One daily digest (thư tổng hợp) per user and day: the unique key makes the scheduler's
    sweep write it once, whatever restarts or second schedulers try again."""
    __tablename__ = "user_digests"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    day: Mapped[date] = mapped_column(Date)
    notices: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    __table_args__ = (UniqueConstraint("user_id", "day", name="uq_user_digests_user_day"),)


class ApiToken(Base):
    """API tokens are stored as SHA-256 digests; the token itself is shown once."""
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class LoginAttempt(Base):
    """Failed logins per username and client, for rate limiting (audit keeps the record)."""
    __tablename__ = "login_attempts"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    username: Mapped[str] = mapped_column(String(80))
    client_ip: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime]
    __table_args__ = (Index("ix_login_attempts_user_at", "username", "at"),)


class LoginSession(Base):
    """A browser login (phiên đăng nhập) kept on the server: the cookie holds only a random
    token whose digest is stored here, so logging out, a password reset or a deactivation
    ends the session for good, whatever copy of the cookie is replayed."""
    __tablename__ = "login_sessions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class LoginThrottle(Base):
    """Failed-login counter per (username, client address): each attempt is claimed with one
    conditional UPDATE before the password is checked, so parallel guesses cannot exceed it,
    and the delay grows with the failures instead of locking the account (anyone could)."""
    __tablename__ = "login_throttles"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    username: Mapped[str] = mapped_column(String(80))
    client: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    next_allowed_at: Mapped[datetime]
    last_at: Mapped[datetime]
    __table_args__ = (UniqueConstraint("username", "client", name="uq_login_throttle"),)
