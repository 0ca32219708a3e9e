"""The procedure as the law writes it (issue 15).

- `decisions`: numbered per (org, year, seq, symbol) — NĐ 30/2020/NĐ-CP Art. 15, numbers restart
  at 01 each year — replacing the old per-org uniqueness; `decider` / `proposed_by` (the Prime
  Minister or the President deciding on the central office's proposal); `issued`.
- `dossiers`: the same numbering for tờ trình (`year`, `seq`, `symbol`, unique together).
- `postings`: the public-posting windows (công khai, Law Art. 84(5)).
- `nominations.complete_at` / `paused_at`: the central appraisal clock; `decisions.follow_up_by`:
  copies to the submitting level within 10 working days of a central decision.

Revision ID: 0017_procedure
Revises: 0015_orgs
"""
import re

import sqlalchemy as sa
from alembic import op

revision = "0017_procedure"
down_revision = "0015_orgs"
branch_labels = None
depends_on = None

_NUMBER = re.compile(r"^\s*(\d*[A-Za-z]?)\s*/\s*(.*)$")


def _split(number: str) -> tuple[str | None, str]:
    m = _NUMBER.match(number or "")
    if not m:
        return None, (number or "")[:70]
    return (m.group(1) or None), m.group(2)[:70]


def _year(value) -> int | None:
    if value is None:
        return None
    return int(str(value)[:4])


def upgrade() -> None:
    conn = op.get_bind()
    with op.batch_alter_table("decisions") as batch:
        batch.add_column(sa.Column("year", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("seq", sa.String(10), nullable=True))
        batch.add_column(sa.Column("symbol", sa.String(70), nullable=True))
        batch.add_column(sa.Column("decider", sa.String(200), nullable=True))
        batch.add_column(sa.Column("proposed_by", sa.String(300), nullable=True))
        batch.add_column(sa.Column("issued", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch.add_column(sa.Column("follow_up_by", sa.Date(), nullable=True))
    for did, number, day in conn.execute(sa.text("SELECT id, number, decided_on FROM decisions")).all():
        seq, symbol = _split(number)
        conn.execute(sa.text("UPDATE decisions SET year = :y, seq = :n, symbol = :s WHERE id = :i"),
                     {"y": _year(day), "n": seq or "", "s": symbol, "i": did})
    with op.batch_alter_table("decisions") as batch:
        batch.alter_column("year", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("seq", existing_type=sa.String(10), nullable=False)
        batch.alter_column("symbol", existing_type=sa.String(70), nullable=False)
        batch.drop_constraint("uq_decision_org_number", type_="unique")
        batch.create_unique_constraint("uq_decision_org_year_number", ["org_id", "year", "seq", "symbol"])

    with op.batch_alter_table("dossiers") as batch:
        batch.add_column(sa.Column("year", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("seq", sa.String(10), nullable=True))
        batch.add_column(sa.Column("symbol", sa.String(70), nullable=True))
    for did, number, created in conn.execute(sa.text("SELECT id, number, created_at FROM dossiers")).all():
        seq, symbol = _split(number)
        conn.execute(sa.text("UPDATE dossiers SET year = :y, seq = :n, symbol = :s WHERE id = :i"),
                     {"y": _year(created), "n": seq, "s": symbol, "i": did})
    with op.batch_alter_table("dossiers") as batch:
        batch.create_unique_constraint("uq_dossier_org_year_number", ["org_id", "year", "seq", "symbol"])

    op.create_table(
        "postings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("nomination_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  sa.ForeignKey("nominations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("org_id", sa.Integer(), sa.ForeignKey("org_units.id"), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("posted_from", sa.Date(), nullable=False),
        sa.Column("posted_until", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_postings_nomination_id", "postings", ["nomination_id"])
    op.create_index("ix_postings_posted_until", "postings", ["posted_until"])
    with op.batch_alter_table("nominations") as batch:
        batch.add_column(sa.Column("complete_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("paused_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("nominations") as batch:
        batch.drop_column("paused_at")
        batch.drop_column("complete_at")
    op.drop_index("ix_postings_posted_until", "postings")
    op.drop_index("ix_postings_nomination_id", "postings")
    op.drop_table("postings")
    with op.batch_alter_table("dossiers") as batch:
        batch.drop_constraint("uq_dossier_org_year_number", type_="unique")
        for name in ("symbol", "seq", "year"):
            batch.drop_column(name)
    with op.batch_alter_table("decisions") as batch:
        batch.drop_constraint("uq_decision_org_year_number", type_="unique")
        batch.create_unique_constraint("uq_decision_org_number", ["org_id", "number"])
        for name in ("follow_up_by", "issued", "proposed_by", "decider", "symbol", "seq", "year"):
            batch.drop_column(name)
