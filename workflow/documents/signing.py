"""Digital signatures (ký số) on PDF papers: PAdES (ETSI.CAdES.detached) with pyHanko.

Signing uses the organisation's certificate, a PKCS#12 file from configuration
(`KHENTHUONG_SIGNING_P12` and `KHENTHUONG_SIGNING_P12_PASSWORD`). Without one, a demo certificate
authority is made once under `<instance>/signing/` and issues each organisation its own
certificate, so signing works out of the box; its root goes into the trusted roots (a table the
administrator keeps) so that what the demo signs verifies as trusted.

The visible signature block (Nghị định 30/2020/NĐ-CP Phụ lục I: the representation of a digital
signature shows the signer, the organisation and the time) is drawn by the paper's own template
in the signer's place before signing, with the package's font, so Vietnamese names keep every
diacritic and the block is itself covered by the signature.

Deferred signing: the prepared PDF (`GET /decisions/{id}/document.pdf`) can be signed later by a
USB token or a remote signing service with any PAdES tool (e.g. `pyhanko sign addsig pkcs11`),
then posted back to `POST /decisions/{id}/sign` as the file: it is kept when its signature is
valid, intact, covers the whole file and chains to a trusted root.
"""
import base64
import functools
import hashlib
import io
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography import x509

# cryptography is imported where it is used: the server only needs it to sign or to add a root
# (some 11 MB it need not hold otherwise; bench/README.md, "documents").

FIELD = "ChuKySo"


@dataclass(frozen=True)
class Credential:
    """A private key with its certificate chain (what a PKCS#12 file holds)."""
    p12: bytes
    password: bytes
    subject: str


# --- the demo certificate authority --------------------------------------------------------

def _name(cn: str, org: str) -> "x509.Name":
    from cryptography import x509
    from cryptography.x509.oid import NameOID
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def make_certificate(cn: str, org: str, *, issuer: tuple | None = None, ca: bool = False,
                     days: int = 3650) -> tuple:
    """(key, certificate): self-signed when `issuer` (key, cert) is None."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.now(UTC) - timedelta(days=1)
    subject = _name(cn, org)
    issuer_key, issuer_cert = issuer if issuer else (key, None)
    builder = (x509.CertificateBuilder().subject_name(subject)
               .issuer_name(issuer_cert.subject if issuer_cert else subject)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now).not_valid_after(now + timedelta(days=days))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=not ca, key_encipherment=False,
                                            data_encipherment=False, key_agreement=False, key_cert_sign=ca,
                                            crl_sign=ca, encipher_only=False, decipher_only=False), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
    if issuer_cert is not None:
        builder = builder.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
            issuer_cert.public_key()), critical=False)
    return key, builder.sign(issuer_key, hashes.SHA256())


def to_p12(key, cert, chain: list, password: bytes, name: str) -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12
    return pkcs12.serialize_key_and_certificates(
        name.encode(), key, cert, chain, serialization.BestAvailableEncryption(password))


def pem(cert) -> str:
    from cryptography.hazmat.primitives import serialization
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def demo_ca(folder: Path) -> tuple:
    """The demo CA's (key, cert), made once in `folder`."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    folder.mkdir(parents=True, exist_ok=True)
    key_path, cert_path = folder / "demo-ca.key", folder / "demo-ca.pem"
    if not key_path.exists():
        key, cert = make_certificate("Khenthuong Demo Root CA", "Khenthuong (demo)", ca=True)
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        tmp = key_path.with_suffix(".tmp")
        tmp.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
        os.chmod(tmp, 0o600)
        tmp.replace(key_path)
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    return key, x509.load_pem_x509_certificate(cert_path.read_bytes())


def credential_for(instance: Path, org_code: str, org_name: str, leader: str) -> tuple[Credential, str | None]:
    """(the credential an organisation signs with, the PEM of the demo root when it is the demo's).

    Configuration wins: `KHENTHUONG_SIGNING_P12` (+ `_PASSWORD`). Otherwise the demo CA issues the
    organisation a certificate once (`<instance>/signing/<org code>.p12`)."""
    from cryptography.hazmat.primitives.serialization import pkcs12
    configured = os.environ.get("KHENTHUONG_SIGNING_P12")
    if configured:
        password = os.environ.get("KHENTHUONG_SIGNING_P12_PASSWORD", "").encode()
        data = Path(configured).read_bytes()
        _key, cert, _chain = pkcs12.load_key_and_certificates(data, password)
        return Credential(data, password, cert.subject.rfc4514_string() if cert else ""), None
    folder = instance / "signing"
    ca_key, ca_cert = demo_ca(folder)
    path = folder / f"{''.join(c for c in org_code if c.isalnum() or c in '-_') or 'org'}.p12"
    password = b"demo"
    if not path.exists():
        key, cert = make_certificate(leader or org_name, org_name, issuer=(ca_key, ca_cert), days=1825)
        path.write_bytes(to_p12(key, cert, [ca_cert], password, org_name))
    _key, cert, _chain = pkcs12.load_key_and_certificates(path.read_bytes(), password)
    return Credential(path.read_bytes(), password, cert.subject.rfc4514_string() if cert else ""), pem(ca_cert)


