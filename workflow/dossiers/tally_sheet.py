"""The council's tally sheet (biên bản kiểm phiếu) for a list waiting at its council (issue 19).

The secretary downloads the sheet: the council's members and attendance at the top, then one row
per nominee waiting for this council's vote (id, name, unit, award, threshold) with two columns
to fill, "Số phiếu đồng ý" and "Số phiếu không đồng ý". The filled sheet is read within the
bounds of the dossier list import (excel.read_bounded: size, zip bomb, DTD, formulas, rows, CPU
time) and checked like the tally form — the meeting's quorum once, in words ("cần ít nhất 6/9
thành viên có mặt", ND 98/2023 Art. 30(7): two thirds of the members, written votes included),
every nominee of the list once, names as on the list, counts whole numbers with đồng ý +
không đồng ý ≤ có mặt — every error by row and column. What it yields is the body of
`review.record_council_votes` (one command), checked first by `review.check_council_votes`.
"""
import io
import unicodedata
from datetime import datetime
from fractions import Fraction

from workflow import pages
from workflow.catalogue.awards import fraction, members_needed, quorum_met
from workflow.kernel.db import Database
from workflow.dossiers.excel import ExcelError, bounded_rows, read_bounded, safe_value
from workflow.errors import InvalidInput
from workflow.text import name_key

SHEET = "Kiểm phiếu"
MEMBERS, PRESENT, WRITTEN = "Tổng số thành viên Hội đồng", "Số có mặt (kể cả phiếu bằng văn bản)", \
    "Trong đó phiếu bằng văn bản"
HEADERS = ("STT", "Mã hồ sơ", "Họ và tên / Tập thể", "Đơn vị", "Hình thức khen thưởng", "Ngưỡng đạt",
           "Số phiếu đồng ý", "Số phiếu không đồng ý")
YES, NO = HEADERS[6], HEADERS[7]
MAX_TALLY_ROWS = 5000
MAX_COUNT = 1000
DEFAULT_QUORUM = Fraction(2, 3)


def _voting(db: Database, actor_id: int, dossier_id: int, now: datetime):
    page = pages.dossier_page(db, actor_id, dossier_id, now=now)
    rows = [r for r in page.view.nominations or [] if "vote" in page.commands.get(r["id"], [])]
    if not rows:
        raise InvalidInput(f"Không có ai trong tờ trình {page.view.number} chờ Hội đồng của bạn bỏ phiếu",
                           f"Nobody on dossier {page.view.number} waits for your council's vote", field="file")
    return page, rows


def _threshold_text(award: dict) -> str:
    t = award.get("vote_threshold") or 0
    return "quá nửa tổng số thành viên" if t <= 0.5 else f"≥ {round(t * 100)}% tổng số thành viên"


def _quorum(page, rows) -> Fraction:
    shares = {fraction(page.awards.get(r["award_type"], {}).get("quorum") or DEFAULT_QUORUM) for r in rows}
    return max(shares) if shares else DEFAULT_QUORUM


