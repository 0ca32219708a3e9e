"""Writing audit events (nhật ký) and the hash that chains them.

Chains (chuỗi): one per nomination ("n:<id>"), dossier ("d:<id>"), obligation ("o:<id>"),
plan ("p:<id>"), failed logins per username ("auth:<username>"), administration per kind of
entity ("admin:user", "admin:award_type", "admin:calendar", ...) and the checkpoints
("audit:checkpoint"). Each event's `hash` is SHA-256 over its content and `prev_hash`, the
hash of the event before it in the same chain.

Why many chains and not one: a single chain would make every writer in the system wait for
the one before it. A nomination's chain head lives on its row (`audit_head`, `audit_seq`),
so the version check that already serialises commands on a nomination also serialises its
chain; dossiers and obligations do the same. Chains without a row take a short lock
(PostgreSQL advisory lock; SQLite writers are already serial). A periodic signed checkpoint
(workflow/audit_verify.py) over the heads of all chains ties them together. docs/audit.md
explains what this detects and what it cannot.

Use from a service, inside its one transaction:
- a row-backed entity (nomination, dossier, obligation): `append_for_row(session, row, chain, ...)`
  (the engine's `record_change` does this for nominations);
- anything else: `append(session, chain, ...)`;
- an administrative change (users, roles, award catalogue, calendar...): `admin_event(...)`.
Nothing here updates or deletes an event; the database refuses it too (triggers).
"""
import hashlib
import hmac
import json
import os
import secrets
import zlib
from dataclasses import dataclass
from functools import lru_cache
from datetime import date, datetime, UTC
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from workflow.access.actors import NO_CONTEXT, SYSTEM_ACTOR, Actor, RequestContext
from workflow.models import AuditCheckpoint, AuditEvent, Dossier, Nomination, Obligation

HASHED_FIELDS = (
    "chain", "seq", "at", "actor_id", "actor", "role", "org_id", "on_behalf_of", "action", "entity",
    "entity_id", "nomination_id", "from_state", "to_state", "reason", "payload", "request_id",
    "client_ip", "prev_hash",
)

# Chains whose head is kept on a row of these tables: "n:42" → nominations.id 42.
ROW_CHAINS = {"n": Nomination, "d": Dossier, "o": Obligation}
CHECKPOINT_CHAIN = "audit:checkpoint"
KEY_PURPOSE = b"khenthuong audit checkpoint v1"


def _norm(name: str, value):
    if name == "at":
        return _utc_text(value)
    return value


@lru_cache(maxsize=1024)  # a bulk move stamps thousands of events with one moment
def _utc_text(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@lru_cache(maxsize=1024)
def _utc(at: datetime) -> datetime:
    return at.astimezone(UTC)


_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str,
                              check_circular=False)  # built from plain data, never circular


def compute_hash(fields: dict) -> str:
    """SHA-256 over the canonical JSON of the hashed fields (previous hash included).

    `changes` (what the event did to its row's tracked fields) is hashed when present; events
    written before it existed carry none and keep the hash they were written with.
    """
    doc = {k: fields.get(k) for k in HASHED_FIELDS}
    doc["at"] = _norm("at", doc["at"])
    changes = fields.get("changes")
    if changes is not None:
        doc["changes"] = _times_as_text(changes)
    return hashlib.sha256(_CANONICAL.encode(doc).encode("utf-8")).hexdigest()


_TIMES = frozenset({datetime, date})


def _times_as_text(changes: dict) -> dict:
    """`changes` with its moments already as the text the encoder's `default=str` gives them (the
    same bytes, so every hash ever written still verifies), each distinct moment formatted once:
    a bulk move records the same due date on thousands of events."""
    out = {}
    for name, pair in changes.items():
        if pair.__class__ is list and any(v.__class__ in _TIMES for v in pair):
            pair = [_text(v, v.utcoffset() if v.__class__ is datetime else None) if v.__class__ in _TIMES else v
                    for v in pair]
        out[name] = pair
    return out


@lru_cache(maxsize=1024)
def _text(moment: datetime | date, offset: object) -> str:
    """str(moment); keyed with its offset too, since equal instants in two zones print differently."""
    return str(moment)


def event_fields(ev: AuditEvent) -> dict:
    return {**{k: getattr(ev, k) for k in HASHED_FIELDS}, "changes": ev.changes}


def new_event(session: Session, **kw) -> AuditEvent:
    """Add an event to the session (same transaction as the change it records); `kw` as
    `event_row`."""
    ev = AuditEvent(**event_row(**kw))
    session.add(ev)
    return ev


