"""The administrator keeps the trusted root certificates (chứng thư gốc tin cậy) through the API
and the command line; an upload signed under a new CA is untrusted until its root is added,
trusted while it is there, and untrusted again once it is removed."""
import hashlib
import json
import os
from datetime import UTC, datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import func, select

from workflow.documents import pdf, signing
from workflow.models import AuditEvent, TrustRoot

from tests.integration.test_cli import khenthuong
from tests.integration.test_dossier_lifecycle import open_dossier, upload


def new_ca(name: str = "CA Chuyên dùng Chính phủ (thử nghiệm)"):
    """(key, cert) of a fresh CA, and a signer it issued as a PKCS#12 credential."""
    ca = signing.make_certificate(name, "Ban Cơ yếu Chính phủ", ca=True)
    key, cert = signing.make_certificate("Nguyễn Thị Ánh Tuyết", "Tổng công ty VTC", issuer=ca)
    return ca, signing.Credential(signing.to_p12(key, cert, [ca[1]], b"pin", "ky-so"), b"pin", "ky-so")


def expired_ca():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "CA đã hết hạn")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(datetime(2015, 1, 1, tzinfo=UTC)).not_valid_after(datetime(2020, 1, 1, tzinfo=UTC))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    return signing.pem(cert)


def der(cert) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def post_file(api, data: bytes, filename="goc.cer", **form):
    return upload(api, "/trust-roots", data, filename=filename, **form)


def signed_paper(cred) -> bytes:
    paper = pdf.render("certificates", {"layout": {"fields": {}}, "pages": []})
    return signing.sign_pdf(paper, cred, signer="Nguyễn Thị Ánh Tuyết", org="Tổng công ty VTC")


def test_the_administrator_adds_lists_and_removes_a_root_and_others_are_refused(login, db):
    admin = login("admin")
    ca, _cred = new_ca()
    fingerprint = hashlib.sha256(der(ca[1])).hexdigest()
    with db.read() as s:
        before = s.execute(select(func.count()).select_from(TrustRoot)).scalar_one()

    # Nobody else sees or changes the list.
    for user in ("vtc.canbo", "tw.lanhdao", "kiemtra"):
        assert login(user).get("/trust-roots").status_code == 403
        assert login(user).post("/trust-roots", json={"pem": signing.pem(ca[1])}).status_code == 403
    # A DER file, named by the administrator.
    r = post_file(admin, der(ca[1]), name="CA Chính phủ")
    assert r.status_code == 201, r.get_json()
    root = r.get_json()
    assert root["name"] == "CA Chính phủ" and root["sha256"] == fingerprint
    assert "CN=CA Chuyên dùng Chính phủ (thử nghiệm)" in root["subject"] and root["subject"] == root["issuer"]
    assert root["added_by"] and root["not_after"] > root["not_before"]
    assert root["pem"].startswith("-----BEGIN CERTIFICATE-----")
    listed = admin.get("/trust-roots").get_json()["items"]
    assert [x["sha256"] for x in listed].count(fingerprint) == 1
    # The same certificate again, now as PEM: one certificate is one row (the unique fingerprint).
    r = admin.post("/trust-roots", json={"pem": signing.pem(ca[1])})
    assert r.status_code == 409 and r.get_json()["error"]["field"] == "file"
    assert "đã có" in r.get_json()["error"]["message"]
    # A non-CA certificate, an expired CA, a file that is no certificate: refused, nothing saved.
    leaf = signing.make_certificate("Người ký", "VTC", issuer=ca)[1]
    for body, word in ((der(leaf), "CA"), (expired_ca().encode(), "hết hạn"), (b"%PDF-1.7 not a cert", "X.509")):
        r = post_file(admin, body)
        assert r.status_code == 422 and word in r.get_json()["error"]["message"], r.get_json()
    assert admin.post("/trust-roots", json={"name": "no pem"}).status_code == 422
    with db.read() as s:
        assert s.execute(select(func.count()).select_from(TrustRoot)).scalar_one() == before + 1

    # Removal: others refused; the administrator removes it; twice is 404.
    assert login("vtc.canbo").delete(f"/trust-roots/{root['id']}").status_code == 403
    assert admin.delete(f"/trust-roots/{root['id']}").status_code == 204
    assert admin.delete(f"/trust-roots/{root['id']}").status_code == 404
    assert fingerprint not in [x["sha256"] for x in admin.get("/trust-roots").get_json()["items"]]
    # Both changes are audited on the administrative chain, and the log stays intact.
    with db.read() as s:
        events = s.execute(select(AuditEvent.action, AuditEvent.payload).where(
            AuditEvent.chain == "admin:trust_root").order_by(AuditEvent.id)).all()
    assert [a for a, _ in events] == ["trust_root_add", "trust_root_remove"]
    assert all(p["sha256"] == fingerprint for _, p in events)
    assert login("kiemtra").get("/audit/verify").get_json()["ok"] is True


