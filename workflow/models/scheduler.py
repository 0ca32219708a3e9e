"""The scheduler's lease."""
from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from workflow.models.base import Base


class SchedulerLease(Base):
    """Which scheduler process may sweep; only one at a time."""
    __tablename__ = "scheduler_lease"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(120))
    expires_at: Mapped[datetime | None]
    last_sweep_at: Mapped[datetime | None]
    last_sweep: Mapped[dict | None] = mapped_column(JSON)
