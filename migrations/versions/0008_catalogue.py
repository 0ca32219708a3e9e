"""The award catalogue as versioned data.

- `award_types.version` (the current version) and `award_types.kind` (loại hình khen thưởng);
- `award_type_versions`: every version's whole definition (names, subject, deciders, steps,
  documents, legal basis). Existing award types get their version 1 from their row.

Revision ID: 0008_catalogue
Revises: 0007_kernel
"""
import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0008_catalogue"
down_revision = "0007_kernel"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("award_types", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.add_column("award_types", sa.Column("kind", sa.String(30), nullable=True))
    op.create_table(
        "award_type_versions",
        sa.Column("code", sa.String(60), sa.ForeignKey("award_types.code"), primary_key=True),
        sa.Column("version", sa.Integer(), primary_key=True),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
    )
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT code, name_vi, name_en, subject, route, required_documents, legal_note "
                                "FROM award_types")).all()
    now = datetime.now(UTC)
    if conn.dialect.name == "sqlite":
        now = now.replace(tzinfo=None)
    for code, vi, en, subject, route, docs, note in rows:
        docs = json.loads(docs) if isinstance(docs, str) else (docs or [])
        definition = {"code": code, "name_vi": vi, "name_en": en, "subject": subject, "route": route,
                      "documents": docs, "legal_basis": note}
        conn.execute(sa.text("INSERT INTO award_type_versions (code, version, definition, created_at) "
                             "VALUES (:c, 1, :d, :t)"), {"c": code, "d": json.dumps(definition, ensure_ascii=False),
                                                          "t": now})


def downgrade() -> None:
    op.drop_table("award_type_versions")
    op.drop_column("award_types", "kind")
    op.drop_column("award_types", "version")
