"""The papers an office signs, generated from the product's data and read back: a unit's tờ trình
and its list, the council's minutes, the Prime Minister's decision (signed "KT.") with its list,
the certificates, the bundle for the ministry's system, and the decision signed digitally."""
import hashlib
import io
import json
import unicodedata
import zipfile

import pytest
from docx import Document
from pypdf import PdfReader
from sqlalchemy import select

from workflow.models import AuditEvent

from tests.integration.test_dossier_lifecycle import add_people, open_dossier, upload, votes

PEOPLE = ["Nguyễn Thị Ánh Tuyết", "Trần Đức Lộc", "Lê Thị Hồng Nhung"]
COLLECTIVE = "Phòng Biên tập Thời sự"
TODAY = "Hà Nội, ngày 23 tháng 11 năm 2026"
DECISION = {"number": "1234/QĐ-TTg", "date": "2026-11-23", "signer": "Phó Thủ tướng Trần Hồng Hà",
            "on_behalf_of": "KT. THỦ TƯỚNG"}


@pytest.fixture
def app(db, clock, tmp_path):
    from web import create_app
    return create_app({"db": db, "clock": clock, "database_url": db.url, "TESTING": True,
                       "secret_key": "test-secret", "instance_path": tmp_path / "instance"})


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return unicodedata.normalize("NFC", "\n".join(p.extract_text() for p in reader.pages))


def flat(text: str) -> str:
    return " ".join(text.split())


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def get_file(api, path, content_type):
    r = api.get(path)
    assert r.status_code == 200, (path, r.status_code, r.data[:300])
    assert r.headers["Content-Type"].startswith(content_type)
    assert r.headers["Content-Disposition"].startswith("attachment;")
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    return r.data


def voted_dossier(login, plan):
    """VTC's dossier 45/TTr-VTC: three people and one collective for the PM's Bằng khen, voted."""
    officer = login("vtc.canbo")
    d = open_dossier(officer, plan)
    ids = add_people(officer, d["id"], PEOPLE)
    r = officer.post(f"/dossiers/{d['id']}/nominations", json={
        "award_type": "bang_khen_thu_tuong", "nominee": {"kind": "collective", "name": COLLECTIVE},
        "achievements": "Hoàn thành xuất sắc nhiệm vụ"})
    assert r.status_code == 201
    ids.append(r.get_json()["nominations"][0]["id"])
    assert officer.post(f"/dossiers/{d['id']}/submit").status_code == 200
    tally = votes(ids, members=15, yes=14)
    tally["results"][1]["yes"], tally["results"][1]["no"] = 7, 8
    assert login("vtc.hoidong").post(f"/dossiers/{d['id']}/votes", json=tally).status_code == 200
    return d["id"], ids


def test_a_units_submission_and_its_list_read_back_from_word_and_pdf(login, open_plan):
    officer = login("vtc.canbo")
    d = open_dossier(officer, open_plan)
    add_people(officer, d["id"], PEOPLE)
    assert [p["kind"] for p in officer.get(f"/dossiers/{d['id']}/documents").get_json()] == ["to-trinh", "danh-sach"]
    assert officer.get(f"/dossiers/{d['id']}/documents/bien-ban.pdf").status_code == 404

    for fmt, read in (("pdf", pdf_text), ("docx", docx_text)):
        ct = "application/pdf" if fmt == "pdf" else "application/vnd.openxmlformats"
        text = flat(read(get_file(officer, f"/dossiers/{d['id']}/documents/to-trinh.{fmt}", ct)))
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
        # Bộ TT&TT merged into Bộ KH&CN (demo, from 01/03/2025): VTC's line ministry is now Bộ KH&CN.
        assert "BỘ KHOA HỌC VÀ CÔNG NGHỆ" in text and "TỔNG CÔNG TY TRUYỀN THÔNG ĐA PHƯƠNG TIỆN (VTC)" in text
        assert "Số: 45/TTr-VTC" in text and TODAY in text and "TỜ TRÌNH" in text
        assert "Kính gửi: Bộ trưởng Bộ Khoa học và Công nghệ" in text
        assert "Nghị định số 152/2025/NĐ-CP" in text  # the decree in force on 23/11/2026
        assert "- Bằng khen của Thủ tướng Chính phủ: 03 cá nhân;" in text
        assert "Nơi nhận:" in text and "TỔNG GIÁM ĐỐC" in text
        assert "TỔNG GIÁM ĐỐC Lê Quang Đức" in text  # the signer line: title, then the head's name

        listing = flat(read(get_file(officer, f"/dossiers/{d['id']}/documents/danh-sach.{fmt}", ct)))
        assert "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG" in listing
        assert "(Kèm theo Tờ trình số 45/TTr-VTC ngày 23 tháng 11 năm 2026" in listing
        for name in PEOPLE:
            assert name in listing, (fmt, name)
        assert "I. Bằng khen của Thủ tướng Chính phủ" in listing and "1. Cá nhân: 03" in listing
        assert "Tổng cộng: 03 cá nhân" in listing
        assert "bang_khen_thu_tuong" not in listing  # names, never codes

    # Another unit sees neither the dossier nor its papers.
    assert login("baochi.canbo").get(f"/dossiers/{d['id']}/documents/to-trinh.pdf").status_code == 404
    assert officer.get(f"/dossiers/{d['id']}/documents/to-trinh.odt").status_code == 404


