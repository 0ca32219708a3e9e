"""The organisation tree, cached per database; it is small and changes rarely.

The tree holds closed orgs too (merged or dissolved, `valid_to` set): old nominations, events
and plans still name them. Lists of units to act on skip them (`OrgNode.open`).
"""
import threading
import time
from typing import Any
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.models import OrgUnit

_TTL_SECONDS = 30.0
_cache: dict[str, tuple[float, "OrgTree"]] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class OrgNode:
    id: int
    code: str
    name: str
    level: str
    parent_id: int | None
    path: str
    email: str | None = None
    kind: str = ""
    valid_from: date | None = None
    valid_to: date | None = None
    merged_into_id: int | None = None

    @property
    def open(self) -> bool:
        """Not closed: no last day recorded (a closure is recorded on or after its date)."""
        return self.valid_to is None


class OrgTree:
    def __init__(self, nodes: list[OrgNode]):
        self.nodes = {n.id: n for n in nodes}
        self._subtrees: dict[int, frozenset[int]] = {}

    def get(self, org_id: int | None) -> OrgNode | None:
        return self.nodes.get(org_id)

    def by_code(self, code: str) -> OrgNode | None:
        return next((n for n in self.nodes.values() if n.code == code), None)

    def ancestors(self, org_id: int) -> list[OrgNode]:
        """Root first, the org itself last."""
        node = self.nodes[org_id]
        return [self.nodes[int(p)] for p in node.path.strip("/").split("/") if p]

    def subtree_ids(self, org_id: int) -> frozenset[int]:
        if org_id not in self._subtrees:
            prefix = self.nodes[org_id].path
            self._subtrees[org_id] = frozenset(
                n.id for n in self.nodes.values() if n.path.startswith(prefix))
        return self._subtrees[org_id]

    def is_within(self, org_id: int, ancestor_id: int) -> bool:
        return org_id in self.subtree_ids(ancestor_id)

    def nearest(self, org_id: int, level: str) -> OrgNode | None:
        """The closest ancestor-or-self at `level` (the ministry of a unit, say)."""
        for node in reversed(self.ancestors(org_id)):
            if node.level == level:
                return node
        return None

    def holder_for(self, org_level: str, unit_id: int) -> int | None:
        """The org whose people act at a step of `org_level` for a nominee of `unit_id`."""
        if org_level == "unit":
            return unit_id
        node = self.nearest(unit_id, org_level)
        return node.id if node else None

    def parent_level_org(self, org_id: int) -> OrgNode | None:
        node = self.nodes[org_id]
        return self.nodes.get(node.parent_id) if node.parent_id else None


def _key(session: Session) -> str:
    bind = session.get_bind()
    engine: Any = getattr(bind, "engine", bind)  # a Connection (a sweep rehearsal) or an Engine
    return f"{engine.url}|{id(engine.pool)}"


def org_tree(session: Session) -> OrgTree:
    key = _key(session)
    now = time.monotonic()
    hit = _cache.get(key)
    if hit and now - hit[0] < _TTL_SECONDS:
        return hit[1]
    tree = load_tree(session)
    with _lock:
        _cache[key] = (now, tree)
    return tree


def node_of(r: OrgUnit) -> OrgNode:
    return OrgNode(r.id, r.code, r.name, r.level, r.parent_id, r.path, r.email, r.kind or r.level, r.valid_from,
                   r.valid_to, r.merged_into_id)


def load_tree(session: Session) -> OrgTree:
    """The tree as this transaction sees it (not cached: for changes to the tree itself)."""
    session.flush()
    return OrgTree([node_of(r) for r in session.execute(select(OrgUnit)).scalars()])


def invalidate_org_cache() -> None:
    with _lock:
        _cache.clear()
