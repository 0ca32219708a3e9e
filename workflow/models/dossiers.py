"""Dossiers (hồ sơ / tờ trình), the nominations they carried, and attached documents."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workflow.models.base import Base, BigId


class Dossier(Base):
    """Hồ sơ / tờ trình: what a level sends up, carrying many nominations."""
    __tablename__ = "dossiers"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(80))
    title: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20), default="unit")  # unit | aggregate
    org_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    addressed_org_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), default="draft")
    version: Mapped[int] = mapped_column(Integer, default=1)
    aggregated_into_id: Mapped[int | None] = mapped_column(ForeignKey("dossiers.id"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The specialist of the receiving office the dossier is assigned to (phân công xử lý); set by
    # the office's leader or reviewer through the kernel (workflow/workbench/assignment.py).
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]
    audit_head: Mapped[str | None] = mapped_column(String(64))
    audit_seq: Mapped[int] = mapped_column(Integer, default=0)
    # Tờ trình numbers restart each year (NĐ 30/2020/NĐ-CP Art. 15): unique per (org, year, seq,
    # symbol); a draft's blank number has no `seq` and takes no number.
    year: Mapped[int | None] = mapped_column(Integer)
    seq: Mapped[str | None] = mapped_column(String(10))
    symbol: Mapped[str | None] = mapped_column(String(70))
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}
    __table_args__ = (UniqueConstraint("org_id", "year", "seq", "symbol", name="uq_dossier_org_year_number"),)


class DossierNomination(Base):
    """Which nominations a dossier carried; kept when they move on to an outgoing dossier."""
    __tablename__ = "dossier_nominations"
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id", ondelete="CASCADE"),
                                               primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    added_at: Mapped[datetime]


class Attachment(Base):
    """A document attached to a dossier, a nomination or an obligation (tờ trình, biên bản...)."""
    __tablename__ = "attachments"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    owner_type: Mapped[str] = mapped_column(String(20))  # dossier | nomination | obligation
    owner_id: Mapped[int] = mapped_column(BigId)
    doc_type: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime]
    # A signed PDF's signatures as verified on upload: {valid, intact, signer, signed_at, trusted}.
    signature: Mapped[dict | None] = mapped_column(JSON)
    __table_args__ = (Index("ix_attachments_owner", "owner_type", "owner_id"),)
