"""The command line, run as an operator would run it: a real process, a real database file."""
import json
import os
import subprocess
import sys

import pytest


def khenthuong(*args, env, check=True):
    r = subprocess.run([sys.executable, "-m", "web.cli", *args], capture_output=True, text=True, env=env,
                       timeout=120)
    if check:
        assert r.returncode == 0, r.stderr
    return r


@pytest.fixture
def env(tmp_path):
    return {**os.environ, "KHENTHUONG_DATABASE_URL": f"sqlite:///{tmp_path / 'kt.db'}",
            "KHENTHUONG_INSTANCE": str(tmp_path)}


def test_an_operator_sets_up_the_demo_and_gets_a_token(env):
    assert "Schema is current" in khenthuong("init-db", env=env).stdout
    out = khenthuong("demo", env=env).stdout
    from workflow.demo.data import USERS
    assert f"{len(USERS)} user(s)" in out and "shown once" in out
    again = khenthuong("demo", "--password", "x", env=env).stdout
    assert "0 user(s)" in again and "not changed" in again
    token = khenthuong("users", "token", "bo.chuyenvien", env=env).stdout.strip()
    assert len(token) > 30
    r = khenthuong("users", "token", "khong.co", env=env, check=False)
    assert r.returncode == 1 and "khong.co" in r.stderr


def test_deadlines_parse_prints_json_or_quotes_the_phrase_it_cannot_read(env):
    out = khenthuong("deadlines", "parse", "trước tháng 8 năm 2014", "--json", env=env).stdout
    assert json.loads(out) == {"text": "trước tháng 8 năm 2014", "periods": [{"start": None, "end": "2014-07-31"}],
                               "expected": False}
    r = khenthuong("deadlines", "parse", "quý V năm 2024", env=env, check=False)
    assert r.returncode == 2 and "quý V năm 2024" in r.stderr


def test_calendar_counts_working_days_across_tet_2026(env):
    # Friday 13/02/2026; Tết holidays 16–20/02; 5 working days later is Friday 27/02
    assert khenthuong("calendar", "add-working-days", "2026-02-13", "5", env=env).stdout.strip() == "2026-02-27"


def test_help_explains_every_command(env):
    out = khenthuong("--help", env=env).stdout
    for cmd in ("init-db", "demo", "serve", "deadlines", "calendar", "users"):
        assert cmd in out


def test_serve_refuses_a_database_without_schema_and_stops_cleanly_on_sigterm(env):
    import signal
    import socket
    import time
    import urllib.request
    r = khenthuong("serve", "--no-scheduler", env=env, check=False)
    assert r.returncode == 2 and "khenthuong demo" in r.stderr
    khenthuong("demo", "--password", "demo-password", env=env)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "web.cli", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as resp:
                    assert resp.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline and proc.poll() is None, proc.stderr.read()
                time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert f"serving on http://127.0.0.1:{port}/" in out and "Traceback" not in err
    # It let go of the scheduler's lease on the way out: the next process may sweep at once.
    status = json.loads(khenthuong("scheduler", "status", env=env).stdout)
    assert status["holder"] is None