def test_the_councils_minutes_carry_the_ballot_of_every_nominee(login, open_plan):
    dossier_id, _ids = voted_dossier(login, open_plan)
    officer = login("vtc.canbo")
    assert "bien-ban" in [p["kind"] for p in officer.get(f"/dossiers/{dossier_id}/documents").get_json()]
    for fmt, read in (("pdf", pdf_text), ("docx", docx_text)):
        text = flat(read(get_file(officer, f"/dossiers/{dossier_id}/documents/bien-ban.{fmt}", "application/")))
        assert "BIÊN BẢN" in text and "Hội đồng Thi đua - Khen thưởng" in text
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "TỔNG CÔNG TY TRUYỀN THÔNG ĐA PHƯƠNG TIỆN (VTC)" in text
        assert TODAY in text and "Hôm nay, ngày 23 tháng 11 năm 2026" in text and "hồ sơ số 45/TTr-VTC" in text
        assert "THƯ KÝ HỘI ĐỒNG Trần Văn Minh" in text and "CHỦ TỊCH HỘI ĐỒNG Lê Quang Đức" in text
        assert "Tổng số thành viên Hội đồng: 15" in text and "(kể cả ý kiến bằng văn bản): 15" in text
        for name in PEOPLE + [COLLECTIVE]:
            assert name in text
        assert "93,33%" in text and "46,67%" in text  # 14/15 and 7/15 of ALL members
        assert "Không đạt" in text and "Đạt: 03; không đạt: 01" in text
        assert "THƯ KÝ HỘI ĐỒNG" in text and "CHỦ TỊCH HỘI ĐỒNG" in text


def to_decision(login, plan):
    """The dossier forwarded by VTC and the ministry; the centre decides those who passed, KT.

    The law's route: the ministry's Vụ TĐKT appraises, its council (a roster of 10) votes, the
    reviewer drafts the ministry's tờ trình, the minister signs it, the centre receives and
    appraises it, and the Prime Minister decides."""
    dossier_id, ids = voted_dossier(login, plan)
    passed = [ids[0], ids[2], ids[3]]
    r = login("vtc.thutruong").post(f"/dossiers/{dossier_id}/review", json={"action": "approve", "all": True})
    assert r.status_code == 200
    r = login("bo.chuyenvien").post(f"/dossiers/{dossier_id}/review", json={"action": "approve", "all": True})
    assert r.status_code == 200 and r.get_json()["failed"] == 0, r.get_json()
    r = login("bo.hoidong").post(f"/dossiers/{dossier_id}/votes", json=votes(passed, members=10, yes=10))
    assert r.status_code == 200, r.get_json()
    r = login("bo.chuyenvien").post("/dossiers/aggregate", json={"number": "123/TTr-BKHCN", "nomination_ids": passed})
    assert r.status_code == 201, r.get_json()
    out = r.get_json()["id"]
    assert login("bo.lanhdao").post(f"/dossiers/{out}/sign").status_code == 200
    assert login("tw.chuyenvien").post(f"/dossiers/{out}/receive", json={"complete": True}).status_code == 200
    r = login("tw.chuyenvien").post(f"/dossiers/{out}/review", json={"action": "approve", "all": True})
    assert r.status_code == 200 and r.get_json()["failed"] == 0, r.get_json()
    r = login("tw.lanhdao").post("/decisions", json={**DECISION, "nomination_ids": passed})
    assert r.status_code == 201, r.get_json()
    return dossier_id, r.get_json()["id"], passed


