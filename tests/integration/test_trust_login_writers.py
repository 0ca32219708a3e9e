"""Login spam must not stall the writers (M6): the ~0.2–0.5 s Argon2 check used to run inside
the SQLite write transaction, so every other writer of every process waited behind it. Now the
hash is checked with no transaction open; only two short writes (claim, record) remain."""
import sqlite3
import threading
import time

import pytest

from workflow.access.actors import RequestContext
from workflow.auth import service as auth
from workflow.errors import RateLimited, Unauthenticated

from tests.conftest import NOW


def test_writers_are_not_locked_out_while_passwords_are_checked(sqlite_db):
    path = sqlite_db.url.split("///", 1)[1]
    done = threading.Event()

    def spam():
        try:
            for i in range(6):  # six addresses, so none is throttled: every attempt is hashed
                with pytest.raises((Unauthenticated, RateLimited)):
                    auth.check_password(sqlite_db, "bo.lanhdao", f"doan-{i}", now=NOW,
                                        ctx=RequestContext(request_id=None, client_ip=f"198.51.100.{i}"))
        finally:
            done.set()

    probe = sqlite3.connect(path, timeout=0, isolation_level=None)  # a writer that will not wait
    tries = locked = 0
    spammer = threading.Thread(target=spam)
    spammer.start()
    while not done.is_set():
        tries += 1
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("COMMIT")
        except sqlite3.OperationalError:
            locked += 1
        time.sleep(0.002)
    spammer.join(60)
    probe.close()
    # With the hash inside the write transaction nearly every probe found the database locked;
    # now only the two short writes of each attempt can get in the way.
    assert tries > 20 and locked / tries < 0.3, (locked, tries)
