"""Migration 0015 upgrades a database already in use: the orgs keep their rows (and the users
and everything referencing them), each gets its kind from its level and its name in the history."""
import uuid

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import BACKENDS, pg_admin, pg_url
from workflow.kernel.migrate import upgrade


def populated_then_upgraded(url: str) -> list[tuple]:
    upgrade(url, "0009_route_key")
    engine = create_engine(url)
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.execute(text("PRAGMA foreign_keys=ON"))
        conn.execute(text("INSERT INTO org_units (id, code, name, level, parent_id, path) VALUES "
                          "(1, 'TW', 'Ban Thi đua - Khen thưởng Trung ương', 'central', NULL, '/1/'), "
                          "(2, 'BTTTT', 'Bộ Thông tin và Truyền thông', 'ministry', 1, '/1/2/'), "
                          "(3, 'VTC', 'Tổng công ty VTC', 'unit', 2, '/1/2/3/')"))
        conn.execute(text("INSERT INTO users (id, username, full_name, password_hash, role, org_id, active, created_at) "
                          "VALUES (1, 'vtc.canbo', 'Nguyễn Thị Hương', 'x', 'unit_officer', 3, :t, '2026-11-23')"),
                     {"t": True})
    upgrade(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT o.code, o.kind, o.level, n.name, u.username FROM org_units o "
                                 "JOIN org_names n ON n.org_id = o.id LEFT JOIN users u ON u.org_id = o.id "
                                 "ORDER BY o.id")).all()
    engine.dispose()
    return [tuple(r) for r in rows]


EXPECTED = [("TW", "central", "central", "Ban Thi đua - Khen thưởng Trung ương", None),
            ("BTTTT", "ministry", "ministry", "Bộ Thông tin và Truyền thông", None),
            ("VTC", "unit", "unit", "Tổng công ty VTC", "vtc.canbo")]


@pytest.mark.parametrize("backend", BACKENDS)  # PostgreSQL always under CI=true (tests/conftest.py)
def test_a_populated_database_of_the_first_release_upgrades(backend, tmp_path):
    if backend == "sqlite":
        assert populated_then_upgraded(f"sqlite:///{tmp_path / 'old.db'}") == EXPECTED
        return
    name = f"kt_mig_{uuid.uuid4().hex[:8]}"
    pg_admin(f'CREATE DATABASE "{name}"')
    try:
        assert populated_then_upgraded(pg_url(name)) == EXPECTED
    finally:
        pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
