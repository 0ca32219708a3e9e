"""An office's choice of the eligibility rules still to confirm (workflow/people/settings.py).

One row per (org, rule): on or off for the nominations of the org's subtree; the nearest org up
the tree with a row decides. Without rows every unconfirmed rule stays off, as before.

Revision ID: 0019_eligibility_settings
Revises: 0019_trust_roots
"""
import sqlalchemy as sa
from alembic import op

revision = "0019_eligibility_settings"
down_revision = "0019_trust_roots"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "eligibility_settings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("org_id", sa.Integer(), sa.ForeignKey("org_units.id"), nullable=False),
        sa.Column("rule_code", sa.String(length=60), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("updated_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("org_id", "rule_code", name="uq_eligibility_settings_rule"),
    )


def downgrade() -> None:
    op.drop_table("eligibility_settings")
