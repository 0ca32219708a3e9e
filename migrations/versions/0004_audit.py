"""Audit log as evidence: longer chain names, append-only checkpoints, query indexes.

- `audit_events.chain` grows from 40 to 100 characters: a failed login of an 80-character
  username goes to the chain "auth:<username>" (SQLite does not enforce the length).
- `audit_checkpoints` become append-only like `audit_events` (triggers refusing UPDATE and
  DELETE, and TRUNCATE on PostgreSQL).
- indexes for the audit filters the benchmark (bench/audit.py) showed slow.

Revision ID: 0004_audit
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "0004_audit"
down_revision = "0001"
branch_labels = None
depends_on = None

SQLITE_GUARDS = (
    "CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints "
    "BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END",
    "CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints "
    "BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END",
)
PG_GUARDS = (
    "CREATE OR REPLACE FUNCTION audit_checkpoints_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit_checkpoints is append-only'; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER audit_checkpoints_no_change BEFORE UPDATE OR DELETE ON audit_checkpoints "
    "FOR EACH ROW EXECUTE FUNCTION audit_checkpoints_append_only()",
    "CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_checkpoints_append_only()",
)
INDEXES = (
    # "what did this person do that month": seek the month instead of walking all their events
    ("ix_audit_actor_at", ["actor", "at"]),
    # state filter (from or to): PostgreSQL merges the two for a rare state
    ("ix_audit_to_state", ["to_state", "id"]),
    ("ix_audit_from_state", ["from_state", "id"]),
)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.alter_column("audit_events", "chain", type_=sa.String(100), existing_type=sa.String(40),
                        existing_nullable=False)
    for stmt in PG_GUARDS if dialect == "postgresql" else SQLITE_GUARDS if dialect == "sqlite" else ():
        op.execute(stmt)
    # Plain CREATE INDEX: a batch (copy-and-move) rebuild on SQLite would drop the triggers.
    for name, columns in INDEXES:
        op.create_index(name, "audit_events", columns)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for name, _ in INDEXES:
        op.drop_index(name, table_name="audit_events")
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_checkpoints_no_change ON audit_checkpoints")
        op.execute("DROP TRIGGER IF EXISTS audit_checkpoints_no_truncate ON audit_checkpoints")
        op.execute("DROP FUNCTION IF EXISTS audit_checkpoints_append_only()")
        op.alter_column("audit_events", "chain", type_=sa.String(40), existing_type=sa.String(100),
                        existing_nullable=False)
    elif dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_checkpoints_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_checkpoints_no_delete")
