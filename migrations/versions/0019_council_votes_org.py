"""An index for "the members of this council's last tally" (workflow/orgs/councils.recorded_size).

Every vote of a council that keeps no roster reads its last recorded tally; without an index on
(org_id, id) that read walked the council_votes table backwards until it met the council, which
grows with every vote of every other council.

Revision ID: 0019_council_votes_org
Revises: 0019_account_prefs
"""
from alembic import op

revision = "0019_council_votes_org"
down_revision = "0019_account_prefs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_council_votes_org_id", "council_votes", ["org_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_council_votes_org_id", table_name="council_votes")
