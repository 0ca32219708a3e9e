"""The award catalogue's use cases: read it, add an award type, publish a new version of one, and
move the nominations in flight from one version to another.

A definition never changes under a nomination: changing an award type or its route publishes a
new version, and the nominations made under the old one keep it (`definition_version`) until the
administrator migrates them — after a dry run that lists, per nomination, whether and where it
would land. That is what an office needs when a decree changes mid-year.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from states.lifecycle import DRAFT, RETURNED, TERMINAL_STATES
from states.routes import ADMIN, ROUTES, MAJORITY, TWO_THIRDS, Route, StepRule, state_of
from workflow import validation as v
from workflow.access.actors import NO_CONTEXT, Actor, RequestContext
from workflow.access.loading import load_actor
from workflow.audit.chain import admin_event
from workflow.catalogue import data, definitions
from workflow.catalogue.definitions import AwardDefinition
from workflow.catalogue.routing import holder_for, route_for, rules_of
from workflow.errors import Conflict, Forbidden, InvalidInput, NotFound
from workflow.kernel.db import Database
from workflow.kernel.locks import for_update
from workflow.kernel.uow import unit_of_work
from workflow.models import AwardType, AwardTypeVersion, Nomination
from workflow.nominations import transitions
from workflow.orgs.tree import org_tree

MAX_MIGRATE = 10000


@dataclass(frozen=True)
class AwardTypeView:
    code: str
    name_vi: str
    name_en: str
    subject: str
    kind: str | None
    decider: str | None
    version: int
    active: bool
    steps: list[dict]
    route: list[str]          # the levels, as the first release listed them
    route_code: str
    deciding_level: str
    vote_threshold: float
    quorum: float
    documents: list[str]
    legal_basis: str | None


@dataclass(frozen=True)
class MigrationItem:
    id: int
    from_state: str
    to_state: str | None  # None: it stays on the old version
    ok: bool
    reason: str | None = None


def _step_view(r: StepRule) -> dict:
    out: dict = {"state": state_of(r.level, r.kind), "level": r.level, "kind": r.kind,
                 "time_limit_days": r.time_limit_days}
    if r.kind == "vote":
        out["threshold"] = float(r.threshold or MAJORITY)
        out["quorum"] = float(r.quorum or TWO_THIRDS)
    return out


def _legacy_steps(route: Route) -> list[dict]:
    return [{"state": s.state, "level": s.org_level, "kind": s.kind, "time_limit_days": s.time_limit_days}
            for s in route.steps]


def _levels(steps: list[dict]) -> list[str]:
    """The route as the contract lists it: the levels passed, in order, the unit's own council
    vote named `council` (as the first release named it), each level once per stay."""
    out: list[str] = []
    for step in steps:
        level = "council" if step["level"] == "unit" and step["kind"] == "vote" else step["level"]
        if not out or out[-1] != level:
            out.append(level)
    return out


def view_of(a: AwardType, definition: dict) -> AwardTypeView:
    rules = rules_of(definition)
    steps = [_step_view(r) for r in rules] if rules else _legacy_steps(ROUTES[a.route])
    return AwardTypeView(
        a.code, a.name_vi, a.name_en, a.subject, a.kind, definition.get("decider"), a.version, a.active, steps,
        _levels(steps), a.route if rules is None else f"{a.code}@{a.version}", a.deciding_level,
        a.vote_threshold, round(a.quorum, 4), list(a.required_documents or []),
        definition.get("legal_basis") or a.legal_note)


def _definition(s: Session, a: AwardType) -> dict:
    row = s.get(AwardTypeVersion, (a.code, a.version))
    return row.definition if row else {}


def list_award_types(db: Database) -> list[AwardTypeView]:
    with db.read() as s:
        awards = s.execute(select(AwardType).order_by(AwardType.code)).scalars().all()
        versions = {(r.code, r.version): r.definition for r in s.execute(select(AwardTypeVersion)).scalars()}
        return [view_of(a, versions.get((a.code, a.version), {})) for a in awards]


def get_award_type(db: Database, code: str) -> AwardTypeView:
    with db.read() as s:
        a = _award(s, code)
        return view_of(a, _definition(s, a))


def check_keeper(db: Database, actor_id: int) -> None:
    """The catalogue's admin pages are the administrator's (Forbidden for anyone else)."""
    with db.read() as s:
        _admin(s, actor_id)


def catalogue_for_admin(db: Database, actor_id: int) -> list[AwardTypeView]:
    check_keeper(db, actor_id)
    return list_award_types(db)


def award_for_admin(db: Database, actor_id: int, code: str) -> AwardTypeView:
    check_keeper(db, actor_id)
    return get_award_type(db, code)


def _award(s: Session, code: object) -> AwardType:
    a = s.get(AwardType, code) if isinstance(code, str) and len(code) <= 60 else None
    if a is None:
        raise NotFound(f"Không có hình thức khen thưởng '{code}'", f"No award type '{code}'")
    return a


def _admin(s: Session, actor_id: int) -> Actor:
    actor = load_actor(s, actor_id)
    if actor.role != ADMIN:
        raise Forbidden("Chỉ quản trị hệ thống được sửa danh mục khen thưởng",
                        "Only the administrator may change the award catalogue")
    return actor


def _head(a: AwardType, d: AwardDefinition, version: int) -> None:
    """The award type's row shows the version now in force."""
    # The ballot the row reports is the decisive one: the council of the level that submits the
    # award (NĐ 98/2023 Art. 30(7)), i.e. the last vote of the route.
    unit_vote = next((r for r in reversed(d.steps) if r.kind == "vote"), None)
    a.name_vi, a.name_en, a.subject, a.kind = d.name_vi, d.name_en, d.subject, d.kind
    a.route, a.deciding_level, a.version, a.active = "steps", d.deciding_level, version, d.active
    a.vote_threshold = float(unit_vote.threshold) if unit_vote and unit_vote.threshold else 0.5
    a.quorum = float(unit_vote.quorum) if unit_vote and unit_vote.quorum else float(TWO_THIRDS)
    a.required_documents, a.legal_note = list(d.documents), d.legal_basis


