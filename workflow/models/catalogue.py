"""The award catalogue (hình thức khen thưởng, danh hiệu thi đua)."""

from sqlalchemy import JSON, Boolean, Float, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from workflow.models.base import Base


class AwardType(Base):
    """Hình thức khen thưởng / danh hiệu thi đua: data, kept by the administrator."""
    __tablename__ = "award_types"
    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    name_vi: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(String(20))  # individual | collective | both
    route: Mapped[str] = mapped_column(String(30))
    deciding_level: Mapped[str] = mapped_column(String(20))
    vote_threshold: Mapped[float] = mapped_column(Float)  # share of ALL council members
    quorum: Mapped[float] = mapped_column(Float)          # share of members present
    required_documents: Mapped[list] = mapped_column(JSON, default=list)
    legal_note: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
