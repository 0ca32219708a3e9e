"""Papers (văn bản): each organisation's paper settings, signed papers, trusted roots."""
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workflow.models.base import Base


class PaperSettings(Base):
    """How an organisation's papers look and what its submissions need (thiết lập văn bản).

    `place`: the địa danh of its papers ("Hà Nội"); `block_on_submit` / `block_on_send`: whether
    missing documents refuse a submission within the unit / a sending to another organisation;
    `certificate_layout`: field positions on its pre-printed certificate blanks (phôi bằng khen).
    """
    __tablename__ = "paper_settings"
    org_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), primary_key=True)
    place: Mapped[str | None] = mapped_column(String(100))
    block_on_submit: Mapped[bool] = mapped_column(Boolean, default=False)
    block_on_send: Mapped[bool] = mapped_column(Boolean, default=True)
    certificate_layout: Mapped[dict | None] = mapped_column(JSON)
    updated_at: Mapped[datetime]


class SignedPaper(Base):
    """A paper signed digitally (ký số, PAdES): served instead of the generated one from then on."""
    __tablename__ = "signed_papers"
    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    signer: Mapped[str] = mapped_column(String(300))
    signed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signed_at: Mapped[datetime]
    __table_args__ = (UniqueConstraint("decision_id", "kind", name="uq_signed_paper"),)


class TrustRoot(Base):
    """A root certificate the administrator trusts for verifying signatures (chứng thư gốc).

    `sha256`: the certificate's fingerprint (SHA-256 of its DER form), unique: one certificate,
    one row, whether it came as PEM or DER."""
    __tablename__ = "trust_roots"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    pem: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    subject: Mapped[str | None] = mapped_column(String(500))
    issuer: Mapped[str | None] = mapped_column(String(500))
    not_before: Mapped[datetime | None]
    not_after: Mapped[datetime | None]
    added_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", name="fk_trust_roots_added_by"))
    added_at: Mapped[datetime]


__all__ = ["PaperSettings", "SignedPaper", "TrustRoot"]
