"""Plain data the register's use cases return (frozen; web/api/people.py writes the JSON)."""
from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class PersonSummary:
    id: int
    kind: str
    name: str
    birth_date: date | None
    org: dict
    id_number: str | None = None
    position: str | None = None


@dataclass(frozen=True)
class HistoryEntry:
    """One award or initiative: imported (`source` "imported") or the product's own decision."""
    year: int
    award_type: str | None
    award_name: str | None
    decision_number: str | None
    decision_date: date | None
    source: str
    kind: str = "award"
    basis: str = "cong_trang"
    title: str | None = None
    nomination_id: int | None = None
    id: int | None = None
    used_for: str | None = None  # an initiative already grounding this award


@dataclass(frozen=True)
class PersonDetail:
    id: int
    kind: str
    name: str
    birth_date: date | None
    gender: str | None
    id_number: str | None
    position: str | None
    collective_kind: str | None
    org: dict
    created_at: datetime
    history: list[HistoryEntry]
    discipline: list[dict]
    ratings: list[dict]
    nominations: list[dict]
    can_edit: bool = False


@dataclass(frozen=True)
class Check:
    """One eligibility condition's result: pass / fail / unknown, explained, with its legal basis."""
    rule: str
    result: str
    message: str
    basis: str
    message_en: str = ""


@dataclass(frozen=True)
class Eligibility:
    eligible: bool | None
    checks: list[Check] = field(default_factory=list)
    person_id: int | None = None
