"""An attacker (or a careless operator) truncates SQLite's shared-memory file under a running
server: the process serving touches the mapped -shm and dies of SIGBUS (issue 13, L7). The
operator's server survives it: `khenthuong serve` starts a new serving process on the same
socket, which opens the database afresh and answers again; SIGTERM still stops everything."""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from tests.integration.test_cli import env, khenthuong  # noqa: F401  (the fixture and the runner)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _health(port: int) -> int | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as resp:
            return resp.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return None


def _until_healthy(port: int, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while _health(port) != 200:
        assert proc.poll() is None, "serve exited"
        assert time.monotonic() < deadline, "serve did not answer in time"
        time.sleep(0.2)


def test_a_truncated_shm_kills_the_serving_process_and_serve_starts_it_again(env, tmp_path):
    khenthuong("init-db", env=env)
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "web.cli", "serve", "--port", str(port), "--no-scheduler"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        _until_healthy(port, proc)  # /healthz commits a write probe: the -shm is mapped now
        shm = tmp_path / "kt.db-shm"
        assert shm.exists() and shm.stat().st_size > 0
        os.truncate(shm, 0)
        first = _health(port)  # this request's process dies of SIGBUS: no answer, or an error
        assert first != 200
        _until_healthy(port, proc)  # a new serving process answers on the same port
        assert proc.poll() is None
        os.killpg(proc.pid, signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert "died of SIGBUS; starting it again" in err, err
    assert out.count(f"serving on http://127.0.0.1:{port}/") == 2
    assert proc.returncode == 0, err
    # The database is whole: the schema is current and a write works.
    assert "Schema is current" in khenthuong("init-db", env=env).stdout
