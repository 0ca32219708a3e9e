"""Decisions (quyết định khen thưởng)."""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workflow.models.base import Base


class Decision(Base):
    """Quyết định khen thưởng: one decision awards many nominations."""
    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(80))
    decided_on: Mapped[date] = mapped_column(Date)
    org_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    signer: Mapped[str | None] = mapped_column(String(200))
    on_behalf_of: Mapped[str | None] = mapped_column(String(200))  # "KT. BỘ TRƯỞNG"
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    __table_args__ = (UniqueConstraint("org_id", "number", name="uq_decision_org_number"),)
