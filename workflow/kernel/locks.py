"""Locking the rows a command will change, always in id order.

On PostgreSQL the rows are taken FOR UPDATE and re-read fresh, so a command that waited for
another sees what that one did and refuses with a reason instead of failing on a stale
version; taking them in id order means two commands never wait on each other in a cycle.
SQLite's writers already hold the database lock from BEGIN IMMEDIATE (workflow/kernel/db.py).
"""
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session


def for_update(session: Session, query: Select, *of: Any) -> Select:
    """`query` locking its rows (FOR UPDATE OF `of`) and refreshing them, on PostgreSQL."""
    if session.get_bind().dialect.name != "postgresql":
        return query
    return query.with_for_update(of=list(of) or None).execution_options(populate_existing=True)


def lock_rows(session: Session, model: Any, ids: Iterable[int]) -> dict[int, Any]:
    """The rows of `model` with these ids, locked in id order; missing ids are simply absent."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    found: dict[int, Any] = {}
    for start in range(0, len(wanted), 1000):
        q = select(model).where(model.id.in_(wanted[start:start + 1000])).order_by(model.id)
        found.update((r.id, r) for r in session.execute(for_update(session, q, model)).scalars())
    return found
