"""The signature of an uploaded PDF, verified against the roots the administrator trusts.

What the file says (valid, intact, signer, time) is settled when it is uploaded; whether its
certificate chains to a trusted root is asked again each time it is read, against the roots
configured then: a root the administrator adds makes earlier uploads trusted, a root removed
makes them untrusted again (the certificates the signature carries are kept for that).
"""
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.documents import signing
from workflow.models import Attachment, TrustRoot


def roots(s: Session) -> list[str]:
    """The PEM of every root trusted now, in a stable order."""
    return list(s.execute(select(TrustRoot.pem).order_by(TrustRoot.id)).scalars())


def signature_of(s: Session, data: bytes) -> dict | None:
    """{valid, intact, signer, signed_at, trusted, covers_whole_file, certs} of a signed PDF; None otherwise."""
    if not data.startswith(b"%PDF"):
        return None
    return signing.verify_pdf(data, roots(s), keep_certs=True)


def as_read(s: Session, attachment_id: int, stored: dict | None, trusted_roots: list[str]) -> dict | None:
    """An upload's signature as shown now: `trusted` against `trusted_roots`, without the certificates."""
    if not stored:
        return stored
    sig = {k: v for k, v in stored.items() if k != signing.CERTS}
    certs = stored.get(signing.CERTS)
    if certs is None and not stored.get("error"):  # verified before the certificates were kept
        data = s.execute(select(Attachment.data).where(Attachment.id == attachment_id)).scalar_one_or_none()
        fresh = signing.verify_pdf(data, trusted_roots, keep_certs=True) if data else None
        certs = (fresh or {}).get(signing.CERTS) or []
    sig["trusted"] = signing.chain_trusted(certs or [], trusted_roots)
    return sig
