"""Plain data returned by the services (no ORM object leaves a transaction, no JSON is decided here).

Frozen: a view is a snapshot of what the command saw; web/api/serializers.py writes it as JSON and
the pages read its attributes.
"""
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import date as _date  # a field below is named `date`
from typing import Any


@dataclass(frozen=True)
class DecisionView:
    id: int
    number: str
    date: date
    signer: str | None
    on_behalf_of: str | None
    org_id: int


@dataclass(frozen=True)
class NominationView:
    id: int
    state: str
    version: int
    level: str | None
    due_at: datetime | None
    escalation_level: int
    actions: list[str]
    nominee: dict
    award_type: str
    plan_id: int
    dossier_id: int | None
    decision: DecisionView | None
    achievements: str
    unit_id: int
    unit_name: str | None
    route: str
    definition_version: int
    legal_basis: str | None
    returned_from: str | None
    submitted_at: datetime | None
    created_at: datetime
    updated_at: datetime
    overdue: bool = False
    last_vote: dict | None = None
    council: dict | None = None  # while it waits at a vote: {org_id, size, quorum, threshold}
    award_name: str | None = None     # as its decider gives it ("Bằng khen của Chủ tịch UBND tỉnh Thái Nguyên")
    award_name_en: str | None = None


@dataclass(frozen=True)
class Page:
    items: list
    next_cursor: str | None


@dataclass(frozen=True)
class AuditEventView:
    id: int
    at: datetime
    actor: str
    role: str
    org_id: int | None
    on_behalf_of: str | None
    action: str
    entity: str
    entity_id: int | None
    nomination_id: int | None
    from_state: str | None
    to_state: str | None
    reason: str | None
    payload: dict | None
    request_id: str | None
    client_ip: str | None
    chain: str
    seq: int
    hash: str
    prev_hash: str | None = None


@dataclass(frozen=True)
class BulkResult:
    id: int
    ok: bool
    state: str | None = None
    version: int | None = None
    error: dict | None = None


@dataclass(frozen=True)
class UserView:
    id: int
    username: str
    full_name: str
    email: str | None
    role: str
    org_id: int
    org_name: str | None
    org_level: str | None
    roles: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ListChange:
    """A dossier's list after a command: the nominations added (or the one removed)."""
    dossier: Any  # workflow.dossiers.views.DossierView
    added: list[NominationView] = field(default_factory=list)
    removed: NominationView | None = None


@dataclass(frozen=True)
class ImportOutcome:
    """An Excel list imported into a dossier: how many rows, and the nominations they made."""
    dossier: Any  # workflow.dossiers.views.DossierView
    imported: int
    nomination_ids: list[int]


@dataclass(frozen=True)
class ReviewOutcome:
    """Nominees of a dossier reviewed one by one: each result, and the dossier after."""
    dossier: Any  # workflow.dossiers.views.DossierView
    results: list[dict]
    succeeded: int
    failed: int


@dataclass(frozen=True)
class DecisionDetail:
    """A decision (quyết định) with the nominations it awarded that the reader may see."""
    id: int
    number: str
    date: date
    signer: str | None
    on_behalf_of: str | None
    org: dict
    created_at: datetime
    awarded: int
    nominations: list[dict] | None = None
    decider: str | None = None        # "Thủ tướng Chính phủ", "Chủ tịch nước"
    proposed_by: str | None = None    # the central office proposing to them
    year: int | None = None
    issued: bool = True
    follow_up_by: _date | None = None  # copies to the submitting level by (10 working days)


@dataclass(frozen=True)
class NextNumber:
    """The next free number of an org's decisions or tờ trình in a year (NĐ 30/2020 Art. 15)."""
    number: str
    year: int
    symbol: str
    kind: str
