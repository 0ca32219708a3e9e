"""The signature of an uploaded PDF, verified against the roots the administrator trusts."""
from sqlalchemy.orm import Session

from workflow.documents import signing
from workflow.models import TrustRoot


def signature_of(s: Session, data: bytes) -> dict | None:
    """{valid, intact, signer, signed_at, trusted, covers_whole_file} of a signed PDF; None otherwise."""
    if not data.startswith(b"%PDF"):
        return None
    roots = list(s.scalars(TrustRoot.__table__.select().with_only_columns(TrustRoot.pem)))
    return signing.verify_pdf(data, roots)
