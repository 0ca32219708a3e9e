"""Councils (Hội đồng Thi đua - Khen thưởng) as data: each org's roster and quorum.

Luật TĐKT 2022 Art. 84(1)-(2): each ministry, province and unit sets up its council (chair,
vice chairs, a standing member as secretary, members), and the council's opinion is a vote of
its members. So the size a ballot is counted against comes from the roster kept here, never
from what the secretary types at a vote; `council_of` is the one reader other aggregates use.
Without a roster, a tally may not claim fewer members than the council's last recorded tally
(issue 13, L3).
"""
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from states.routes import TWO_THIRDS
from workflow import validation as v
from workflow.access.actors import NO_CONTEXT, RequestContext
from workflow.access.loading import load_actor
from workflow.audit.chain import admin_event
from workflow.catalogue.awards import fraction
from workflow.errors import InvalidInput
from workflow.kernel.db import Database, core
from workflow.kernel.locks import for_update
from workflow.kernel.uow import unit_of_work
from workflow.models import Council, CouncilMember, CouncilVote
from workflow.orgs import service

ROLES = ("chair", "vice_chair", "secretary", "member")
MAX_MEMBERS = 200


@dataclass(frozen=True)
class Member:
    name: str
    role: str


@dataclass(frozen=True)
class CouncilView:
    """A council as a vote reads it: `size` members on the roster, `quorum` a share of them."""
    org_id: int
    size: int
    quorum: Fraction
    members: tuple[Member, ...]

    def members_needed(self, quorum: Fraction | None = None) -> int:
        """Members who must take part for the meeting to be valid (the stricter of two rules)."""
        share = max(self.quorum, quorum or Fraction(0))
        needed = share * self.size
        return int(needed) if needed.denominator == 1 else int(needed) + 1


_COUNCILS, _MEMBERS, _VOTES = Council.__table__, CouncilMember.__table__, CouncilVote.__table__
# Built once: every vote reads them.
_COUNCIL = select(_COUNCILS.c.quorum).where(_COUNCILS.c.org_id == bindparam("org_id"))
_ROSTER = (select(_MEMBERS.c.name, _MEMBERS.c.role).where(_MEMBERS.c.org_id == bindparam("org_id"))
           .order_by(_MEMBERS.c.position))
_LAST_SIZE = (select(_VOTES.c.members).where(_VOTES.c.org_id == bindparam("org_id"))
              .order_by(_VOTES.c.id.desc()).limit(1))


def council_of(session: Session, org_id: int) -> CouncilView | None:
    """The council of `org_id` with its roster, or None when the org keeps no roster."""
    quorum = core(session, _COUNCIL, {"org_id": org_id}).scalar()  # a roster changed in this transaction counts
    if quorum is None:
        return None
    members = core(session, _ROSTER, {"org_id": org_id}).all()
    return CouncilView(org_id, len(members), Fraction(quorum), tuple(Member(m.name, m.role) for m in members))


def recorded_size(session: Session, org_id: int) -> int | None:
    """The members of this council's last recorded tally (no roster kept)."""
    return core(session, _LAST_SIZE, {"org_id": org_id}).scalar()


def get_council(db: Database, actor_id: int, org_id: int) -> CouncilView:
    with db.read() as s:
        load_actor(s, actor_id)
        service._org(s, org_id)
        return council_of(s, org_id) or CouncilView(org_id, 0, TWO_THIRDS, ())


def _members(raw: object) -> list[Member]:
    if not isinstance(raw, list) or not raw:
        raise InvalidInput("Cần danh sách thành viên Hội đồng", "The council needs a list of members", field="members")
    if len(raw) > MAX_MEMBERS:
        raise InvalidInput(f"Hội đồng tối đa {MAX_MEMBERS} thành viên", f"At most {MAX_MEMBERS} members",
                           field="members")
    out = []
    for i, m in enumerate(raw):
        if not isinstance(m, dict):
            raise InvalidInput("Mỗi thành viên là {name, role}", "Each member is {name, role}", field=f"members[{i}]")
        out.append(Member(v.text(m.get("name"), f"members[{i}].name", max_len=200),
                          v.choice(m.get("role", "member"), f"members[{i}].role", ROLES)))
    chairs = sum(m.role == "chair" for m in out)
    if chairs != 1:
        raise InvalidInput("Hội đồng có đúng một Chủ tịch", "A council has exactly one chair", field="members")
    if not any(m.role == "secretary" for m in out):
        raise InvalidInput("Hội đồng cần một thư ký (ủy viên thường trực)",
                           "A council needs a secretary (standing member)", field="members")
    return out


