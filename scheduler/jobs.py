"""The one job the scheduler runs: hold the lease, sweep, send the outbox, record what it did.

A process that does not hold the lease does nothing but try to take it at each interval, so
a second scheduler waits and takes over when the first dies. While sweeping, the holder
renews its lease between batches, so a long catch-up does not lose it half-way.
"""
import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime

from scheduler import lease
from workflow.audit import anchors
from workflow.auth import throttle
from workflow.kernel.db import Database
from workflow.notices import digest
from workflow.notices.outbox import deliver
from workflow.sweep import Policy, SweepReport, run_sweep

log = logging.getLogger(__name__)


def lease_seconds(settings) -> float:
    """How long a lease lasts unless renewed: three sweep intervals (at least 3 s)."""
    return float(getattr(settings, "lease_seconds", None) or max(3 * settings.sweep_seconds, 3))


class SweepJob:
    """Callable by APScheduler; returns the sweep's report, or None when not the holder."""

    def __init__(self, db: Database, settings, holder: str, clock: Callable[[], datetime],
                 stop: threading.Event):
        self.db, self.settings, self.holder, self.clock, self.stop = db, settings, holder, clock, stop
        self.ttl = lease_seconds(settings)
        self.policy = Policy.from_settings(settings)
        self.holding = False
        self._renewed = 0.0
        self._last_checkpoint: datetime | None = None

    def __call__(self) -> SweepReport | None:
        try:
            return self.run_once()
        except Exception:  # the job must outlive a database restart or a bad SMTP server
            log.exception("sweep job failed")
            return None

    def run_once(self) -> SweepReport | None:
        if self.stop.is_set() or not self._renew(force=True):
            return None
        report = run_sweep(self.db, self.clock(), policy=self.policy, worker=self.holder,
                           keep_going=self._keep_going)
        report.digests = digest.send_due(self.db, self.clock()).to_dict()  # before the outbox goes out
        report.mail = deliver(self.db, self.settings.smtp_url, now=self.clock()).to_dict()
        self._checkpoint()
        throttle.prune(self.db, self.clock())
        lease.record_sweep(self.db, self.holder, at=self.clock(), summary=report.summary())
        if report.escalated or report.reminded or report.expired or report.failed:
            log.info("sweep: %s", report.summary())
        return report

    def _checkpoint(self) -> None:
        """A signed snapshot of every chain's head, anchored outside the database: it exposes
        a chain cut back or rewritten at its tail (audit/verify). Each one stores all heads, so
        not at every sweep: every `checkpoint_minutes` or `checkpoint_events` events, whichever
        comes first (by default 60 minutes or 1,000 events)."""
        # By the scheduler's clock (the one events are dated with), so a rehearsed or simulated
        # time still gets a checkpoint per hour of that time.
        now = self.clock()
        every = 60 * getattr(self.settings, "checkpoint_minutes", 60)
        timely = self._last_checkpoint is not None and 0 <= (now - self._last_checkpoint).total_seconds() < every
        limit = self.settings.checkpoint_events
        if timely and anchors.events_since_checkpoint(self.db, limit) < limit:
            return
        anchors.checkpoint_now(self.db, self.settings, now)
        self._last_checkpoint = now

    def _renew(self, force: bool = False) -> bool:
        if not force and time.monotonic() - self._renewed < self.ttl / 3:
            return self.holding
        was = self.holding
        self.holding = lease.try_acquire(self.db, self.holder, now=self.clock(), ttl_seconds=self.ttl)
        self._renewed = time.monotonic()
        if self.holding != was:
            log.info("scheduler %s %s the lease", self.holder, "holds" if self.holding else "lost")
        return self.holding

    def _keep_going(self) -> bool:
        return not self.stop.is_set() and self._renew()
