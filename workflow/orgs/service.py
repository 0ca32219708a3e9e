"""The organisation tree's use cases (cơ cấu tổ chức): list and search it, add an org, rename,
move or close one, and merge one into another (sáp nhập, hợp nhất).

Every change is the administrator's, checked before anything is written and audited on the
chain "admin:org_unit" in the same transaction. A change of the tree locks every org row in id
order first (the tree is small), so two concurrent moves can never make a cycle together.
A merger's moves of open work (nominations, dossiers, plan obligations) go through the kernel's
write path (workflow/orgs/merge.py); a rename, move, change of kind or closure is
workflow/orgs/update.py, which gives the open nominations under a moved unit their new route.
"""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from states.routes import ADMIN
from workflow import validation as v
from workflow.access.actors import NO_CONTEXT, Actor, RequestContext
from workflow.access.loading import load_actor
from workflow.audit.chain import admin_event
from workflow.calendar.workdays import local_date
from workflow.errors import Forbidden, InvalidInput, NotFound
from workflow.kernel.db import Database
from workflow.kernel.locks import for_update
from workflow.kernel.uow import unit_of_work
from workflow.models import Nomination, OrgName, OrgUnit, User
from workflow.orgs.tree import invalidate_org_cache
from workflow.text import name_key
import unicodedata

# Kinds of org (loại cơ quan, đơn vị) and the coarse level the first release reads.
KINDS = ("central", "ministry", "province", "department", "commune", "unit")
LEVEL_OF_KIND = {"central": "central", "ministry": "ministry", "province": "ministry",
                 "department": "unit", "commune": "unit", "unit": "unit"}
# Which kinds an org of each kind may sit under. A commune is under its province since the
# two-level local government of 01/07/2025 (Luật Tổ chức chính quyền địa phương 2025, Art. 2);
# a department-level unit (Sở, Tổng cục, Cục, Tổng công ty) under a ministry, province or the
# centre, or another department (a Cục under a Tổng cục).
PARENT_KINDS: dict[str, tuple[str, ...]] = {
    "central": (), "ministry": ("central",), "province": ("central",),
    "department": ("central", "ministry", "province", "department"),
    "commune": ("province",),
    "unit": ("central", "ministry", "province", "department", "commune", "unit"),
}
CHAIN_ENTITY = "org_unit"
MAX_NAME = 300


@dataclass(frozen=True)
class OrgNameView:
    name: str
    valid_from: date | None
    valid_to: date | None


@dataclass(frozen=True)
class OrgView:
    id: int
    code: str
    name: str
    kind: str
    level: str
    parent_id: int | None
    valid_from: date | None
    valid_to: date | None
    merged_into_id: int | None
    email: str | None
    depth: int
    users: int | None  # active users of the org (administrator only)
    names: tuple[OrgNameView, ...]
    rerouted: int | None = None  # after a move or a change of kind: open nominations given a new route