def test_the_decision_names_its_basis_its_articles_the_signer_kt_and_its_list(login, open_plan):
    _dossier, decision_id, _ids = to_decision(login, open_plan)
    leader = login("tw.lanhdao")
    for fmt, read in (("pdf", pdf_text), ("docx", docx_text)):
        text = flat(read(get_file(leader, f"/decisions/{decision_id}/document.{fmt}", "application/")))
        assert "THỦ TƯỚNG CHÍNH PHỦ" in text and "Số: 1234/QĐ-TTg" in text and TODAY in text
        assert "QUYẾT ĐỊNH" in text and "Về việc tặng Bằng khen của Thủ tướng Chính phủ" in text
        assert "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;" in text
        assert "Xét đề nghị của Bộ Khoa học và Công nghệ tại Tờ trình số 123/TTr-BKHCN" in text
        assert "Điều 1. Tặng Bằng khen của Thủ tướng Chính phủ cho 02 cá nhân và 01 tập thể" in text
        assert "Điều 2." in text and "Điều 3." in text and "Như Điều 3;" in text
        assert "KT. THỦ TƯỚNG" in text and "PHÓ THỦ TƯỚNG" in text and "Trần Hồng Hà" in text
        assert "Kèm theo Quyết định số 1234/QĐ-TTg ngày 23 tháng 11 năm 2026 của Thủ tướng Chính phủ" in text
        for name in ("Nguyễn Thị Ánh Tuyết", "Lê Thị Hồng Nhung", COLLECTIVE):
            assert name in text
        assert "Trần Đức Lộc" not in text  # failed the council's vote
    # The unit whose people were awarded reads it too; an unrelated unit does not.
    assert login("vtc.canbo").get(f"/decisions/{decision_id}/document.pdf").status_code == 200
    assert login("baochi.canbo").get(f"/decisions/{decision_id}/document.pdf").status_code == 404


def test_certificates_one_page_per_awardee_with_the_register_number(login, open_plan):
    _dossier, decision_id, _ids = to_decision(login, open_plan)
    data = get_file(login("tw.lanhdao"), f"/decisions/{decision_id}/certificates.pdf", "application/pdf")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 3
    first = flat(unicodedata.normalize("NFC", reader.pages[0].extract_text()))
    assert "BẰNG KHEN" in first and "Nguyễn Thị Ánh Tuyết" in first
    assert "Quyết định số 1234/QĐ-TTg ngày 23 tháng 11 năm 2026" in first
    assert "Số sổ vàng: 0001/TTg" in first and "KT. THỦ TƯỚNG" in first and "Trần Hồng Hà" in first
    assert COLLECTIVE in flat(reader.pages[2].extract_text())


