"""Papers: each organisation's paper settings, signed papers, trusted roots; attachments keep
the verified signature of a signed PDF.

Revision ID: 0010_documents
Revises: 0017_procedure
"""
import sqlalchemy as sa
from alembic import op

revision = "0010_documents"
down_revision = "0017_procedure"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "paper_settings",
        sa.Column("org_id", sa.Integer(), sa.ForeignKey("org_units.id"), primary_key=True),
        sa.Column("place", sa.String(100), nullable=True),
        sa.Column("block_on_submit", sa.Boolean(), nullable=False),
        sa.Column("block_on_send", sa.Boolean(), nullable=False),
        sa.Column("certificate_layout", sa.JSON(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "signed_papers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("decision_id", sa.Integer(), sa.ForeignKey("decisions.id"), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("signer", sa.String(300), nullable=False),
        sa.Column("signed_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("decision_id", "kind", name="uq_signed_paper"),
    )
    op.create_index("ix_signed_papers_decision_id", "signed_papers", ["decision_id"])
    op.create_table(
        "trust_roots",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("pem", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("attachments") as batch:
        batch.add_column(sa.Column("signature", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("attachments") as batch:
        batch.drop_column("signature")
    op.drop_table("trust_roots")
    op.drop_index("ix_signed_papers_decision_id", "signed_papers")
    op.drop_table("signed_papers")
    op.drop_table("paper_settings")
