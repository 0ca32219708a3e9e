"""The award catalogue (hình thức khen thưởng, danh hiệu thi đua), versioned."""
from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from workflow.models.base import Base


class AwardType(Base):
    """Hình thức khen thưởng / danh hiệu thi đua: data, kept by the administrator.

    The row holds the current version's main fields (for lists and filters); every version's
    whole definition, steps included, is an `AwardTypeVersion`. A nomination keeps the version it
    was made under (`nominations.definition_version`).
    """
    __tablename__ = "award_types"
    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    name_vi: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(String(20))  # individual | collective | both
    # A route of the first release ("unit", "ministry", "central"), or "steps": the version's own.
    route: Mapped[str] = mapped_column(String(30))
    deciding_level: Mapped[str] = mapped_column(String(20))
    vote_threshold: Mapped[float] = mapped_column(Float)  # share of ALL council members (unit council)
    quorum: Mapped[float] = mapped_column(Float)          # share of members present
    required_documents: Mapped[list] = mapped_column(JSON, default=list)
    legal_note: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    kind: Mapped[str | None] = mapped_column(String(30))  # loại hình: thuong_xuyen, chuyen_de, dot_xuat...


class AwardTypeVersion(Base):
    """One version of an award type's definition: names, subject, deciders, steps, documents."""
    __tablename__ = "award_type_versions"
    code: Mapped[str] = mapped_column(ForeignKey("award_types.code"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    definition: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
