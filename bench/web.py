"""Web: requests/s of the inbox API under concurrent load against gunicorn (2 workers), and
the peak RSS of `khenthuong serve` answering the same load.

    python -m bench web [--n 100000] [--seconds 20] [--clients 16] [--db URL]
"""
import argparse
import os
import signal
import socket
import subprocess
import sys
import threading

from bench.common import PASSWORD, emit, machine, scratch_database
from bench.data import generate
from bench.load import get_token, hammer, wait_ready


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_peak_mb(pid: int) -> float:
    """VmHWM: the resident set's high-water mark of a process, in MB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:  # the process ended between listing and reading
        pass
    return 0


def _cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read()
    except OSError:
        return b""


def descendants(pid: int) -> list[int]:
    """Every live process below `pid` (children, their children...), read from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def server_pid(pid: int) -> int:
    """The process of `khenthuong serve` that serves: its supervised child (forked, so the same
    command line) when there is one, else `pid` itself."""
    own = _cmdline(pid)
    forked = [k for k in descendants(pid) if _cmdline(k) == own]
    return forked[0] if forked else pid


class TreeSampler(threading.Thread):
    """Samples, every `interval` seconds until stopped, the resident memory of a process and of
    all its descendants (Typst's render workers): the peak of their sum, of the process alone
    and of the workers together, in MB."""

    def __init__(self, pid: int, interval: float = 0.05):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_total_kb = self.peak_main_kb = self.peak_children_kb = self.max_children = 0
        self._stop_event = threading.Event()

    def sample(self) -> None:
        main = _rss_kb(self.pid)
        own = _cmdline(self.pid)
        # A child that has not exec'd yet (subprocess's vfork) still is the parent's memory.
        kids = [k for k in descendants(self.pid) if _cmdline(k) != own]
        children = sum(_rss_kb(k) for k in kids)
        self.peak_main_kb = max(self.peak_main_kb, main)
        self.peak_children_kb = max(self.peak_children_kb, children)
        self.peak_total_kb = max(self.peak_total_kb, main + children)
        self.max_children = max(self.max_children, len(kids))

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.sample()
            self._stop_event.wait(self.interval)

    def stop(self) -> dict:
        self._stop_event.set()
        self.join()
        self.sample()
        return {"serve_tree_peak_rss_mb": round(self.peak_total_kb / 1024, 1),
                "serve_sampled_peak_rss_mb": round(self.peak_main_kb / 1024, 1),
                "render_workers_peak_rss_mb": round(self.peak_children_kb / 1024, 1),
                "render_workers_max": self.max_children}


def start(cmd: list[str], env: dict) -> subprocess.Popen:
    return subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def run_load(port: int, args) -> dict:
    wait_ready(port)
    headers = {"Authorization": f"Bearer {get_token(port, 'bo.chuyenvien', PASSWORD)}"}
    paths = ["/api/v1/inbox", "/api/v1/inbox?limit=20", "/api/v1/inbox?award_type=bang_khen_thu_tuong"]
    return hammer(port, paths, headers, clients=args.clients, seconds=args.seconds, max_requests=args.max_requests)


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(prog="python -m bench web", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000, help="nominations in the database")
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--max-requests", type=int, default=200_000)
    ap.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    args = ap.parse_args(argv)
    figures = {}
    with scratch_database(args.db) as db:
        generate(db, args.n)
        env = {**os.environ, "KHENTHUONG_DATABASE_URL": db.url, "KHENTHUONG_SECRET_KEY": "bench"}
        figures["db"] = db.dialect
        port = free_port()
        gunicorn = start([sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}",
                          "--log-level", "warning", "web:create_app()"], env)
        try:
            g = run_load(port, args)
        finally:
            stop(gunicorn)
        figures.update({f"gunicorn_{k}": v for k, v in g.items()})
        port = free_port()
        serve = start([sys.executable, "-m", "web.cli", "serve", "--port", str(port), "--no-scheduler"], env)
        try:
            s = run_load(port, args)
            figures["serve_peak_rss_mb"] = round(rss_peak_mb(server_pid(serve.pid)), 1)
        finally:
            stop(serve)
        figures.update({f"serve_{k}": v for k, v in s.items()})
    errors = sum(v for k, v in figures["gunicorn_statuses"].items() if k != "200")
    figures.update({"n": args.n, "clients": args.clients, "gunicorn_errors": errors, "machine": machine()})
    print(f"gunicorn -w 2: {figures['gunicorn_requests_per_s']} req/s, {errors} errors, p95 "
          f"{figures['gunicorn_p95_ms']} ms; serve peak RSS {figures['serve_peak_rss_mb']} MB")
    return emit("web", figures)


if __name__ == "__main__":
    main()
