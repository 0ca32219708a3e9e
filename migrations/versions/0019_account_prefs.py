"""A user's own preferences (/account) and the daily digest's once-per-day key.

- `users.language` (vi | en), `users.notify_email` (an e-mail per notice), `users.notify_digest`
  (one digest a day instead);
- `user_digests`: one row per user and day a digest was made, unique on (user, day), so the
  scheduler's sweep writes each day's digest once across restarts and two schedulers.

Revision ID: 0019_account_prefs
Revises: 0018_nominee_person_unique
"""
import sqlalchemy as sa
from alembic import op

revision = "0019_account_prefs"
down_revision = "0018_nominee_person_unique"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ALTER TABLE ADD COLUMN with a server default: no batch rebuild of the users table.
    op.add_column("users", sa.Column("language", sa.String(5), nullable=False, server_default="vi"))
    op.add_column("users", sa.Column("notify_email", sa.Boolean(), nullable=False, server_default=sa.true()))
    op.add_column("users", sa.Column("notify_digest", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "user_digests",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("notices", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "day", name="uq_user_digests_user_day"),
    )


def downgrade() -> None:
    op.drop_table("user_digests")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("notify_digest")
        batch.drop_column("notify_email")
        batch.drop_column("language")
