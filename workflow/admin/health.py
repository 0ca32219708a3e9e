"""The health of the installation, as `/healthz` and `khenthuong scheduler status` report it."""
from dataclasses import dataclass

from sqlalchemy import select, text

from workflow.kernel.db import Database
from workflow.models import SchedulerLease


@dataclass(frozen=True)
class Health:
    database_ok: bool
    dialect: str
    error: str | None = None
    scheduler: dict | None = None  # who holds the sweep's lease and what the last sweep did


def check(db: Database) -> Health:
    """Can the database be read, and who sweeps; never raises."""
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
        return Health(True, db.dialect, scheduler=scheduler)
    except Exception as e:  # a health check reports, it does not raise
        return Health(False, db.dialect, error=type(e).__name__)
