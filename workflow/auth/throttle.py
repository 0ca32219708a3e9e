"""Login throttling (hạn chế đăng nhập sai) per (username, client address).

Why not a lock: five bad passwords locking an account let anyone lock out anyone, the
administrator included. Instead each (username, client address) pair has a counter and a
time before which it may not try again; the delay grows with the failures (0 for the first
few, then 1 s, 2 s, 4 s ... up to 15 minutes). Someone guessing from another address never
slows the real user down.

Why claim before checking: the attempt is claimed with one conditional UPDATE (counter + 1,
next allowed time moved) *before* the slow password hash is checked, so N parallel guesses
cannot all read "allowed" and all try: the counter is the database's, not the process's.
A right password clears the pair's counter afterwards; an administrator can clear it too.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from workflow.kernel.db import Database
from workflow.models import LoginThrottle

FREE_ATTEMPTS = 4      # failures before any delay
MAX_DELAY = timedelta(minutes=15)


def delay_after(failures: int) -> timedelta:
    """How long a pair waits after `failures` claimed attempts: 0, then 1 s doubling to 15 min."""
    if failures < FREE_ATTEMPTS:
        return timedelta(0)
    return min(timedelta(seconds=2 ** min(failures - FREE_ATTEMPTS, 20)), MAX_DELAY)


def client_key(client_ip: str | None) -> str:
    return (client_ip or "-")[:64]


def claim(db: Database, username: str, client: str, now: datetime) -> datetime | None:
    """Claim one attempt for the pair; None when claimed, else the time it may try again.

    One short write transaction with a conditional UPDATE: of any number of parallel
    attempts, only as many as the counter allows get through."""
    for _ in range(3):
        with db.write() as s:
            row = s.execute(select(LoginThrottle.failures, LoginThrottle.next_allowed_at).where(
                LoginThrottle.username == username, LoginThrottle.client == client)).first()
            if row is None:
                try:
                    with s.begin_nested():
                        s.execute(insert(LoginThrottle).values(
                            username=username, client=client, failures=1, last_at=now,
                            next_allowed_at=now + delay_after(1)))
                    return None
                except IntegrityError:  # a parallel first attempt inserted it: claim again
                    continue
            if row.next_allowed_at > now:
                return row.next_allowed_at
            done = s.execute(update(LoginThrottle).where(
                LoginThrottle.username == username, LoginThrottle.client == client,
                LoginThrottle.failures == row.failures).values(
                failures=row.failures + 1, last_at=now,
                next_allowed_at=now + delay_after(row.failures + 1))).rowcount  # type: ignore[attr-defined]
            if done == 1:
                return None
    return now + delay_after(FREE_ATTEMPTS)  # lost three races in a row: someone is hammering


def clear(db: Database, username: str, client: str | None = None) -> int:
    """Forget the pair's failures (right password), or every pair of `username` (admin)."""
    with db.write() as s:
        return clear_in(s, username, client)


def clear_in(s, username: str, client: str | None = None) -> int:
    """`clear` in the caller's transaction (the admin's unlock, with its audit event)."""
    q = delete(LoginThrottle).where(LoginThrottle.username == username)
    if client is not None:
        q = q.where(LoginThrottle.client == client)
    return s.execute(q).rowcount


def rows_of(db: Database, username: str) -> list["ThrottleRow"]:
    """Every address `username` failed to log in from and has not yet been cleared."""
    with db.read() as s:
        found = s.execute(select(LoginThrottle).where(LoginThrottle.username == username)
                          .order_by(LoginThrottle.last_at.desc())).scalars()
        return [ThrottleRow(r.username, r.client, r.failures, r.next_allowed_at, r.last_at) for r in found]


@dataclass(frozen=True)
class ThrottleRow:
    username: str
    client: str
    failures: int
    next_allowed_at: datetime
    last_at: datetime


def rows(db: Database, now: datetime, limit: int = 200) -> list[ThrottleRow]:
    """Pairs with failures in the last day, most recent first (the admin's list)."""
    with db.read() as s:
        found = s.execute(select(LoginThrottle).where(LoginThrottle.last_at > now - timedelta(days=1))
                          .order_by(LoginThrottle.last_at.desc()).limit(limit)).scalars()
        return [ThrottleRow(r.username, r.client, r.failures, r.next_allowed_at, r.last_at) for r in found]


def prune(db: Database, now: datetime, keep: timedelta = timedelta(days=1)) -> int:
    """Forget pairs quiet for a day whose delay has run out (the scheduler calls it): someone
    spraying usernames leaves no lasting rows."""
    with db.write() as s:
        return s.execute(delete(LoginThrottle).where(LoginThrottle.last_at < now - keep,
                                                     LoginThrottle.next_allowed_at < now)
                         ).rowcount  # type: ignore[attr-defined]
