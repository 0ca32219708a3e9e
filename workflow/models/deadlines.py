"""Pending time limits, swept by the scheduler."""
from datetime import datetime

from sqlalchemy import Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from workflow.models.base import Base, BigId


class Deadline(Base):
    """A pending time limit: one row per step entered, swept by the scheduler.

    `version` is the nomination version that created it; once the nomination moves on the
    row is stale and the sweep retires it. `stage` advances remind → escalate1 → escalate2 →
    done by compare-and-set, so a stage fires once however many sweeps race.
    """
    __tablename__ = "deadlines"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subject: Mapped[str] = mapped_column(String(20), default="nomination")  # nomination | obligation
    subject_id: Mapped[int] = mapped_column(BigId)
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20))
    due_at: Mapped[datetime]
    remind_at: Mapped[datetime | None]
    stage: Mapped[str] = mapped_column(String(20))
    next_at: Mapped[datetime | None]
    fired_at: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    claimed_until: Mapped[datetime | None]
    __table_args__ = (
        Index("ix_deadlines_next", "next_at", postgresql_where=text("next_at IS NOT NULL"),
              sqlite_where=text("next_at IS NOT NULL")),
        Index("ix_deadlines_subject", "subject", "subject_id"),
    )