def add(s: Session, d: AwardDefinition, now: datetime, actor_id: int | None = None) -> AwardType:
    """Store a new award type at version 1."""
    a = AwardType(code=d.code)
    _head(a, d, 1)
    s.add(a)
    s.add(AwardTypeVersion(code=d.code, version=1, definition=d.to_data(), created_at=now, created_by=actor_id))
    return a


def sync_catalogue(s: Session, now: datetime | None = None) -> int:
    """Add the shipped award types the database lacks, and publish the shipped later versions
    (data.REVISIONS) over an award type still at the shipped version before them; what the
    administrator changed is kept. Returns how many award types were added."""
    now = now or datetime.now().astimezone()
    have = {a.code: a for a in s.execute(select(AwardType)).scalars()}
    added = 0
    for raw in data.CATALOGUE:
        a = have.get(raw["code"])
        if a is None:
            a = add(s, definitions.parse(raw), now)
            added += 1
        _publish_shipped(s, a, now)
    return added


def _publish_shipped(s: Session, a: AwardType, now: datetime) -> None:
    shipped = [definitions.parse(raw).to_data() for raw in data.shipped_versions(a.code)]
    while a.version < len(shipped):
        current = s.get(AwardTypeVersion, (a.code, a.version))
        if current is None or current.created_by is not None or current.definition != shipped[a.version - 1]:
            return  # the administrator published their own version: theirs stands
        version = a.version + 1
        s.add(AwardTypeVersion(code=a.code, version=version, definition=shipped[version - 1], created_at=now))
        _head(a, definitions.parse(shipped[version - 1], code=a.code), version)
        s.flush()


def create_award_type(db: Database, actor_id: int, body: object, *, now: datetime,
                      ctx: RequestContext = NO_CONTEXT) -> AwardTypeView:
    check_keeper(db, actor_id)  # who asks is checked before what is asked
    d = definitions.parse(body)
    with unit_of_work(db) as s:
        actor = _admin(s, actor_id)
        if s.get(AwardType, d.code) is not None:
            raise Conflict(f"Đã có hình thức khen thưởng '{d.code}'", f"Award type '{d.code}' already exists",
                           field="code")
        a = add(s, d, now, actor.user_id)
        admin_event(s, actor, ctx, now, "award_create", "award_type", None, {"code": d.code, "version": 1})
        return view_of(a, d.to_data())


