"""Join the branches of the first release into one head.

Revision ID: 0006_merge
Revises: 0004_audit, 0005_nomination_lists
"""
revision = "0006_merge"
down_revision = ("0004_audit", "0005_nomination_lists")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
