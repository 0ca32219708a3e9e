"""`khenthuong serve` keeps answering when its server process is killed by a signal.

The server runs in a child process on a socket the parent opened; when the child dies of a
signal (SIGBUS when SQLite's shared-memory file `-shm` is truncated or made unwritable under it,
SIGSEGV, the kernel's OOM killer) the parent starts a new one on the same socket, so clients see
at most the requests that were in flight fail, and the new process opens the database afresh
(SQLite rebuilds the -shm index from the WAL). A child that keeps dying — more than
`MAX_RESTARTS` times in `WINDOW_SECONDS` — is not restarted again: the parent exits 1 and the
service manager takes over. SIGTERM and SIGINT go to the child, which stops as before (releasing
the scheduler's lease), and the parent exits with it.
"""
import os
import signal
import socket
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable

import click

MAX_RESTARTS = 5
WINDOW_SECONDS = 60.0
RESTART_DELAY_SECONDS = 0.5


def listen(host: str, port: int) -> socket.socket:
    """The listening socket, opened once by the parent and shared by every child."""
    sock = socket.create_server((host, port), reuse_port=False, backlog=1024)
    sock.set_inheritable(True)
    return sock


def _run_child(serve: Callable[[socket.socket], None], sock: socket.socket) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    code = 0
    try:
        serve(sock)
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException:  # the child reports and leaves; the parent decides what next
        traceback.print_exc()
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def supervise(serve: Callable[[socket.socket], None], sock: socket.socket) -> int:
    """Run `serve(sock)` in a child process, again after each death by a signal; the exit code."""
    child: int | None = None
    stopping = False
    deaths: deque[float] = deque()

    def forward(signum, _frame) -> None:
        nonlocal stopping
        stopping = True
        if child is not None:
            try:
                os.kill(child, signum)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    while True:
        pid = os.fork()
        if pid == 0:
            _run_child(serve, sock)
        child = pid
        _, status = os.waitpid(pid, 0)
        child = None
        if stopping or not os.WIFSIGNALED(status):
            return 0 if stopping else os.waitstatus_to_exitcode(status)
        name = signal.Signals(os.WTERMSIG(status)).name
        now = time.monotonic()
        deaths.append(now)
        while deaths and now - deaths[0] > WINDOW_SECONDS:
            deaths.popleft()
        if len(deaths) > MAX_RESTARTS:
            click.echo(f"khenthuong: the server process died of {name} {len(deaths)} times in "
                       f"{WINDOW_SECONDS:.0f} s; not starting it again", err=True)
            return 1
        click.echo(f"khenthuong: the server process died of {name}; starting it again", err=True)
        time.sleep(RESTART_DELAY_SECONDS)