def publish_version(db: Database, actor_id: int, code: str, body: object, *, now: datetime,
                    ctx: RequestContext = NO_CONTEXT) -> AwardTypeView:
    """A new version of the award type; nominations in flight keep theirs."""
    check_keeper(db, actor_id)  # who asks is checked before what they send
    d = definitions.parse(body, code=code)
    with unit_of_work(db) as s:
        actor = _admin(s, actor_id)
        a = s.execute(for_update(s, select(AwardType).where(AwardType.code == code), AwardType)).scalar_one_or_none()
        if a is None:
            raise NotFound(f"Không có hình thức khen thưởng '{code}'", f"No award type '{code}'")
        version = a.version + 1
        s.add(AwardTypeVersion(code=code, version=version, definition=d.to_data(), created_at=now,
                               created_by=actor.user_id))
        _head(a, d, version)
        admin_event(s, actor, ctx, now, "award_version", "award_type", None, {"code": code, "version": version})
        return view_of(a, d.to_data())


def migrate(db: Database, actor_id: int, code: str, body: object, *, now: datetime,
            ctx: RequestContext = NO_CONTEXT) -> list[MigrationItem]:
    """Move the in-flight nominations of one version onto another. `dry_run` (the default) only
    says, per nomination, whether and where it would land; a state the new version does not have
    needs `mapping` ({old state: new state}) or the nomination stays on its version."""
    check_keeper(db, actor_id)
    if not isinstance(body, dict):
        raise InvalidInput("Nội dung phải là đối tượng JSON", "The body must be a JSON object", field="body")
    old = v.integer(body.get("from_version"), "from_version", minimum=1)
    new = v.integer(body.get("to_version"), "to_version", minimum=1)
    dry = body.get("dry_run", True) is not False
    mapping = body.get("mapping") or {}
    if not isinstance(mapping, dict) or not all(isinstance(k, str) and isinstance(x, str) for k, x in mapping.items()):
        raise InvalidInput("mapping phải là {trạng thái cũ: trạng thái mới}", "mapping must be {old state: new state}",
                           field="mapping")
    with unit_of_work(db) as s:
        actor = _admin(s, actor_id)
        a = _award(s, code)
        for version, name in ((old, "from_version"), (new, "to_version")):
            if s.get(AwardTypeVersion, (code, version)) is None:
                raise InvalidInput(f"'{code}' không có phiên bản {version}", f"'{code}' has no version {version}",
                                   field=name)
        tree = org_tree(s)
        noms = s.execute(for_update(s, select(Nomination).where(
            Nomination.award_code == code, Nomination.definition_version == old,
            Nomination.state.not_in(TERMINAL_STATES)).order_by(Nomination.id).limit(MAX_MIGRATE + 1),
            Nomination)).scalars().all()
        if len(noms) > MAX_MIGRATE:
            raise InvalidInput(f"Quá {MAX_MIGRATE} hồ sơ; hãy chuyển theo từng đợt",
                               f"More than {MAX_MIGRATE} nominations; migrate in batches", field="from_version")
        items = [_migrate_one(s, tree, a, nom, new, mapping, actor, dry, now, ctx) for nom in noms]
        if not dry:
            admin_event(s, actor, ctx, now, "award_migrate", "award_type", None,
                        {"code": code, "from_version": old, "to_version": new,
                         "moved": sum(i.ok for i in items), "stayed": sum(not i.ok for i in items)})
        return items


def _migrate_one(s: Session, tree, a: AwardType, nom: Nomination, version: int, mapping: dict, actor: Actor,
                 dry: bool, now: datetime, ctx: RequestContext) -> MigrationItem:
    route = route_for(s, tree, a, nom.unit_id, version)
    dest = nom.state if nom.state in (DRAFT, RETURNED) or route.step(nom.state) else mapping.get(nom.state)
    if dest is None or (dest not in (DRAFT, RETURNED) and route.step(dest) is None):
        why = f"bước '{nom.state}' không còn trong phiên bản {version}; cần ánh xạ (mapping)"
        return MigrationItem(nom.id, nom.state, None, False, why)
    if not dry:
        values: dict = {"route": route.code, "definition_version": version}
        if dest != nom.state:
            step = route.step(dest)
            values.update(state=dest, level=step.level if step else "unit",
                          holder_org_id=holder_for(tree, step.org_level, nom.unit_id) if step else nom.unit_id)
        transitions.record(s, nom, actor, "definition_migrate", now, ctx, values=values,
                           payload={"award_type": a.code, "to_version": version, "state": dest})
    return MigrationItem(nom.id, nom.state, dest, True)
