"""Running the scheduler: in the web process (`serve`) or alone (`khenthuong scheduler run`).

APScheduler 3.11 runs one interval job (coalesce, one instance at a time, no misfire lost);
its first run is at start, so whatever fell due while no scheduler ran is caught up at once.
Only the holder of the database lease sweeps (scheduler/lease.py).
"""
import logging
import os
import signal
import socket
import threading
import uuid
from collections.abc import Callable
from datetime import datetime, UTC

from apscheduler.schedulers.background import BackgroundScheduler

from scheduler import lease
from scheduler.jobs import SweepJob
from workflow.kernel.db import Database

log = logging.getLogger(__name__)
JOB_ID = "sweep"


def system_clock() -> datetime:
    return datetime.now(UTC)


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class SchedulerHandle:
    """A started scheduler; `stop()` shuts it down and gives the lease up."""

    def __init__(self, db: Database, settings, *, clock: Callable[[], datetime] = system_clock,
                 holder: str | None = None):
        self.db = db
        self.holder = holder or holder_name()
        self.stopping = threading.Event()
        self.job = SweepJob(db, settings, self.holder, clock, self.stopping)
        self.interval = max(int(settings.sweep_seconds), 1)
        self.scheduler = BackgroundScheduler(timezone=UTC)

    def start(self) -> "SchedulerHandle":
        self.scheduler.add_job(
            self.job, "interval", seconds=self.interval, id=JOB_ID, coalesce=True, max_instances=1,
            misfire_grace_time=None, next_run_time=datetime.now(UTC))
        self.scheduler.start()
        log.info("scheduler %s started (every %ss)", self.holder, self.interval)
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)
        try:
            lease.release(self.db, self.holder)
        except Exception:  # shutting down: the lease expires on its own anyway
            log.exception("could not release the scheduler lease")
        log.info("scheduler %s stopped", self.holder)


def start_background(db: Database, settings, *, clock: Callable[[], datetime] = system_clock
                     ) -> SchedulerHandle:
    """Start the scheduler in a background thread of this process (used by `serve`)."""
    return SchedulerHandle(db, settings, clock=clock).start()


def run_forever(db: Database, settings, *, stop: threading.Event | None = None) -> None:
    """`khenthuong scheduler run`: the scheduler alone, until SIGTERM or Ctrl-C."""
    stop = stop or threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    handle = start_background(db, settings)
    try:
        while not stop.wait(1.0):
            pass
    finally:
        handle.stop()
