"""Nominations (hồ sơ đề nghị khen thưởng) and the councils' tallies."""
from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from workflow.models.base import Base, BigId
from workflow.text import search_key


def _search_key_default(context) -> str:
    """A new row's search key, from the name it is inserted with (ORM and Core inserts alike)."""
    return search_key(context.get_current_parameters().get("nominee_name") or "")


class Nomination(Base):
    """Hồ sơ đề nghị khen thưởng of one person or collective."""
    __tablename__ = "nominations"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    award_code: Mapped[str] = mapped_column(ForeignKey("award_types.code"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    nominee_kind: Mapped[str] = mapped_column(String(20))
    nominee_name: Mapped[str] = mapped_column(String(300))
    nominee_key: Mapped[str] = mapped_column(String(300))
    # The name without diacritics, case-folded ("nguyen van an"): what the workbench's search
    # matches, so "Nguyen Van An" typed on a phone finds "Nguyễn Văn An". Set on insert from the
    # name; an edit of the name sets it again (nominations/drafting.py).
    search_key: Mapped[str | None] = mapped_column(String(300), default=_search_key_default)
    nominee_title: Mapped[str | None] = mapped_column(String(300))
    achievements: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer, default=1)
    route: Mapped[str] = mapped_column(String(120))
    definition_version: Mapped[int] = mapped_column(Integer, default=1)
    level: Mapped[str | None] = mapped_column(String(20))
    holder_org_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    due_at: Mapped[datetime | None]
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    returned_from: Mapped[str | None] = mapped_column(String(20))
    legal_basis: Mapped[str | None] = mapped_column(String(300))
    submitted_at: Mapped[datetime | None]
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossiers.id"), index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    audit_head: Mapped[str | None] = mapped_column(String(64))
    audit_seq: Mapped[int] = mapped_column(Integer, default=0)
    __table_args__ = (
        # The inbox: what waits at my org, most urgent first.
        Index("ix_nominations_inbox", "holder_org_id", "state", "due_at", "id"),
        Index("ix_nominations_unit_state", "unit_id", "state", "id"),
        Index("ix_nominations_unit_id", "unit_id", "id"),  # a unit's list, newest first
        Index("ix_nominations_plan_award_key", "plan_id", "award_code", "nominee_key"),
        Index("ix_nominations_search_key", "search_key"),
    )
    # Every UPDATE is conditional on the version read: WHERE id = ? AND version = ?.
    # The engine bumps the version itself, so bookkeeping writes do not count as changes.
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}


class CouncilVote(Base):
    """The tally of a council's secret ballot; individual ballots are never stored."""
    __tablename__ = "council_votes"
    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id", ondelete="CASCADE"), index=True)
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossiers.id"))
    members: Mapped[int] = mapped_column(Integer)
    present: Mapped[int] = mapped_column(Integer)  # in person plus written votes
    yes: Mapped[int] = mapped_column(Integer)
    no: Mapped[int] = mapped_column(Integer)
    threshold: Mapped[float] = mapped_column(Float)
    passed: Mapped[bool] = mapped_column(Boolean)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime]
