"""Claiming due deadline rows: a conditional UPDATE, so racing sweeps never act twice.

On PostgreSQL a batch is locked with FOR UPDATE SKIP LOCKED, so two schedulers share the
work instead of queueing on the same rows; on SQLite a write transaction is already exclusive
(BEGIN IMMEDIATE). Either way the compare-and-set on (stage, next_at) is the guard: a row
moves from the stage it was read in to the stage after the sweep's work only if nobody moved
it meanwhile; otherwise the whole unit of work (batch or row) is rolled back. Statements are
built once and run as Core on the session's connection: this is the sweep's hot path.
"""
from datetime import datetime, timedelta
from typing import NamedTuple, cast

from sqlalchemy import Table, bindparam, or_, select, update
from sqlalchemy.orm import Session

from workflow.kernel.db import Database
from workflow.models import Deadline

T = cast(Table, Deadline.__table__)
COLUMNS = (T.c.id, T.c.subject, T.c.subject_id, T.c.version, T.c.state, T.c.due_at, T.c.stage, T.c.next_at)
FINISH = (update(T)
          .where(T.c.id == bindparam("b_id"), T.c.stage == bindparam("b_old_stage"),
                 T.c.next_at == bindparam("b_old_next"))
          .values(stage=bindparam("b_stage"), next_at=bindparam("b_next"), version=bindparam("b_version"),
                  fired_at=bindparam("b_fired"), claimed_by=bindparam("b_worker"), claimed_until=None))


class DueRow(NamedTuple):
    id: int
    subject: str
    subject_id: int
    version: int
    state: str
    due_at: datetime
    stage: str
    next_at: datetime | None


class LostRace(Exception):
    """Another sweep moved a row first: undo this unit of work."""


def _due(now: datetime):
    return (T.c.next_at.is_not(None), T.c.next_at <= now,
            or_(T.c.claimed_until.is_(None), T.c.claimed_until <= now))


def any_due(db: Database, now: datetime) -> bool:
    """A cheap read: is there anything to do at all? Ordered by next_at so the partial index is
    walked from its start whatever the statistics say (a catch-up leaves them stale)."""
    with db.read() as s:
        q = select(T.c.id).where(*_due(now)).order_by(T.c.next_at).limit(1)
        return s.connection().execute(q).first() is not None


def due_rows(s: Session, now: datetime, limit: int) -> list[DueRow]:
    q = select(*COLUMNS).where(*_due(now)).order_by(T.c.next_at, T.c.id).limit(limit)
    if s.get_bind().dialect.name == "postgresql":
        q = q.with_for_update(skip_locked=True)
    return [DueRow(*r) for r in s.connection().execute(q).all()]


def outcome(read: DueRow, stage: str, next_at: datetime | None, version: int, now: datetime,
            worker: str) -> dict:
    """Where a row read as `read` ends up after this sweep (parameters of the claim)."""
    return {"b_id": read.id, "b_old_stage": read.stage, "b_old_next": read.next_at, "b_stage": stage,
            "b_next": next_at, "b_version": version, "b_fired": now, "b_worker": worker[:80]}


def finish(s: Session, outcomes: list[dict]) -> None:
    """Compare-and-set every row of the unit of work; LostRace if any had moved meanwhile."""
    if outcomes and s.connection().execute(FINISH, outcomes).rowcount != len(outcomes):
        raise LostRace()


def back_off(s: Session, row_id: int, now: datetime, seconds: int, worker: str) -> None:
    """A row that failed waits before the next try, so one bad row cannot stall the sweep."""
    s.connection().execute(update(T).where(T.c.id == row_id).values(
        claimed_by=f"failed:{worker}"[:80], claimed_until=now + timedelta(seconds=seconds)))
