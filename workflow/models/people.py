"""The register of persons and collectives (hồ sơ thành tích): identity, history, discipline, ratings.

A nomination points at its nominee's record (`nominations.person_id`); the record keeps what
the nominee received before (imported history) and the product's own decisions are read from
the awarded nominations, so nothing is copied twice.
"""
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workflow.models.base import Base, BigId


class Person(Base):
    """Cá nhân or tập thể of the register. `name_key`/`search_key` are `workflow.text` keys."""
    __tablename__ = "people"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # individual | collective
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300))
    search_key: Mapped[str] = mapped_column(String(300))
    given_key: Mapped[str] = mapped_column(String(100))  # last word of search_key (tên), for search
    birth_date: Mapped[date | None] = mapped_column(Date)
    gender: Mapped[str | None] = mapped_column(String(10))
    id_number: Mapped[str | None] = mapped_column(String(12), unique=True)  # CCCD
    org_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    position: Mapped[str | None] = mapped_column(String(200))
    collective_kind: Mapped[str | None] = mapped_column(String(100))
    # A record made on the fly for a nomination's typed nominee (workflow/people/register.py,
    # link_nominee): a digest of (unit, kind, name key, birth date, CCCD), unique, so parallel
    # nominations of one new name make one record (and then one nomination, by
    # uq_nominations_live_person) instead of one each. Null for records an officer made or edited.
    auto_key: Mapped[str | None] = mapped_column(String(64))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    __table_args__ = (
        Index("uq_people_auto_key", "auto_key", unique=True),
        # Search walks these in (search_key, id) order (workflow/people/search.py).
        Index("ix_people_search", "search_key", "id"),
        Index("ix_people_given", "given_key", "search_key", "id"),
        # Likely duplicates (workflow/people/matching.py): in the unit by name, family or given name;
        # anywhere by name and birth date.
        Index("ix_people_org_search", "org_id", "search_key"),
        Index("ix_people_org_given", "org_id", "given_key"),
        Index("ix_people_key_birth", "name_key", "birth_date"),
    )


class PersonRecord(Base):
    """One line of a person's history: an award (khen thưởng, danh hiệu) received outside the
    product, or a recognised initiative (sáng kiến). `basis` is the kind of commendation
    (công trạng, đột xuất, chuyên đề): only công trạng counts toward a ladder (ND 152 Art. 4)."""
    __tablename__ = "person_records"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # award | initiative
    award_code: Mapped[str | None] = mapped_column(String(60))
    title: Mapped[str | None] = mapped_column(String(300))
    year: Mapped[int] = mapped_column(Integer)
    decision_number: Mapped[str | None] = mapped_column(String(100))
    decision_date: Mapped[date | None] = mapped_column(Date)
    basis: Mapped[str] = mapped_column(String(20), default="cong_trang")
    used_for: Mapped[str | None] = mapped_column(String(60))  # an initiative already grounding an award
    source: Mapped[str] = mapped_column(String(20), default="imported")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    __table_args__ = (
        UniqueConstraint("person_id", "kind", "award_code", "year", "decision_number",
                         name="uq_person_records_entry"),
    )


class PersonDiscipline(Base):
    """Kỷ luật: a discipline period. Open-ended while `ends_on` is null."""
    __tablename__ = "person_discipline"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(1000))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]


class PersonRating(Base):
    """Xếp loại a unit records for a year (hoàn thành xuất sắc / tốt / hoàn thành / không hoàn thành)."""
    __tablename__ = "person_ratings"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    year: Mapped[int] = mapped_column(Integer)
    rating: Mapped[str] = mapped_column(String(20))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    __table_args__ = (UniqueConstraint("person_id", "year", name="uq_person_ratings_year"),)


class EligibilitySetting(Base):
    """An office's choice on a rule of workflow/people/rules.py that the product does not turn on
    by itself (a condition whose legal wording is still to confirm): on or off for the
    nominations of the org's subtree. The nearest org up the tree with a row decides."""
    __tablename__ = "eligibility_settings"
    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    rule_code: Mapped[str] = mapped_column(String(60))
    enabled: Mapped[bool] = mapped_column(Boolean)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime]
    __table_args__ = (UniqueConstraint("org_id", "rule_code", name="uq_eligibility_settings_rule"),)
