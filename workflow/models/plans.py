"""Plans (Kế hoạch thi đua, khen thưởng), their milestones, participants and report obligations."""
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from workflow.models.base import Base


class Plan(Base):
    """Kế hoạch / phong trào thi đua."""
    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(80))      # as written, e.g. "3793/KH-BTTTT"
    title: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))        # annual | thematic | ad_hoc
    issuer_org_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    issuer_name: Mapped[str | None] = mapped_column(String(300))  # as signed, e.g. "Ban Tổ chức Đại hội"
    issued_on: Mapped[date | None] = mapped_column(Date)
    issued_text: Mapped[str | None] = mapped_column(String(200))  # "tháng 5 năm 2024" when the day is blank
    parent_number: Mapped[str | None] = mapped_column(String(200))
    parent_plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"))
    basis: Mapped[str | None] = mapped_column(Text)      # "Căn cứ ..."
    period_text: Mapped[str | None] = mapped_column(String(200))
    award_codes: Mapped[list | None] = mapped_column(JSON)  # None: every award type
    award_forms_text: Mapped[list | None] = mapped_column(JSON)  # as named in the plan
    criteria: Mapped[str | None] = mapped_column(Text)
    # End of the submission window (UTC), derived from the `submission` milestones.
    submission_closes_at: Mapped[datetime | None] = mapped_column(index=True)
    drafts_expired_at: Mapped[datetime | None]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    # The plan's lifecycle (states/plans.py): draft → issued → closed; version serialises edits.
    status: Mapped[str] = mapped_column(String(20), default="issued", server_default="issued")
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    # Participants named as groups ({"kind", "under"}: every open org of that kind under a root),
    # resolved into plan_units when the plan is issued (workflow/plans/groups.py).
    groups: Mapped[list | None] = mapped_column(JSON)
    closed_at: Mapped[datetime | None]


class PlanMilestone(Base):
    """A deadline of a plan, as written and as normalised."""
    __tablename__ = "plan_milestones"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str] = mapped_column(String(20))  # submission | report | event
    description: Mapped[str | None] = mapped_column(Text)
    periods: Mapped[list] = mapped_column(JSON)       # [{"start", "end"}]
    expected: Mapped[bool] = mapped_column(Boolean, default=False)
    ends_at: Mapped[datetime]                          # end of the last period, UTC
    # Who the milestone binds: refs {"org_id"} or {"kind", "under"}; None binds every participant.
    binds: Mapped[list | None] = mapped_column(JSON)
    binds_text: Mapped[str | None] = mapped_column(Text)  # as written ("các Sở, ban, ngành")
    recurrence: Mapped[str | None] = mapped_column(String(10))  # "yearly" for "hằng năm"
    # When an amendment of the issued plan removed it; the row stays for the reports made against it.
    removed_at: Mapped[datetime | None]


class PlanUnit(Base):
    """A unit taking part in a plan (receives its obligations)."""
    __tablename__ = "plan_units"
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), primary_key=True)


class Obligation(Base):
    """What a plan requires of a participating unit by a `report` milestone (báo cáo)."""
    __tablename__ = "obligations"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("plan_milestones.id", ondelete="CASCADE"))
    org_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), default="pending")
    version: Mapped[int] = mapped_column(Integer, default=1)
    due_at: Mapped[datetime]
    report_text: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    reason: Mapped[str | None] = mapped_column(Text)
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    audit_head: Mapped[str | None] = mapped_column(String(64))
    audit_seq: Mapped[int] = mapped_column(Integer, default=0)
    # One obligation per unit, milestone and due date (a "hằng năm" milestone owes one a year).
    __table_args__ = (UniqueConstraint("milestone_id", "org_id", "due_at", name="uq_obligation_unit_due"),)
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}