def test_a_signed_decision_verifies_and_a_flipped_byte_breaks_it(login, open_plan, db):
    from workflow.documents import signing
    from workflow.documents.service import trusted_roots

    _dossier, decision_id, _ids = to_decision(login, open_plan)
    assert login("tw.chuyenvien").post(f"/decisions/{decision_id}/sign").status_code == 403
    assert login("vtc.canbo").post(f"/decisions/{decision_id}/sign").status_code == 403  # sees it, may not sign
    assert login("baochi.canbo").post(f"/decisions/{decision_id}/sign").status_code == 404
    leader = login("tw.lanhdao")
    r = leader.post(f"/decisions/{decision_id}/sign")
    assert r.status_code == 201, r.get_json()
    out = r.get_json()
    assert out["signature"]["valid"] and out["signature"]["intact"] and out["signature"]["trusted"]
    # From now on the signed file is served.
    signed = get_file(leader, f"/decisions/{decision_id}/document.pdf", "application/pdf")
    assert hashlib.sha256(signed).hexdigest() == out["sha256"]
    text = flat(pdf_text(signed))
    assert "Ký bởi: Trần Hồng Hà" in text and "Cơ quan: Ban Thi đua - Khen thưởng Trung ương" in text
    with db.read() as s:
        roots = trusted_roots(s)
    check = signing.verify_pdf(signed, roots)
    assert check["valid"] and check["intact"] and check["trusted"] and check["signer"] == "Trần Hồng Hà"
    # One byte of the signed content changed: the signature no longer holds.
    tampered = bytearray(signed)
    at = signed.index(b"stream\n") + 40  # inside the first page's content, covered by the signature
    tampered[at] ^= 0x01
    broken = signing.verify_pdf(bytes(tampered), roots)
    assert broken is not None and not broken["valid"] and not broken["intact"]
    # Signing twice is refused; the audit log records the signature on the decision's chain.
    assert leader.post(f"/decisions/{decision_id}/sign").status_code == 409
    assert login("kiemtra").get("/audit/verify").get_json()["ok"] is True
    with db.read() as s:
        events = s.execute(select(AuditEvent.action, AuditEvent.payload)
                           .where(AuditEvent.chain == f"q:{decision_id}").order_by(AuditEvent.seq)).all()
    assert [a for a, _ in events] == ["decision_create", "decision_sign"]
    assert events[-1][1]["sha256"] == out["sha256"]


def test_an_upload_signed_by_an_unknown_root_shows_as_untrusted(login, open_plan, tmp_path):
    from datetime import UTC, datetime

    from workflow.documents import pdf, signing
    from workflow.documents.signing import Credential, make_certificate, to_p12

    officer = login("vtc.canbo")
    d = open_dossier(officer, open_plan)
    ca = make_certificate("CA lạ", "Không rõ", ca=True)
    key, cert = make_certificate("Người ký lạ", "Không rõ", issuer=ca)
    cred = Credential(to_p12(key, cert, [ca[1]], b"x", "lạ"), b"x", "lạ")
    paper = pdf.render("to-trinh", {"kind": "to-trinh", "heading": {
        "parent": "", "org": "ĐƠN VỊ", "number": "Số: 1/TTr", "place_date": "Hà Nội",
        "quoc_hieu": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "tieu_ngu": "Độc lập - Tự do - Hạnh phúc"},
        "title": "TỜ TRÌNH", "subject": "", "blocks": [], "signatures": [], "recipients": []})
    signed = signing.sign_pdf(paper, cred, signer="Người ký lạ", org="Không rõ")
    r = upload(officer, f"/dossiers/{d['id']}/attachments", signed, filename="to-trinh-da-ky.pdf", doc_type="to_trinh")
    assert r.status_code == 201, r.get_json()
    sig = r.get_json()["signature"]
    assert sig["valid"] and sig["intact"] and sig["trusted"] is False and sig["signer"] == "Người ký lạ"
    listed = officer.get(f"/dossiers/{d['id']}/attachments").get_json()["items"]
    assert listed[0]["signature"]["trusted"] is False
    # An unsigned file carries no signature.
    r = upload(officer, f"/dossiers/{d['id']}/attachments", paper, filename="ban-nhap.pdf", doc_type="khac")
    assert r.get_json()["signature"] is None
    assert datetime.now(UTC)  # the signature's own time is the signer's clock


def test_the_bundle_holds_every_paper_the_attachments_and_a_manifest_with_checksums(login, open_plan):
    dossier_id, ids = voted_dossier(login, open_plan)
    officer = login("vtc.canbo")
    data = get_file(officer, f"/dossiers/{dossier_id}/bundle.zip", "application/zip")
    z = zipfile.ZipFile(io.BytesIO(data))
    manifest = json.loads(z.read("manifest.json"))
    assert manifest["dossier"]["number"] == "45/TTr-VTC"
    assert [n["name"] for n in manifest["nominees"]] == PEOPLE + [COLLECTIVE]
    assert {n["award_name"] for n in manifest["nominees"]} == {"Bằng khen của Thủ tướng Chính phủ"}
    files = {f["file"]: f for f in manifest["documents"]}
    assert set(files) == {f"{k}-45-TTr-VTC.{fmt}" for k in ("to-trinh", "danh-sach", "bien-ban")
                          for fmt in ("docx", "pdf")}
    for name, f in files.items():
        assert hashlib.sha256(z.read(name)).hexdigest() == f["sha256"]
    assert "Nguyễn Thị Ánh Tuyết" in pdf_text(z.read("danh-sach-45-TTr-VTC.pdf"))


