"""What every benchmark shares: a scratch database with the demo loaded, timing, the JSON line."""
import argparse
import json
import os
import platform
import statistics
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import datetime, UTC
from pathlib import Path

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
PASSWORD = "bench-password"


@contextmanager
def scratch_database(url: str | None):
    """A fresh database with the schema and the demo; removed afterwards.

    `url` None: a SQLite file in a temporary folder. A PostgreSQL URL names the server: a
    throw-away database is created on it and dropped at the end.
    """
    if url is None or url.startswith("sqlite"):
        with tempfile.TemporaryDirectory(prefix="kt-bench-") as tmp, \
                _demo_database(url or f"sqlite:///{Path(tmp) / 'bench.db'}") as db:
                yield db
        return
    import psycopg
    admin = url.replace("postgresql+psycopg://", "postgresql://")
    name = f"kt_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        with _demo_database(admin.rsplit("/", 1)[0] + f"/{name}") as db:
            yield db
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def _demo_database(url: str):
    """The schema and the demo at `url`; the engine is disposed afterwards."""
    from workflow.kernel.db import Database
    from workflow.demo.loader import load_demo
    from workflow.kernel.migrate import upgrade
    upgrade(url)
    db = Database(url)
    load_demo(db, now=NOW, password=PASSWORD)
    try:
        yield db
    finally:
        db.dispose()


def arguments(name: str, doc: str, n_default: int, n_help: str) -> argparse.ArgumentParser:
    """The options every benchmark takes: --n (its size) and --db (a database URL)."""
    ap = argparse.ArgumentParser(prog=f"python -m bench {name}", description=doc,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=n_default, help=f"{n_help} (default {n_default})")
    ap.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    return ap


class Timer:
    def __init__(self):
        self.samples: list[float] = []

    @contextmanager
    def measure(self):
        t = time.perf_counter()
        yield
        self.samples.append(time.perf_counter() - t)

    def pct(self, p: float) -> float:
        s = sorted(self.samples)
        return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))] if s else float("nan")

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else float("nan")


def machine() -> str:
    return f"{platform.node()} {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}"


def emit(name: str, figures: dict) -> dict:
    """Print the closing JSON line of a benchmark."""
    print(json.dumps({"bench": name, **figures}, ensure_ascii=False))
    return figures
