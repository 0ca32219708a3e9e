"""Every migration can be undone: an empty database goes up to the head, down one revision at a
time to nothing, and up again to the same schema (SQLite and PostgreSQL); the demo database, full
of rows, goes down below the organisation tree (0015_orgs) with its orgs, users and nominations
intact and comes back up."""
import uuid

import pytest
from alembic import command
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select, text

from tests.conftest import BACKENDS, pg_admin, pg_url
from workflow.kernel.db import make_engine
from workflow.kernel.migrate import alembic_config, upgrade
from workflow.models import User


def heads(url: str) -> tuple[str, ...]:
    engine = make_engine(url)
    with engine.connect() as conn:
        found = MigrationContext.configure(conn).get_current_heads()
    engine.dispose()
    return found


def schema(url: str) -> dict[str, list[str]]:
    """Every table with its columns, the indexes and unique constraints by name."""
    engine = make_engine(url)
    insp = inspect(engine)
    out = {}
    for table in sorted(insp.get_table_names()):
        out[table] = sorted(c["name"] for c in insp.get_columns(table))
        out[f"{table} indexes"] = sorted(i["name"] for i in insp.get_indexes(table) if i["name"])
        out[f"{table} uniques"] = sorted(u["name"] for u in insp.get_unique_constraints(table) if u["name"])
    engine.dispose()
    return out


def one_step_down(url: str) -> str:
    """Undo the newest applied revision; returns its id. A merge revision goes back to both parents."""
    cfg = alembic_config(url)
    script = ScriptDirectory.from_config(cfg)
    head = sorted(heads(url))[-1]
    down = script.get_revision(head).down_revision
    if isinstance(down, tuple):
        target = down[0]
    elif down is None:
        target = "base" if len(heads(url)) == 1 else f"{head}@-1"
    else:
        target = f"{head}@-1"
    command.downgrade(cfg, target)
    assert head not in heads(url)
    return head


def round_trip(url: str) -> list[str]:
    upgrade(url)
    at_head = schema(url)
    undone = []
    while heads(url):
        undone.append(one_step_down(url))
        assert len(undone) < 50, "the downgrades do not reach the base"
    engine = make_engine(url)
    left = set(inspect(engine).get_table_names()) - {"alembic_version"}
    engine.dispose()
    assert left == set(), f"tables left at base: {left}"
    upgrade(url)
    assert schema(url) == at_head
    return undone


@pytest.mark.parametrize("backend", BACKENDS)  # PostgreSQL always under CI=true (tests/conftest.py)
def test_an_empty_database_goes_down_step_by_step_to_base_and_up_again(backend, tmp_path):
    every = {r.revision for r in ScriptDirectory.from_config(alembic_config("sqlite://")).walk_revisions()}
    if backend == "sqlite":
        undone = round_trip(f"sqlite:///{tmp_path / 'empty.db'}")
    else:
        name = f"kt_down_{uuid.uuid4().hex[:8]}"
        pg_admin(f'CREATE DATABASE "{name}"')
        try:
            undone = round_trip(pg_url(name))
        finally:
            pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert set(undone) == every and len(undone) == len(every)  # each revision undone once


def counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    with engine.connect() as conn:
        out = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
               for t in ("org_units", "users", "nominations", "plans", "audit_events")}
        out["users without their org"] = conn.execute(text(
            "SELECT count(*) FROM users u LEFT JOIN org_units o ON o.id = u.org_id "
            "WHERE u.org_id IS NOT NULL AND o.id IS NULL")).scalar_one()
        out["dangling keys"] = len(conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall())
    engine.dispose()
    return out


def test_the_populated_demo_database_goes_down_below_the_org_tree_and_up_again(sqlite_db, open_plan):
    from tests.scenarios import act, draft
    with sqlite_db.read() as s:
        users = {u.username: u.id for u in s.execute(select(User)).scalars()}
    # Work in flight: one nomination voted by the commune's council (a tally naming its council),
    # one waiting for its council; the demo brings its merged ministry, rosters and plans.
    voted = act(sqlite_db, users, "xa.canbo", draft(sqlite_db, users, open_plan, award="giay_khen",
                                                    officer="xa.canbo").id, "submit")
    act(sqlite_db, users, "xa.hoidong", voted.id, "vote", votes={"present": 6, "yes": 6, "no": 0})
    act(sqlite_db, users, "vtc.canbo", draft(sqlite_db, users, open_plan, award="giay_khen", name="Lê Văn B").id,
        "submit")
    url = sqlite_db.url
    sqlite_db.dispose()
    before = counts(url)
    assert before["org_units"] > 5 and before["nominations"] == 2 and before["dangling keys"] == 0
    command.downgrade(alembic_config(url), "0009_route_key")
    assert heads(url) == ("0009_route_key",)
    engine = make_engine(url)
    columns = {c["name"] for c in inspect(engine).get_columns("org_units")}
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert not {"kind", "valid_from", "valid_to", "merged_into_id"} & columns
    assert not {"org_names", "councils", "council_members"} & tables
    after = counts(url)
    assert {k: after[k] for k in ("org_units", "users", "nominations", "plans")} == \
        {k: before[k] for k in ("org_units", "users", "nominations", "plans")}
    assert after["users without their org"] == 0 and after["dangling keys"] == 0
    upgrade(url)
    again = counts(url)
    assert again["org_units"] == before["org_units"] and again["nominations"] == before["nominations"]
    assert again["dangling keys"] == 0
