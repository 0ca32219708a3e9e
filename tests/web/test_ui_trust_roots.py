"""/admin/trust-roots without a browser: the administrator uploads a CA's certificate, sees it
listed with its fingerprint and validity, is told plainly why a wrong file is refused, and
removes a root only after a confirmation page; nobody else reaches the page."""
import hashlib
import io

from cryptography.hazmat.primitives import serialization

from tests.browser_support import *
from workflow.documents import signing


def upload_root(admin: WebUser, data: bytes, filename: str = "goc.pem", name: str = ""):
    admin.get("/admin/trust-roots")
    return admin.client.post("/admin/trust-roots", content_type="multipart/form-data", data={
        "csrf_token": admin.csrf, "name": name, "file": (io.BytesIO(data), filename)})


def test_the_administrator_adds_and_after_confirming_removes_a_trusted_root(web):
    admin = web("admin")
    ca = signing.make_certificate("CA Chính phủ (thử nghiệm)", "Ban Cơ yếu Chính phủ", ca=True)[1]
    der = ca.public_bytes(serialization.Encoding.DER)
    fingerprint = hashlib.sha256(der).hexdigest().upper()

    page = WebUser.text(admin.get("/admin/trust-roots"))
    assert 'aria-current="page">Chứng thư gốc tin cậy</a>' in page and 'enctype="multipart/form-data"' in page
    r = upload_root(admin, der, "goc.cer", name="Gốc Chính phủ")
    assert r.status_code == 303, WebUser.text(r)[:500]
    page = WebUser.text(admin.get("/admin/trust-roots"))
    assert "Đã thêm chứng thư gốc tin cậy Gốc Chính phủ." in page
    assert "Gốc Chính phủ" in page and "CN=CA Chính phủ (thử nghiệm)" in page and fingerprint in page
    row = page.split(fingerprint, 1)[1].split("</tr>", 1)[0]
    assert "Quản trị hệ thống" in row and "23/11/2026" in row  # added by, when

    # The same certificate as PEM: refused by the unique fingerprint; a non-CA certificate and a
    # file that is no certificate are refused with a clear message, nothing saved.
    r = upload_root(admin, signing.pem(ca).encode())
    assert r.status_code == 409 and "Chứng thư gốc này đã có trong danh sách tin cậy" in WebUser.text(r)
    leaf = signing.make_certificate("Người ký", "VTC")[1]  # not a CA's
    r = upload_root(admin, signing.pem(leaf).encode())
    assert r.status_code == 422 and "không phải của tổ chức cung cấp dịch vụ chứng thực (CA)" in WebUser.text(r)
    r = upload_root(admin, b"hello", "goc.pem")
    assert r.status_code == 422 and "không phải là một chứng thư số X.509" in WebUser.text(r)
    assert WebUser.text(admin.get("/admin/trust-roots")).count(fingerprint) == 1
    # Without the form's token nothing happens.
    r = admin.client.post("/admin/trust-roots", content_type="multipart/form-data",
                          data={"file": (io.BytesIO(der), "goc.cer")})
    assert r.status_code == 400

    # Removal: a confirmation page first, then the POST.
    page = WebUser.text(admin.get("/admin/trust-roots"))
    link = page.split(fingerprint, 1)[1].split('href="', 1)[1].split('"', 1)[0]
    confirm = admin.get(link)
    assert confirm.status_code == 200
    text = WebUser.text(confirm)
    assert "Gỡ chứng thư gốc tin cậy?" in text and fingerprint in text and 'id="form-trust-root-remove"' in text
    assert fingerprint in WebUser.text(admin.get("/admin/trust-roots"))  # looking at it removed nothing
    r = admin.post(link)
    assert r.status_code == 303
    page = WebUser.text(admin.get("/admin/trust-roots"))
    assert fingerprint not in page and "Đã gỡ chứng thư gốc Gốc Chính phủ" in page


def test_the_page_speaks_english_and_is_the_administrators_only(web):
    page = WebUser.text(web("admin").get("/admin/trust-roots?lang=en"))
    assert "Trusted root certificates" in page and "SHA-256 fingerprint" in page and "Add a root certificate" in page
    officer = web("vtc.canbo")
    assert officer.get("/admin/trust-roots").status_code == 403
    assert officer.get("/admin/trust-roots/1/remove").status_code == 403
