"""Writing a nomination's move: the conditional UPDATE, its audit event and its deadline row.

The engine decides what a transition changes; this module writes it with SQLAlchemy Core on
the session's connection, in the caller's transaction: `UPDATE nominations SET ... WHERE id =
:id AND version = :old` (no row updated means someone else moved it first: Conflict), then
the INSERTs. Core and not the ORM's flush because this runs on every transition and the
unit-of-work bookkeeping cost more than the database's own work (bench/README.md).

The loaded `Nomination` is given the new values as its committed state, so the ORM sees nothing
to flush and later reads in the transaction see the new values.

Inside `batched(session)` (bulk commands) the rows are collected and written at the end of
the block with one executemany per statement.
"""
from contextlib import contextmanager

from sqlalchemy import bindparam, insert, inspect, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from workflow.errors import Conflict
from workflow.models import AuditEvent, Deadline, Nomination

BATCH = "moves_batch"
_NOMINATIONS = Nomination.__table__
_UPDATES: dict[tuple[str, ...], object] = {}
_INSERT_EVENT = insert(AuditEvent.__table__)
_INSERT_DEADLINE = insert(Deadline.__table__)


def stale() -> Conflict:
    return Conflict("Hồ sơ vừa được người khác xử lý; không có gì thay đổi",
                    "Someone else acted on this nomination first; nothing was changed", field="version")


def flush_or_conflict(session: Session) -> None:
    """Flush the ORM's pending changes; a concurrent change of the same row becomes a Conflict."""
    try:
        session.flush()
    except StaleDataError:
        raise stale() from None


def _update(columns: tuple[str, ...]):
    """UPDATE of `columns` guarded by the version the change was computed from (built once)."""
    stmt = _UPDATES.get(columns)
    if stmt is None:
        stmt = (update(_NOMINATIONS)
                .where(_NOMINATIONS.c.id == bindparam("w_id"), _NOMINATIONS.c.version == bindparam("w_version"))
                .values({c: bindparam(f"v_{c}") for c in columns}))
        _UPDATES[columns] = stmt
    return stmt


class _Batch:
    def __init__(self):
        self.updates: dict[tuple[str, ...], list[dict]] = {}
        self.events: list[dict] = []
        self.deadlines: list[dict] = []

    def add(self, columns, params, event, deadline):
        self.updates.setdefault(columns, []).append(params)
        self.events.append(event)
        if deadline:
            self.deadlines.append(deadline)

    def write(self, session: Session) -> None:
        conn = session.connection()
        for columns, rows in self.updates.items():
            if conn.dialect.supports_sane_multi_rowcount:
                if conn.execute(_update(columns), rows).rowcount != len(rows):
                    raise stale()
            else:
                for row in rows:
                    if conn.execute(_update(columns), row).rowcount != 1:
                        raise stale()
        if self.events:
            conn.execute(_INSERT_EVENT, self.events)
        if self.deadlines:
            conn.execute(_INSERT_DEADLINE, self.deadlines)


@contextmanager
def batched(session: Session):
    """Collect the moves of the block and write them when it ends (nothing if it raises)."""
    batch = _Batch()
    session.info[BATCH] = batch
    try:
        yield
    finally:
        session.info.pop(BATCH, None)
    batch.write(session)


def write(session: Session, nom: Nomination, values: dict, event: dict, deadline: dict | None) -> None:
    """Move `nom` to `values` (its version included), with its audit event and deadline row."""
    if inspect(nom).modified:
        # The caller's own pending edits go first, through the ORM's version check.
        flush_or_conflict(session)
    columns = tuple(sorted(values))
    params = {f"v_{c}": v for c, v in values.items()}
    params["w_id"], params["w_version"] = nom.id, nom.version
    batch = session.info.get(BATCH)
    if batch is not None:
        batch.add(columns, params, event, deadline)
    else:
        conn = session.connection()
        if conn.execute(_update(columns), params).rowcount != 1:
            raise stale()
        conn.execute(_INSERT_EVENT, event)
        if deadline:
            conn.execute(_INSERT_DEADLINE, deadline)
    # What set_committed_value does, for all columns at once: `nom` has no pending change
    # (flushed above), so its loaded values are its committed values.
    state = inspect(nom)
    state.dict.update(values)
    state.expired_attributes.difference_update(values)
