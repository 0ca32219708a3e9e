"""The Excel list of a dossier (danh sách đề nghị khen thưởng): template, reading, export.

Pure openpyxl, no database: the import service checks the values against the catalogue.
Headers are Vietnamese and matched by text, so a sheet exported here reads back in. Cells we
write are never formulas (a value starting with =, +, - or @ stays text), and cells we read
must not be formulas either: an import takes what the officer can see, not what Excel computes.
"""
import io
import time
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar


T = TypeVar("T")
LIST_SHEET = "Danh sách đề nghị khen thưởng"
AWARDS_SHEET = "Hình thức khen thưởng"
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024   # a zip bomb unpacks to far more than this
MAX_ROWS = 5000
# Bounds on the work one upload may cause, counted on the rows and cells really read (a stale
# or forged <dimension> neither hides rows nor makes us walk a million empty ones).
MAX_COLUMNS = 40            # the template has a dozen; cells further right are not read
MAX_SHEET_ROWS = 20_000     # rows walked, empty ones included
MAX_SECONDS = 10.0          # CPU time one sheet may take
PROLOGUE_BYTES = 4096       # a DOCTYPE can only come before the root element
HEADER_SCAN_ROWS = 15
KIND_LABELS = {"individual": "Cá nhân", "collective": "Tập thể"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int
    required: bool = False
    aliases: tuple[str, ...] = ()


COLUMNS = (
    Column("stt", "STT", 6),
    Column("name", "Họ và tên / Tên tập thể", 32, True, ("Họ và tên", "Họ tên", "Tên tập thể")),
    Column("title", "Chức vụ, chức danh", 28, False, ("Chức vụ", "Chức danh")),
    Column("unit", "Đơn vị", 34, False, ("Đơn vị công tác",)),
    Column("kind", "Cá nhân / Tập thể", 14, True, ("Đối tượng",)),
    Column("award_type", "Mã hình thức khen thưởng", 30, True, ("Hình thức khen thưởng", "Mã hình thức")),
    Column("achievements", "Tóm tắt thành tích", 70, True, ("Thành tích",)),
    # Optional identity of an individual (workflow/people): the register links or creates the record.
    Column("birth_date", "Ngày sinh", 12, False, ("Ngày tháng năm sinh",)),
    Column("gender", "Giới tính", 10),
    Column("id_number", "Số định danh (CCCD)", 18, False, ("Số CCCD", "CCCD", "Số định danh")),
)
HEADERS = {c.key: c.header for c in COLUMNS}
IDENTITY_KEYS = ("birth_date", "gender", "id_number")  # after the state columns in an export


class ExcelError(Exception):
    """The file cannot be read as the expected list; messages in Vietnamese and English."""

    def __init__(self, message_vi: str, message_en: str):
        super().__init__(message_en)
        self.message_vi, self.message_en = message_vi, message_en


@dataclass
class SheetRow:
    row: int                       # the row number as Excel shows it
    values: dict[str, str | None]  # column key → text


@dataclass
class Sheet:
    rows: list[SheetRow]
    errors: list[dict] = field(default_factory=list)  # {"row", "column", "message", "message_en"}


def header_key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


_BY_HEADER = {header_key(name): c.key for c in COLUMNS for name in (c.header, *c.aliases)}


def safe_value(cell, value) -> None:
    """Write `value` as data: text that looks like a formula stays text (quote prefix)."""
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True


# --- reading -------------------------------------------------------------------------------

def _check_package(data: bytes) -> None:
    if len(data) > MAX_FILE_BYTES:
        raise ExcelError(f"Tệp lớn quá {MAX_FILE_BYTES // (1024 * 1024)} MB",
                         f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = z.namelist()
            unpacked = sum(i.file_size for i in z.infolist())
    except zipfile.BadZipFile:
        raise ExcelError("Tệp không phải bảng tính Excel (.xlsx)",
                         "The file is not an Excel workbook (.xlsx)") from None
    if "xl/workbook.xml" not in names:
        raise ExcelError("Tệp không phải bảng tính Excel (.xlsx)", "The file is not an Excel workbook (.xlsx)")
    if unpacked > MAX_UNPACKED_BYTES:
        raise ExcelError("Bảng tính quá lớn khi giải nén", "The workbook unpacks to too much data")
    _refuse_dtd(data, names)


def _refuse_dtd(data: bytes, names: list[str]) -> None:
    """No XML part of a workbook has a reason to declare a DTD; one that does (entity
    expansion, external entities) is refused before any parser sees it."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in names:
            if not name.endswith((".xml", ".rels", ".vml")):
                continue
            try:
                with z.open(name) as part:
                    head = part.read(PROLOGUE_BYTES)
            except Exception:
                raise ExcelError("Không đọc được bảng tính", "The workbook cannot be read") from None
            if b"<!doctype" in head.lower() or b"<!entity" in head.lower():
                raise ExcelError("Bảng tính chứa khai báo DTD, không được chấp nhận",
                                 "The workbook declares a DTD, which is not accepted")


def _cell_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value)


def _header_map(cells) -> dict[int, str] | None:
    """Column index → key when `cells` is the header row, else None."""
    found = {}
    for i, cell in enumerate(cells):
        if isinstance(cell.value, str) and header_key(cell.value) in _BY_HEADER:
            found.setdefault(i, _BY_HEADER[header_key(cell.value)])
    return found if {"name", "award_type"} <= set(found.values()) else None


def _pick_sheet(wb):
    return wb[LIST_SHEET] if LIST_SHEET in wb.sheetnames else wb.worksheets[0]


def read_list(data: bytes, *, max_rows: int = MAX_ROWS) -> Sheet:
    """The non-empty rows under the header, as text by column key; formulas are row errors."""
    return read_bounded(data, lambda wb: _read_sheet(_pick_sheet(wb), max_rows))


def read_bounded(data: bytes, read: Callable[[Any], T]) -> T:
    """`read(workbook)` on an uploaded workbook, within the bounds (size, unpacked size, no DTD,
    read-only, formulas kept as formulas): a hostile or damaged file is an ExcelError, never a
    500. The dossier list and the council's tally sheet (tally_sheet.py) are read through here."""
    _check_package(data)
    from openpyxl import load_workbook  # on first use: see _styles
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a damaged package
        raise ExcelError("Không đọc được bảng tính", "The workbook cannot be read") from None
    try:
        return read(wb)
    except ExcelError:
        raise
    except Exception:  # a malformed part met while reading rows: refused, never a 500
        raise ExcelError("Không đọc được bảng tính (tệp hỏng)", "The workbook cannot be read (damaged)") from None
    finally:
        wb.close()


def bounded_rows(ws, max_col: int = MAX_COLUMNS) -> Iterator[tuple[int, tuple]]:
    """(row number, cells) of a read-only sheet: every row in the file, whatever <dimension>
    claims, at most MAX_SHEET_ROWS of them and MAX_SECONDS of CPU time."""
    ws.reset_dimensions()
    started = time.process_time()
    for number, cells in enumerate(ws.iter_rows(max_col=max_col), start=1):
        if number > MAX_SHEET_ROWS:
            raise _too_big(f"quá {MAX_SHEET_ROWS:,} dòng (kể cả dòng trống)",
                           f"more than {MAX_SHEET_ROWS:,} rows (empty ones included)")
        if number % 256 == 0 and time.process_time() - started > MAX_SECONDS:
            raise _too_big(f"đọc quá {MAX_SECONDS:.0f} giây", f"reading took more than {MAX_SECONDS:.0f} seconds")
        yield number, cells


def _too_big(vi: str, en: str) -> ExcelError:
    return ExcelError(f"Bảng tính quá lớn hoặc quá phức tạp: {vi}; hãy dùng mẫu và chia nhỏ danh sách",
                      f"The workbook is too big or too complex: {en}; use the template and split the list")


def _read_sheet(ws, max_rows: int) -> Sheet:
    columns, sheet = None, Sheet([])
    for number, cells in bounded_rows(ws):
        if columns is None:
            columns = _header_map(cells)
            if columns is None and number >= HEADER_SCAN_ROWS:
                break
            if columns is not None:
                missing = [HEADERS[c.key] for c in COLUMNS if c.required and c.key not in columns.values()]
                if missing:
                    raise ExcelError(f"Thiếu cột: {', '.join(missing)}", f"Missing columns: {', '.join(missing)}")
            continue
        row = _read_row(number, cells, columns, sheet.errors)
        if row is not None:
            if len(sheet.rows) >= max_rows:
                raise ExcelError(f"Danh sách quá {max_rows} dòng", f"The list has more than {max_rows} rows")
            sheet.rows.append(row)
    if columns is None:
        raise ExcelError(f"Không tìm thấy dòng tiêu đề (cột '{HEADERS['name']}', '{HEADERS['award_type']}')",
                         "No header row found; use the template")
    return sheet


def _read_row(number: int, cells, columns: dict[int, str], errors: list) -> SheetRow | None:
    values: dict[str, str | None] = {}
    for i, key in columns.items():
        if i >= len(cells) or key == "stt":
            continue
        cell = cells[i]
        if cell.data_type == "f":
            errors.append({"row": number, "column": HEADERS[key], "field": key,
                           "message": "Ô chứa công thức; hãy nhập giá trị",
                           "message_en": "The cell holds a formula; enter the value itself"})
            values[key] = None
            continue
        text = _cell_text(cell.value)
        values[key] = text if text is not None and text.strip() else None
    if not any(values.values()) and not any(e["row"] == number for e in errors):
        return None
    return SheetRow(number, values)


# --- writing -------------------------------------------------------------------------------

def _styles():
    """openpyxl is imported on the first spreadsheet, not with the module: it is ~13 MB that
    a server which never makes one should not carry (the `serve` memory target)."""
    from openpyxl.styles import Alignment, Font, PatternFill
    return Font(bold=True), PatternFill("solid", fgColor="DDEBF7"), Alignment(wrap_text=True, vertical="top")


def _write_header(ws, row: int, headers: list[str], widths: list[int]) -> None:
    from openpyxl.utils import get_column_letter
    font, fill, wrap = _styles()
    for i, (text, width) in enumerate(zip(headers, widths), start=1):
        cell = ws.cell(row=row, column=i)
        safe_value(cell, text)
        cell.font, cell.fill, cell.alignment = font, fill, wrap
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = ws.cell(row=row + 1, column=1)


def template(awards: list[dict], *, rows: int = MAX_ROWS) -> bytes:
    """The empty list with its header, a kind drop-down and a sheet of award codes.

    `awards`: [{"code", "name_vi", "subject", "deciding_level"}].
    """
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation
    wb = Workbook()
    ws = wb.active
    ws.title = LIST_SHEET
    _write_header(ws, 1, [c.header for c in COLUMNS], [c.width for c in COLUMNS])
    col = {c.key: get_column_letter(i) for i, c in enumerate(COLUMNS, start=1)}
    kinds = DataValidation(type="list", formula1='"Cá nhân,Tập thể"', allow_blank=True)
    kinds.error, kinds.errorTitle = "Chọn Cá nhân hoặc Tập thể", "Cá nhân / Tập thể"
    ws.add_data_validation(kinds)
    kinds.add(f"{col['kind']}2:{col['kind']}{rows + 1}")
    codes = wb.create_sheet(AWARDS_SHEET)
    _write_header(codes, 1, ["Mã", "Tên hình thức khen thưởng", "Đối tượng", "Cấp quyết định"], [30, 60, 14, 16])
    subjects = {"individual": "Cá nhân", "collective": "Tập thể", "both": "Cá nhân, tập thể"}
    for r, a in enumerate(awards, start=2):
        for c, value in enumerate((a["code"], a["name_vi"], subjects.get(a["subject"], a["subject"]),
                                   a["deciding_level"]), start=1):
            safe_value(codes.cell(row=r, column=c), value)
    if awards:
        listed = DataValidation(type="list", allow_blank=True,
                                formula1=f"'{AWARDS_SHEET}'!$A$2:$A${len(awards) + 1}")
        ws.add_data_validation(listed)
        listed.add(f"{col['award_type']}2:{col['award_type']}{rows + 1}")
    return _save(wb)


EXPORT_EXTRA = (("state", "Trạng thái", 22), ("decision", "Số quyết định", 20),
                ("award_name", "Tên hình thức khen thưởng", 40))  # the name beside the code import reads


def export(info: dict, rows: list[dict]) -> bytes:
    """The dossier's list as "Danh sách đề nghị khen thưởng", with its number and states.

    `info`: {"number", "org", "plan", "state"}; `rows`: dicts keyed by column key plus
    "state" and "decision".
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    wb = Workbook()
    ws = wb.active
    ws.title = LIST_SHEET
    safe_value(ws.cell(row=1, column=1), "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG")
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    safe_value(ws.cell(row=2, column=1), f"(Kèm theo Tờ trình số {info['number']} của {info['org']})")
    safe_value(ws.cell(row=3, column=1), f"Kế hoạch: {info['plan']}. Trạng thái hồ sơ: {info['state']}")
    listed = [c for c in COLUMNS if c.key not in IDENTITY_KEYS] + [Column(k, h, w) for k, h, w in EXPORT_EXTRA] \
        + [c for c in COLUMNS if c.key in IDENTITY_KEYS]
    keys = [c.key for c in listed]
    _write_header(ws, 5, [c.header for c in listed], [c.width for c in listed])
    for r, row in enumerate(rows, start=6):
        for c, key in enumerate(keys, start=1):
            cell = ws.cell(row=r, column=c)
            safe_value(cell, r - 5 if key == "stt" else row.get(key))
            if key == "achievements":
                cell.alignment = _styles()[2]
    return _save(wb)


def _save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
