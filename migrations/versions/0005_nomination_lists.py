"""An index for a unit's nomination list, newest first.

Revision ID: 0005_nomination_lists
Revises: 0001
"""
from alembic import op

revision = "0005_nomination_lists"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_nominations_unit_id", "nominations", ["unit_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_nominations_unit_id", table_name="nominations")
