"""Administration (quản trị): users and roles, the award catalogue, the organisation tree.

Only the administrator may use these. Every change writes an audit event in the same
transaction; passwords never appear in the audit payload.
"""
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from states.routes import ROLES
from workflow import validation as v
from workflow.audit import chain as audit
from workflow.access.actors import NO_CONTEXT, Actor, RequestContext
from workflow.kernel.db import Database
from workflow.errors import Conflict, Forbidden, InvalidInput, NotFound
from workflow.models import User
from workflow.orgs.tree import org_tree
from workflow.auth.passwords import hash_password
from workflow.auth.policy import valid_password
from workflow.auth.service import revoke_all
from workflow.access.loading import load_actor

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,79}")


@dataclass
class UserRow:
    id: int
    username: str
    full_name: str
    email: str | None
    role: str
    org_id: int
    org_name: str
    active: bool


@dataclass
class OrgRow:
    id: int
    code: str
    name: str
    level: str
    depth: int
    users: int


def _admin(s: Session, actor_id: int) -> Actor:
    actor = load_actor(s, actor_id)
    if not actor.is_admin:
        raise Forbidden("Chỉ quản trị hệ thống được dùng chức năng này",
                        "Only the administrator may do this")
    return actor


def _record(s: Session, actor: Actor, entity: str, entity_id, action: str, payload: dict,
            now: datetime, ctx: RequestContext) -> None:
    """One audit event per administrative change, in the caller's transaction (chain
    "admin:<entity>"); payloads carry names and values, never a password or its hash."""
    audit.admin_event(s, actor, ctx, now, action, entity, entity_id, payload)


def _row(s: Session, u: User) -> UserRow:
    node = org_tree(s).get(u.org_id)
    return UserRow(u.id, u.username, u.full_name, u.email, u.role, u.org_id,
                   node.name if node else "", u.active)


def list_users(db: Database, actor_id: int) -> list[UserRow]:
    with db.read() as s:
        _admin(s, actor_id)
        return [_row(s, u) for u in s.execute(select(User).order_by(User.username)).scalars()]


def get_user(db: Database, actor_id: int, user_id: int) -> UserRow:
    with db.read() as s:
        _admin(s, actor_id)
        return _row(s, _user(s, user_id))


def _user(s: Session, user_id) -> User:
    user = s.get(User, user_id) if isinstance(user_id, int) and 0 < user_id < 2**62 else None
    if user is None:
        raise NotFound(f"Không tìm thấy người dùng #{user_id}", f"User #{user_id} not found")
    return user


def _hashed(value) -> str:
    """The Argon2 hash of a policy-checked password, computed before any write transaction
    opens (half a second inside a SQLite write would stall every writer)."""
    return hash_password(valid_password(value))


def _profile(s: Session, fields: dict) -> dict:
    """Validated full name, e-mail, role and org of a user form."""
    org_id = v.integer(fields.get("org_id"), "org_id", minimum=1)
    if org_id not in org_tree(s).nodes:
        raise InvalidInput(f"Không có đơn vị #{org_id}", f"No org unit #{org_id}", field="org_id")
    email = v.email(fields.get("email"))
    return {"full_name": v.text(fields.get("full_name"), "full_name", max_len=200),
            "email": email, "role": v.choice(fields.get("role"), "role", ROLES), "org_id": org_id}


def create_user(db: Database, actor_id: int, fields: dict, *, now: datetime,
                ctx: RequestContext = NO_CONTEXT) -> UserRow:
    """A new account: username, full name, e-mail, role, org and a first password."""
    password_hash = _hashed(fields.get("password"))
    with db.write() as s:
        actor = _admin(s, actor_id)
        username = v.text(fields.get("username"), "username", max_len=80).lower()
        if not USERNAME.fullmatch(username):
            raise InvalidInput("Tên đăng nhập chỉ gồm chữ thường không dấu, số, dấu chấm, gạch",
                               "Usernames use lowercase letters, digits, dots, dashes", field="username")
        if s.execute(select(User.id).where(User.username == username)).scalar() is not None:
            raise Conflict(f"Tên đăng nhập {username} đã có", f"Username {username} is taken",
                           field="username")
        profile = _profile(s, fields)
        user = User(username=username, password_hash=password_hash,
                    active=True, created_at=now, **profile)
        s.add(user)
        s.flush()
        _record(s, actor, "user", user.id, "user_create", {"username": username, **profile}, now, ctx)
        return _row(s, user)


