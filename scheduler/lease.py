"""The scheduler lease (quyền chạy bộ hẹn giờ): one row in the database, one active scheduler.

APScheduler 3.x cannot share a job store between processes, so each process runs its own
scheduler and only the holder of the lease sweeps. The holder renews the lease as it works;
another process takes it over only once it has expired (the holder died or hung). Every
change is one conditional UPDATE, so two processes can never both believe they hold it.
"""
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update

from workflow.kernel.db import Database
from workflow.models import SchedulerLease
from workflow.notices.outbox import insert_ignore

LEASE_NAME = "sweep"  # read by /healthz


def try_acquire(db: Database, holder: str, *, now: datetime, ttl_seconds: float,
                name: str = LEASE_NAME) -> bool:
    """Take or renew the lease; False while another holder's lease has not expired."""
    with db.write() as s:
        insert_ignore(s, SchedulerLease, [{"name": name}])
        taken = s.connection().execute(  # Core: the row count, no ORM bookkeeping
            update(SchedulerLease)
            .where(SchedulerLease.name == name,
                   or_(SchedulerLease.holder == holder, SchedulerLease.holder.is_(None),
                       SchedulerLease.expires_at.is_(None), SchedulerLease.expires_at <= now))
            .values(holder=holder, expires_at=now + timedelta(seconds=ttl_seconds)))
        return taken.rowcount == 1


def release(db: Database, holder: str, *, name: str = LEASE_NAME) -> bool:
    """Give the lease up at shutdown, so a waiting process takes over at once."""
    with db.write() as s:
        return s.connection().execute(update(SchedulerLease)
                                      .where(SchedulerLease.name == name, SchedulerLease.holder == holder)
                                      .values(holder=None, expires_at=None)).rowcount == 1


def record_sweep(db: Database, holder: str, *, at: datetime, summary: dict,
                 name: str = LEASE_NAME) -> None:
    """Keep what the last sweep did beside the lease (shown by /healthz)."""
    with db.write() as s:
        s.execute(update(SchedulerLease)
                  .where(SchedulerLease.name == name, SchedulerLease.holder == holder)
                  .values(last_sweep_at=at, last_sweep=summary)
                  .execution_options(synchronize_session=False))


def current(db: Database, *, name: str = LEASE_NAME) -> dict | None:
    with db.read() as s:
        row = s.execute(select(SchedulerLease).where(SchedulerLease.name == name)).scalar_one_or_none()
        if row is None:
            return None
        return {"holder": row.holder, "expires_at": row.expires_at, "last_sweep_at": row.last_sweep_at,
                "last_sweep": row.last_sweep}
