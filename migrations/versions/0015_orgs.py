"""The organisation as data: kinds, effective dates, mergers, names through time, councils.

- `org_units.kind` (central, ministry, province, department, commune, unit; existing rows take
  their level), `valid_from`, `valid_to`, `merged_into_id`;
- `org_names`: every name an org bore (existing rows get their current name);
- `councils` and `council_members`: each org's Hội đồng TĐKT, its quorum and roster;
- `council_votes.org_id`: the council whose tally it is.

Revision ID: 0015_orgs
Revises: 0009_route_key
"""
import sqlalchemy as sa
from alembic import op

revision = "0015_orgs"
down_revision = "0009_route_key"
branch_labels = None
depends_on = None


def _add_reference(table: str, column: str, constraint: str) -> None:
    """A nullable column referencing org_units. SQLite adds it in place (a batch copy would drop
    org_units, which every other table references, and the foreign keys are on)."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column} INTEGER REFERENCES org_units (id)")
    else:
        op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
        op.create_foreign_key(constraint, table, "org_units", [column], ["id"])


def upgrade() -> None:
    op.add_column("org_units", sa.Column("kind", sa.String(20), nullable=False, server_default="unit"))
    op.add_column("org_units", sa.Column("valid_from", sa.Date(), nullable=True))
    op.add_column("org_units", sa.Column("valid_to", sa.Date(), nullable=True))
    _add_reference("org_units", "merged_into_id", "fk_org_units_merged_into")
    op.execute("UPDATE org_units SET kind = level")
    op.create_table(
        "org_names",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("org_id", sa.Integer(), sa.ForeignKey("org_units.id"), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
    )
    op.create_index("ix_org_names_org_id", "org_names", ["org_id"])
    op.execute("INSERT INTO org_names (org_id, name) SELECT id, name FROM org_units")
    op.create_table(
        "councils",
        sa.Column("org_id", sa.Integer(), sa.ForeignKey("org_units.id"), primary_key=True),
        sa.Column("quorum", sa.String(20), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "council_members",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("org_id", sa.Integer(), sa.ForeignKey("councils.org_id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.UniqueConstraint("org_id", "position", name="uq_council_member_position"),
    )
    op.create_index("ix_council_members_org", "council_members", ["org_id"])
    _add_reference("council_votes", "org_id", "fk_council_votes_org")


def downgrade() -> None:
    # On SQLite the two references were added unnamed (ALTER TABLE ... REFERENCES): the table copy
    # of batch mode leaves them out with their column (migrations/env.py turns foreign keys off).
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table("council_votes") as batch:
        if not sqlite:
            batch.drop_constraint("fk_council_votes_org", type_="foreignkey")
        batch.drop_column("org_id")
    op.drop_index("ix_council_members_org", "council_members")
    op.drop_table("council_members")
    op.drop_table("councils")
    op.drop_index("ix_org_names_org_id", "org_names")
    op.drop_table("org_names")
    with op.batch_alter_table("org_units") as batch:
        if not sqlite:
            batch.drop_constraint("fk_org_units_merged_into", type_="foreignkey")
        batch.drop_column("merged_into_id")
        batch.drop_column("valid_to")
        batch.drop_column("valid_from")
        batch.drop_column("kind")
