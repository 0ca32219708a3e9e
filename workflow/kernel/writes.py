"""The statements of a move: a conditional UPDATE of the row, its audit event, its deadline
row and any further rows, with SQLAlchemy Core on the session's connection.

`UPDATE <table> SET ... WHERE id = :id AND version = :old` (no row updated means someone else
moved it first: `Stale`, which the unit of work turns into Conflict), then the INSERTs. Core and
not the ORM's flush because this runs on every transition and the unit-of-work bookkeeping cost
more than the database's own work (bench/README.md).

The loaded ORM object is given the new values as its committed state, so the ORM sees nothing
to flush and later reads in the transaction see the new values.

Inside `batched(session)` (bulk commands, the sweep) the statements are collected and written
at the end of the block with one executemany per statement.
"""
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Table, bindparam, insert, inspect, update
from sqlalchemy.orm import Session

from workflow.kernel import prepared
from workflow.kernel.uow import Stale
from workflow.models import AuditEvent, Deadline

BATCH = "kernel_batch"
_NAMES: dict[str, str] = {}  # column → its parameter's name ("v_state"), made once
_UPDATES: dict[tuple[str, tuple[str, ...]], Any] = {}
_INSERTS: dict[str, Any] = {}


def _update(table: Table, columns: tuple[str, ...]) -> Any:
    """UPDATE of `columns` guarded by the version the change was computed from (built once)."""
    key = (table.name, columns)
    stmt = _UPDATES.get(key)
    if stmt is None:
        stmt = (update(table)
                .where(table.c.id == bindparam("w_id"), table.c.version == bindparam("w_version"))
                .values({c: bindparam(f"v_{c}") for c in columns}))
        _UPDATES[key] = stmt
    return stmt


def _insert(table: Table) -> Any:
    stmt = _INSERTS.get(table.name)
    if stmt is None:
        stmt = _INSERTS[table.name] = insert(table)
    return stmt


def insert_now(session: Session, table: Table, row: dict) -> None:
    """INSERT one row at once with Core, in the session's transaction (no ORM unit of work)."""
    prepared.execute(session.connection(), _insert(table), row)


EVENTS: Table = AuditEvent.__table__  # type: ignore[assignment]
DEADLINES: Table = Deadline.__table__  # type: ignore[assignment]


class _Batch:
    def __init__(self) -> None:
        self.updates: dict[tuple[Table, tuple[str, ...]], list[dict]] = {}
        self.inserts: dict[Table, list[dict]] = {}

    def add(self, table: Table, columns: tuple[str, ...], params: dict, rows: list[tuple[Table, dict]]) -> None:
        self.updates.setdefault((table, columns), []).append(params)
        for t, row in rows:
            self.inserts.setdefault(t, []).append(row)

    def write(self, session: Session) -> None:
        conn = session.connection()
        for (table, columns), params in self.updates.items():
            if conn.dialect.supports_sane_multi_rowcount:
                if prepared.execute_many(conn, _update(table, columns), params) != len(params):
                    raise Stale()
            else:
                for p in params:
                    if prepared.execute(conn, _update(table, columns), p) != 1:
                        raise Stale()
        # Events first, in the order they were made: their ids order each chain.
        for table in sorted(self.inserts, key=lambda t: t is not EVENTS):
            prepared.execute_many(conn, _insert(table), self.inserts[table])


@contextmanager
def batched(session: Session) -> Iterator[None]:
    """Collect the moves of the block and write them when it ends (nothing if it raises)."""
    batch = _Batch()
    session.info[BATCH] = batch
    try:
        yield
    finally:
        session.info.pop(BATCH, None)
    batch.write(session)


def write(session: Session, table: Table, row: Any, values: dict, rows: list[tuple[Table, dict]]) -> None:
    """Move `row` to `values` (its version included) and insert `rows` (event first)."""
    columns = tuple(sorted(values))
    names = _NAMES
    params = {names.get(c) or names.setdefault(c, f"v_{c}"): v for c, v in values.items()}
    params["w_id"], params["w_version"] = row.id, row.version
    batch = session.info.get(BATCH)
    if batch is not None:
        batch.add(table, columns, params, rows)
    else:
        counts = prepared.execute_each(session.connection(),
                                       [(_update(table, columns), params), *((_insert(t), r) for t, r in rows)])
        if counts[0] != 1:
            raise Stale()
    # What set_committed_value does, for all columns at once: the row has no pending change
    # (the kernel flushed it), so its loaded values are its committed values.
    state = inspect(row)
    state.dict.update(values)
    state.expired_attributes.difference_update(values)