def update_user(db: Database, actor_id: int, user_id: int, fields: dict, *, now: datetime,
                ctx: RequestContext = NO_CONTEXT) -> UserRow:
    """Change a user's name, e-mail, role, org or active flag."""
    with db.write() as s:
        actor = _admin(s, actor_id)
        user = _user(s, user_id)
        changes = {**_profile(s, fields), "active": bool(fields.get("active"))}
        if user.id == actor.user_id and (changes["role"] != user.role or not changes["active"]):
            raise InvalidInput("Không tự đổi vai trò hoặc khoá tài khoản của chính mình",
                               "You cannot change your own role or deactivate yourself", field="role")
        diff = {k: [getattr(user, k), val] for k, val in changes.items() if getattr(user, k) != val}
        for k, (_, val) in diff.items():
            setattr(user, k, val)
        if not user.active and "active" in diff:
            revoke_all(s, user.id, now)  # reactivating later revives no old token or session
        if diff:
            _record(s, actor, "user", user.id, "user_update", {"username": user.username, "changed": diff},
                    now, ctx)
        return _row(s, user)


def reset_password(db: Database, actor_id: int, user_id: int, password, *, now: datetime,
                   ctx: RequestContext = NO_CONTEXT) -> None:
    """Set a new password; every API token and browser session of the user ends."""
    password_hash = _hashed(password)
    with db.write() as s:
        actor = _admin(s, actor_id)
        user = _user(s, user_id)
        user.password_hash = password_hash
        revoke_all(s, user.id, now)
        _record(s, actor, "user", user.id, "password_reset", {"username": user.username}, now, ctx)


def org_rows(db: Database, actor_id: int) -> list[OrgRow]:
    """The organisation tree, depth-first, with the number of users of each org."""
    with db.read() as s:
        _admin(s, actor_id)
        tree = org_tree(s)
        users: dict[int, int] = {}
        for org_id in s.execute(select(User.org_id)).scalars():
            users[org_id] = users.get(org_id, 0) + 1
        nodes = sorted(tree.nodes.values(), key=lambda n: [tree.nodes[int(p)].name
                                                           for p in n.path.strip("/").split("/")])
        return [OrgRow(n.id, n.code, n.name, n.level, n.path.strip("/").count("/"), users.get(n.id, 0))
                for n in nodes]


def clear_login_throttle(db: Database, actor_id: int, username, *, now: datetime,
                         ctx: RequestContext = NO_CONTEXT) -> int:
    """Forget the failed logins of `username` from every address (the admin's "unblock")."""
    from workflow.auth import throttle
    name = v.text(username, "username", max_len=80)
    with db.write() as s:
        actor = _admin(s, actor_id)
        _record(s, actor, "user", None, "login_throttle_clear", {"username": name}, now, ctx)
    return throttle.clear(db, name)


def unlock_user(db: Database, actor_id: int, user_id: int, *, now: datetime,
                ctx: RequestContext = NO_CONTEXT) -> int:
    """From the user's own admin page: forget their failed logins from every address, so they
    (or anyone slowed down trying their name) may log in again at once. Audited with the user's
    id and how many addresses were cleared, in the same transaction as the clearing."""
    from workflow.auth import throttle
    with db.write() as s:
        actor = _admin(s, actor_id)
        user = _user(s, user_id)
        cleared = throttle.clear_in(s, user.username)
        _record(s, actor, "user", user.id, "login_throttle_clear", {"username": user.username, "cleared": cleared},
                now, ctx)
    return cleared


def user_throttles(db: Database, actor_id: int, user_id: int) -> list:
    """The addresses a user's failed logins came from, with the wait each is under."""
    from workflow.auth import throttle
    with db.read() as s:
        _admin(s, actor_id)
        username = _user(s, user_id).username
    return throttle.rows_of(db, username)


def login_throttles(db: Database, actor_id: int, *, now: datetime) -> list:
    """Usernames and addresses with recent failed logins, for the admin's page."""
    from workflow.auth import throttle
    with db.read() as s:
        _admin(s, actor_id)
    return throttle.rows(db, now)
