"""Nominations (hồ sơ đề nghị khen thưởng) and the councils' tallies."""
from datetime import date, datetime

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, Integer, String, Text, text, true
from sqlalchemy.orm import Mapped, mapped_column

from workflow.models.base import Base, BigId
from workflow.text import search_key


def _search_key_default(context) -> str:
    """A new row's search key, from the name it is inserted with (ORM and Core inserts alike)."""
    return search_key(context.get_current_parameters().get("nominee_name") or "")


# Rejected, withdrawn and expired nominations free the nominee for a new one: `live` turns false,
# set by the database's triggers (migrations/versions/0021_nominations_live.py).
LIVE_NOMINEE = text("live")
LIVE_UNLINKED = text("live AND person_id IS NULL")


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
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))  # the register's record
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
    # The central procedure (NĐ 98/2023 Art. 32; QĐ 311/QĐ-BNV 2025): the 20-working-day appraisal
    # runs from the day the dossier is complete, and stops while other bodies are consulted.
    complete_at: Mapped[datetime | None]
    paused_at: Mapped[datetime | None]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    audit_head: Mapped[str | None] = mapped_column(String(64))
    audit_seq: Mapped[int] = mapped_column(Integer, default=0)
    # Not rejected, withdrawn or expired. Written only by the database (triggers on INSERT and on
    # UPDATE OF state), so a move between live states leaves the uniqueness indexes alone.
    live: Mapped[bool] = mapped_column(Boolean, server_default=true(), deferred=True)
    __table_args__ = (
        # The inbox: what waits at my org, most urgent first.
        Index("ix_nominations_inbox", "holder_org_id", "state", "due_at", "id"),
        Index("ix_nominations_unit_state", "unit_id", "state", "id"),
        Index("ix_nominations_unit_id", "unit_id", "id"),  # a unit's list, newest first
        Index("ix_nominations_plan_award_key", "plan_id", "award_code", "nominee_key"),
        # One nominee, one award, one plan (domain.md §6): at most one live nomination per person of
        # the register (two confirmed-distinct namesakes are two people), so 30 parallel creates of
        # one nominee leave one row and 29 conflicts (the typed nominee's record is itself unique:
        # people.auto_key). A nomination not linked to a record is held to its unit and name key.
        Index("uq_nominations_live_person", "plan_id", "award_code", "person_id",
              unique=True, sqlite_where=LIVE_NOMINEE, postgresql_where=LIVE_NOMINEE),
        Index("uq_nominations_live_unlinked", "plan_id", "award_code", "unit_id", "nominee_key",
              unique=True, sqlite_where=LIVE_UNLINKED, postgresql_where=LIVE_UNLINKED),
        Index("ix_nominations_person", "person_id", "plan_id"),
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
    org_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))  # the council that voted
    members: Mapped[int] = mapped_column(Integer)
    present: Mapped[int] = mapped_column(Integer)  # in person plus written votes
    yes: Mapped[int] = mapped_column(Integer)
    no: Mapped[int] = mapped_column(Integer)
    threshold: Mapped[float] = mapped_column(Float)
    passed: Mapped[bool] = mapped_column(Boolean)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime]

    # The last tally of a council without a roster (workflow/orgs/councils.recorded_size).
    __table_args__ = (Index("ix_council_votes_org_id", "org_id", "id"),)


class Posting(Base):
    """Công khai: a nominee's name posted for public comment before the council of `org_id` meets
    (Law Art. 84(5); NĐ 98/2023 Art. 46(2) → NĐ 152/2025 Art. 44(2)): from `posted_from` to the
    end of `posted_until`, at least 10 working days."""
    __tablename__ = "postings"
    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(BigId, ForeignKey("nominations.id", ondelete="CASCADE"),
                                               index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    state: Mapped[str] = mapped_column(String(20))          # the posting step ("ministry_posting")
    posted_from: Mapped[date] = mapped_column(Date)
    posted_until: Mapped[date] = mapped_column(Date, index=True)
    created_at: Mapped[datetime]