def fold(text: str) -> str:
    """For search: no tone or vowel marks, đ as d, case ignored ("thong tin" finds "Thông tin")."""
    decomposed = unicodedata.normalize("NFD", name_key(text).replace("đ", "d").replace("Đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _admin(s: Session, actor_id: int) -> Actor:
    actor = load_actor(s, actor_id)
    if actor.role != ADMIN:
        raise Forbidden("Chỉ quản trị hệ thống được sửa cơ cấu tổ chức",
                        "Only the administrator may change the organisation tree")
    return actor


def _views(s: Session, orgs: list[OrgUnit], *, counts: bool = True) -> list[OrgView]:
    ids = [o.id for o in orgs]
    names: dict[int, list[OrgNameView]] = {}
    users: dict[int, int] = {}
    if ids:
        for n in s.execute(select(OrgName).where(OrgName.org_id.in_(ids)).order_by(OrgName.id)).scalars():
            names.setdefault(n.org_id, []).append(OrgNameView(n.name, n.valid_from, n.valid_to))
        if counts:
            for org_id in s.execute(select(User.org_id).where(User.org_id.in_(ids),
                                                              User.active.is_(True))).scalars():
                users[org_id] = users.get(org_id, 0) + 1
    return [OrgView(o.id, o.code, o.name, o.kind, o.level, o.parent_id, o.valid_from, o.valid_to, o.merged_into_id,
                    o.email, o.path.strip("/").count("/"), users.get(o.id, 0) if counts else None,
                    tuple(names.get(o.id, ())))
            for o in orgs]


def _depth_first(orgs: list[OrgUnit]) -> list[OrgUnit]:
    by_id = {o.id: o for o in orgs}

    def key(o: OrgUnit) -> list[tuple[int, str]]:
        # Open before closed at each level, then by name.
        return [(1 if by_id[int(p)].valid_to else 0, by_id[int(p)].name)
                for p in o.path.strip("/").split("/") if p and int(p) in by_id]
    return sorted(orgs, key=key)


def list_orgs(db: Database, actor_id: int, *, q: object = None, include_closed: bool = True) -> list[OrgView]:
    """The tree, depth-first. `q` finds orgs by any name they bore (accents and case ignored)."""
    query = v.text(q, "q", required=False, max_len=MAX_NAME)
    with db.read() as s:
        actor = load_actor(s, actor_id)
        orgs = list(s.execute(select(OrgUnit)).scalars())
        if query:
            wanted = fold(query)
            hits = {n.org_id for n in s.execute(select(OrgName)).scalars() if wanted in fold(n.name)}
            hits |= {o.id for o in orgs if wanted in fold(o.name) or wanted == fold(o.code)}
            orgs = [o for o in orgs if o.id in hits]
        if not include_closed:
            orgs = [o for o in orgs if o.valid_to is None]
        return _views(s, _depth_first(orgs), counts=actor.is_admin)


def get_org(db: Database, actor_id: int, org_id: int) -> OrgView:
    with db.read() as s:
        actor = load_actor(s, actor_id)
        return _views(s, [_org(s, org_id)], counts=actor.is_admin)[0]


def _org(s: Session, org_id: object, field: str | None = None) -> OrgUnit:
    org = s.get(OrgUnit, org_id) if isinstance(org_id, int) and not isinstance(org_id, bool) \
        and 0 < org_id < v.MAX_ID else None
    if org is None:
        if field:
            raise InvalidInput(f"Không có cơ quan, đơn vị #{org_id}", f"No organisation #{org_id}", field=field)
        raise NotFound(f"Không có cơ quan, đơn vị #{org_id}", f"No organisation #{org_id}")
    return org


def _lock_tree(s: Session) -> dict[int, OrgUnit]:
    return {o.id: o for o in s.execute(for_update(s, select(OrgUnit).order_by(OrgUnit.id), OrgUnit)).scalars()}


def _body(body: object) -> dict:
    if not isinstance(body, dict):
        raise InvalidInput("Nội dung phải là đối tượng JSON", "The body must be a JSON object", field="body")
    return body


def _effective(body: dict, field: str, now: datetime) -> date:
    """An effective date: given, or today; never in the future (record a change on its day)."""
    day = v.iso_date(body.get(field), field, required=False) or local_date(now)
    if day > local_date(now):
        raise InvalidInput(f"Ngày hiệu lực {day:%d/%m/%Y} chưa đến; hãy ghi nhận thay đổi từ ngày đó",
                           f"The effective date {day.isoformat()} is in the future; record the change on that day",
                           field=field)
    if day.year < 1945:
        raise InvalidInput("Ngày hiệu lực không hợp lệ", "Implausible effective date", field=field)
    return day


def _check_parent(orgs: dict[int, OrgUnit], kind: str, parent: OrgUnit | None, moving: OrgUnit | None = None) -> None:
    allowed = PARENT_KINDS[kind]
    if parent is None:
        if allowed:
            raise InvalidInput("Cần chọn cơ quan cấp trên", "A parent organisation is required", field="parent_id")
        if any(o.kind == "central" and o.valid_to is None and o is not moving for o in orgs.values()):
            raise InvalidInput("Đã có cơ quan Trung ương gốc của cây", "The tree already has its central root",
                               field="kind")
        return
    if parent.valid_to is not None:
        raise InvalidInput(f"'{parent.name}' đã giải thể hoặc sáp nhập; không thể đặt đơn vị dưới nó",
                           f"'{parent.name}' is closed; nothing can be placed under it", field="parent_id")
    if parent.kind not in allowed:
        raise InvalidInput(f"Loại '{kind}' không thể trực thuộc loại '{parent.kind}' ({parent.name})",
                           f"A '{kind}' cannot sit under a '{parent.kind}' ({parent.name})", field="parent_id")
    if moving is not None and parent.path.startswith(moving.path):
        raise InvalidInput(f"'{parent.name}' nằm trong '{moving.name}': cây tổ chức không được có vòng",
                           f"'{parent.name}' is inside '{moving.name}': the tree cannot have a cycle",
                           field="parent_id")


def _name(body: dict, orgs: dict[int, OrgUnit], parent_id: int | None, skip: int | None = None) -> str:
    name = v.text(body.get("name"), "name", max_len=MAX_NAME)
    if any(o.parent_id == parent_id and o.id != skip and o.valid_to is None and name_key(o.name) == name_key(name)
           for o in orgs.values()):
        raise InvalidInput(f"Đã có '{name}' ở cùng cấp", f"'{name}' already exists at that place", field="name")
    return name


def create_org(db: Database, actor_id: int, body: object, *, now: datetime,
               ctx: RequestContext = NO_CONTEXT) -> OrgView:
    """Add an org (thành lập) under an open parent; valid from `valid_from` (default today)."""
    body = _body(body)
    kind = v.choice(body.get("kind"), "kind", KINDS)
    code = v.text(body.get("code"), "code", required=False, max_len=40)
    email = v.text(body.get("email"), "email", required=False, max_len=200)
    with unit_of_work(db) as s:
        actor = _admin(s, actor_id)
        orgs = _lock_tree(s)
        parent_id = body.get("parent_id")
        parent = _org(s, parent_id, "parent_id") if parent_id is not None else None
        _check_parent(orgs, kind, parent)
        name = _name(body, orgs, parent.id if parent else None)
        if code and any(o.code == code for o in orgs.values()):
            raise InvalidInput(f"Mã '{code}' đã dùng", f"Code '{code}' is taken", field="code")
        since = _effective(body, "valid_from", now)
        org = OrgUnit(code=code or f"tmp-{now.timestamp()}", name=name, kind=kind, level=LEVEL_OF_KIND[kind],
                      parent_id=parent.id if parent else None, path="", email=email, valid_from=since)
        s.add(org)
        s.flush()
        org.path = f"{parent.path if parent else '/'}{org.id}/"
        org.code = code or f"ORG{org.id}"
        s.add(OrgName(org_id=org.id, name=name, valid_from=since))
        admin_event(s, actor, ctx, now, "org_create", CHAIN_ENTITY, org.id,
                    {"name": name, "kind": kind, "parent_id": org.parent_id, "code": org.code,
                     "valid_from": since.isoformat()})
        s.flush()
        view = _views(s, [org])[0]
    invalidate_org_cache()
    return view


def _move(orgs: dict[int, OrgUnit], org: OrgUnit, parent: OrgUnit | None) -> None:
    """Put `org` and everything under it below `parent` (paths rewritten)."""
    old = org.path
    new = f"{parent.path if parent else '/'}{org.id}/"
    for o in orgs.values():
        if o.path.startswith(old):
            o.path = new + o.path[len(old):]
    org.parent_id = parent.id if parent else None


def _current_name(s: Session, org: OrgUnit) -> OrgName | None:
    return s.execute(select(OrgName).where(OrgName.org_id == org.id, OrgName.valid_to.is_(None))
                     .order_by(OrgName.id.desc())).scalars().first()


def _previous_name(s: Session, org: OrgUnit) -> str | None:
    rows = s.execute(select(OrgName.name).where(OrgName.org_id == org.id).order_by(OrgName.id.desc())).scalars().all()
    return rows[1] if len(rows) > 1 else None


def _rename(s: Session, org: OrgUnit, name: str, day: date) -> None:
    """The old name stays in the history up to the day before `day`."""
    current = _current_name(s, org)
    if current is not None:
        if current.valid_from and current.valid_from >= day:
            raise InvalidInput(f"Tên hiện tại có hiệu lực từ {current.valid_from:%d/%m/%Y}; ngày đổi tên phải sau đó",
                               f"The current name holds from {current.valid_from.isoformat()}; rename after that",
                               field="date")
        current.valid_to = day - timedelta(days=1)
    s.add(OrgName(org_id=org.id, name=name, valid_from=day))
    org.name = name


def _close_name(s: Session, org: OrgUnit, last: date) -> None:
    current = _current_name(s, org)
    if current is not None:
        current.valid_to = last


def _check_closable(s: Session, orgs: dict[int, OrgUnit], org: OrgUnit) -> None:
    """A closure leaves nothing behind: units, users and open work move first (or merge)."""
    from states.lifecycle import TERMINAL_STATES
    if any(o.parent_id == org.id and o.valid_to is None for o in orgs.values()):
        raise InvalidInput(f"'{org.name}' còn đơn vị trực thuộc; hãy chuyển chúng hoặc sáp nhập",
                           f"'{org.name}' still has units under it; move them or merge instead", field="valid_to")
    if s.execute(select(User.id).where(User.org_id == org.id, User.active.is_(True)).limit(1)).first():
        raise InvalidInput(f"'{org.name}' còn người dùng; hãy chuyển họ hoặc sáp nhập",
                           f"'{org.name}' still has users; move them or merge instead", field="valid_to")
    if s.execute(select(Nomination.id).where((Nomination.unit_id == org.id) | (Nomination.holder_org_id == org.id),
                                              Nomination.state.not_in(TERMINAL_STATES)).limit(1)).first():
        raise InvalidInput(f"'{org.name}' còn hồ sơ đang xét; hãy sáp nhập để chuyển chúng",
                           f"'{org.name}' still has open nominations; merge it to move them", field="valid_to")

