"""Sweep: how long the scheduler's sweep takes with many nominations, idle and catching up.

n nominations (seeded, bulk Core inserts), each waiting at a review step with its deadline row;
`overdue` of them became overdue during a downtime. Figures: the idle sweep (nothing due: the
cost every interval pays), then the catch-up sweep that escalates the overdue ones through the
engine (audit event, notifications, e-mail rows), then idle again.
Targets: idle ≤ 5 ms, catch-up of 10,000 ≤ 10 s.

    python -m bench sweep [--n 1000000] [--overdue 10000] [--db URL] [--seed 42]
"""
import argparse
import os
import time
from datetime import timedelta

from sqlalchemy import func, insert, literal, select

from bench.common import NOW, Timer, emit, machine, scratch_database
from bench.data import generate
from states.lifecycle import REVIEW_STATES
from workflow.models import Deadline, Nomination
from workflow.sweep import run_sweep

IDLE_RUNS = 25
BEFORE = NOW - timedelta(days=6)   # the generated overdue ones fall due 1–5 days before NOW


def add_deadlines(db, first_id: int, last_id: int) -> int:
    """A deadline row for every generated nomination waiting at a review step (INSERT ... SELECT)."""
    src = select(literal("nomination"), Nomination.id, Nomination.version, Nomination.state,
                 Nomination.due_at, literal("escalate1"), Nomination.due_at).where(
        Nomination.id.between(first_id, last_id), Nomination.state.in_(REVIEW_STATES),
        Nomination.due_at.is_not(None))
    with db.write() as s:
        s.execute(insert(Deadline).from_select(
            ["subject", "subject_id", "version", "state", "due_at", "stage", "next_at"], src))
        return s.execute(select(func.count()).select_from(Deadline)).scalar_one()


def settle(db) -> None:
    """Fold the bulk load's write-ahead log into the database file (SQLite), so the sweep is
    not charged for checkpointing the setup."""
    if db.dialect == "sqlite":
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    else:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")


def idle(db, at, runs: int = IDLE_RUNS) -> Timer:
    timer = Timer()
    for _ in range(runs):
        with timer.measure():
            report = run_sweep(db, at)
        assert report.escalated == report.reminded == report.expired == 0
    return timer


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(prog="python -m bench sweep", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1_000_000, help="nominations in the database (default 1,000,000)")
    ap.add_argument("--overdue", type=int, default=10_000, help="of them overdue (default 10,000)")
    ap.add_argument("--db", help="database URL (default: a temporary SQLite file; for PostgreSQL, "
                                 "a throw-away database is created on that server)")
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args(argv)
    with scratch_database(args.db) as db:
        t = time.perf_counter()
        ids = generate(db, args.n, seed=args.seed, overdue=args.overdue)
        rows = add_deadlines(db, ids["first_id"], ids["last_id"])
        settle(db)
        setup = time.perf_counter() - t
        print(f"{args.n:,} nominations, {rows:,} deadline rows generated in {setup:.1f} s on {db.dialect}")
        run_sweep(db, BEFORE)  # first sweep: closes the long-closed seed plans
        before = idle(db, BEFORE)
        t, cpu = time.perf_counter(), time.process_time()
        report = run_sweep(db, NOW)
        catch_up, catch_up_cpu = time.perf_counter() - t, time.process_time() - cpu
        after = idle(db, NOW)
        dialect = db.dialect
    figures = {
        "db": dialect, "n": args.n, "overdue": args.overdue, "deadline_rows": rows,
        "idle_ms_median": round(before.median * 1000, 3), "idle_ms_p95": round(before.pct(95) * 1000, 3),
        "idle_after_ms_median": round(after.median * 1000, 3),
        "catch_up_s": round(catch_up, 3), "catch_up_cpu_s": round(catch_up_cpu, 3),
        "escalated": report.escalated, "failed": report.failed,
        "escalations_per_s": round(report.escalated / catch_up, 1) if catch_up else None,
        "setup_s": round(setup, 1), "load_average": round(os.getloadavg()[0], 2), "machine": machine(),
    }
    print(f"idle sweep: median {figures['idle_ms_median']} ms, p95 {figures['idle_ms_p95']} ms (target ≤ 5 ms)")
    print(f"catch-up: {report.escalated:,} escalations in {catch_up:.2f} s "
          f"({figures['escalations_per_s']}/s; target 10,000 ≤ 10 s), {report.failed} failed; "
          f"this process's CPU time {catch_up_cpu:.2f} s (the rest is waiting: database, other load)")
    print(f"idle sweep after the catch-up: median {figures['idle_after_ms_median']} ms")
    return emit("sweep", figures)


if __name__ == "__main__":
    main()
