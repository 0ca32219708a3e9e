"""Fixtures: real SQLite files and real PostgreSQL databases, both loaded with the demo.

A migrated, demo-loaded template is built once per backend; each test gets its own copy
(a file copy for SQLite, CREATE DATABASE ... TEMPLATE for PostgreSQL).

PostgreSQL: KHENTHUONG_TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres)
is the admin connection used to create and drop the test databases. It is required: a test
that needs PostgreSQL fails when it is unreachable. Set KHENTHUONG_TEST_PG=0 to leave the
PostgreSQL variants out on a machine without it (never under CI=true).
"""
import os
import shutil
import uuid
from datetime import datetime, timedelta, UTC
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, select

from workflow.kernel.db import Database
from workflow.demo.loader import load_demo
from workflow.kernel.migrate import upgrade
from workflow.models import AuditEvent, Nomination, Plan, User

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 09:00 in Hà Nội
DEMO_PASSWORD = "Demo-Password-2026"
PG_ADMIN_URL = os.environ.get("KHENTHUONG_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
IN_CI = os.environ.get("CI", "").lower() == "true"
WITH_PG = IN_CI or os.environ.get("KHENTHUONG_TEST_PG", "1") != "0"
SEEDS_DIR = Path(__file__).resolve().parents[1] / "workflow" / "demo" / "seeds"


class Clock:
    """A clock the tests move by hand; services take it as a parameter."""

    def __init__(self, now: datetime = NOW):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw) -> datetime:
        self.now += timedelta(**kw)
        return self.now


def pg_url(dbname: str) -> str:
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    return f"{base}/{dbname}".replace("postgresql://", "postgresql+psycopg://", 1)


def pg_admin(sql: str) -> None:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


def _build_template(url: str) -> None:
    upgrade(url)
    db = Database(url)
    load_demo(db, now=NOW, password=DEMO_PASSWORD)
    db.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "khenthuong.db"
    _build_template(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_template():
    name = f"kt_tpl_{uuid.uuid4().hex[:10]}"
    pg_admin(f'CREATE DATABASE "{name}"')
    try:
        _build_template(pg_url(name))
        yield name
    finally:
        pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _sqlite_copy(template: Path, tmp_path: Path) -> Database:
    path = tmp_path / "khenthuong.db"
    shutil.copy(template, path)
    return Database(f"sqlite:///{path}")


@pytest.fixture
def sqlite_db(sqlite_template, tmp_path):
    db = _sqlite_copy(sqlite_template, tmp_path)
    yield db
    db.dispose()


@pytest.fixture
def pg_db(request):
    template = request.getfixturevalue("pg_template")
    name = f"kt_{uuid.uuid4().hex[:12]}"
    pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    db = Database(pg_url(name))
    yield db
    db.dispose()
    pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


BACKENDS = ["sqlite", "postgresql"] if WITH_PG else ["sqlite"]


@pytest.fixture(params=BACKENDS)
def db(request):
    """The demo database, on every backend the suite runs against."""
    return request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "pg_db")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def users(db) -> dict[str, int]:
    with db.read() as s:
        return {u.username: u.id for u in s.execute(select(User)).scalars()}


@pytest.fixture
def open_plan(db) -> int:
    """The open annual plan of the demo (accepting nominations)."""
    with db.read() as s:
        return s.execute(select(Plan.id).where(Plan.title.like("Kế hoạch thi đua, khen thưởng năm %"))).scalar_one()


def counts(db) -> tuple[int, int]:
    """(nominations, audit events): what must not move when a command is refused."""
    with db.read() as s:
        return (s.execute(select(func.count()).select_from(Nomination)).scalar_one(),
                s.execute(select(func.count()).select_from(AuditEvent)).scalar_one())


def snapshot(db, nomination_id: int) -> tuple:
    with db.read() as s:
        n = s.get(Nomination, nomination_id)
        events = s.execute(select(func.count()).select_from(AuditEvent)
                           .where(AuditEvent.nomination_id == nomination_id)).scalar_one()
        return (n.state, n.version, n.holder_org_id, events)


# --- the HTTP API -------------------------------------------------------------------------

class ApiClient:
    """The Flask test client, logged in as one user."""

    def __init__(self, client, token: str | None):
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path, **kw):
        return self.client.get(f"/api/v1{path}", headers=self.headers, **kw)

    def post(self, path, json=None, **kw):
        return self.client.post(f"/api/v1{path}", json=json, headers=self.headers, **kw)

    def put(self, path, json=None, **kw):
        return self.client.put(f"/api/v1{path}", json=json, headers=self.headers, **kw)

    def patch(self, path, json=None, **kw):
        return self.client.patch(f"/api/v1{path}", json=json, headers=self.headers, **kw)

    def delete(self, path, **kw):
        return self.client.delete(f"/api/v1{path}", headers=self.headers, **kw)


@pytest.fixture
def app(db, clock, tmp_path):
    from web import create_app
    # instance_path: the audit anchor file and keys of this test, never the working directory's
    return create_app({"db": db, "clock": clock, "database_url": db.url, "TESTING": True,
                       "secret_key": "test-secret", "instance_path": tmp_path / "instance"})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def login(client):
    """login("vtc.canbo") → an ApiClient with that user's token."""
    tokens: dict[str, str] = {}

    def _login(username: str) -> ApiClient:
        if username not in tokens:
            r = client.post("/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD})
            assert r.status_code == 201, r.get_json()
            tokens[username] = r.get_json()["token"]
        return ApiClient(client, tokens[username])

    return _login


@pytest.fixture
def seeds_dir() -> Path:
    assert SEEDS_DIR.is_dir(), f"the seed plans ship with the package: {SEEDS_DIR}"
    return SEEDS_DIR
