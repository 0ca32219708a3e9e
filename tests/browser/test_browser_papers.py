"""The papers in a real browser (headless Chromium): the unit officer opens a voted dossier's
papers, sees what is missing and downloads the tờ trình (Word) and the council's minutes (PDF);
the central leader downloads the decision and its certificates, then signs it; the signed PDF
is what downloads afterwards. The files are opened and read back. Screenshots go to
test-artifacts/screenshots/."""
import io
import re
import unicodedata

import pytest
from docx import Document
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser_support import *
from tests.browser_support import LiveServer, make_app
from tests.integration.test_dossier_lifecycle import nominee
from tests.conftest import NOW
from workflow.decisions import service as decisions
from workflow.dossiers import aggregation, central as dossier_central, review as dossier_review, service as dossiers

NAMES = ["Vũ Thị Hồng Nhung", "Đỗ Minh Quân"]


@pytest.fixture
def server(sqlite_db, clock, tmp_path):
    live = LiveServer(make_app(sqlite_db, clock, instance_path=tmp_path / "instance"))
    yield live
    live.stop()


def decided(db, people, plan) -> tuple[int, int]:
    """VTC's voted dossier sent up, aggregated by the ministry, decided by the centre."""
    d = dossiers.create_dossier(db, people["vtc.canbo"], plan_id=plan, number="45/TTr-VTC", now=NOW)
    ids = [dossiers.add_nominations(db, people["vtc.canbo"], d.id, nominee(n), now=NOW).added[0].id for n in NAMES]
    dossier_review.submit_dossier(db, people["vtc.canbo"], d.id, now=NOW)
    dossier_review.record_council_votes(db, people["vtc.hoidong"], d.id, {
        "members": 9, "present": 9, "results": [{"nomination_id": i, "yes": 8, "no": 1} for i in ids]}, now=NOW)
    dossier_review.review_dossier(db, people["vtc.thutruong"], d.id, {"action": "approve", "all": True}, now=NOW)
    # The law's route: the Vụ TĐKT appraises, the ministry's council (a roster of 10) votes, the
    # reviewer drafts the ministry's tờ trình, the minister signs it, the centre receives and appraises.
    dossier_review.review_dossier(db, people["bo.chuyenvien"], d.id, {"action": "approve", "all": True}, now=NOW)
    dossier_review.record_council_votes(db, people["bo.hoidong"], d.id, {
        "present": 10, "results": [{"nomination_id": i, "yes": 10, "no": 0} for i in ids]}, now=NOW)
    out = aggregation.aggregate(db, people["bo.chuyenvien"], {"number": "123/TTr-BKHCN", "nomination_ids": ids},
                                now=NOW)
    aggregation.sign_dossier(db, people["bo.lanhdao"], out.id, {}, now=NOW)
    dossier_central.receive_dossier(db, people["tw.chuyenvien"], out.id, {"complete": True}, now=NOW)
    dossier_review.review_dossier(db, people["tw.chuyenvien"], out.id, {"action": "approve", "all": True}, now=NOW)
    dec = decisions.create_decision(db, people["tw.lanhdao"], {"number": "1234/QĐ-TTg", "date": "2026-11-23",
                                                               "nomination_ids": ids}, now=NOW)
    return d.id, dec.id


def download(page, link) -> bytes:
    with page.expect_download() as info:
        link.click()
    return open(info.value.path(), "rb").read()


