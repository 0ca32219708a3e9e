"""The e-mail outbox (hộp thư đi): rows written with their cause, sent afterwards over SMTP.

A message is written in the same transaction as the change that caused it, keyed by a
`dedup_key` that is unique, so a retried command or a re-run sweep cannot write it twice.
Delivery claims due messages with a conditional UPDATE (two senders never claim the same
row), sends them, and marks them sent; a failure is retried with exponential backoff. A
process that dies between sending and marking re-sends after the claim expires: delivery is
at least once, and the Message-ID derived from the key lets mail systems drop the copy.
"""
import hashlib
import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from email.message import EmailMessage
from email.utils import formatdate
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import and_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from workflow.kernel import prepared
from workflow.kernel.db import Database
from workflow.models import OutboxMessage

log = logging.getLogger(__name__)

CLAIM_SECONDS = 300          # a claimed message is sent again if not marked sent by then
BACKOFF_BASE_SECONDS = 60    # 1, 2, 4 ... minutes between attempts
BACKOFF_MAX_SECONDS = 6 * 3600
MAX_ATTEMPTS = 10
DEFAULT_SENDER = "khenthuong@localhost"


_IGNORING: dict[tuple[str, str], Any] = {}


def insert_ignore(session: Session, model, rows: list[dict]) -> int:
    """INSERT rows, silently skipping those whose unique key exists (ON CONFLICT DO NOTHING).

    Plain Core on the session's connection, statements built once: same transaction, no
    autoflush, no ORM bookkeeping (this runs on every transition). Returns the driver's row
    count (exact for one row: 1 written, 0 already there).
    """
    if not rows:
        return 0
    conn = session.connection()
    key = (conn.dialect.name, model.__tablename__)
    if key not in _IGNORING:
        ins = (postgresql.insert if key[0] == "postgresql" else sqlite.insert)(model.__table__)
        _IGNORING[key] = ins.on_conflict_do_nothing()
    if len(rows) == 1:
        return prepared.execute(conn, _IGNORING[key], rows[0])
    return prepared.execute_many(conn, _IGNORING[key], rows)


def outbox_rows(keyed_recipients: list[tuple[str, str]], *, subject: str, body: str,
                now: datetime) -> list[dict]:
    """Outbox rows of one e-mail to several recipients, each under its own key."""
    return [{"dedup_key": key[:200], "recipient": to[:200], "subject": subject[:300], "body": body,
             "created_at": now, "attempts": 0, "next_attempt_at": now} for key, to in keyed_recipients]


def enqueue(session: Session, *, dedup_key: str, recipient: str, subject: str, body: str,
            now: datetime) -> None:
    """Add an e-mail to the outbox in the caller's transaction (once per key)."""
    insert_ignore(session, OutboxMessage, outbox_rows([(dedup_key, recipient)], subject=subject,
                                                      body=body, now=now))


@dataclass(frozen=True)
class SmtpConfig:
    """smtp://[user:pass@]host[:port][?starttls=1&from=addr], or smtps:// for implicit TLS."""
    host: str
    port: int
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    ssl: bool = False
    sender: str = DEFAULT_SENDER
    timeout: float = 10.0

    @classmethod
    def parse(cls, url: str) -> "SmtpConfig":
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError(f"not an SMTP URL: {parts.scheme}://{parts.hostname or ''}")
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        ssl = parts.scheme == "smtps"
        return cls(host=parts.hostname, port=parts.port or (465 if ssl else 25),
                   username=unquote(parts.username) if parts.username else None,
                   password=unquote(parts.password) if parts.password else None,
                   starttls=query.get("starttls", "0").lower() in ("1", "true", "yes"), ssl=ssl,
                   sender=query.get("from", DEFAULT_SENDER))

    def connect(self) -> smtplib.SMTP:
        cls = smtplib.SMTP_SSL if self.ssl else smtplib.SMTP
        conn = cls(self.host, self.port, timeout=self.timeout)
        if self.starttls:
            conn.starttls()
        if self.username:
            conn.login(self.username, self.password or "")
        return conn


def message_id(dedup_key: str) -> str:
    return f"<{hashlib.sha256(dedup_key.encode()).hexdigest()[:32]}@khenthuong>"


