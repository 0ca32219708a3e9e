"""POST /api/v1/plans/import: an officer pastes or uploads a plan's text and gets a proposal to
correct before saving; nothing is saved, and bad input is refused with a message that says why."""
import io
from pathlib import Path

from docx import Document
from sqlalchemy import func, select

from workflow.models import AuditEvent, Plan

SEEDS = Path(__file__).resolve().parents[2] / "workflow" / "demo" / "seeds"


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def counts(db) -> tuple[int, int]:
    with db.read() as s:
        return (s.execute(select(func.count()).select_from(Plan)).scalar_one(),
                s.execute(select(func.count()).select_from(AuditEvent)).scalar_one())


def upload(api, data: bytes, name: str, lang: str = "vi"):
    return api.client.post(f"/api/v1/plans/import?lang={lang}", data={"file": (io.BytesIO(data), name)},
                           headers=api.headers, content_type="multipart/form-data")


def test_pasted_seed_003_comes_back_as_a_proposal_and_nothing_is_saved(login, db):
    officer = login("bo.chuyenvien")
    before = counts(db)
    r = officer.post("/plans/import", json={"text": seed("003")})
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert set(body) == {"plan", "warnings"}
    ends = [(m["text"], m["periods"][-1]["end"]) for m in body["plan"]["milestones"]]
    assert ("trước quý II năm 2015", "2015-03-31") in ends and ("trước tháng 8 năm 2014", "2014-07-31") in ends
    assert all({"line", "text", "message", "message_en"} <= set(w) for w in body["warnings"])
    assert counts(db) == before


def test_a_txt_file_and_a_word_file_are_read_like_pasted_text(login):
    officer = login("tinh.chuyenvien")
    r = upload(officer, seed("004").encode("utf-8"), "ke-hoach-186.txt")
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["plan"]["number"] == "186/KH-UBND"

    doc = Document()
    heading = doc.add_table(rows=2, cols=2)
    heading.cell(0, 0).text, heading.cell(0, 1).text = "ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN", \
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    heading.cell(1, 0).text, heading.cell(1, 1).text = "Số: 12/KH-UBND", "Thái Nguyên, ngày 03 tháng 02 năm 2026"
    for line in ("KẾ HOẠCH", "Thi đua, khen thưởng năm 2026", "",
                 "I. TỔ CHỨC THỰC HIỆN", "Các sở, ban, ngành gửi báo cáo về Sở Nội vụ trước ngày 15/11/2026."):
        doc.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    r = upload(officer, buf.getvalue(), "ke-hoach.docx")
    assert r.status_code == 200, r.get_json()
    plan = r.get_json()["plan"]
    assert (plan["issuer"], plan["number"], plan["issued_on"]) == ("ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN", "12/KH-UBND",
                                                                   "2026-02-03")
    assert [(m["text"], m["purpose"]) for m in plan["milestones"]] == [("trước ngày 15/11/2026", "report")]


def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_saved(login, db):
    officer = login("bo.chuyenvien")
    before = counts(db)
    cases = [
        (officer.post("/plans/import?lang=en", json={"text": "  \n\t "}), "text", "empty"),
        (upload(officer, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "ke-hoach.txt", "en"), "file", "PDF"),
        (upload(officer, b"PK\x03\x04\x14\x00\x00\x00", "ke-hoach.txt", "en"), "file", "ZIP"),
        (upload(officer, b"\x00\x01\x02binary\x00", "ke-hoach.txt", "en"), "file", "binary"),
        (upload(officer, b"K\xea ho\xe1ch n\xe3m 2025", "ke-hoach.txt", "en"), "file", "UTF-8"),
        (upload(officer, b"ke hoach " * (600 * 1024), "ke-hoach.txt", "en"), "file", "5 MB"),
        (officer.post("/plans/import?lang=en", json={"text": "Kế hoạch " * (600 * 1024)}), "text", "5 MB"),
        (officer.post("/plans/import?lang=en", json={"text": "KẾ HOẠCH\nTuyên truyền\n\nCác đơn vị thực hiện tốt."}),
         "text", "No date"),
        (upload(officer, b"PK\x03\x04 not really a word file", "ke-hoach.docx", "en"), "file", "damaged"),
    ]
    for r, field, words in cases:
        assert r.status_code == 422, (words, r.status_code)
        error = r.get_json()["error"]
        assert error["field"] == field and words in error["message"], error
    # The same refusals in Vietnamese, the default.
    r = upload(officer, b"%PDF-1.7\n", "ke-hoach.txt")
    assert r.status_code == 422 and "không phải văn bản thuần" in r.get_json()["error"]["message"]
    r = officer.post("/plans/import", json={"text": ""})
    assert r.status_code == 422 and "Văn bản trống" in r.get_json()["error"]["message"]
    assert counts(db) == before


def test_only_who_may_create_plans_may_ask_for_a_proposal(login, client):
    assert login("vtc.canbo").post("/plans/import", json={"text": seed("001")}).status_code == 403
    assert client.post("/api/v1/plans/import", json={"text": seed("001")}).status_code == 401
