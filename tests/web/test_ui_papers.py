"""The papers in the web UI without a browser: a nomination's checklist counts the papers the
product generates, an upload's signature is shown with whether it is trusted, the signing form
refuses a POST without its CSRF token and anyone but the decider."""
import pytest

from tests.browser_support import *
from tests.browser_support import make_app
from tests.conftest import NOW
from tests.integration.test_dossier_lifecycle import nominee
from workflow.documents import pdf, signing
from workflow.dossiers import attachments, review as dossier_review, service as dossiers
from workflow.decisions import service as decisions


@pytest.fixture
def ui_app(sqlite_db, clock, tmp_path):
    return make_app(sqlite_db, clock, instance_path=tmp_path / "instance")


def unit_decides(db, people, plan):
    """A Giấy khen dossier of VTC, voted, decided by VTC's head: (dossier id, decision id, ids)."""
    d = dossiers.create_dossier(db, people["vtc.canbo"], plan_id=plan, number="45/TTr-VTC", now=NOW)
    ids = [dossiers.add_nominations(db, people["vtc.canbo"], d.id, nominee(n, "giay_khen"), now=NOW).added[0].id
           for n in ("Nguyễn Văn An", "Trần Thị Bình")]
    dossier_review.submit_dossier(db, people["vtc.canbo"], d.id, now=NOW)
    dossier_review.record_council_votes(db, people["vtc.hoidong"], d.id, {
        "members": 9, "present": 9, "results": [{"nomination_id": i, "yes": 9, "no": 0} for i in ids]}, now=NOW)
    dec = decisions.create_decision(db, people["vtc.thutruong"], {
        "number": "15/QĐ-VTC", "date": "2026-11-23", "nomination_ids": ids}, now=NOW)
    return d.id, dec.id, ids


def test_the_nomination_page_counts_the_generated_papers_and_names_what_is_missing(web, sqlite_db, people, plan):
    _did, _dec, ids = unit_decides(sqlite_db, people, plan)
    page = WebUser.text(web("vtc.canbo").get(f"/nominations/{ids[0]}"))
    assert '<li class="present">✓ Văn bản đề nghị kèm danh sách</li>' in page
    assert '<li class="present">✓ Biên bản bình xét và kết quả bỏ phiếu</li>' in page
    assert '<li class="missing">○ Báo cáo thành tích</li>' in page


def test_an_uploaded_signed_pdf_shows_its_signer_and_that_its_root_is_not_trusted(web, sqlite_db, people, plan):
    did = dossiers.create_dossier(sqlite_db, people["vtc.canbo"], plan_id=plan, number="46/TTr-VTC", now=NOW).id
    dossiers.add_nominations(sqlite_db, people["vtc.canbo"], did, nominee("Phạm Thu Hà", "giay_khen"), now=NOW)
    ca = signing.make_certificate("CA lạ", "Không rõ", ca=True)
    key, cert = signing.make_certificate("Lê Văn Ký", "Không rõ", issuer=ca)
    cred = signing.Credential(signing.to_p12(key, cert, [ca[1]], b"x", "x"), b"x", "x")
    paper = pdf.render("certificates", {"layout": {"fields": {}}, "pages": []})
    attachments.upload(sqlite_db, people["vtc.canbo"], did, doc_type="khac", filename="ky-so.pdf",
                       data=signing.sign_pdf(paper, cred, signer="Lê Văn Ký", org="Không rõ"), now=NOW)
    page = WebUser.text(web("vtc.canbo").get(f"/dossiers/{did}"))
    assert "Ký số bởi Lê Văn Ký" in page and "hợp lệ nhưng chứng thư không thuộc gốc tin cậy" in page
    papers_page = WebUser.text(web("vtc.canbo").get(f"/dossiers/{did}/papers"))
    assert 'id="paper-to-trinh"' in papers_page and 'id="paper-bien-ban"' not in papers_page
    assert "Phạm Thu Hà" in papers_page and "Báo cáo thành tích" in papers_page
    bundle = web("vtc.canbo").client.get(f"/dossiers/{did}/papers/bundle.zip")
    assert bundle.status_code == 200 and bundle.mimetype == "application/zip" and bundle.data[:2] == b"PK"


def test_only_the_decider_signs_and_only_with_the_forms_token(web, sqlite_db, people, plan):
    _did, dec, _ids = unit_decides(sqlite_db, people, plan)
    officer = web("vtc.canbo")
    assert 'id="form-sign"' in WebUser.text(officer.get(f"/decisions/{dec}/papers"))
    r = officer.post(f"/decisions/{dec}/papers/sign", {"confirmed": "1"}, follow_redirects=True)
    assert "Chỉ người có thẩm quyền" in WebUser.text(r)
    head = web("vtc.thutruong")
    head.get(f"/decisions/{dec}/papers")
    assert head.post(f"/decisions/{dec}/papers/sign", csrf=False).status_code == 400
    r = head.post(f"/decisions/{dec}/papers/sign", {"confirmed": "1"}, follow_redirects=True)
    body = WebUser.text(r)
    assert "Đã ký số quyết định" in body and 'id="signature"' in body
    signed = head.client.get(f"/decisions/{dec}/papers/document.pdf")
    assert signed.headers["Content-Disposition"].startswith("attachment") and b"/ByteRange" in signed.data


def test_the_checklist_names_each_document_in_the_readers_language(web, sqlite_db, people, plan):
    """Each required document has a stable code and a Vietnamese and an English name; the pages
    show the reader's language, the API gives both."""
    did = dossiers.create_dossier(sqlite_db, people["vtc.canbo"], plan_id=plan, number="47/TTr-VTC", now=NOW).id
    nid = dossiers.add_nominations(sqlite_db, people["vtc.canbo"], did, nominee("Đỗ Thị Hương", "giay_khen"),
                                   now=NOW).added[0].id
    officer = web("vtc.canbo")
    vi = WebUser.text(officer.get(f"/dossiers/{did}/papers?lang=vi"))
    checklist_vi = vi.split('id="checklist"', 1)[1].split("</ul>", 1)[0]
    assert "Đỗ Thị Hương" in checklist_vi and "Báo cáo thành tích" in checklist_vi
    en = WebUser.text(officer.get(f"/dossiers/{did}/papers?lang=en"))
    checklist_en = en.split('id="checklist"', 1)[1].split("</ul>", 1)[0]
    assert "Đỗ Thị Hương" in checklist_en and "Achievement report" in checklist_en
    assert "Báo cáo thành tích" not in checklist_en and "bao_cao_thanh_tich" not in checklist_en
    assert "Submission for commendation (tờ trình)" in en.split('id="papers"', 1)[1].split("</table>", 1)[0]
    page = WebUser.text(officer.get(f"/nominations/{nid}?lang=en"))
    required = page.split('class="required-docs"', 1)[1].split("</ul>", 1)[0]
    assert '<li class="missing">○ Achievement report</li>' in required and "Báo cáo" not in required

    from workflow.documents import service as papers
    item = papers.nomination_checklist(sqlite_db, people["vtc.canbo"], nid)
    report = next(r for r in item.required if r["code"] == "bao_cao_thanh_tich")
    assert report == {"code": "bao_cao_thanh_tich", "name": "Báo cáo thành tích", "name_en": "Achievement report",
                      "present": False}
    assert {"code": "bao_cao_thanh_tich", "name": "Báo cáo thành tích",
            "name_en": "Achievement report"} in item.missing_documents
