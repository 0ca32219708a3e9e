"""Trusted roots the administrator keeps: what each certificate is, who added it.

`trust_roots.sha256` becomes the certificate's fingerprint (SHA-256 of its DER encoding), so the
same certificate uploaded as PEM or as DER is one row (its unique constraint refuses the second);
rows written before are re-fingerprinted. New columns: subject, issuer, validity (not_before,
not_after) and the administrator who added it (`added_by`, empty for the demo's own root).

Revision ID: 0019_trust_roots
Revises: 0019_plan_lifecycle
"""
import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0019_trust_roots"
down_revision = "0019_plan_lifecycle"
branch_labels = None
depends_on = None

ROOTS = sa.table("trust_roots", sa.column("id", sa.Integer), sa.column("pem", sa.Text),
                 sa.column("sha256", sa.String), sa.column("subject", sa.String), sa.column("issuer", sa.String),
                 sa.column("not_before", sa.DateTime(timezone=True)),
                 sa.column("not_after", sa.DateTime(timezone=True)))


def upgrade() -> None:
    with op.batch_alter_table("trust_roots") as batch:
        batch.add_column(sa.Column("subject", sa.String(500), nullable=True))
        batch.add_column(sa.Column("issuer", sa.String(500), nullable=True))
        batch.add_column(sa.Column("not_before", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("not_after", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("added_by", sa.Integer(), sa.ForeignKey("users.id", name="fk_trust_roots_added_by"),
                                   nullable=True))
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    conn = op.get_bind()
    naive = conn.dialect.name == "sqlite"  # as the models' UTCDateTime stores it there
    seen: set[str] = set()
    for row in conn.execute(sa.select(ROOTS.c.id, ROOTS.c.pem)).all():
        try:
            cert = x509.load_pem_x509_certificate(row.pem.encode())
        except ValueError:
            continue  # not a certificate: left as it was (it never verified anything)
        digest = hashlib.sha256(cert.public_bytes(Encoding.DER)).hexdigest()
        if digest in seen:  # the same certificate stored twice under two PEM spellings
            conn.execute(ROOTS.delete().where(ROOTS.c.id == row.id))
            continue
        seen.add(digest)
        conn.execute(ROOTS.update().where(ROOTS.c.id == row.id).values(
            sha256=digest, subject=cert.subject.rfc4514_string()[:500], issuer=cert.issuer.rfc4514_string()[:500],
            not_before=_utc(cert.not_valid_before_utc, naive), not_after=_utc(cert.not_valid_after_utc, naive)))


def _utc(value, naive: bool):
    return value.replace(tzinfo=None) if naive else value


def downgrade() -> None:
    with op.batch_alter_table("trust_roots") as batch:
        batch.drop_column("added_by")
        batch.drop_column("not_after")
        batch.drop_column("not_before")
        batch.drop_column("issuer")
        batch.drop_column("subject")