def build_email(cfg: SmtpConfig, msg: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = cfg.sender
    email["To"] = msg.recipient
    email["Subject"] = msg.subject
    email["Date"] = formatdate(msg.created_at.timestamp())
    email["Message-ID"] = message_id(msg.dedup_key)
    email["X-Khenthuong-Key"] = msg.dedup_key
    email.set_content(msg.body)
    return email


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS))


def _due(now: datetime):
    return and_(OutboxMessage.sent_at.is_(None), OutboxMessage.next_attempt_at <= now)


def any_due(db: Database, now: datetime) -> bool:
    """A read first, so an idle scheduler does not take the write lock at every interval."""
    with db.read() as s:
        return s.execute(select(OutboxMessage.id).where(_due(now)).limit(1)).first() is not None


def claim(db: Database, now: datetime, limit: int) -> list[OutboxMessage]:
    """Take up to `limit` due messages for this sender; no other sender gets them."""
    due = _due(now)
    with db.write() as s:
        ids = select(OutboxMessage.id).where(due).order_by(OutboxMessage.next_attempt_at).limit(limit)
        if db.dialect == "postgresql":
            ids = ids.with_for_update(skip_locked=True)
        # The WHERE is checked again on the row being updated: a second sender finds it taken.
        claimed = s.execute(
            update(OutboxMessage).where(OutboxMessage.id.in_(ids.scalar_subquery()), due)
            .values(attempts=OutboxMessage.attempts + 1,
                    next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS))
            .returning(OutboxMessage.id).execution_options(synchronize_session=False)).scalars().all()
        if not claimed:
            return []
        return list(s.execute(select(OutboxMessage).where(OutboxMessage.id.in_(claimed))
                              .order_by(OutboxMessage.id)).scalars())


def _mark(db: Database, msg: OutboxMessage, now: datetime, error: str | None) -> None:
    values: dict[str, Any]
    if error is None:
        values = {"sent_at": now, "next_attempt_at": None, "last_error": None}
    else:
        retry = None if msg.attempts >= MAX_ATTEMPTS else now + backoff(msg.attempts)
        values = {"next_attempt_at": retry, "last_error": error[:2000]}
    with db.write() as s:
        s.execute(update(OutboxMessage).where(OutboxMessage.id == msg.id, OutboxMessage.sent_at.is_(None))
                  .values(**values).execution_options(synchronize_session=False))


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0

    def to_dict(self) -> dict:
        return {"sent": self.sent, "failed": self.failed}


def deliver(db: Database, smtp_url: str | None, *, now: datetime, batch: int = 200,
            max_batches: int = 50) -> Delivery:
    """Send what is due, batch by batch, one SMTP connection each; nothing without SMTP."""
    result = Delivery()
    if not smtp_url or not any_due(db, now):
        return result
    cfg = SmtpConfig.parse(smtp_url)
    for _ in range(max_batches):
        claimed = claim(db, now, batch)
        if not claimed:
            break
        if not _send_batch(db, cfg, claimed, now, result):
            break  # the server is unreachable: the rest waits for the next sweep
    return result


def _send_batch(db: Database, cfg: SmtpConfig, claimed: list[OutboxMessage], now: datetime,
                result: Delivery) -> bool:
    try:
        conn = cfg.connect()
    except Exception as e:  # refused, timed out, bad login or TLS: all wait for the next try
        log.warning("SMTP %s:%s unreachable: %s", cfg.host, cfg.port, e)
        for msg in claimed:
            _mark(db, msg, now, f"connect: {e}")
        result.failed += len(claimed)
        return False
    with conn:
        for msg in claimed:
            error = _send_one(conn, cfg, msg)
            _mark(db, msg, now, error)
            result.sent += error is None
            result.failed += error is not None
    return True


def _send_one(conn: smtplib.SMTP, cfg: SmtpConfig, msg: OutboxMessage) -> str | None:
    try:
        conn.send_message(build_email(cfg, msg), from_addr=cfg.sender, to_addrs=[msg.recipient])
        return None
    except (smtplib.SMTPException, OSError) as e:
        log.warning("sending outbox message %s failed: %s", msg.id, e)
        return f"{type(e).__name__}: {e}"
