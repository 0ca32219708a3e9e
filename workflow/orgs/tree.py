"""The organisation tree, cached per database; it is small and changes rarely."""
import threading
import time
from typing import Any
from dataclasses import dataclass

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
    rows = session.execute(select(OrgUnit)).scalars().all()
    tree = OrgTree([OrgNode(r.id, r.code, r.name, r.level, r.parent_id, r.path, r.email) for r in rows])
    with _lock:
        _cache[key] = (now, tree)
    return tree


def invalidate_org_cache() -> None:
    with _lock:
        _cache.clear()
