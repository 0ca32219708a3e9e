"""One active scheduler: a lease in the database, APScheduler in the process, `tick` for rehearsals."""
import json
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from workflow.models import AuditCheckpoint

from scheduler.lease import current, release, try_acquire
from scheduler.runner import start_background

from tests.conftest import DEMO_PASSWORD, NOW
from tests.scenarios import act, draft
from tests.integration.test_sweep import at


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def checkpoints(db) -> int:
    with db.read() as s:
        return s.execute(select(func.count()).select_from(AuditCheckpoint)).scalar_one()


def holder_pid(db) -> int | None:
    lease = current(db)
    return int(lease["holder"].split(":")[1]) if lease and lease["holder"] else None


def test_one_process_holds_the_lease_until_it_expires_or_is_released(db):
    assert try_acquire(db, "máy-A:1:a", now=NOW, ttl_seconds=30)
    assert not try_acquire(db, "máy-B:2:b", now=NOW + timedelta(seconds=10), ttl_seconds=30)
    assert try_acquire(db, "máy-A:1:a", now=NOW + timedelta(seconds=20), ttl_seconds=30)  # renewed
    assert not try_acquire(db, "máy-B:2:b", now=NOW + timedelta(seconds=45), ttl_seconds=30)
    assert try_acquire(db, "máy-B:2:b", now=NOW + timedelta(seconds=51), ttl_seconds=30)  # A went silent
    assert not try_acquire(db, "máy-A:1:a", now=NOW + timedelta(seconds=52), ttl_seconds=30)
    assert not release(db, "máy-A:1:a")  # only the holder can give it up
    assert release(db, "máy-B:2:b")
    assert try_acquire(db, "máy-A:1:a", now=NOW + timedelta(seconds=53), ttl_seconds=30)


def test_serve_runs_the_scheduler_in_process_and_healthz_shows_it(db, app, client):
    settings = app.extensions["khenthuong"].settings.with_(sweep_seconds=1)
    handle = start_background(db, settings)
    try:
        job = handle.scheduler.get_job("sweep")
        assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, None)
        assert job.trigger.interval == timedelta(seconds=1)
        wait_for(lambda: (current(db) or {}).get("last_sweep_at"), 15, "the first sweep")
        assert client.get("/healthz").get_json() == {"status": "ok"}  # who sweeps is not public
        token = client.post("/api/v1/auth/token", json={"username": "admin", "password": DEMO_PASSWORD}
                            ).get_json()["token"]
        body = client.get("/api/v1/health", headers={"Authorization": f"Bearer {token}"}).get_json()
        assert body["scheduler"]["holder"] == handle.holder
        assert body["scheduler"]["last_sweep"]["failed"] == 0 and "escalated" in body["scheduler"]["last_sweep"]
        # the running scheduler also signs a checkpoint of the audit chains
        wait_for(lambda: checkpoints(db), 15, "a signed audit checkpoint")
    finally:
        handle.stop()
    assert current(db)["holder"] is None  # given up at shutdown: another may start at once


def scheduler_run(env, log_path):
    with open(log_path, "a") as log:
        return subprocess.Popen([sys.executable, "-m", "web.cli", "scheduler", "run"], env=env,
                                stdout=log, stderr=subprocess.STDOUT)


def test_a_second_scheduler_waits_and_takes_over_when_the_first_dies(db, tmp_path):
    env = {**os.environ, "KHENTHUONG_DATABASE_URL": db.url, "KHENTHUONG_SWEEP_SECONDS": "1",
           "KHENTHUONG_INSTANCE": str(tmp_path)}
    first = scheduler_run(env, tmp_path / "first.log")
    second = None
    try:
        wait_for(lambda: holder_pid(db) == first.pid, 30, "the first scheduler to take the lease")
        second = scheduler_run(env, tmp_path / "second.log")
        time.sleep(4)  # the second has run its job several times by now: it only waits
        assert holder_pid(db) == first.pid and second.poll() is None
        first.send_signal(signal.SIGKILL)  # dies without releasing anything
        first.wait(10)
        wait_for(lambda: holder_pid(db) == second.pid, 20, "the second scheduler to take over")
        swept = current(db)["last_sweep_at"]
        wait_for(lambda: current(db)["last_sweep_at"] > swept, 10, "a sweep by the second scheduler")
        second.send_signal(signal.SIGTERM)
        assert second.wait(20) == 0
        assert current(db)["holder"] is None
    finally:
        for p in (first, second):
            if p and p.poll() is None:
                p.kill()
                p.wait(10)


