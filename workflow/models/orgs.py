"""The organisation tree (cơ quan, đơn vị), its names through time and its councils."""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workflow.models.base import Base


class OrgUnit(Base):
    """Cơ quan, đơn vị: a node of the organisation tree.

    `kind` is what the org is (central, ministry, province, department, commune, unit);
    `level` the coarse level the first release reads (central | ministry | unit), derived from
    the kind. A closed org keeps its row: `valid_to` is its last day, `merged_into_id` the org
    that absorbed it.
    """
    __tablename__ = "org_units"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    level: Mapped[str] = mapped_column(String(20))  # central | ministry | unit
    kind: Mapped[str] = mapped_column(String(20), server_default="unit")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    path: Mapped[str] = mapped_column(String(400), index=True)  # "/1/2/5/"
    email: Mapped[str | None] = mapped_column(String(200))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))


class OrgName(Base):
    """A name an org bore and from when to when (tên gọi qua các thời kỳ); the current name has
    no `valid_to`. Searching by an old name finds the org."""
    __tablename__ = "org_names"
    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)


class Council(Base):
    """Hội đồng Thi đua - Khen thưởng of an org: its quorum (a share of all members, e.g. "2/3");
    its size is the number of members on the roster, never what a secretary types."""
    __tablename__ = "councils"
    org_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), primary_key=True)
    quorum: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime]


class CouncilMember(Base):
    """A member of a council's roster: name and role (chair, vice_chair, secretary, member)."""
    __tablename__ = "council_members"
    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("councils.org_id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    __table_args__ = (UniqueConstraint("org_id", "position", name="uq_council_member_position"),
                      Index("ix_council_members_org", "org_id"))
