"""Checkpoints anchored outside the database (neo ngoài cơ sở dữ liệu).

A signed checkpoint in the database proves the chains only as long as nobody can delete or
re-sign the checkpoints themselves. So each checkpoint is also written where the database's
owner cannot quietly reach: appended as one JSON line to an append-only file (by default
`<instance>/audit-anchors.jsonl`; KHENTHUONG_AUDIT_ANCHORS puts it on another disk or a
mounted share) and, when SMTP is configured, mailed to the auditors and KHENTHUONG_AUDIT_MAIL.
`verify` reads the file: a checkpoint it names that is missing from the database, or differs,
fails the verification. docs/audit.md says how to keep the file out of reach.

The line is appended after the checkpoint's transaction commits, so a line never names a
checkpoint that does not exist; a crash in between leaves one checkpoint unanchored, which
the next one covers.
"""
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

from workflow.audit.chain import CHECKPOINT_CHAIN, CheckpointInfo, signing_key, write_checkpoint
from workflow.kernel.db import Database
from workflow.models import AuditCheckpoint, AuditEvent, User
from workflow.notices.outbox import enqueue

ANCHOR_FILE = "audit-anchors.jsonl"
FIELDS = ("checkpoint", "created_at", "last_event_id", "events_count", "digest", "signature")


def anchor_path(settings) -> Path:
    return Path(settings.audit_anchor_path or Path(settings.instance_path) / ANCHOR_FILE)


def anchor_line(info: CheckpointInfo) -> str:
    return json.dumps({"checkpoint": info.id, "created_at": info.created_at.isoformat(),
                       "last_event_id": info.last_event_id, "events_count": info.events_count,
                       "digest": info.digest, "signature": info.signature}, sort_keys=True) + "\n"


def append_anchor(path: Path, info: CheckpointInfo) -> None:
    """Append one line and fsync it (O_APPEND: concurrent writers never overwrite a line)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, anchor_line(info).encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class Anchor:
    line: int
    checkpoint: int
    created_at: str
    last_event_id: int
    events_count: int
    digest: str
    signature: str


def read_anchors(path: Path) -> tuple[list[Anchor], list[int]]:
    """(the anchors, the numbers of unreadable lines); no file is no anchors."""
    if not path.exists():
        return [], []
    anchors, bad = [], []
    with open(path, encoding="utf-8", errors="replace") as f:
        for n, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            try:
                doc = json.loads(raw)
                anchors.append(Anchor(n, *(doc[k] for k in FIELDS)))
            except (ValueError, KeyError, TypeError):
                bad.append(n)
    return anchors, bad


def _mail(s, settings, info: CheckpointInfo, now: datetime) -> int:
    """Queue the checkpoint's digest to every active auditor with an e-mail address and to
    KHENTHUONG_AUDIT_MAIL, in the checkpoint's transaction (sent by the outbox)."""
    if not settings.smtp_url:
        return 0
    to = set(s.execute(select(User.email).where(User.role == "auditor", User.active.is_(True),
                                                User.email.is_not(None))).scalars())
    to |= {a.strip() for a in (settings.audit_mail or "").split(",") if a.strip()}
    body = ("Điểm kiểm tra nhật ký / audit checkpoint — giữ thư này làm bằng chứng, keep this e-mail "
            "as evidence:\n\n" + anchor_line(info))
    for addr in sorted(to):
        enqueue(s, dedup_key=f"audit-checkpoint:{info.id}:{addr}", recipient=addr,
                subject=f"[khenthuong] Điểm kiểm tra nhật ký #{info.id} / audit checkpoint #{info.id}",
                body=body, now=now)
    return len(to)


def checkpoint_now(db: Database, settings, now: datetime) -> CheckpointInfo | None:
    """Sign a checkpoint, queue its e-mail, then anchor it in the file; None when nothing new."""
    key = signing_key(settings)
    with db.write() as s:
        info = write_checkpoint(s, now, key)
        if info is not None:
            _mail(s, settings, info, now)
    if info is not None:
        append_anchor(anchor_path(settings), info)
    return info


def events_since_checkpoint(db: Database, limit: int) -> int:
    """How many events were written after the latest checkpoint, its own event left out;
    counted up to `limit` (the scheduler only asks whether another one is due)."""
    with db.read() as s:
        last = s.execute(select(func.max(AuditCheckpoint.last_event_id))).scalar() or 0
        newer = (select(AuditEvent.id).where(AuditEvent.id > last, AuditEvent.chain != CHECKPOINT_CHAIN)
                 .limit(limit).subquery())
        return s.execute(select(func.count()).select_from(newer)).scalar() or 0
