"""Delegation (ủy quyền, ký thay "KT."): a leader away names a stand-in of the same office for a
period; while it runs, the stand-in may take the actions the leader could take, and every audit
event so written names the stand-in as the actor and records on whose behalf ("KT. <leader>").

Only leaders delegate (unit head, minister / provincial chairman, central leader): the power to
decide and sign is the head's, and a deputy signs "KT." (ký thay) for the head — the signing
form of administrative documents (Nghị định 30/2020/NĐ-CP, Điều 13). The period is in days,
inclusive, in Vietnam time.
"""
from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from states.routes import CENTRAL_LEADER, MINISTRY_LEADER, UNIT_HEAD
from workflow import validation as v
from workflow.access.actors import NO_CONTEXT, Actor, RequestContext
from workflow.access.loading import load_actor
from workflow.access.policy import actions_for, may_act
from workflow.audit import chain as audit
from workflow.errors import Conflict, Forbidden, InvalidInput
from workflow.kernel.db import Database
from workflow.kernel.uow import flush, unit_of_work
from workflow.models import Delegation, User

VN = ZoneInfo("Asia/Ho_Chi_Minh")
LEADERS = (UNIT_HEAD, MINISTRY_LEADER, CENTRAL_LEADER)


@dataclass(frozen=True)
class DelegationView:
    id: int
    from_user: dict
    to_user: dict
    starts_on: date
    ends_on: date
    active: bool


def _today(now: datetime) -> date:
    return now.astimezone(VN).date()


def create_delegation(db: Database, actor_id: int, body: dict, *, now: datetime,
                      ctx: RequestContext = NO_CONTEXT) -> DelegationView:
    """`{"to_user_id", "from", "until"}` (dates YYYY-MM-DD, inclusive)."""
    if not isinstance(body, dict):
        raise InvalidInput("Nội dung phải là đối tượng JSON", "The body must be a JSON object")
    to_id = v.integer(body.get("to_user_id"), "to_user_id", minimum=1, maximum=2**31 - 1)
    starts, ends = v.iso_date(body.get("from"), "from"), v.iso_date(body.get("until"), "until")
    if ends < starts:
        raise InvalidInput("Ngày kết thúc phải sau ngày bắt đầu", "'until' must not be before 'from'", field="until")
    if ends < _today(now):
        raise InvalidInput("Thời hạn ủy quyền đã qua", "The period is already over", field="until")
    with unit_of_work(db) as s:
        actor = load_actor(s, actor_id)
        if actor.role not in LEADERS:
            raise Forbidden("Chỉ thủ trưởng, lãnh đạo được ủy quyền ký thay",
                            "Only a head or leader may delegate")
        stand_in = s.get(User, to_id)
        if stand_in is None or not stand_in.active or stand_in.org_id != actor.org_id or stand_in.id == actor.user_id:
            raise InvalidInput("Người được ủy quyền phải là người khác, đang làm việc tại cơ quan bạn",
                               "The stand-in must be another active user of your organisation", field="to_user_id")
        overlap = s.execute(select(Delegation.id).where(
            Delegation.from_user_id == actor.user_id, Delegation.starts_on <= ends,
            Delegation.ends_on >= starts).limit(1)).scalar()
        if overlap is not None:
            raise Conflict("Đã có ủy quyền trong thời gian này", "A delegation already covers part of this period",
                           field="from")
        d = Delegation(from_user_id=actor.user_id, to_user_id=to_id, starts_on=starts, ends_on=ends, created_at=now)
        s.add(d)
        flush(s)
        audit.admin_event(s, actor, ctx, now, "delegate", "delegation", d.id,
                          {"to_user": stand_in.username, "from": starts.isoformat(), "until": ends.isoformat()})
        return _view(s, d, now)


def list_delegations(db: Database, actor_id: int, *, now: datetime) -> list[DelegationView]:
    """Delegations the user gave or received, newest first."""
    with db.read() as s:
        actor = load_actor(s, actor_id)
        rows = s.execute(select(Delegation).where(
            (Delegation.from_user_id == actor.user_id) | (Delegation.to_user_id == actor.user_id))
            .order_by(Delegation.id.desc())).scalars().all()
        return [_view(s, d, now) for d in rows]


def _view(s: Session, d: Delegation, now: datetime) -> DelegationView:
    def who(uid: int) -> dict:
        u = s.get_one(User, uid)
        return {"id": u.id, "name": u.full_name, "username": u.username}
    today = _today(now)
    return DelegationView(d.id, who(d.from_user_id), who(d.to_user_id), d.starts_on, d.ends_on,
                          d.starts_on <= today <= d.ends_on)


def stand_in_actors(s: Session, actor: Actor, now: datetime) -> list[Actor]:
    """The user with each delegating leader's powers, under every delegation to them running
    today, each recorded "KT. <leader>" (empty for everyone else)."""
    if actor.is_system or actor.user_id is None:
        return []
    cache = s.info.setdefault("stand_in_actors", {})
    key = (actor.user_id, _today(now))
    if key not in cache:
        today = key[1]
        leaders = [load_actor(s, leader_id) for leader_id in s.execute(select(Delegation.from_user_id).where(
            Delegation.to_user_id == actor.user_id, Delegation.starts_on <= today,
            Delegation.ends_on >= today).order_by(Delegation.id)).scalars()]
        cache[key] = [replace(actor, role=leader.role, org_id=leader.org_id, on_behalf_of=f"KT. {leader.full_name}")
                      for leader in leaders]
    return cache[key]


def acting_for(s: Session, actor: Actor, nom, action: str, now: datetime) -> Actor:
    """The actor an action on `nom` is taken as: the user themselves when their own role allows
    it; else, under a delegation running today, the user with the leader's powers and "KT."."""
    if actor.is_system or may_act(actor, nom, action) or actor.user_id is None:
        return actor
    for stand_in in stand_in_actors(s, actor, now):
        if action in actions_for(stand_in, nom):
            return stand_in
    return actor


def page_actor(s: Session, actor: Actor, nom, now: datetime) -> Actor:
    """Whom a nomination's page shows the actions of: the user, or — when a running delegation
    lets them take an action their own role does not — the user with the leader's powers."""
    if actor.is_system or actor.user_id is None:
        return actor
    own = set(actions_for(actor, nom))
    for stand_in in stand_in_actors(s, actor, now):
        if set(actions_for(stand_in, nom)) - own:
            return stand_in
    return actor


def colleagues(db: Database, actor_id: int) -> list[dict]:
    """Whom a leader may name as stand-in: the other active users of their org (empty for others)."""
    with db.read() as s:
        actor = load_actor(s, actor_id)
        if actor.role not in LEADERS:
            return []
        return [{"id": u.id, "name": u.full_name} for u in s.execute(
            select(User).where(User.org_id == actor.org_id, User.active.is_(True), User.id != actor.user_id)
            .order_by(User.full_name)).scalars()]