def event_row(*, chain: str, seq: int, prev_hash: str | None, at: datetime, actor: Actor,
              ctx: RequestContext, action: str, entity: str, entity_id: int | None,
              nomination_id: int | None = None, from_state: str | None = None,
              to_state: str | None = None, reason: str | None = None, payload: dict | None = None,
              on_behalf_of: str | None = None, org_id: int | None = None,
              changes: dict | None = None) -> dict:
    """The column values of an event, its hash included (for writers that INSERT with Core).

    `changes` maps each tracked field of the event's row that the event changed to
    `[old, new]` (workflow/kernel/subjects.py): replaying a chain's changes gives the row.
    """
    fields = dict(
        chain=chain, seq=seq, at=_utc(at), actor_id=actor.user_id,
        actor=actor.username, role=actor.role, org_id=org_id if org_id is not None else actor.org_id,
        on_behalf_of=on_behalf_of, action=action, entity=entity, entity_id=entity_id,
        nomination_id=nomination_id, from_state=from_state, to_state=to_state, reason=reason,
        payload=payload, request_id=ctx.request_id, client_ip=ctx.client_ip, prev_hash=prev_hash,
        changes=changes,
    )
    fields["hash"] = compute_hash(fields)
    return fields


def row_of_chain(session: Session, chain: str):
    """The nomination / dossier / obligation row that keeps `chain`'s head, or None."""
    prefix, _, ident = chain.partition(":")
    model = ROW_CHAINS.get(prefix)
    if model is None or not ident.isdigit():
        return None
    return session.get(model, int(ident))


def append_for_row(session: Session, row, chain: str, **kw) -> AuditEvent:
    """Append to the chain whose head is kept on `row` (audit_seq, audit_head) and move the head.

    The row's version check (or, failing that, the unique (chain, seq)) makes a concurrent
    append on the same chain fail instead of forking the chain.
    """
    ev = new_event(session, chain=chain, seq=row.audit_seq + 1, prev_hash=row.audit_head, **kw)
    row.audit_seq = ev.seq
    row.audit_head = ev.hash
    return ev


def _lock_chain(session: Session, chain: str) -> None:
    if session.get_bind().dialect.name == "postgresql":
        key = zlib.crc32(chain.encode()) - 2**31
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})


def append(session: Session, chain: str, **kw) -> AuditEvent:
    """Append to `chain`. Row-backed chains ("n:", "d:", "o:") move the head on their row;
    other chains read their tail under a lock."""
    row = row_of_chain(session, chain)
    if row is not None:
        return append_for_row(session, row, chain, **kw)
    _lock_chain(session, chain)
    tail = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).where(AuditEvent.chain == chain)
        .order_by(AuditEvent.seq.desc()).limit(1)).first()
    seq, prev = (tail[0] + 1, tail[1]) if tail else (1, None)
    return new_event(session, chain=chain, seq=seq, prev_hash=prev, **kw)


def admin_event(session: Session, actor: Actor, ctx: RequestContext, now: datetime, action: str,
                entity: str, entity_id: int | None, payload: dict | None = None, *,
                reason: str | None = None) -> AuditEvent:
    """Record an administrative change (thay đổi quản trị) in the chain "admin:<entity>".

    Call it in the same transaction as the change. `entity` names the kind of thing changed
    ("user", "role", "award_type", "calendar", "org_unit"; at most 20 characters), `action`
    what was done ("user_create", "role_change", "calendar_day_off", ...), `payload` the
    new values as plain JSON (never a password or its hash).
    """
    return append(session, f"admin:{entity}", at=now, actor=actor, ctx=ctx, action=action,
                  entity=entity, entity_id=entity_id, payload=payload, reason=reason)


# --- signed checkpoints (điểm kiểm tra) over the heads of all chains ------------------------

def signing_key(settings) -> bytes:
    """The checkpoint key, derived from settings.secret_key or the instance file
    `secret_key` (created on first use, as the web app does)."""
    secret = settings.secret_key
    if not secret:
        path = Path(settings.instance_path) / "secret_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            try:  # O_EXCL: two processes starting together must not write two different keys
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "w") as f:
                    f.write(secrets.token_hex(32))
            except FileExistsError:
                pass
        secret = path.read_text().strip()
    # A key of its own, so the session-cookie key never signs audit data directly.
    return hmac.new(secret.encode(), KEY_PURPOSE, hashlib.sha256).digest()