def tally_sheet(db: Database, actor_id: int, dossier_id: int, *, now: datetime) -> tuple[str, bytes]:
    """(file name, xlsx) of the tally sheet for the rows waiting at the caller's council."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    page, rows = _voting(db, actor_id, dossier_id, now)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws["A1"] = "BIÊN BẢN KIỂM PHIẾU"
    ws["A1"].font = Font(bold=True, size=14)
    safe_value(ws["A2"], f"Tờ trình số {page.view.number}")
    council = page.view.council or {}
    ws["A4"], ws["A5"], ws["A6"] = MEMBERS, PRESENT, WRITTEN
    if council.get("size"):
        ws["C4"] = council["size"]
    ws["D4"] = "(theo danh sách Hội đồng)" if council.get("roster") else ""
    ws["D5"] = "phiên họp cần ít nhất hai phần ba tổng số thành viên có mặt"
    for col, text in enumerate(HEADERS, start=1):
        cell = ws.cell(row=8, column=col, value=text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for i, r in enumerate(rows, start=1):
        award = page.awards.get(r["award_type"], {})
        values: tuple[object, ...] = (i, r["id"], r["nominee"]["name"], (r.get("unit") or {}).get("name") or "",
                  award.get("name_vi") or r["award_type"], _threshold_text(award))
        for col, value in enumerate(values, start=1):
            safe_value(ws.cell(row=8 + i, column=col), value)
    for letter, width in zip("ABCDEFGH", (6, 10, 32, 36, 40, 26, 14, 16)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A9"
    out = io.BytesIO()
    wb.save(out)
    slug = "".join(c if c.isalnum() else "-" for c in unicodedata.normalize("NFKD", page.view.number)
                   if not unicodedata.combining(c))
    return f"kiem-phieu-{slug}.xlsx", out.getvalue()


def _count(value, row: int, column: str, errors: list) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        errors.append(_err(row, column, "Chưa nhập số phiếu", "No count entered"))
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 7:
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_COUNT:
        errors.append(_err(row, column, "Phải là số nguyên không âm", "Must be a whole number, 0 or more"))
        return None
    return value


def _err(row: int | str, column: str, vi: str, en: str) -> dict:
    return {"row": row, "column": column, "message": vi, "message_en": en}


def _read(ws) -> dict:
    """Top fields and rows of the sheet, cells as values; a formula is an error where it is."""
    top: dict[str, object] = {}
    rows: list[tuple[int, dict]] = []
    errors: list[dict] = []
    header: dict[int, str] | None = None
    for number, cells in bounded_rows(ws, max_col=len(HEADERS) + 4):
        texts = [c.value for c in cells]
        formula = next((i for i, c in enumerate(cells) if c.data_type == "f"), None)
        if header is None:
            label = texts[0].strip() if texts and isinstance(texts[0], str) else None
            if label in (MEMBERS, PRESENT, WRITTEN):
                if formula is not None:
                    errors.append(_err(number, label, "Ô chứa công thức; hãy nhập giá trị",
                                       "The cell holds a formula; enter the value itself"))
                top[label] = next((t for t in texts[1:] if t not in (None, "")), None)
            elif label == HEADERS[0] and YES in texts and NO in texts:
                header = {i: t for i, t in enumerate(texts) if t in HEADERS}
            continue
        values = {header[i]: texts[i] for i in header if i < len(texts)}
        if all(v in (None, "") for k, v in values.items() if k != HEADERS[0]):
            continue
        if formula is not None:
            errors.append(_err(number, header.get(formula, ""), "Ô chứa công thức; hãy nhập giá trị",
                               "The cell holds a formula; enter the value itself"))
            continue
        if len(rows) >= MAX_TALLY_ROWS:
            raise ExcelError(f"Bảng kiểm phiếu quá {MAX_TALLY_ROWS} dòng",
                             f"The tally sheet has more than {MAX_TALLY_ROWS} rows")
        rows.append((number, values))
    if header is None:
        raise ExcelError("Không tìm thấy dòng tiêu đề của bảng kiểm phiếu (cột 'Số phiếu đồng ý'); hãy dùng mẫu tải về",
                         "No header row of the tally sheet found; use the downloaded sheet")
    return {"top": top, "rows": rows, "errors": errors}


def read_tally_sheet(db: Database, actor_id: int, dossier_id: int, data: bytes, *, now: datetime) -> dict:
    """The tally body of a filled sheet, or InvalidInput with every error (`details`: row,
    column, message) and nothing recorded."""
    page, voting = _voting(db, actor_id, dossier_id, now)
    try:
        sheet = read_bounded(data, lambda wb: _read(wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]))
    except ExcelError as e:
        raise InvalidInput(e.message_vi, e.message_en, field="file") from None
    errors: list[dict] = list(sheet["errors"])
    council = page.view.council or {}
    members = _count(sheet["top"].get(MEMBERS), 4, MEMBERS, errors) if MEMBERS in sheet["top"] else None
    if council.get("roster") and members is not None and members != council.get("size"):
        errors.append(_err(4, MEMBERS, f"Hội đồng có {council['size']} thành viên theo danh sách, không phải {members}",
                           f"The council's roster has {council['size']} members, not {members}"))
    members = members or council.get("size")
    present = _count(sheet["top"].get(PRESENT), 5, PRESENT, errors)
    written = sheet["top"].get(WRITTEN)
    written = _count(written, 6, WRITTEN, errors) if written not in (None, "") else None
    if members is None:
        errors.append(_err(4, MEMBERS, "Chưa nhập tổng số thành viên Hội đồng", "The number of members is missing"))
    elif present is not None:
        quorum = _quorum(page, voting)
        if present > members:
            errors.append(_err(5, PRESENT, f"Số có mặt ({present}) lớn hơn tổng số thành viên ({members})",
                               f"Present ({present}) exceeds the members ({members})"))
        elif not quorum_met(present, members, quorum):
            need = members_needed(members, quorum)
            errors.append(_err(5, PRESENT, f"Không đủ số thành viên tham dự: cần ít nhất {need}/{members} thành viên "
                                           f"có mặt, mới có {present}",
                               f"No quorum: at least {need}/{members} members must be present, {present} were"))
    if written is not None and present is not None and written > present:
        errors.append(_err(6, WRITTEN, "Số phiếu bằng văn bản lớn hơn số có mặt", "More written votes than present"))

    expected = {r["id"]: r for r in voting}
    seen: dict[int, int] = {}
    results = []
    for number, values in sheet["rows"]:
        raw_id = values.get(HEADERS[1])
        nid = int(raw_id) if isinstance(raw_id, (int, float)) and float(raw_id).is_integer() else \
            int(raw_id.strip()) if isinstance(raw_id, str) and raw_id.strip().isdigit() and len(raw_id) < 19 else None
        if nid is None or nid not in expected:
            errors.append(_err(number, HEADERS[1], "Mã hồ sơ không có trong danh sách chờ bỏ phiếu",
                               "This id is not on the list waiting for the vote"))
            continue
        if nid in seen:
            errors.append(_err(number, HEADERS[1], f"Hồ sơ #{nid} đã có ở dòng {seen[nid]}",
                               f"Nomination #{nid} is already on row {seen[nid]}"))
            continue
        seen[nid] = number
        name = values.get(HEADERS[2])
        if not isinstance(name, str) or name_key(name) != name_key(expected[nid]["nominee"]["name"]):
            errors.append(_err(number, HEADERS[2], f"Tên không khớp danh sách: “{expected[nid]['nominee']['name']}”",
                               f"The name does not match the list: “{expected[nid]['nominee']['name']}”"))
        yes = _count(values.get(YES), number, YES, errors)
        no = _count(values.get(NO), number, NO, errors)
        if yes is not None and no is not None and present is not None and yes + no > present:
            errors.append(_err(number, NO, f"Đồng ý + không đồng ý ({yes + no}) lớn hơn số có mặt ({present})",
                               f"Yes + no ({yes + no}) exceed those present ({present})"))
        results.append({"nomination_id": nid, "yes": yes, "no": no})
    for nid, r in expected.items():
        if nid not in seen:
            errors.append(_err("—", HEADERS[2], f"Thiếu dòng của {r['nominee']['name']} (#{nid})",
                               f"The row of {r['nominee']['name']} (#{nid}) is missing"))
    if errors:
        raise InvalidInput(f"Bảng kiểm phiếu có {len(errors)} lỗi; chưa ghi kết quả nào",
                           f"The tally sheet has {len(errors)} error(s); nothing was recorded",
                           field="file", details=errors)
    body = {"version": page.view.version, "present": present, "written": written, "results": results}
    if not council.get("roster"):
        body["members"] = members
    return body
