"""Real processes for the fault scenarios: gunicorn, `khenthuong` commands, kill -9, an SMTP server
that pulls the plug on the sender, and nominations queued in bulk through the real services.

Every process is started in its own session (process group), so `kill9` takes down a whole
gunicorn (master and workers) at once, as a power cut or the OOM killer would.
"""
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime

import requests
from sqlalchemy import insert, select

from bench.web import server_pid

from workflow.models import Nomination, Plan, User
from workflow.nominations import actions

from tests.conftest import DEMO_PASSWORD
from tests.scenarios import FULL_VOTE
from tests.integration.test_outbox import SmtpSink, free_port

SECRET = "crash-test-secret"


def env_for(db_url: str, instance, **extra) -> dict:
    """The environment a `khenthuong` process of these scenarios runs with."""
    env = {**os.environ, "KHENTHUONG_DATABASE_URL": db_url, "KHENTHUONG_INSTANCE": str(instance),
           "KHENTHUONG_SECRET_KEY": SECRET, "PYTHONUNBUFFERED": "1"}
    env.pop("KHENTHUONG_SMTP_URL", None)
    env.update({k: str(v) for k, v in extra.items()})
    return env


def wait_for(predicate, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def writer_busy(db) -> bool:
    """Does some other connection hold an open write transaction on this database right now?

    SQLite: our own BEGIN IMMEDIATE with no patience fails while another writer holds the
    lock. PostgreSQL: another backend of the database is inside a transaction.
    """
    if db.dialect == "sqlite":
        import sqlite3
        conn = sqlite3.connect(db.url.split("///", 1)[1], timeout=0, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError as e:
            assert "locked" in str(e), e
            return True
        finally:
            conn.close()
    import psycopg
    from tests.conftest import PG_ADMIN_URL
    name = db.url.rsplit("/", 1)[1]
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        busy = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND xact_start IS NOT NULL "
                            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'", (name,)).fetchone()
        return busy[0] > 0


# --- processes ----------------------------------------------------------------------------

def spawn(args: list[str], env: dict, log_path) -> subprocess.Popen:
    """A process in a session of its own (its pid is its process group id)."""
    log = open(log_path, "ab")
    try:
        return subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    finally:
        log.close()


def kill9(proc: subprocess.Popen) -> int:
    """SIGKILL to the whole process group; returns the leader's exit status (-9 when it was
    still running). Waits until no process of the group is left."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    code = proc.wait(timeout=30)
    wait_for(lambda: not _group_alive(proc.pid), 30, f"process group {proc.pid} to be gone", 0.05)
    return code


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def khenthuong(env: dict, *args: str, timeout: float = 240) -> subprocess.CompletedProcess:
    """Run one `khenthuong` command to its end."""
    return subprocess.run([sys.executable, "-m", "web.cli", *args], env=env, capture_output=True, text=True,
                          timeout=timeout)


def audit_verify(env: dict) -> subprocess.CompletedProcess:
    return khenthuong(env, "audit", "verify", "--quiet")


class Server:
    """A web server of the product in its own process group on 127.0.0.1:<free port>."""

    def __init__(self, env: dict, log_path):
        self.env, self.log_path = env, log_path
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def command(self) -> list[str]:
        raise NotImplementedError

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def launch(self) -> "Server":
        """Start the process; do not wait for it to answer."""
        self.proc = spawn(self.command(), self.env, self.log_path)
        return self

    def start(self) -> "Server":
        self.launch()
        wait_for(self._ready, 60, f"{self.command()[2]} on port {self.port}", 0.2)
        return self

    def _ready(self) -> bool:
        if self.proc.poll() is not None:
            raise AssertionError(f"the server exited with {self.proc.returncode}: {self.log()}")
        try:
            return requests.get(f"{self.url}/healthz", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def log(self) -> str:
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()[-4000:]

    def token(self, username: str) -> str:
        r = requests.post(f"{self.url}/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD},
                          timeout=30)
        assert r.status_code == 201, r.text
        return r.json()["token"]

    def kill9(self) -> int:
        return kill9(self.proc)

    def stop(self) -> int | None:
        """SIGTERM, as an operator stops it; its exit status."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                return self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                kill9(self.proc)
        return self.proc.returncode if self.proc else None


class Gunicorn(Server):
    """`gunicorn -w 2 'web:create_app()'`, as a deployment runs the web tier."""

    def command(self) -> list[str]:
        return [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{self.port}", "--timeout", "300",
                "--graceful-timeout", "5", "--log-level", "warning", "web:create_app()"]


class Serve(Server):
    """`khenthuong serve`: the web UI and API with the scheduler in the same process — a child of
    the command's own process, which starts it again if a signal kills it (web/cli/supervise.py)."""

    def command(self) -> list[str]:
        return [sys.executable, "-m", "web.cli", "serve", "--port", str(self.port)]

    def serving_pid(self) -> int:
        """The pid of the process that serves and runs the scheduler (the supervised child)."""
        assert self.proc is not None
        return server_pid(self.proc.pid)


class InFlight:
    """One HTTP request sent from a thread; afterwards either `response` or `error` is set."""

    def __init__(self, method: str, url: str, **kw):
        self.response: requests.Response | None = None
        self.error: Exception | None = None
        self.done = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(method, url), kwargs=kw, daemon=True)
        self._thread.start()

    def _run(self, method, url, **kw):
        try:
            self.response = requests.request(method, url, timeout=600, **kw)
        except requests.RequestException as e:
            self.error = e
        finally:
            self.done.set()

    def wait(self, timeout: float = 60) -> "InFlight":
        assert self.done.wait(timeout), "the request neither answered nor failed"
        return self


# --- an SMTP server that kills the sender in the worst possible moment -------------------

class PlugPullingSmtp(SmtpSink):
    """A real SMTP server (aiosmtpd) that SIGKILLs the sending process group at a chosen moment:

    - `arm(n, "accepted")`: on receiving the n-th message it keeps it, then kills the sender
      before answering "250 OK": the sender dies with the message delivered but not yet
      marked sent, the one window no outbox can close;
    - `arm(n, "before")`: at the n-th recipient (RCPT TO), before any of that message is
      accepted: the sender dies with the message claimed but not delivered.
    Counts run from the server's start.
    """

    def __init__(self):
        super().__init__()
        self.trigger: tuple[int, str] | None = None
        self.victim: subprocess.Popen | None = None
        self.victim_known = threading.Event()
        self.killed_key: str | None = None
        self.killed_recipient: str | None = None
        self.received = 0
        self.recipients = 0

    def arm(self, n: int, moment: str) -> None:
        assert moment in ("accepted", "before")
        self.trigger, self.victim, self.killed_key, self.killed_recipient = (n, moment), None, None, None
        self.victim_known.clear()

    def aim(self, proc: subprocess.Popen) -> None:
        self.victim = proc
        self.victim_known.set()

    def _pull_plug(self) -> None:
        self.trigger = None
        assert self.victim_known.wait(30), "no sender to kill"
        os.killpg(self.victim.pid, signal.SIGKILL)
        # let the SIGKILL land before any answer goes out
        wait_for(lambda: self.victim.poll() is not None, 10, "the sender to die", 0.01)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self._lock:
            self.recipients += 1
            fire = self.trigger == (self.recipients, "before")
        if fire:
            self.killed_recipient = address
            self._pull_plug()
            return "451 4.3.0 the sender is gone"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        answer = await super().handle_DATA(server, session, envelope)
        with self._lock:
            self.received += 1
            fire = self.trigger == (self.received, "accepted")
            if fire:
                self.killed_key = self.messages[-1]["X-Khenthuong-Key"]
        if fire:
            self._pull_plug()
        return answer


# --- many nominations queued at one reviewer, through the real services -------------------

@dataclass(frozen=True)
class Before:
    """A nomination as it was before the fault: what "untouched" means."""
    version: int
    audit_seq: int
    audit_head: str
    state: str


def queue_at_unit_head(db, n: int, *, now: datetime, officer="vtc.canbo", secretary="vtc.hoidong",
                       award="bang_khen_thu_tuong") -> dict[int, Before]:
    """n nominations of the officer's unit, submitted and voted through the council (each with
    its audit chain, deadline row and notices), now waiting for the unit head.

    The drafts are inserted in bulk (as an Excel import would create them); submission and
    the council's vote are real bulk commands of the officer and the secretary.
    """
    with db.write() as s:
        users = {u.username: u for u in s.execute(select(User)).scalars()}
        plan = s.execute(select(Plan.id).where(Plan.title.like("Kế hoạch thi đua, khen thưởng năm %"))).scalar_one()
        unit = users[officer].org_id
        marker = f"crash-{time.monotonic_ns()}"
        rows = [dict(plan_id=plan, award_code=award, unit_id=unit, nominee_kind="individual",
                     nominee_name=f"Cán bộ thứ {i + 1}", nominee_key=f"{marker}-{i}", created_by=users[officer].id,
                     achievements="Hoàn thành xuất sắc nhiệm vụ năm 2026", state="draft", version=1,
                     route="central", definition_version=1, level="unit", holder_org_id=unit, escalation_level=0,
                     created_at=now, updated_at=now, audit_seq=0) for i in range(n)]
        for k in range(0, n, 2000):
            s.execute(insert(Nomination), rows[k:k + 2000])
        ids = list(s.execute(select(Nomination.id).where(Nomination.nominee_key.like(f"{marker}-%"))
                             .order_by(Nomination.id)).scalars())
    for who, action, body in ((officer, "submit", {}), (secretary, "vote", {"votes": FULL_VOTE})):
        results = actions.bulk_perform(db, users[who].id, action, ids, body, now=now)
        assert all(r.ok for r in results), [r for r in results if not r.ok][:3]
    return snapshot(db, ids)


def snapshot(db, ids) -> dict[int, Before]:
    with db.read() as s:
        return {r.id: Before(r.version, r.audit_seq, r.audit_head, r.state) for r in s.execute(
            select(Nomination.id, Nomination.version, Nomination.audit_seq, Nomination.audit_head, Nomination.state)
            .where(Nomination.id.in_(list(ids))))}
