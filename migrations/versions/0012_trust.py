"""Trust: one live nomination per nominee, server-side login sessions, login throttles.

- `uq_nominations_live_nominee`: a partial unique index (plan, award, unit, normalised nominee
  key) over live nominations (not rejected, withdrawn or expired), on both databases: parallel
  creates of one nominee leave one row (domain.md §6: one nominee, one award, one plan).
- `login_sessions`: browser sessions kept on the server, ended by logout, password reset and
  deactivation.
- `login_throttles`: failed logins per (username, client address), growing delays.
- `audit_checkpoints.prev_digest`: checkpoints after the first store only the heads that moved
  and chain to the one before (ALTER TABLE ADD COLUMN: no rebuild, the append-only triggers stay).

Revision ID: 0012_trust
Revises: 0010_documents
"""
import sqlalchemy as sa
from alembic import op

revision = "0012_trust"
down_revision = "0010_documents"
branch_labels = None
depends_on = None

BIG = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
LIVE = sa.text("state NOT IN ('rejected', 'withdrawn', 'expired')")


def upgrade() -> None:
    op.create_table(
        "login_sessions",
        sa.Column("id", BIG, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_login_sessions_user_id", "login_sessions", ["user_id"])
    op.create_table(
        "login_throttles",
        sa.Column("id", BIG, nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("next_allowed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username", "client", name="uq_login_throttle"),
    )
    op.add_column("audit_checkpoints", sa.Column("prev_digest", sa.String(length=64), nullable=True))
    # Plain CREATE INDEX (no batch rebuild of nominations on SQLite).
    op.create_index("uq_nominations_live_nominee", "nominations",
                    ["plan_id", "award_code", "unit_id", "nominee_key"], unique=True,
                    sqlite_where=LIVE, postgresql_where=LIVE)


def downgrade() -> None:
    op.drop_index("uq_nominations_live_nominee", table_name="nominations")
    op.drop_table("login_throttles")
    with op.batch_alter_table("audit_checkpoints") as batch:
        batch.drop_column("prev_digest")
    op.drop_index("ix_login_sessions_user_id", table_name="login_sessions")
    op.drop_table("login_sessions")
