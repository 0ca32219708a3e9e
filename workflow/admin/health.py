"""The health of the installation, as `/healthz` and `khenthuong scheduler status` report it.

`/healthz` is public, so it says only ok or fail; who sweeps (host name and process id) and
what the last sweep did are for the administrator and the auditor (GET /api/v1/health).
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError

from workflow.access.loading import load_actor
from workflow.errors import Forbidden
from workflow.kernel.db import Database
from workflow.models import SchedulerLease

PROBE = "healthz"  # a row of scheduler_lease written by every health check


@dataclass(frozen=True)
class Health:
    database_ok: bool
    dialect: str
    error: str | None = None
    scheduler: dict | None = None  # who holds the sweep's lease and what the last sweep did
    writable: bool = True


def _probe_write(db: Database, now: datetime) -> None:
    """Commit one tiny write: a database on a full disk or a read-only file fails here, not
    on a user's approval."""
    with db.write() as s:
        done = s.execute(update(SchedulerLease).where(SchedulerLease.name == PROBE)
                         .values(last_sweep_at=now)).rowcount  # type: ignore[attr-defined]
        if not done:
            try:
                with s.begin_nested():
                    s.add(SchedulerLease(name=PROBE, holder=None, last_sweep_at=now))
            except IntegrityError:
                pass  # a parallel probe inserted it


def check(db: Database, now: datetime | None = None) -> Health:
    """Can the database be read (and, given `now`, written), and who sweeps; never raises."""
    try:
        with db.read() as s:
            s.execute(text("SELECT 1"))
            lease = s.execute(select(SchedulerLease).where(SchedulerLease.name == "sweep")).scalar_one_or_none()
            scheduler = None
            if lease:
                scheduler = {
                    "holder": lease.holder,
                    "lease_expires_at": lease.expires_at.isoformat() if lease.expires_at else None,
                    "last_sweep_at": lease.last_sweep_at.isoformat() if lease.last_sweep_at else None,
                    "last_sweep": lease.last_sweep,
                }
    except Exception as e:  # a health check reports, it does not raise
        return Health(False, db.dialect, error=type(e).__name__, writable=False)
    if now is not None:
        try:
            _probe_write(db, now)
        except Exception as e:
            return Health(False, db.dialect, error=type(e).__name__, scheduler=scheduler, writable=False)
    return Health(True, db.dialect, scheduler=scheduler)


def detailed(db: Database, actor_id: int, now: datetime) -> Health:
    """The full health report, for the administrator and the auditor only."""
    with db.read() as s:
        actor = load_actor(s, actor_id)
    if actor.role not in ("admin", "auditor"):
        raise Forbidden("Chỉ quản trị hệ thống và kiểm toán xem được tình trạng chi tiết",
                        "Only the administrator and the auditor see the detailed health")
    return check(db, now)