def pdf_text(data: bytes) -> str:
    return unicodedata.normalize("NFC", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


def test_officer_downloads_the_papers_and_the_leader_signs_the_decision(desks, sqlite_db, people, plan):
    dossier_id, decision_id = decided(sqlite_db, people, plan)

    officer = desks("vtc.canbo")
    page = officer.page
    officer.go(f"/dossiers/{dossier_id}")
    page.locator("#link-papers").click()
    expect(page.locator("h1")).to_contain_text("Văn bản của hồ sơ 45/TTr-VTC")
    expect(page.locator("#papers tbody tr")).to_have_count(3)
    expect(page.locator("#checklist")).to_contain_text("Báo cáo thành tích")
    officer.shot("60-papers-of-a-dossier")
    docx = download(page, page.locator("#paper-to-trinh").get_by_role("link", name="DOCX"))
    doc = Document(io.BytesIO(docx))
    text = "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])
    assert "TỜ TRÌNH" in text and "Số: 45/TTr-VTC" in text
    minutes = pdf_text(download(page, page.locator("#paper-bien-ban").get_by_role("link", name="PDF")))
    assert all(name in minutes for name in NAMES) and "88,89%" in minutes  # 8 of 9 members

    leader = desks("tw.lanhdao")
    page = leader.page
    leader.go(f"/decisions/{decision_id}")
    page.locator("#link-papers").click()
    draft = pdf_text(download(page, page.locator("#decision-pdf")))
    assert "Số: 1234/QĐ-TTg" in draft and "Ký bởi" not in draft
    certs = download(page, page.locator("#certificates"))
    assert len(PdfReader(io.BytesIO(certs)).pages) == 2
    page.locator("#form-sign").get_by_role("button", name="Ký số quyết định").click()
    confirm_dialog(page)
    expect(page.locator(".flash-success")).to_contain_text("Đã ký số quyết định")
    expect(page.locator("#signature")).to_contain_text("Có")
    leader.shot("61-decision-signed")
    signed = pdf_text(download(page, page.locator("#decision-pdf")))
    assert "Ký bởi:" in signed and "Ban Thi đua - Khen thưởng Trung ương" in signed
    assert re.search(r"Thời gian ký: \d\d/\d\d/\d{4}", signed)
    assert not officer.errors and not leader.errors


def test_the_certificate_layout_is_saved_and_previewed_on_a_grid(desks):
    head = desks("bo.lanhdao")
    page = head.page
    head.go("/papers/certificate-layout")
    expect(page.locator("#layout-preview")).to_be_visible()
    assert page.locator("#layout-preview").evaluate("img => img.naturalWidth") > 200
    page.locator("input[name='recipient.y']").fill("85")
    page.locator("#form-layout").get_by_role("button", name="Lưu bố cục").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã lưu bố cục bằng khen.")
    expect(page.locator("input[name='recipient.y']")).to_have_value("85")
    head.shot("62-certificate-layout")


def test_the_administrator_trusts_a_root_from_a_file_and_removes_it_after_confirming(desks, tmp_path):
    from workflow.documents import signing

    ca = signing.make_certificate("CA Chính phủ (thử nghiệm)", "Ban Cơ yếu Chính phủ", ca=True)[1]
    (tmp_path / "goc-chinh-phu.pem").write_text(signing.pem(ca))
    (tmp_path / "khong-phai.pem").write_text("không phải chứng thư")
    admin = desks("admin")
    page = admin.page
    admin.go("/admin")
    page.get_by_role("link", name="Chứng thư gốc tin cậy").click()
    page.get_by_label(re.compile("Tệp chứng thư")).set_input_files(str(tmp_path / "khong-phai.pem"))
    page.get_by_role("button", name="Thêm", exact=True).click()
    expect(page.locator("#trust-root-error")).to_contain_text("không phải là một chứng thư số X.509")
    page.get_by_label(re.compile("Tệp chứng thư")).set_input_files(str(tmp_path / "goc-chinh-phu.pem"))
    page.get_by_label(re.compile("Tên gọi")).fill("Gốc Chính phủ thử nghiệm")
    page.get_by_role("button", name="Thêm", exact=True).click()
    row = page.locator("#trust-roots tr", has_text="Gốc Chính phủ thử nghiệm")
    expect(row).to_contain_text("CN=CA Chính phủ (thử nghiệm)")
    expect(row).to_contain_text("Quản trị hệ thống")
    admin.shot("63-trusted-roots")
    row.get_by_role("link", name="Gỡ").click()
    expect(page.get_by_role("heading", name="Gỡ chứng thư gốc tin cậy?")).to_be_visible()
    admin.shot("64-trusted-root-remove-confirm")
    page.get_by_role("button", name="Gỡ chứng thư gốc").click()
    expect(page.locator(".flash")).to_contain_text("Đã gỡ chứng thư gốc Gốc Chính phủ thử nghiệm")
    expect(page.locator("#trust-roots")).not_to_contain_text("Gốc Chính phủ thử nghiệm")
    # No script error; the one failed load is the refused file's page (422), as it should be.
    assert [e for e in admin.errors if "422" not in e] == [], admin.errors