def checkpoint_digest(created_at: datetime, last_event_id: int, events_count: int, heads: dict,
                      prev_digest: str | None = None) -> str:
    """SHA-256 of a checkpoint; `prev_digest` (the checkpoint before it) is covered when set,
    so checkpoints form a chain of their own and none can be removed from the middle."""
    doc = {"created_at": created_at.astimezone(UTC).isoformat(), "last_event_id": last_event_id,
           "events_count": events_count, "heads": heads}
    if prev_digest is not None:
        doc["prev"] = prev_digest
    raw = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def sign(key: bytes, digest: str) -> str:
    return hmac.new(key, digest.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class CheckpointInfo:
    id: int
    created_at: datetime
    chains: int
    events_count: int
    last_event_id: int
    digest: str
    signature: str = ""

    def to_dict(self) -> dict:
        return {"id": self.id, "created_at": self.created_at.isoformat(), "chains": self.chains,
                "events_count": self.events_count, "last_event_id": self.last_event_id,
                "digest": self.digest}


def chain_heads(session: Session) -> dict[str, list]:
    """{chain: [seq, hash]} of every chain's last event, read in one statement (one snapshot)."""
    tails = (select(AuditEvent.chain, func.max(AuditEvent.seq).label("seq"))
             .group_by(AuditEvent.chain).subquery())
    rows = session.execute(select(AuditEvent.chain, AuditEvent.seq, AuditEvent.hash).join(
        tails, (AuditEvent.chain == tails.c.chain) & (AuditEvent.seq == tails.c.seq)))
    return {chain: [seq, digest] for chain, seq, digest in rows}


def changed_heads(session: Session, after_id: int, up_to: int) -> dict[str, list]:
    """{chain: [seq, hash]} of the chains that moved in events (after_id, up_to]."""
    window = (AuditEvent.id > after_id, AuditEvent.id <= up_to)
    tails = (select(AuditEvent.chain, func.max(AuditEvent.seq).label("seq")).where(*window)
             .group_by(AuditEvent.chain).subquery())
    rows = session.execute(select(AuditEvent.chain, AuditEvent.seq, AuditEvent.hash).where(*window).join(
        tails, (AuditEvent.chain == tails.c.chain) & (AuditEvent.seq == tails.c.seq)))
    return {chain: [seq, digest] for chain, seq, digest in rows}


def write_checkpoint(session: Session, now: datetime, key: bytes) -> CheckpointInfo | None:
    """Sign the heads of the chains, in the caller's transaction; None when no event was
    written since the latest checkpoint.

    The first checkpoint stores every chain's head; each later one only the heads that moved
    since the one before, and that one's digest (`prev_digest`): a checkpoint every 1,000
    events then costs what those events touched, not one entry per chain of the whole log.
    The heads at any checkpoint are the fold of all checkpoints up to it (audit/verify)."""
    last = session.execute(select(AuditEvent.id, AuditEvent.chain)
                           .order_by(AuditEvent.id.desc()).limit(1)).first()
    if last is None or last.chain == CHECKPOINT_CHAIN:
        return None  # nothing since the latest checkpoint (whose own event is the newest)
    last_id = last.id
    prev = session.execute(select(AuditCheckpoint.last_event_id, AuditCheckpoint.events_count,
                                  AuditCheckpoint.digest).order_by(AuditCheckpoint.id.desc()).limit(1)).first()
    if prev is None:
        heads = chain_heads(session)
        count = sum(seq for seq, _ in heads.values())
        prev_digest = None
    else:
        heads = changed_heads(session, prev.last_event_id, last_id)
        count = prev.events_count + session.execute(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.id > prev.last_event_id, AuditEvent.id <= last_id)).scalar_one()
        prev_digest = prev.digest
    now = now.astimezone(UTC)
    digest = checkpoint_digest(now, last_id, count, heads, prev_digest)
    signature = sign(key, digest)
    cp = AuditCheckpoint(created_at=now, last_event_id=last_id, events_count=count, heads=heads,
                         digest=digest, signature=signature, prev_digest=prev_digest)
    session.add(cp)
    session.flush()
    append(session, CHECKPOINT_CHAIN, at=now, actor=SYSTEM_ACTOR, ctx=NO_CONTEXT,
           action="audit_checkpoint", entity="checkpoint", entity_id=cp.id,
           payload={"digest": digest, "chains": len(heads), "events": count})
    return CheckpointInfo(cp.id, now, len(heads), count, last_id, digest, signature)
