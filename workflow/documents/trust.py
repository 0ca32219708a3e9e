"""Trusted roots (chứng thư gốc tin cậy): the certificates the administrator trusts for verifying
the digital signatures of uploaded PDFs and of signed decisions.

A signature is "trusted" when its certificate chains to one of them (issue 16 item 4); an
upload's `trusted` is judged against the roots configured when it is read
(workflow/documents/verification.py). Only the administrator lists, adds and removes roots;
each change is recorded in the audit log ("admin:trust_root": trust_root_add, trust_root_remove)
in the same transaction. A certificate is accepted as PEM or DER when it is a CA certificate
(basicConstraints cA=TRUE) still within its validity; one certificate is one row (the unique
SHA-256 fingerprint of its DER form refuses a second copy).
"""
import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from states.routes import ADMIN
from workflow.access.actors import NO_CONTEXT, RequestContext
from workflow.access.loading import get_or_404, load_actor
from workflow.audit.chain import admin_event
from workflow.errors import Conflict, Forbidden, InvalidInput
from workflow.kernel.db import Database
from workflow.kernel.uow import flush, unit_of_work
from workflow.models import TrustRoot, User
from workflow.text import clean

if TYPE_CHECKING:  # cryptography is imported where it is used (workflow/documents/signing.py)
    from cryptography import x509

MAX_BYTES = 64 * 1024  # a certificate is a few kilobytes; a bundle of them is not one root


@dataclass(frozen=True)
class TrustRootView:
    """A trusted root as the administrator sees it."""
    id: int
    name: str
    subject: str
    issuer: str
    sha256: str
    not_before: datetime | None
    not_after: datetime | None
    added_by: str | None
    added_at: datetime
    pem: str


def _admin(s: Session, actor_id: int):
    actor = load_actor(s, actor_id)
    if actor.role != ADMIN:
        raise Forbidden("Chỉ quản trị viên quản lý chứng thư gốc tin cậy",
                        "Only the administrator manages trusted root certificates")
    return actor


def parse(data: bytes | str) -> "x509.Certificate":
    """One X.509 certificate from PEM or DER bytes; InvalidInput (field "file") otherwise."""
    from cryptography import x509
    raw = data.encode() if isinstance(data, str) else bytes(data or b"")
    if not raw.strip():
        raise InvalidInput("Chưa chọn tệp chứng thư", "No certificate file was given", field="file")
    if len(raw) > MAX_BYTES:
        raise InvalidInput("Tệp quá lớn để là một chứng thư", "The file is too large to be one certificate",
                           field="file")
    try:
        if b"-----BEGIN" in raw:
            if raw.count(b"-----BEGIN CERTIFICATE-----") != 1:
                raise ValueError("one certificate per file")
            return x509.load_pem_x509_certificate(raw)
        return x509.load_der_x509_certificate(raw)
    except ValueError:
        raise InvalidInput("Tệp không phải là một chứng thư số X.509 (PEM hoặc DER) hợp lệ",
                           "The file is not one valid X.509 certificate (PEM or DER)", field="file") from None


def fingerprint(cert: "x509.Certificate") -> str:
    from cryptography.hazmat.primitives.serialization import Encoding
    return hashlib.sha256(cert.public_bytes(Encoding.DER)).hexdigest()


def check(cert: "x509.Certificate", now: datetime) -> None:
    """A root must be a CA certificate that has not expired (one not valid yet is accepted: it
    will be, and the signatures it vouches for are judged when they are read)."""
    from cryptography import x509
    try:
        ca = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        ca = False
    if not ca:
        raise InvalidInput("Chứng thư không phải của tổ chức cung cấp dịch vụ chứng thực (CA): không dùng làm gốc "
                           "tin cậy được", "Not a CA certificate (basicConstraints cA is not set): it cannot be a "
                           "trusted root", field="file")
    if cert.not_valid_after_utc < now:
        raise InvalidInput(f"Chứng thư đã hết hạn ngày {cert.not_valid_after_utc:%d/%m/%Y}",
                           f"The certificate expired on {cert.not_valid_after_utc:%d/%m/%Y}", field="file")


def _common_name(cert: "x509.Certificate") -> str:
    from cryptography import x509
    names = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    value = names[0].value if names else cert.subject.rfc4514_string()
    return str(value)


