"""An issued plan amended (PATCH /plans/{id} with a reason): a milestone the amendment removes
keeps its row, for the reports already made against it, and is marked removed.

- `plan_milestones.removed_at`: when an amendment removed the milestone (NULL while it stands).

Revision ID: 0020_plan_amend
Revises: 0019_eligibility_settings
"""
import sqlalchemy as sa
from alembic import op

revision = "0020_plan_amend"
down_revision = "0019_eligibility_settings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("plan_milestones", sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plan_milestones") as batch:
        batch.drop_column("removed_at")