def _quorum(raw: object) -> Fraction:
    if raw is None:
        return TWO_THIRDS
    try:
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            raise TypeError
        q = fraction(raw)
    except (ValueError, ZeroDivisionError, TypeError):
        raise InvalidInput("quorum là một tỷ lệ, ví dụ 2/3 hoặc 0.6667", "quorum is a share, e.g. 2/3 or 0.6667",
                           field="quorum") from None
    if not Fraction(1, 2) <= q <= 1:
        raise InvalidInput("quorum phải từ 50% đến 100% số thành viên", "quorum must be between 50% and 100%",
                           field="quorum")
    return q


def put_council(db: Database, actor_id: int, org_id: int, body: object, *, now: datetime,
                ctx: RequestContext = NO_CONTEXT) -> CouncilView:
    """Set the council's roster and quorum (a decision on the council's membership), audited."""
    body = service._body(body)
    members = _members(body.get("members"))
    quorum = _quorum(body.get("quorum"))
    with unit_of_work(db) as s:
        actor = service._admin(s, actor_id)
        org = service._org(s, org_id)
        if org.valid_to is not None:
            raise InvalidInput(f"'{org.name}' đã giải thể hoặc sáp nhập", f"'{org.name}' is closed", field="org")
        council = s.execute(for_update(s, select(Council).where(Council.org_id == org.id), Council)).scalar()
        before = council_of(s, org.id)
        if council is None:
            council = Council(org_id=org.id, quorum=str(quorum), updated_at=now)
            s.add(council)
        else:
            council.quorum, council.updated_at = str(quorum), now
            s.execute(delete(CouncilMember).where(CouncilMember.org_id == org.id))
        s.flush()
        for i, m in enumerate(members):
            s.add(CouncilMember(org_id=org.id, position=i, name=m.name, role=m.role))
        admin_event(s, actor, ctx, now, "council_set", service.CHAIN_ENTITY, org.id,
                    {"size": len(members), "quorum": str(quorum), "before_size": before.size if before else None,
                     "members": [{"name": m.name, "role": m.role} for m in members]})
        s.flush()
        return CouncilView(org.id, len(members), quorum, tuple(members))


def vote_council(s: Session, org_id: int | None, threshold: Fraction | None, quorum: Fraction) -> dict | None:
    """What a vote at `org_id` is counted against: the roster's size (or, with no roster, the last
    recorded size), the quorum (the stricter of the step's and the council's) and the threshold."""
    if org_id is None:
        return None
    c = council_of(s, org_id)
    return {"org_id": org_id, "size": c.size if c else recorded_size(s, org_id),
            "quorum": float(max(quorum, c.quorum) if c else quorum),
            "threshold": float(threshold) if threshold is not None else None, "roster": c is not None}


_UNREAD: Any = object()


def members_for_vote(s: Session, org_id: int | None, given: object, field: str, *,
                     council: CouncilView | None = _UNREAD) -> int:
    """The council size a tally counts against: the roster's (a different `members` is refused),
    else what was given, never fewer than the council's last recorded tally. `council`: the
    roster the caller has already read for `org_id`."""
    c = council if council is not _UNREAD else council_of(s, org_id) if org_id is not None else None
    if c is not None and c.size:
        if given is None:
            return c.size
        if v.integer(given, field, minimum=1, maximum=MAX_MEMBERS * 5) != c.size:
            raise InvalidInput(f"Hội đồng có {c.size} thành viên theo danh sách; số thành viên {given} không khớp",
                               f"The council's roster has {c.size} members; members {given} does not match",
                               field=field)
        return c.size
    members = v.integer(given, field, minimum=1, maximum=MAX_MEMBERS * 5)
    recorded = recorded_size(s, org_id) if org_id is not None else None
    if recorded and members < recorded:
        raise InvalidInput(f"Hội đồng đã ghi nhận {recorded} thành viên; không thể bỏ phiếu với {members} thành viên",
                           f"The council has recorded {recorded} members; a tally of {members} members is refused",
                           field=field)
    return members
