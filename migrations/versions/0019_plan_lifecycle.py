"""Plans have a lifecycle (draft → issued → closed), a period, participant groups; milestones bind
groups or units and may recur every year, so an obligation is unique per unit, milestone and due date.

Revision ID: 0019_plan_lifecycle
Revises: 0019_council_votes_org
"""
import sqlalchemy as sa
from alembic import op

revision = "0019_plan_lifecycle"
down_revision = "0019_council_votes_org"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        # Every plan stored before this revision was issued when it was saved.
        batch.add_column(sa.Column("status", sa.String(length=20), nullable=False, server_default="issued"))
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("period_start", sa.Date(), nullable=True))
        batch.add_column(sa.Column("period_end", sa.Date(), nullable=True))
        batch.add_column(sa.Column("groups", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("plan_milestones") as batch:
        batch.add_column(sa.Column("binds", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("binds_text", sa.Text(), nullable=True))
        batch.add_column(sa.Column("recurrence", sa.String(length=10), nullable=True))
    with op.batch_alter_table("obligations") as batch:
        batch.drop_constraint("uq_obligation_unit", type_="unique")
        batch.create_unique_constraint("uq_obligation_unit_due", ["milestone_id", "org_id", "due_at"])


def downgrade() -> None:
    # A recurring milestone's later years cannot live under the old constraint: keep the first.
    op.execute("DELETE FROM obligations WHERE id NOT IN ("
               "SELECT MIN(id) FROM obligations GROUP BY milestone_id, org_id)")
    with op.batch_alter_table("obligations") as batch:
        batch.drop_constraint("uq_obligation_unit_due", type_="unique")
        batch.create_unique_constraint("uq_obligation_unit", ["milestone_id", "org_id"])
    with op.batch_alter_table("plan_milestones") as batch:
        batch.drop_column("recurrence")
        batch.drop_column("binds_text")
        batch.drop_column("binds")
    with op.batch_alter_table("plans") as batch:
        for col in ("closed_at", "groups", "period_end", "period_start", "version", "status"):
            batch.drop_column(col)
