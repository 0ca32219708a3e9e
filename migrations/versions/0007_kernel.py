"""The kernel: audit events record what they changed on their row.

- `audit_events.changes` (JSON): {field: [old, new]} of the tracked fields of the event's row
  (workflow/kernel/subjects.py), so `audit verify` can replay a chain into its row.

Revision ID: 0007_kernel
Revises: 0006_merge
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_kernel"
down_revision = "0006_merge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The audit table refuses UPDATE and DELETE (triggers); adding a nullable column is neither.
    op.add_column("audit_events", sa.Column("changes", sa.JSON(), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+): a batch rebuild on SQLite would drop the triggers.
    op.drop_column("audit_events", "changes")
