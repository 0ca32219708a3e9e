"""Plain data returned by the services (no ORM objects leave a transaction)."""
from dataclasses import asdict, dataclass, field
from datetime import date, datetime


def iso(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


@dataclass
class DecisionView:
    id: int
    number: str
    date: date
    signer: str | None
    on_behalf_of: str | None
    org_id: int

    def to_dict(self):
        return {"id": self.id, "number": self.number, "date": iso(self.date), "signer": self.signer,
                "on_behalf_of": self.on_behalf_of, "org_id": self.org_id}


@dataclass
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
    legal_basis: str | None
    returned_from: str | None
    submitted_at: datetime | None
    created_at: datetime
    updated_at: datetime
    overdue: bool = False
    last_vote: dict | None = None

    def to_dict(self) -> dict:
        # Field by field: dataclasses.asdict deep-copies, which dominated the inbox's time.
        d = {f: iso(getattr(self, f)) for f in self.__dataclass_fields__ if f not in ("decision", "nominee")}
        d["nominee"] = dict(self.nominee)
        d["decision"] = self.decision.to_dict() if self.decision else None
        d["unit"] = {"id": self.unit_id, "name": self.unit_name}
        return d


@dataclass
class Page:
    items: list
    next_cursor: str | None

    def to_dict(self) -> dict:
        return {"items": [i.to_dict() for i in self.items], "next_cursor": self.next_cursor}


@dataclass
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

    def to_dict(self) -> dict:
        return {k: iso(v) for k, v in asdict(self).items()}


@dataclass
class BulkResult:
    id: int
    ok: bool
    state: str | None = None
    version: int | None = None
    error: dict | None = None

    def to_dict(self):
        return {k: v for k, v in asdict(self).items() if v is not None or k in ("ok",)}


@dataclass
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

    def to_dict(self):
        return {"id": self.id, "username": self.username, "full_name": self.full_name,
                "email": self.email, "role": self.role, "roles": self.roles or [self.role],
                "org": {"id": self.org_id, "name": self.org_name, "level": self.org_level}}
