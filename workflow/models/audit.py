"""The audit log (nhật ký) and its signed checkpoints."""
from datetime import datetime

from sqlalchemy import JSON, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workflow.models.base import Base, BigId


class AuditEvent(Base):
    """Append-only, hash-chained record of everything that happened.

    No foreign keys: events must outlive what they describe (a deleted draft's history stays).
    `chain` is one chain per nomination / dossier / plan / user (e.g. "n:42"); `seq` counts
    within it; `hash` covers the content and `prev_hash`.
    """
    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    chain: Mapped[str] = mapped_column(String(100))  # "auth:<username>" fits an 80-character name
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(40))
    org_id: Mapped[int | None] = mapped_column(Integer)
    on_behalf_of: Mapped[str | None] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(20))  # nomination | dossier | plan | user | ...
    entity_id: Mapped[int | None] = mapped_column(BigId)
    nomination_id: Mapped[int | None] = mapped_column(BigId)
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[dict | None] = mapped_column(JSON)
    request_id: Mapped[str | None] = mapped_column(String(64))
    client_ip: Mapped[str | None] = mapped_column(String(64))
    # {field: [old, new]} of the row's tracked fields this event changed (kernel/subjects.py).
    changes: Mapped[dict | None] = mapped_column(JSON)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    __table_args__ = (
        UniqueConstraint("chain", "seq", name="uq_audit_chain_seq"),
        Index("ix_audit_nomination", "nomination_id", "id"),
        Index("ix_audit_actor", "actor", "id"),
        Index("ix_audit_action", "action", "id"),
        Index("ix_audit_org", "org_id", "id"),
        Index("ix_audit_at", "at"),
        Index("ix_audit_actor_at", "actor", "at"),
        Index("ix_audit_to_state", "to_state", "id"),
        Index("ix_audit_from_state", "from_state", "id"),
    )


class AuditCheckpoint(Base):
    """A signed snapshot of the chains' heads: detects a chain cut back at its tail. The first
    stores every head; later ones the heads that moved since, chained by `prev_digest`."""
    __tablename__ = "audit_checkpoints"
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime]
    last_event_id: Mapped[int] = mapped_column(BigId)
    events_count: Mapped[int] = mapped_column(BigId)
    heads: Mapped[dict] = mapped_column(JSON)   # {chain: [seq, hash]}
    digest: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(128))
    prev_digest: Mapped[str | None] = mapped_column(String(64))
