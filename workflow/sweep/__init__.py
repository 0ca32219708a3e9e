"""The deadline sweep (quét thời hạn): reminders, escalations and expiry, exactly once.

`run_sweep(db, now)` does one sweep as if the time were `now`: the scheduler calls it on an
interval, `khenthuong scheduler tick --now` calls it to rehearse a date. Deadlines are rows
(DESIGN.md §4 rule 5); every stage is claimed by compare-and-set before it acts, so two
sweeps racing, or one sweep run twice, never remind, escalate or notify twice. A first sweep
after downtime catches up every stage it missed, once.
"""
import time
from collections.abc import Callable
from datetime import datetime

from workflow.kernel.db import Database
from workflow.sweep.deadlines import sweep_deadlines
from workflow.sweep.expiry import expire_drafts
from workflow.sweep.report import SweepReport
from workflow.sweep.stages import Policy

__all__ = ["Policy", "SweepReport", "run_sweep"]


def run_sweep(db: Database, now: datetime, *, policy: Policy | None = None, worker: str = "sweep",
              keep_going: Callable[[], bool] | None = None) -> SweepReport:
    """One sweep at `now` (aware UTC). `keep_going` is asked between batches (lease, shutdown)."""
    if now.tzinfo is None:
        raise ValueError("run_sweep needs an aware datetime")
    policy = policy or Policy()
    keep_going = keep_going or (lambda: True)
    started = time.perf_counter()
    report = SweepReport(now=now.isoformat())
    sweep_deadlines(db, now, policy, worker, report, keep_going)
    expire_drafts(db, now, policy, report, keep_going)
    report.duration_ms = (time.perf_counter() - started) * 1000
    return report
