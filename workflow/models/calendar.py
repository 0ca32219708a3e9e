"""The working-day calendar's overrides."""
from datetime import date

from sqlalchemy import Boolean, Date, String
from sqlalchemy.orm import Mapped, mapped_column

from workflow.models.base import Base


class CalendarOverride(Base):
    """A day off or a make-up working day declared by the Government for civil servants."""
    __tablename__ = "calendar_overrides"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    working: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(String(300))
