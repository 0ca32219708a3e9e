"""Writing audit events (nhật ký) and the hash that chains them.

Chains: one per nomination ("n:<id>"), dossier ("d:<id>"), plan ("p:<id>"), and named
chains for administration and authentication. A nomination's chain head lives on its row,
so the version check that serialises commands on it also serialises its chain; other
chains take a short lock (PostgreSQL advisory lock; SQLite writers are already serial).
"""
import hashlib
import json
import zlib
from datetime import datetime, timezone

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from workflow.actors import Actor, RequestContext
from workflow.models import AuditEvent

HASHED_FIELDS = (
    "chain", "seq", "at", "actor_id", "actor", "role", "org_id", "on_behalf_of", "action", "entity",
    "entity_id", "nomination_id", "from_state", "to_state", "reason", "payload", "request_id",
    "client_ip", "prev_hash",
)


def _norm(name: str, value):
    if name == "at":
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value


def compute_hash(fields: dict) -> str:
    """SHA-256 over the canonical JSON of the hashed fields (previous hash included)."""
    doc = {k: _norm(k, fields.get(k)) for k in HASHED_FIELDS}
    raw = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def event_fields(ev: AuditEvent) -> dict:
    return {k: getattr(ev, k) for k in HASHED_FIELDS}


def new_event(session: Session, *, chain: str, seq: int, prev_hash: str | None, at: datetime,
              actor: Actor, ctx: RequestContext, action: str, entity: str, entity_id: int | None,
              nomination_id: int | None = None, from_state: str | None = None,
              to_state: str | None = None, reason: str | None = None, payload: dict | None = None,
              on_behalf_of: str | None = None, org_id: int | None = None) -> AuditEvent:
    """Add an event to the session (same transaction as the change it records)."""
    fields = dict(
        chain=chain, seq=seq, at=at.astimezone(timezone.utc), actor_id=actor.user_id,
        actor=actor.username, role=actor.role, org_id=org_id if org_id is not None else actor.org_id,
        on_behalf_of=on_behalf_of, action=action, entity=entity, entity_id=entity_id,
        nomination_id=nomination_id, from_state=from_state, to_state=to_state, reason=reason,
        payload=payload, request_id=ctx.request_id, client_ip=ctx.client_ip, prev_hash=prev_hash,
    )
    ev = AuditEvent(**fields, hash=compute_hash(fields))
    session.add(ev)
    return ev


def _lock_chain(session: Session, chain: str) -> None:
    if session.get_bind().dialect.name == "postgresql":
        key = zlib.crc32(chain.encode()) - 2**31
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})


def append(session: Session, chain: str, **kw) -> AuditEvent:
    """Append to a chain whose head is not kept on a row: read the tail under a lock."""
    _lock_chain(session, chain)
    tail = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).where(AuditEvent.chain == chain)
        .order_by(AuditEvent.seq.desc()).limit(1)).first()
    seq, prev = (tail[0] + 1, tail[1]) if tail else (1, None)
    return new_event(session, chain=chain, seq=seq, prev_hash=prev, **kw)