# --- signing --------------------------------------------------------------------------------

def stamp(signer: str, org: str, at: datetime) -> dict:
    """What the visible signature block says (Typst draws it in the signer's place on the paper,
    so it is part of the signed bytes and keeps every diacritic)."""
    local = at.astimezone(_tz())
    return {"signer": signer, "org": org, "time": f"{local:%d/%m/%Y %H:%M:%S} (GMT+7)"}


def sign_pdf(pdf: bytes, cred: Credential, *, signer: str, org: str) -> bytes:
    """The PDF signed (PAdES B-B, ETSI.CAdES.detached) with the organisation's credential."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    key_signer = signers.SimpleSigner.load_pkcs12_data(cred.p12, other_certs=(), passphrase=cred.password)
    meta = signers.PdfSignatureMetadata(field_name=FIELD, subfilter=fields.SigSeedSubFilter.PADES,
                                        name=signer, location=org, reason="Ký số văn bản (Nghị định 30/2020/NĐ-CP)")
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    pdf_signer = signers.PdfSigner(meta, signer=key_signer, new_field_spec=fields.SigFieldSpec(FIELD))
    return pdf_signer.sign_pdf(writer).getvalue()


# --- verifying ------------------------------------------------------------------------------

def verify_pdf(data: bytes, roots_pem: list[str], *, keep_certs: bool = False) -> dict | None:
    """The last signature of a PDF as verified: {valid, intact, signer, signed_at, trusted,
    covers_whole_file}; None when the file is not a PDF or carries no signature.

    `intact`: the signed bytes' digest matches; `covers_whole_file` is false when the file was
    changed after signing; `trusted`: the certificate chains to one of `roots_pem`. With
    `keep_certs`, also the certificates the signature carries (`CERTS`), to ask `chain_trusted`
    again later."""
    if not data.startswith(b"%PDF"):
        return None
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        sigs = reader.embedded_signatures
    except Exception as e:  # a broken PDF: invalid when it was signed, otherwise not a signed file
        return _broken(str(e)) if b"/ByteRange" in data else None
    if not sigs:
        return None
    roots = _asn1_roots(roots_pem)
    sig = sigs[-1]
    try:
        status = validate_pdf_signature(sig, ValidationContext(trust_roots=roots, allow_fetching=False))
    except Exception as e:  # a signature pyHanko cannot even parse is invalid
        return _broken(str(e))
    cert = status.signing_cert
    signed_at = status.signer_reported_dt
    whole = status.coverage is not None and status.coverage.name == "ENTIRE_FILE"
    trusted = bool(status.trusted)
    out = {"valid": bool(status.intact and status.valid and whole), "intact": bool(status.intact),
           "signer": cert.subject.native.get("common_name") if cert is not None else None,
           "signed_at": signed_at.astimezone(UTC).isoformat() if signed_at else None,
           "trusted": trusted, "covers_whole_file": whole}
    if keep_certs:
        chain = [c.dump() for c in (sig.signer_cert, *sig.other_embedded_certs) if c is not None]
        out[CERTS] = [base64.b64encode(der).decode() for der in chain]
    return out


# The certificates a signature carries (signer first, base64 DER), kept with an upload's
# verification so that `trusted` can be answered again against the roots of the moment.
CERTS = "certs"


def chain_trusted(certs_b64: list[str], roots_pem: list[str]) -> bool:
    """Whether the signer's certificate (the first of `certs_b64`, the others as intermediates)
    chains to one of `roots_pem` now: the question an upload's `trusted` answers when it is read."""
    if not certs_b64 or not roots_pem:
        return False
    return _chain_trusted(tuple(certs_b64), tuple(roots_pem))


@functools.lru_cache(maxsize=512)
def _chain_trusted(certs_b64: tuple[str, ...], roots_pem: tuple[str, ...]) -> bool:
    import asyncio

    from asn1crypto import x509 as asn1_x509
    from pyhanko_certvalidator import CertificateValidator, ValidationContext

    try:
        certs = [asn1_x509.Certificate.load(base64.b64decode(c)) for c in certs_b64]
        validator = CertificateValidator(certs[0], intermediate_certs=certs[1:], validation_context=ValidationContext(
            trust_roots=_asn1_roots(list(roots_pem)), allow_fetching=False))
        asyncio.run(validator.async_validate_path())
    except Exception:  # no path to a trusted root, or a certificate that does not parse
        return False
    return True


def _asn1_roots(roots_pem: list[str]) -> list:
    from asn1crypto import pem as asn1_pem, x509 as asn1_x509
    roots = []
    for text in roots_pem:
        for _type, _headers, der in asn1_pem.unarmor(text.encode(), multiple=True):
            roots.append(asn1_x509.Certificate.load(der))
    return roots


def _broken(reason: str) -> dict:
    return {"valid": False, "intact": False, "signer": None, "signed_at": None, "trusted": False,
            "covers_whole_file": False, "error": reason[:200]}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _tz():
    from zoneinfo import ZoneInfo
    return ZoneInfo("Asia/Ho_Chi_Minh")