def insert(s: Session, cert: "x509.Certificate", now: datetime, *, name: str | None = None,
           added_by: int | None = None) -> TrustRoot:
    """Add the row (in the caller's transaction); a copy already there → Conflict, by the unique
    fingerprint (the database decides, so two administrators adding it at once make one row)."""
    from cryptography.hazmat.primitives.serialization import Encoding
    digest = fingerprint(cert)
    row = TrustRoot(name=(name or _common_name(cert))[:300], pem=cert.public_bytes(Encoding.PEM).decode(),
                    sha256=digest, subject=cert.subject.rfc4514_string()[:500],
                    issuer=cert.issuer.rfc4514_string()[:500], not_before=cert.not_valid_before_utc,
                    not_after=cert.not_valid_after_utc, added_by=added_by, added_at=now)
    sp = s.begin_nested()
    try:
        s.add(row)
        s.flush()
        sp.commit()
    except IntegrityError:
        sp.rollback()
        raise Conflict(f"Chứng thư gốc này đã có trong danh sách tin cậy (SHA-256 {digest[:16]}…)",
                       f"This root certificate is already trusted (SHA-256 {digest[:16]}…)", field="file") from None
    return row


def trust_demo_root(s: Session, pem_text: str, now: datetime) -> None:
    """The demo CA's root, trusted the first time the demo signs (no administrator involved)."""
    from cryptography import x509
    cert = x509.load_pem_x509_certificate(pem_text.encode())
    if s.execute(select(TrustRoot.id).where(TrustRoot.sha256 == fingerprint(cert))).first() is None:
        insert(s, cert, now, name="Khenthuong Demo Root CA")


def _view(row: TrustRoot, names: dict[int, str]) -> TrustRootView:
    return TrustRootView(row.id, row.name, row.subject or "", row.issuer or "", row.sha256, row.not_before,
                         row.not_after, names.get(row.added_by) if row.added_by else None, row.added_at, row.pem)


def _names(s: Session, rows: list[TrustRoot]) -> dict[int, str]:
    ids = {r.added_by for r in rows if r.added_by}
    if not ids:
        return {}
    return dict(s.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all())


def list_roots(db: Database, actor_id: int) -> list[TrustRootView]:
    with db.read() as s:
        _admin(s, actor_id)
        rows = list(s.execute(select(TrustRoot).order_by(TrustRoot.id)).scalars())
        return [_view(r, _names(s, rows)) for r in rows]


def get_root(db: Database, actor_id: int, root_id: int) -> TrustRootView:
    with db.read() as s:
        _admin(s, actor_id)
        row = get_or_404(s, TrustRoot, root_id, "chứng thư gốc", "Trusted root")
        return _view(row, _names(s, [row]))


def _payload(row: TrustRoot) -> dict:
    return {"name": row.name, "subject": row.subject, "issuer": row.issuer, "sha256": row.sha256,
            "not_before": row.not_before.isoformat() if row.not_before else None,
            "not_after": row.not_after.isoformat() if row.not_after else None}


def add_root(db: Database, actor_id: int, data: bytes | str, *, now: datetime, name: str | None = None,
             ctx: RequestContext = NO_CONTEXT) -> TrustRootView:
    """The administrator trusts a CA certificate (PEM or DER); refused, with nothing saved, when
    the file is not one certificate, not a CA's, expired, or already trusted."""
    with db.read() as s:
        _admin(s, actor_id)  # the caller's role before reading what they sent
    cert = parse(data)
    check(cert, now)
    label = clean(name)[:300] if isinstance(name, str) and clean(name) else None
    with unit_of_work(db) as s:
        actor = _admin(s, actor_id)
        row = insert(s, cert, now, name=label, added_by=actor.user_id)
        admin_event(s, actor, ctx, now, "trust_root_add", "trust_root", row.id, payload=_payload(row))
        flush(s)
        return _view(row, {actor.user_id: actor.full_name} if actor.user_id else {})


def remove_root(db: Database, actor_id: int, root_id: int, *, now: datetime,
                ctx: RequestContext = NO_CONTEXT) -> TrustRootView:
    """The administrator stops trusting a root: signatures that chained to it read as untrusted."""
    with unit_of_work(db) as s:
        actor = _admin(s, actor_id)
        row = get_or_404(s, TrustRoot, root_id, "chứng thư gốc", "Trusted root")
        view = _view(row, _names(s, [row]))
        admin_event(s, actor, ctx, now, "trust_root_remove", "trust_root", row.id, payload=_payload(row))
        s.delete(row)
        flush(s)
        return view


def administrator(db: Database, username: str) -> int:
    """The id of the active administrator `username` (the command line acts as one)."""
    with db.read() as s:
        row = s.execute(select(User.id, User.role, User.active).where(User.username == username)).first()
    if row is None or not row.active or row.role != ADMIN:
        raise Forbidden(f"'{username}' không phải tài khoản quản trị đang hoạt động",
                        f"'{username}' is not an active administrator account")
    return int(row.id)
