"""A nomination's route: its award's steps (at the version it was made under) laid over the
nominee's place in the organisation tree, compiled once and shared (states/routes.py).

The route's key is stored on the nomination (`nominations.route`); it names the award, the
version, the levels of the tree and a digest of the steps, so a key always means one route. A
process that meets a key it has not compiled yet — another process made the nomination, or an
administrator published a new version — rebuilds it from the stored definition when the
nomination is loaded.
"""
import logging

from sqlalchemy import bindparam, event, select
from sqlalchemy.orm import Session

from states.routes import LEGACY_ROUTES, ROUTES, STEP_LEVELS, Route, StepRule, resolve
from workflow.kernel.db import core, identity
from workflow.catalogue.awards import decided_name
from workflow.documents.titles import head_title
from workflow.models import AwardType, AwardTypeVersion, Nomination
from workflow.orgs.tree import OrgNode, OrgTree

log = logging.getLogger(__name__)

# Org kinds by the step level their people act at (department also stands for a commune above
# the nominee's unit: NĐ 129/2025 Art. 59 gives the commune chairman the former district powers).
LEVEL_OF_KIND = {"department": "department", "commune": "department", "ministry": "ministry",
                 "province": "ministry", "central": "central"}


def kind_of(node: OrgNode) -> str:
    return getattr(node, "kind", None) or node.level


def levels_of(tree: OrgTree, unit_id: int) -> frozenset[str]:
    """The step levels a nominee of `unit_id` has: the unit itself and the levels above it."""
    levels = {"unit"}
    for node in tree.ancestors(unit_id)[:-1]:
        level = LEVEL_OF_KIND.get(kind_of(node))
        if level:
            levels.add(level)
    return frozenset(levels)


def holder_for(tree: OrgTree, org_level: str, unit_id: int) -> int | None:
    """The org whose people act at a step of `org_level` for a nominee of `unit_id`."""
    if org_level == "unit":
        return unit_id
    for node in reversed(tree.ancestors(unit_id)[:-1]):
        if LEVEL_OF_KIND.get(kind_of(node)) == org_level:
            return node.id
    return None


_DEFINITIONS: dict[tuple, dict | None] = {}


def definition(s: Session, code: str, version: int) -> dict | None:
    """The stored definition of an award type's version. A version never changes once written
    (a change makes the next version), so each process reads it once per database."""
    key = (identity(s), code, version)
    if key not in _DEFINITIONS:
        row = s.get(AwardTypeVersion, (code, version))
        if row is None:
            return None  # not cached: the version may be published later
        _DEFINITIONS[key] = row.definition if isinstance(row.definition, dict) else {}
    return _DEFINITIONS[key]
_AWARDS = AwardType.__table__.c
_NAMES = select(_AWARDS.name_vi, _AWARDS.name_en).where(_AWARDS.code == bindparam("code"))


def remember_award_names(s: Session, code: str, names: tuple[str, str]) -> None:
    """Names read with the nomination itself (workflow/nominations/queries.py `load_visible`)."""
    s.info.setdefault("award_names", {})[code] = names


def award_names(s: Session, code: str) -> tuple[str, str] | None:
    """(Vietnamese, English) name of an award type, read once per transaction with a statement
    built once (pages and notices name every nomination they show)."""
    cache = s.info.setdefault("award_names", {})
    if code not in cache:
        row = core(s, _NAMES, {"code": code}).first()
        cache[code] = (row[0], row[1]) if row else None
    return cache[code]


def award_name_of(s: Session, tree: OrgTree, nom: Nomination) -> tuple[str, str]:
    """The award's name for this nomination, as the org that decides it gives it ("Bằng khen của
    Chủ tịch UBND tỉnh Thái Nguyên"; workflow/catalogue/awards.py `decided_name`)."""
    names = award_names(s, nom.award_code)
    if names is None:
        return nom.award_code, nom.award_code
    route = ROUTES.get(nom.route)
    org_id = holder_for(tree, route.deciding_level, nom.unit_id) if route else None
    node = tree.get(org_id) if org_id else None
    if node is None:
        return names
    return decided_name(names[0], names[1], kind_of(node), node.name, head_title(node).capitalize())


def rules_of(definition: dict) -> tuple[StepRule, ...] | None:
    steps = definition.get("steps")
    return tuple(StepRule.from_data(s) for s in steps) if steps else None


def route_for(s: Session, tree: OrgTree, award: AwardType, unit_id: int, version: int | None = None) -> Route:
    """The route a nomination of `award` for a nominee of `unit_id` travels."""
    version = version or award.version
    row = s.get(AwardTypeVersion, (award.code, version))
    definition = row.definition if row else {}
    rules = rules_of(definition)
    if rules is None:  # an award type of the first release keeps its route
        return ROUTES[definition.get("route") or award.route]
    return resolve(award.code, version, definition.get("name_vi", award.name_vi),
                   definition.get("name_en", award.name_en), rules, levels_of(tree, unit_id))


def ensure(s: Session, key: str) -> None:
    """Compile the route `key` names if this process has not yet."""
    if key in ROUTES or key in LEGACY_ROUTES:
        return
    code, _, rest = key.partition("@")
    version, _, shape = rest.partition("/")
    shape = shape.partition("#")[0]
    if not version.isdigit():
        raise LookupError(f"route {key!r} is not a route key")
    row = s.get(AwardTypeVersion, (code, int(version)))
    rules = rules_of(row.definition) if row else None
    if rules is None:
        raise LookupError(f"route {key} names no stored definition")
    levels = frozenset(level for level in STEP_LEVELS if level[0] in shape)
    route = resolve(code, int(version), row.definition.get("name_vi", code), row.definition.get("name_en", code),
                    rules, levels)
    if route.code != key:
        raise LookupError(f"route {key} does not match its stored definition ({route.code})")


@event.listens_for(Nomination, "load")
def _compiled_on_load(nom: Nomination, context) -> None:
    """Every nomination read from the database has its route compiled (a dictionary lookup once
    the process has seen the key)."""
    if nom.route not in ROUTES:
        try:
            ensure(context.session, nom.route)
        except LookupError:  # a damaged row must stay readable: the action on it fails, not the whole read
            log.warning("nomination %s names an unknown route %r", nom.id, nom.route)
