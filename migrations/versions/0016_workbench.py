"""The workbench: nominations get a diacritic-free search key ("nguyen van an"), filled for the
rows already there, and indexed; a dossier may be assigned to a specialist of the receiving
office (`dossiers.assignee_id`); comments on nominations and dossiers (`comments`);
delegations of a leader to a stand-in (`delegations`).

Revision ID: 0016_workbench
Revises: 0014_people
"""
import sqlalchemy as sa
from alembic import op

from workflow.text import search_key

revision = "0016_workbench"
down_revision = "0014_people"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("nominations") as batch:
        batch.add_column(sa.Column("search_key", sa.String(300), nullable=True))
        batch.create_index("ix_nominations_search_key", ["search_key"], unique=False)
    with op.batch_alter_table("dossiers") as batch:
        batch.add_column(sa.Column("assignee_id", sa.Integer(), nullable=True))
        batch.create_index("ix_dossiers_assignee_id", ["assignee_id"], unique=False)
        batch.create_foreign_key("fk_dossiers_assignee_id_users", "users", ["assignee_id"], ["id"])
    op.create_table(
        "comments",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("subject", sa.String(20), nullable=False),
        sa.Column("subject_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["org_id"], ["org_units.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_comments_subject", "comments", ["subject", "subject_id", "id"], unique=False)
    op.create_table(
        "delegations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("from_user_id", sa.Integer(), nullable=False),
        sa.Column("to_user_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["from_user_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["to_user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_delegations_from_user_id", "delegations", ["from_user_id"], unique=False)
    op.create_index("ix_delegations_to_user_id", "delegations", ["to_user_id"], unique=False)
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, nominee_name FROM nominations")).all()
    if rows:
        conn.execute(sa.text("UPDATE nominations SET search_key = :k WHERE id = :id"),
                     [{"id": r.id, "k": search_key(r.nominee_name or "")} for r in rows])


def downgrade() -> None:
    op.drop_index("ix_delegations_to_user_id", table_name="delegations")
    op.drop_index("ix_delegations_from_user_id", table_name="delegations")
    op.drop_table("delegations")
    op.drop_index("ix_comments_subject", table_name="comments")
    op.drop_table("comments")
    with op.batch_alter_table("dossiers") as batch:
        batch.drop_constraint("fk_dossiers_assignee_id_users", type_="foreignkey")
        batch.drop_index("ix_dossiers_assignee_id")
        batch.drop_column("assignee_id")
    with op.batch_alter_table("nominations") as batch:
        batch.drop_index("ix_nominations_search_key")
        batch.drop_column("search_key")
