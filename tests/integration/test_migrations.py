"""The migrations build exactly the schema the models describe, in one line of history."""
import uuid

from alembic import command
from alembic.script import ScriptDirectory

from workflow.kernel.migrate import alembic_config, current, upgrade

from tests.conftest import pg_admin, pg_url


def test_the_migrations_have_a_single_head():
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1


def test_on_postgresql_the_migrated_schema_is_the_models_schema():
    name = f"kt_mig_{uuid.uuid4().hex[:8]}"
    pg_admin(f'CREATE DATABASE "{name}"')
    try:
        url = pg_url(name)
        upgrade(url)
        command.check(alembic_config(url))  # raises when autogenerate would find a difference
        assert current(url) == ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    finally:
        pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