@pytest.fixture
def cli_env(sqlite_db, tmp_path):
    return {**os.environ, "KHENTHUONG_DATABASE_URL": sqlite_db.url, "KHENTHUONG_INSTANCE": str(tmp_path)}


def tick(env, *args):
    return subprocess.run([sys.executable, "-m", "web.cli", "scheduler", "tick", *args], env=env,
                          capture_output=True, text=True, timeout=120)


def test_an_operator_rehearses_a_deadline_with_scheduler_tick(sqlite_db, cli_env):
    from sqlalchemy import select
    from workflow.models import AuditEvent, Nomination, Plan, User
    with sqlite_db.read() as s:
        users = {u.username: u.id for u in s.execute(select(User)).scalars()}
        plan = s.execute(select(Plan.id).where(Plan.title.like("Kế hoạch thi đua%"))).scalar_one()
    n = act(sqlite_db, users, "vtc.canbo", draft(sqlite_db, users, plan).id, "submit")

    def state():
        with sqlite_db.read() as s:
            nom = s.get(Nomination, n.id)
            return nom.escalation_level, nom.version, s.execute(select(AuditEvent.id).order_by(
                AuditEvent.id.desc()).limit(1)).scalar()

    before = state()
    r = tick(cli_env, "--now", "2026-12-09T09:00:00+07:00", "--json")  # a rehearsal: nothing kept
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["dry_run"] is True and report["escalated"] == 1 and report["events"] == [
        {"deadline": report["events"][0]["deadline"], "subject": "nomination", "id": n.id,
         "action": "escalate", "level": 1}]
    assert report["now"] == at("2026-12-09").isoformat()
    assert state() == before
    rehearsed_again = tick(cli_env, "--now", "2026-12-09 09:00")  # Vietnam time when no offset is given
    assert "DRY RUN" in rehearsed_again.stdout and "1 escalation(s)" in rehearsed_again.stdout
    applied = tick(cli_env, "--now", "2026-12-09 09:00", "--apply", "--json")
    assert applied.returncode == 0 and json.loads(applied.stdout)["escalated"] == 1
    assert "dry_run" not in json.loads(applied.stdout) and state()[0] == 1
    again = tick(cli_env, "--now", "2026-12-09 09:00", "--apply")
    assert again.returncode == 0 and "0 escalation(s)" in again.stdout
    later = tick(cli_env, "--now", "2026-12-16", "--apply")
    assert "1 escalation(s)" in later.stdout and f"escalate level 2: nomination #{n.id}" in later.stdout
    bad = tick(cli_env, "--now", "mùng 1 Tết")
    assert bad.returncode == 2 and "mùng 1 Tết" in bad.stderr


def test_tick_refuses_times_outside_the_years_it_can_mean(sqlite_db, cli_env):
    """An attacker's or a typo's --now: year 1 crashed the sweep, year 9999 used up every
    escalation with events dated 9999. Both are refused (exit 2) and nothing is written."""
    from sqlalchemy import func, select
    from workflow.models import AuditEvent
    with sqlite_db.read() as s:
        events = s.execute(select(func.count()).select_from(AuditEvent)).scalar()
    for when in ("0001-01-01", "9999-12-31T23:59:59+07:00", "1999-12-31"):
        r = tick(cli_env, "--now", when, "--apply")
        assert r.returncode == 2 and "out of range" in r.stderr and "Traceback" not in r.stderr, when
    with sqlite_db.read() as s:
        assert s.execute(select(func.count()).select_from(AuditEvent)).scalar() == events
