"""A nomination's liveness as its own column, so a move does not rewrite the uniqueness indexes.

`uq_nominations_live_person` and `uq_nominations_live_unlinked` (0018) were partial indexes on
`state NOT IN ('rejected', 'withdrawn', 'expired')`: SQLite rewrites a partial index whenever a
column of its WHERE is set, so every approval deleted and re-inserted two index entries that did
not change (bench/README.md, issue 20: ~0.1 ms and two WAL pages a step). Now:

- `nominations.live`: false once the nomination is rejected, withdrawn or expired (the nominee
  is free for a new one), kept by the database itself — a trigger on INSERT and on UPDATE OF
  state — so no writer (the engine, an import, a hand-written fix) can let it drift;
- both indexes are partial on `live`, which changes only when a nomination ends.

A later migration that rebuilds `nominations` with batch_alter_table on SQLite must create the
triggers again (a table rebuild drops them).

Revision ID: 0021_nominations_live
Revises: 0020_plan_amend
"""
import sqlalchemy as sa
from alembic import op

revision = "0021_nominations_live"
down_revision = "0020_plan_amend"
branch_labels = None
depends_on = None

ENDED = "('rejected', 'withdrawn', 'expired')"
OLD_LIVE = sa.text(f"state NOT IN {ENDED}")
OLD_LIVE_UNLINKED = sa.text(f"state NOT IN {ENDED} AND person_id IS NULL")
LIVE = sa.text("live")
LIVE_UNLINKED = sa.text("live AND person_id IS NULL")

SQLITE_TRIGGERS = (
    # AFTER, and only when liveness flips: a move between live states runs no statement.
    f"CREATE TRIGGER nominations_live_on_update AFTER UPDATE OF state ON nominations "
    f"WHEN (NEW.state NOT IN {ENDED}) <> OLD.live "
    f"BEGIN UPDATE nominations SET live = (NEW.state NOT IN {ENDED}) WHERE id = NEW.id; END",
    f"CREATE TRIGGER nominations_live_on_insert AFTER INSERT ON nominations "
    f"WHEN (NEW.state NOT IN {ENDED}) <> NEW.live "
    f"BEGIN UPDATE nominations SET live = (NEW.state NOT IN {ENDED}) WHERE id = NEW.id; END",
)
PG_TRIGGERS = (
    f"CREATE OR REPLACE FUNCTION nominations_live() RETURNS trigger AS $$ "
    f"BEGIN NEW.live := NEW.state NOT IN {ENDED}; RETURN NEW; END $$ LANGUAGE plpgsql",
    # WHEN is evaluated without calling the function: a move between live states costs nothing.
    f"CREATE TRIGGER nominations_live_on_update BEFORE UPDATE OF state ON nominations FOR EACH ROW "
    f"WHEN ((NEW.state NOT IN {ENDED}) IS DISTINCT FROM NEW.live) EXECUTE FUNCTION nominations_live()",
    f"CREATE TRIGGER nominations_live_on_insert BEFORE INSERT ON nominations FOR EACH ROW "
    f"WHEN ((NEW.state NOT IN {ENDED}) IS DISTINCT FROM NEW.live) EXECUTE FUNCTION nominations_live()",
)


def create_live_triggers() -> None:
    dialect = op.get_bind().dialect.name
    for stmt in PG_TRIGGERS if dialect == "postgresql" else SQLITE_TRIGGERS if dialect == "sqlite" else ():
        op.execute(stmt)


def drop_live_triggers() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS nominations_live_on_update ON nominations")
        op.execute("DROP TRIGGER IF EXISTS nominations_live_on_insert ON nominations")
        op.execute("DROP FUNCTION IF EXISTS nominations_live()")
    elif dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS nominations_live_on_update")
        op.execute("DROP TRIGGER IF EXISTS nominations_live_on_insert")


def _indexes(live: sa.TextClause, unlinked: sa.TextClause) -> None:
    op.create_index("uq_nominations_live_person", "nominations", ["plan_id", "award_code", "person_id"],
                    unique=True, sqlite_where=live, postgresql_where=live)
    op.create_index("uq_nominations_live_unlinked", "nominations",
                    ["plan_id", "award_code", "unit_id", "nominee_key"], unique=True,
                    sqlite_where=unlinked, postgresql_where=unlinked)


def upgrade() -> None:
    op.add_column("nominations", sa.Column("live", sa.Boolean(), nullable=False, server_default=sa.true()))
    op.execute(f"UPDATE nominations SET live = (state NOT IN {ENDED})")
    op.drop_index("uq_nominations_live_unlinked", table_name="nominations")
    op.drop_index("uq_nominations_live_person", table_name="nominations")
    _indexes(LIVE, LIVE_UNLINKED)
    create_live_triggers()


def downgrade() -> None:
    drop_live_triggers()
    op.drop_index("uq_nominations_live_unlinked", table_name="nominations")
    op.drop_index("uq_nominations_live_person", table_name="nominations")
    _indexes(OLD_LIVE, OLD_LIVE_UNLINKED)
    with op.batch_alter_table("nominations") as batch:
        batch.drop_column("live")