def test_an_upload_becomes_trusted_when_its_root_is_added_and_untrusted_when_removed(login, open_plan):
    officer, admin = login("vtc.canbo"), login("admin")
    d = open_dossier(officer, open_plan)
    ca, cred = new_ca("CA mới của Bộ (thử nghiệm)")
    r = upload(officer, f"/dossiers/{d['id']}/attachments", signed_paper(cred), filename="to-trinh-da-ky.pdf",
               doc_type="to_trinh")
    assert r.status_code == 201, r.get_json()
    sig = r.get_json()["signature"]
    assert sig["valid"] and sig["intact"] and sig["trusted"] is False and sig["signer"] == "Nguyễn Thị Ánh Tuyết"
    assert "certs" not in sig  # kept to judge trust again, never shown

    def trusted() -> bool:
        items = officer.get(f"/dossiers/{d['id']}/attachments").get_json()["items"]
        return items[0]["signature"]["trusted"]

    assert trusted() is False
    r = admin.post("/trust-roots", json={"pem": signing.pem(ca[1])})
    assert r.status_code == 201, r.get_json()
    assert trusted() is True
    assert admin.delete(f"/trust-roots/{r.get_json()['id']}").status_code == 204
    assert trusted() is False


def test_the_command_line_lists_adds_and_removes_roots(sqlite_db, tmp_path):
    env = {**os.environ, "KHENTHUONG_DATABASE_URL": sqlite_db.url, "KHENTHUONG_INSTANCE": str(tmp_path)}
    ca, _cred = new_ca("CA dòng lệnh")
    (tmp_path / "goc.pem").write_text(signing.pem(ca[1]))
    (tmp_path / "la.pem").write_text("không phải chứng thư")
    help_text = khenthuong("papers", "trust-roots", "--help", env=env).stdout
    assert "add" in help_text and "remove" in help_text and "list" in help_text

    out = khenthuong("papers", "trust-roots", "add", str(tmp_path / "goc.pem"), env=env).stdout
    assert "CA dòng lệnh" in out and "sha256:" in out
    listed = json.loads(khenthuong("papers", "trust-roots", "list", "--json", env=env).stdout)
    mine = [r for r in listed if r["name"] == "CA dòng lệnh"]
    assert len(mine) == 1 and mine[0]["added_by"]
    again = khenthuong("papers", "trust-roots", "add", str(tmp_path / "goc.pem"), env=env, check=False)
    assert again.returncode == 1 and "already trusted" in again.stderr
    bad = khenthuong("papers", "trust-roots", "add", str(tmp_path / "la.pem"), env=env, check=False)
    assert bad.returncode == 1 and "X.509" in bad.stderr
    not_admin = khenthuong("papers", "trust-roots", "list", "--admin", "vtc.canbo", env=env, check=False)
    assert not_admin.returncode == 1 and "administrator" in not_admin.stderr

    out = khenthuong("papers", "trust-roots", "remove", str(mine[0]["id"]), env=env).stdout
    assert "CA dòng lệnh" in out
    assert "CA dòng lệnh" not in khenthuong("papers", "trust-roots", "list", env=env).stdout
    missing = khenthuong("papers", "trust-roots", "remove", str(mine[0]["id"]), env=env, check=False)
    assert missing.returncode == 1
    with sqlite_db.read() as s:
        actions = list(s.execute(select(AuditEvent.action).where(AuditEvent.chain == "admin:trust_root")
                                 .order_by(AuditEvent.id)).scalars())
    assert actions == ["trust_root_add", "trust_root_remove"]


def test_an_uploaded_root_file_must_be_one_certificate(login):
    ca1, _ = new_ca("CA một")
    ca2, _ = new_ca("CA hai")
    bundle = (signing.pem(ca1[1]) + signing.pem(ca2[1])).encode()
    r = post_file(login("admin"), bundle, filename="hai-goc.pem")
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "file"
    r = post_file(login("admin"), b"0" * (70 * 1024))
    assert r.status_code == 422 and "quá lớn" in r.get_json()["error"]["message"]
