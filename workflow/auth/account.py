"""A user's own account (/account, `GET/PATCH /me`, `POST /me/password`): their password, the
language the pages speak to them, their e-mail address and how notices reach them.

Changing one's password: the current password is checked as a login is (the same throttle per
username and client address, Argon2 with no transaction open, a failure audited), the new one
must pass the one password policy (workflow/auth/policy.py) and is hashed before the write;
then, in one short write, the hash is replaced, every *other* browser session and API token of
the user ends (the one the change was made with is kept) and the change is audited. Each
preference change is audited with what changed.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from workflow import validation as v
from workflow.access.actors import NO_CONTEXT, RequestContext
from workflow.access.loading import load_actor
from workflow.audit import chain as audit
from workflow.auth import service as auth
from workflow.auth.passwords import hash_password
from workflow.auth.policy import valid_password
from workflow.errors import Conflict, InvalidInput, NotFound
from workflow.kernel.db import Database
from workflow.models import User

LANGUAGES = ("vi", "en")
PREFERENCES = ("language", "email", "notify_email", "notify_digest")


@dataclass(frozen=True)
class AccountView:
    id: int
    username: str
    full_name: str
    email: str | None
    language: str
    notify_email: bool
    notify_digest: bool


def _user(s: Session, user_id: int) -> User:
    user = s.get(User, user_id) if 0 < user_id < 2**62 else None
    if user is None or not user.active:
        raise NotFound(f"Không tìm thấy người dùng #{user_id}", f"User #{user_id} not found")
    return user


def _view(u: User) -> AccountView:
    return AccountView(u.id, u.username, u.full_name, u.email, u.language or "vi", bool(u.notify_email),
                       bool(u.notify_digest))


def account(db: Database, user_id: int) -> AccountView:
    with db.read() as s:
        return _view(_user(s, user_id))


def language_of(db: Database, user_id: int) -> str:
    """The language the user chose (the pages switch to it at login)."""
    return account(db, user_id).language


def _flag(value, field: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(f"Trường {field} phải là true hoặc false", f"Field {field} must be true or false",
                           field=field)
    return value


def update_account(db: Database, user_id: int, fields: dict, *, now: datetime,
                   ctx: RequestContext = NO_CONTEXT) -> AccountView:
    """Change any of `language` (vi | en), `email` (empty: none), `notify_email`, `notify_digest`;
    fields left out stay as they are. Audited as `account_update` with the values changed."""
    if not isinstance(fields, dict):
        raise InvalidInput("Nội dung phải là đối tượng JSON", "The body must be a JSON object", field="body")
    unknown = sorted(set(fields) - set(PREFERENCES))
    if unknown:
        raise InvalidInput(f"Không sửa được trường {unknown[0]}", f"Field {unknown[0]} cannot be changed here",
                           field=unknown[0])
    wanted: dict = {}
    if "language" in fields:
        wanted["language"] = v.choice(fields["language"], "language", LANGUAGES)
    if "email" in fields:
        wanted["email"] = v.email(fields["email"])
    for flag in ("notify_email", "notify_digest"):
        if flag in fields:
            wanted[flag] = _flag(fields[flag], flag)
    with db.write() as s:
        user = _user(s, user_id)
        diff = {k: [getattr(user, k), val] for k, val in wanted.items() if getattr(user, k) != val}
        for k, (_, val) in diff.items():
            setattr(user, k, val)
        if diff:
            audit.admin_event(s, load_actor(s, user_id), ctx, now, "account_update", "user", user.id,
                              {"username": user.username, "changed": diff})
        return _view(user)


def change_password(db: Database, user_id: int, current, new, *, now: datetime,
                    ctx: RequestContext = NO_CONTEXT, keep_session: str | None = None,
                    keep_token: str | None = None) -> int:
    """Replace the user's password after checking the current one; every other session and
    token ends. Returns how many ended. A wrong current password changes nothing (422 `current`)."""
    with db.read() as s:
        user = _user(s, user_id)
        username, seen_hash = user.username, user.password_hash
    new_pw = valid_password(new, "new")
    if auth.check_password(db, username, current, now=now, ctx=ctx, purpose="password_change") != user_id:
        raise InvalidInput(*auth.WRONG_CURRENT, field="current")
    if new_pw == current:
        raise InvalidInput("Mật khẩu mới phải khác mật khẩu hiện tại",
                           "The new password must differ from the current one", field="new")
    new_hash = hash_password(new_pw)  # Argon2 before the write transaction opens
    with db.write() as s:
        user = _user(s, user_id)
        if user.password_hash != seen_hash:  # changed or reset meanwhile: the check above is stale
            raise Conflict("Mật khẩu vừa được đổi ở nơi khác; hãy thử lại",
                           "The password was changed meanwhile; try again", field="current")
        user.password_hash = new_hash
        ended = auth.revoke_all(s, user.id, now, keep_session=keep_session, keep_token=keep_token)
        audit.admin_event(s, load_actor(s, user_id), ctx, now, "password_change", "user", user.id,
                          {"username": user.username, "sessions_ended": ended})
    return ended
