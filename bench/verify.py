"""`khenthuong audit verify` at scale: the full verification and `--since-checkpoint`.

    python -m bench.verify --n 1000000 [--gap 1000] [--every 1000] [--db postgresql://...]

Builds a scratch database with the demo, writes `--n` events with valid chains in bulk (the
log of bench.audit: 116,000 nominations, logins, administration) and, as the scheduler does,
signs a checkpoint every `--every` events and anchors it in the instance's anchor file, except
for the last `--gap` events (what was written since the last checkpoint). Then, each in a child
process whose own time and peak RSS are read back: the full verification (every chain, every
row, every checkpoint, the anchors) and `--since-checkpoint` (the events after the last anchored
checkpoint). Targets on a 2-core machine: full ≤ 120 s, since-checkpoint ≤ 5 s at 1,000,000.

The generated log compresses two years into the run, so the time rule for missing checkpoints
(every 60 minutes) is left out: it is the event count that paces these checkpoints.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, insert, select

from bench.audit import LogWriter
from bench.common import emit, machine, scratch_database

ROOT = Path(__file__).resolve().parents[1]
KEY = "bench-verify-key"


def settings_for(url: str, instance: Path):
    from workflow.config import Settings
    return Settings(database_url=url, secret_key=KEY, instance_path=instance)


class CheckpointingWriter(LogWriter):
    """The bench log, with a signed and anchored checkpoint every `every` events."""

    def __init__(self, db, n: int, seed: int, settings, every: int, gap: int):
        super().__init__(db, n, seed)
        self.settings, self.every, self.stop_at = settings, every, n - gap
        self.written = self.checkpoints = 0
        self.checkpoint_s = 0.0

    def _flush(self, force: bool = False) -> None:
        from workflow.audit.anchors import checkpoint_now
        from workflow.models import AuditEvent
        if len(self.events) < self.every and not force:
            return
        with self.db.engine.begin() as c:
            if self.events:
                c.execute(insert(self.events_t), self.events)  # type: ignore[arg-type]
            if self.noms:
                c.execute(insert(self.noms_t), self.noms)  # type: ignore[arg-type]
        self.written += len(self.events)
        self.events, self.noms = [], []
        if self.written <= self.stop_at and not force:
            started = time.perf_counter()
            checkpoint_now(self.db, self.settings, self.at)  # dated like the events around it
            self.checkpoint_s += time.perf_counter() - started
            self.checkpoints += 1
            with self.db.read() as s:  # the checkpoint's own event took the next id
                self.next_id = s.execute(select(func.max(AuditEvent.id))).scalar() + 1


def child(url: str, instance: str, since: bool) -> None:
    from workflow.audit.anchors import anchor_path
    from workflow.audit.chain import signing_key
    from workflow.audit.verify import CheckpointPolicy, verify
    from workflow.kernel.db import Database
    settings = settings_for(url, Path(instance))
    db = Database(url, settings=settings)
    started, cpu = time.perf_counter(), time.process_time()
    result = verify(db, signing_key(settings), anchor_file=anchor_path(settings), since_checkpoint=since,
                    policy=CheckpointPolicy(every_events=1000, every_minutes=10**9))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert result.ok, result.to_dict()
    status = Path("/proc/self/status").read_text()
    peak_kb = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))
    line = json.dumps({"seconds": seconds, "cpu_seconds": cpu, "peak_kb": peak_kb, "events": result.events,
                       "chains": result.chains, "gap": result.gap, "anchors": result.anchors,
                       "mode": result.mode, "load": os.getloadavg()})
    print(line)
    with open(Path(tempfile.gettempdir()) / "kt-bench-verify.jsonl", "a") as f:  # kept for the report
        f.write(line + "\n")


def run_child(url: str, instance: Path, since: bool) -> dict:
    cmd = [sys.executable, "-m", "bench.verify", "--child", "--db", url, "--instance", str(instance)]
    if since:
        cmd.append("--since")
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if r.returncode != 0:
        raise SystemExit(r.stderr[-3000:])
    report = json.loads(r.stdout.strip().splitlines()[-1])
    return {"seconds": round(report["seconds"], 2), "cpu_seconds": round(report["cpu_seconds"], 2),
            "load_average": report["load"], "peak_rss_mb": round(report["peak_kb"] / 1024, 1),
            "events_checked": report["events"], "chains": report["chains"], "anchors": report["anchors"],
            "gap_events": report["gap"]["events"]}


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(prog="python -m bench.verify", description=__doc__.split("\n")[0])
    p.add_argument("--n", type=int, default=1_000_000, help="events to generate (default 1,000,000)")
    p.add_argument("--every", type=int, default=1000, help="a checkpoint every this many events")
    p.add_argument("--gap", type=int, default=1000,
                   help="events written after the last checkpoint (rounded up to --every)")
    p.add_argument("--db", help="PostgreSQL server URL (a scratch database is made and dropped); default SQLite")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--since", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--instance", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        child(args.db, args.instance, args.since)
        return {}
    print(f"verify bench: {args.n:,} events, a checkpoint every {args.every:,}, {args.gap:,} after the last; "
          f"{args.db or 'SQLite'}; {machine()}", flush=True)
    with scratch_database(args.db) as db, tempfile.TemporaryDirectory(prefix="kt-bench-verify-") as instance:
        started = time.perf_counter()
        writer = CheckpointingWriter(db, args.n, args.seed, settings_for(db.url, Path(instance)), args.every,
                                     args.gap)
        info = writer.run()
        figures = {"n": args.n, "db": db.dialect, "generate_s": round(time.perf_counter() - started, 1),
                   "nominations": info["nominations"], "checkpoints": writer.checkpoints,
                   "checkpoint_avg_ms": round(1000 * writer.checkpoint_s / max(writer.checkpoints, 1), 1)}
        print(f"generated in {figures['generate_s']} s with {writer.checkpoints:,} checkpoints "
              f"({figures['checkpoint_avg_ms']} ms each)", flush=True)
        for name, since in (("since_checkpoint", True), ("full", False)):
            figures[name] = run_child(db.url, Path(instance), since)
            print(f"{name}: {figures[name]}", flush=True)
    return emit("verify", figures)


if __name__ == "__main__":
    main()
