"""Engines and sessions for SQLite (default) and PostgreSQL.

SQLite: WAL, foreign keys on, and write transactions opened with BEGIN IMMEDIATE so two
writers queue on the lock instead of failing half-way when one upgrades a stale snapshot.
"""
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from workflow.config import Settings
from workflow.kernel import prepared
from workflow.errors import Unavailable

WRITE_OPTION = "khenthuong_write"


def _sqlite_listeners(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        # FULL: an approval acknowledged to a user survives a power cut, not only a crash.
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = "IMMEDIATE" if conn.get_execution_options().get(WRITE_OPTION) else "DEFERRED"
        prepared.run_sql(conn, f"BEGIN {mode}")  # every command starts here: straight to the driver


def make_engine(url: str, **kw: Any) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **kw)
        _sqlite_listeners(engine)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    if "poolclass" not in kw:
        kw.setdefault("pool_size", 10)
        kw.setdefault("max_overflow", 20)
    kw.setdefault("pool_pre_ping", True)
    return create_engine(url, **kw)


def core(session: Session, statement: Any, params: dict | None = None) -> Any:
    """Run a statement built once (Core) on the session's connection, after the session's pending
    changes: the hot path's reads skip the ORM's per-statement work (compiling, loading objects)."""
    session.flush()
    return prepared.select_rows(session.connection(), statement, params or {})


def identity(session: Session) -> tuple:
    """Which database a session talks to, for caches kept per database in one process (tests
    open many): host, database name and the engine's pool."""
    known = session.info.get("kernel_identity")
    if known is None:  # asked per notice of a bulk move: worked out once per session
        bind = session.get_bind()
        engine = bind if isinstance(bind, Engine) else bind.engine
        known = session.info["kernel_identity"] = (engine.url.host, engine.url.database, id(engine.pool))
    return known


# SQLite result codes and PostgreSQL SQLSTATEs that mean "the storage refuses writes", not a bug:
# read-only file or transaction, disk full, I/O error, cannot open, connection gone.
SQLITE_STORAGE = ("SQLITE_READONLY", "SQLITE_FULL", "SQLITE_IOERR", "SQLITE_CANTOPEN")
PG_STORAGE_CLASSES = ("53", "08", "57P")
PG_STORAGE_STATES = frozenset({"25006"})


def storage_failure(e: DBAPIError) -> bool:
    orig = e.orig
    name = getattr(orig, "sqlite_errorname", None)
    if name is not None:
        return name.startswith(SQLITE_STORAGE)
    state = getattr(orig, "sqlstate", None) or ""
    if state:
        return state in PG_STORAGE_STATES or state.startswith(PG_STORAGE_CLASSES)
    return bool(e.connection_invalidated)


class Database:
    """The engine plus two session factories: reads, and writes (one transaction each).

    `settings` (workflow/config.py) travel with every session (`session.info["settings"]`), so
    the rules that depend on them (how early to remind) read one value everywhere.
    """

    def __init__(self, url: str, *, settings: Settings | None = None, **kw: Any) -> None:
        self.url = url
        self.settings = settings or Settings(database_url=url)
        self.engine = make_engine(url, **kw)
        self.dialect = self.engine.dialect.name
        info = {"settings": self.settings}
        self._read = sessionmaker(self.engine, expire_on_commit=False, info=info)
        self._write = sessionmaker(self.engine.execution_options(**{WRITE_OPTION: True}),
                                   expire_on_commit=False, info=info)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._read() as s:
            yield s

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: commit on success, roll back on any error. A database that cannot
        be written (disk full, read-only file, connection lost) raises `Unavailable` (503)."""
        s: Session = self._write()
        try:
            yield s
            s.commit()
        except BaseException as e:
            try:
                s.rollback()
            except DBAPIError:
                pass  # the failure below is the one to report
            if isinstance(e, DBAPIError) and storage_failure(e):
                raise Unavailable("Cơ sở dữ liệu tạm thời không ghi được (đầy đĩa, chỉ đọc hoặc mất kết nối); "
                                  "không có gì thay đổi, hãy thử lại sau",
                                  "The database cannot be written just now (disk full, read-only or "
                                  "connection lost); nothing was changed, try again later") from e
            raise
        finally:
            s.close()

    def dispose(self) -> None:
        self.engine.dispose()