def read_pgm(data: bytes) -> tuple[int, int, bytes]:
    """(width, height, pixels) of a binary PGM (P5) as pdftoppm -gray writes it."""
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    assert fields[0] == b"P5"
    return int(fields[1]), int(fields[2]), data[pos + 1:]


def test_the_pdf_pages_render_with_their_heading_and_diacritics(login, open_plan):
    """A visual check: every paper's pages rendered to PNG by poppler's pdftoppm (kept in
    test-artifacts/papers/ for a person to look at); the pages are not blank and the heading's
    two columns are inked where ND 30/2020 puts them."""
    import shutil
    import subprocess
    from pathlib import Path

    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "poppler-utils (pdftoppm) is needed for the visual check; .ci/run installs it"
    _dossier, decision_id, _ids = to_decision(login, open_plan)
    leader, officer = login("tw.lanhdao"), login("vtc.canbo")
    out = Path("test-artifacts/papers")
    out.mkdir(parents=True, exist_ok=True)
    papers = {"to-trinh": officer.get(f"/dossiers/{_dossier}/documents/to-trinh.pdf").data,
              "danh-sach": officer.get(f"/dossiers/{_dossier}/documents/danh-sach.pdf").data,
              "bien-ban": officer.get(f"/dossiers/{_dossier}/documents/bien-ban.pdf").data,
              "quyet-dinh": leader.get(f"/decisions/{decision_id}/document.pdf").data,
              "bang-khen": leader.get(f"/decisions/{decision_id}/certificates.pdf").data}
    assert leader.post(f"/decisions/{decision_id}/sign").status_code == 201
    papers["quyet-dinh-da-ky"] = leader.get(f"/decisions/{decision_id}/document.pdf").data
    for name, data in papers.items():
        (out / f"{name}.pdf").write_bytes(data)
        subprocess.run([pdftoppm, "-r", "50", "-png", str(out / f"{name}.pdf"), str(out / name)], check=True)
        pages = sorted(p for p in out.glob(f"{name}-*.png") if p.stem[len(name) + 1:].isdigit())
        assert len(pages) == len(PdfReader(io.BytesIO(data)).pages)
        subprocess.run([pdftoppm, "-r", "50", "-gray", "-f", "1", "-l", "1", "-singlefile",
                        str(out / f"{name}.pdf"), str(out / name)], check=True)
        w, h, pixels = read_pgm((out / f"{name}.pgm").read_bytes())
        top = [pixels[y * w:(y + 1) * w] for y in range(h // 5)]
        assert min(min(row) for row in top) < 100, f"{name}: nothing printed at the top of the first page"
        if name != "bang-khen":
            assert min(min(row[: w // 2]) for row in top) < 100, f"{name}: the issuer's column is empty"
            assert min(min(row[w // 2:]) for row in top) < 100, f"{name}: the national heading is missing"


def test_the_excel_list_names_each_award_beside_its_code(login, open_plan):
    from openpyxl import load_workbook

    officer = login("vtc.canbo")
    d = open_dossier(officer, open_plan)
    add_people(officer, d["id"], PEOPLE[:1])
    ws = load_workbook(io.BytesIO(officer.get(f"/dossiers/{d['id']}/export.xlsx").data)).active
    header = [c.value for c in ws[5]]
    row = dict(zip(header, [c.value for c in ws[6]]))
    assert row["Tên hình thức khen thưởng"] == "Bằng khen của Thủ tướng Chính phủ"
    assert row["Mã hình thức khen thưởng"] == "bang_khen_thu_tuong"  # kept: the import reads it back


def test_a_decision_signed_later_by_a_token_is_kept_when_its_root_is_trusted(login, open_plan):
    from workflow.documents import signing
    from workflow.documents.signing import Credential, make_certificate, pem, to_p12

    _dossier, decision_id, _ids = to_decision(login, open_plan)
    leader = login("tw.lanhdao")
    prepared = get_file(leader, f"/decisions/{decision_id}/document.pdf", "application/pdf")
    assert prepared == leader.get(f"/decisions/{decision_id}/document.pdf").data  # the same bytes each time
    ca = make_certificate("CA chuyên dùng Chính phủ (thử)", "Ban Cơ yếu", ca=True)
    key, cert = make_certificate("Trần Hồng Hà", "Văn phòng Chính phủ", issuer=ca)
    token = Credential(to_p12(key, cert, [ca[1]], b"pin", "token"), b"pin", "token")
    signed = signing.sign_pdf(prepared, token, signer="Trần Hồng Hà", org="Văn phòng Chính phủ")

    def post(data, name="qd-da-ky.pdf"):
        return leader.client.post(f"/api/v1/decisions/{decision_id}/sign", headers=leader.headers,
                                  content_type="multipart/form-data", data={"file": (io.BytesIO(data), name)})

    r = post(signed)  # its root is not trusted yet
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "file"
    r = login("admin").post("/trust-roots", json={"pem": pem(ca[1]), "name": "CA chuyên dùng Chính phủ (thử)"})
    assert r.status_code == 201, r.get_json()
    submission = login("vtc.canbo").get(f"/dossiers/{_dossier}/documents/to-trinh.pdf").data
    other = signing.sign_pdf(submission, token, signer="Trần Hồng Hà", org="VPCP")
    assert post(other).status_code == 422  # not the prepared decision
    r = post(signed)
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["signature"]["trusted"] and r.get_json()["signer"] == "Trần Hồng Hà"
    assert get_file(leader, f"/decisions/{decision_id}/document.pdf", "application/pdf") == signed


def test_an_office_prints_on_its_own_letterhead_by_replacing_a_template(login, open_plan, tmp_path):
    """`<instance>/papers/nd30.typ` (every paper's layout) and `<kind>.docx` (a Word base
    document) replace the package's: the office's letterhead appears, the data stays."""
    from workflow.documents.pdf import TEMPLATES

    papers = tmp_path / "instance" / "papers"
    papers.mkdir(parents=True)
    layout = (TEMPLATES / "nd30.typ").read_text(encoding="utf-8")
    (papers / "nd30.typ").write_text(layout.replace("  heading-block(d.heading)\n",
                                                    "  [ĐÀI TRUYỀN HÌNH KỸ THUẬT SỐ VTC — LETTERHEAD]\n"
                                                    "  heading-block(d.heading)\n", 1), encoding="utf-8")
    base = Document()
    base.sections[0].header.paragraphs[0].text = "Tiêu đề riêng của VTC"
    base.add_paragraph("nội dung mẫu sẽ được thay")
    base.save(papers / "to-trinh.docx")

    officer = login("vtc.canbo")
    d = open_dossier(officer, open_plan)
    add_people(officer, d["id"], PEOPLE[:1])
    text = flat(pdf_text(get_file(officer, f"/dossiers/{d['id']}/documents/to-trinh.pdf", "application/pdf")))
    assert "LETTERHEAD" in text and "Số: 45/TTr-VTC" in text and PEOPLE[0] not in text  # the list is separate
    listing = flat(pdf_text(get_file(officer, f"/dossiers/{d['id']}/documents/danh-sach.pdf", "application/pdf")))
    assert "LETTERHEAD" in listing and PEOPLE[0] in listing
    doc = Document(io.BytesIO(get_file(officer, f"/dossiers/{d['id']}/documents/to-trinh.docx", "application/")))
    assert doc.sections[0].header.paragraphs[0].text == "Tiêu đề riêng của VTC"
    body = docx_text(doc_bytes := get_file(officer, f"/dossiers/{d['id']}/documents/to-trinh.docx", "application/"))
    assert "TỜ TRÌNH" in body and "nội dung mẫu" not in body and len(doc_bytes) > 0
