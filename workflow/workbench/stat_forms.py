"""The yearly statistics on the forms of the circular (Biểu 0601–0605.N/BNV-TĐKT).

Source and what is confirmed (docs/api.md, "The statistics forms", says the same to users):
- Thông tư 02/2023/TT-BNV of 23/3/2023 (chế độ báo cáo thống kê ngành Nội vụ, in force from
  10/5/2023) has forms for the thi đua, khen thưởng field; its annual TĐKT period runs from 01/12
  of the year before to 30/11 of the reporting year (summary published by Sở Nội vụ Hưng Yên), and
  the forms are received on 15 December. Thông tư 18/2025/TT-BNV of 08/10/2025 regulates the same
  regime anew (luatvietnam.vn lists it); its text and forms were NOT read: cần đối chiếu.
- The five form codes and titles, and the rows and columns of 0601, 0602 and 0603, follow the
  implementing software lifephongphanmem/thiduakhenthuong (resources/views/BaoCao/TT022023/,
  "Ban hành theo Thông tư số 02/2023/TT-BNV ngày 23/3/2023"), not the circular's own text:
  0601.N Số phong trào thi đua; 0602.N Số lượng khen thưởng cấp Nhà nước; 0603.N Số lượng khen
  thưởng cấp bộ, ban, ngành, đoàn thể Trung ương và tỉnh, thành phố trực thuộc Trung ương;
  0604.N Số lượng tổ chức làm công tác thi đua, khen thưởng; 0605.N Số lượng công chức làm công
  tác thi đua, khen thưởng. Their layout here is "theo mẫu …, cần đối chiếu".
- Modelled here: which award of the catalogue goes in which column; the method of commendation
  (phương thức) read from the award's loại hình and the plan's kind; the grouping of Huân chương,
  Huy chương and danh hiệu vinh dự Nhà nước (one column per form present in the period, as the
  form says "mỗi hình thức khen thưởng ghi riêng một cột"); a supplementary sheet of the other
  awards, which is the product's, not the circular's.
Rows the product holds no data for (enterprises, households, leaders by rank, workers and
farmers, cụm/khối thi đua) are left blank and the sheet's notes say so; 0604 and 0605 carry
their heading only.
"""
import io
from collections.abc import Callable
from typing import Any
from dataclasses import dataclass, field

from workflow.workbench.statistics import AwardFact, FormsData

CIRCULAR = "Ban hành kèm theo Thông tư số 02/2023/TT-BNV ngày 23/3/2023 của Bộ trưởng Bộ Nội vụ"
CHECK = ("Bố cục theo mẫu Biểu {code} của Thông tư 02/2023/TT-BNV như phần mềm TĐKT đang dùng mô tả; "
         "cần đối chiếu với văn bản gốc và với Thông tư 18/2025/TT-BNV ngày 08/10/2025.")
NO_DATA = ("Dòng, cột để trống: hệ thống chưa ghi nhận thông tin này (doanh nghiệp, hộ gia đình, chức vụ "
           "lãnh đạo, người trực tiếp lao động, giải thưởng); đơn vị tự điền.")

Match = Callable[[Any], bool] | None


@dataclass(frozen=True)
class Column:
    group: str
    name: str
    sub: str
    match: Match          # None: the product has no data for it (blank)


@dataclass(frozen=True)
class Row:
    label: str
    code: str = ""
    unit: str = ""
    match: Match = None   # None with a code: no data (blank)
    heading: bool = False  # a section heading ("1. Chia theo ..."): no figures
    bold: bool = False


@dataclass
class Form:
    sheet: str
    code: str
    title: str
    unit: str
    columns: list[Column]
    rows: list[Row]
    facts: list = field(default_factory=list)
    unit_column: bool = True
    notes: list[str] = field(default_factory=list)

    def value(self, row: Row, col: Column) -> int | None:
        if row.match is None or col.match is None:
            return None
        return sum(_count(f) for f in self.facts if row.match(f) and col.match(f))

    def total(self, row: Row) -> int | None:
        cells = [self.value(row, c) for c in self.columns]
        known = [c for c in cells if c is not None]
        return sum(known) if known else None


def _count(f) -> int:
    return getattr(f, "count", 1)


# --- what each award and plan is on the forms (modelled) -------------------------------------

STATE_FIXED = (("co_thi_dua_chinh_phu", "Cờ thi đua của Chính phủ"),
               ("bang_khen_thu_tuong", "Bằng khen của Thủ tướng Chính phủ"),
               ("chien_si_thi_dua_toan_quoc", "Danh hiệu “Chiến sĩ thi đua toàn quốc”"))
VINH_DU_PREFIXES = ("anh_hung_", "ba_me_", "tinh_thanh_pho_anh_hung", "nha_giao_", "thay_thuoc_", "nghe_si_",
                    "nghe_nhan_")
MINISTRY_COLUMNS = (("bang_khen_bo", "Bằng khen"),
                    ("chien_si_thi_dua_bo", "Chiến sĩ thi đua cấp bộ, cấp tỉnh"),
                    ("co_thi_dua_bo", "Cờ thi đua của bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố "
                                      "trực thuộc Trung ương"),
                    ("ky_niem_chuong", "Huy hiệu (kỷ niệm chương) của bộ, ban, ngành, đoàn thể Trung ương, "
                                       "tỉnh, thành phố trực thuộc Trung ương"))
SUBJECT = {"collective": "Tập thể", "individual": "Cá nhân"}


def is_medal(code: str) -> bool:
    return code.startswith(("huan_chuong_", "huy_chuong_"))


def is_honour(code: str) -> bool:
    return code.startswith(VINH_DU_PREFIXES)


def on_0602(code: str) -> bool:
    return is_medal(code) or is_honour(code) or code in dict(STATE_FIXED)


def on_0603(code: str) -> bool:
    return code in dict(MINISTRY_COLUMNS)


def method(f: AwardFact) -> str:
    """Phương thức khen thưởng (modelled): the award's own loại hình first (đối ngoại, cống hiến,
    niên hạn, chuyên đề), else the plan's kind (a thematic plan: chuyên đề; an ad hoc one: đột
    xuất), else thường xuyên."""
    if f.award_kind in ("doi_ngoai", "cong_hien", "nien_han", "chuyen_de"):
        return f.award_kind
    return {"thematic": "chuyen_de", "ad_hoc": "dot_xuat"}.get(f.plan_kind, "thuong_xuyen")


def _by_method(key: str) -> Callable[[AwardFact], bool]:
    return lambda f: method(f) == key


def _by_award(code: str, kind: str | None = None) -> Callable[[AwardFact], bool]:
    return lambda f: f.award_code == code and (kind is None or f.nominee_kind == kind)


METHODS = (("Thường xuyên", "thuong_xuyen"), ("Chuyên đề", "chuyen_de"), ("Đột xuất", "dot_xuat"),
           ("Đối ngoại", "doi_ngoai"), ("Cống hiến", "cong_hien"), ("Niên hạn", "nien_han"),
           ("Kháng chiến", "khang_chien"))


def _award_rows(first_code: int, by_via: bool) -> list[Row]:
    n = first_code
    rows = [Row("Tổng số", f"{n:02d}", "", lambda f: True, bold=True)]
    if by_via:
        rows += [Row("1. Chia theo đơn vị ban hành tờ trình Thủ tướng Chính phủ về khen thưởng", heading=True),
                 Row("- Bộ, ban, ngành, đoàn thể Trung ương", "02", "Bộ, ngành",
                     lambda f: f.via == "ministry"),
                 Row("- Tỉnh, thành phố trực thuộc Trung ương", "03", "Tỉnh, TP", lambda f: f.via == "province")]
        n = 5  # the reference numbers the subject rows from 06 (04 and 05 are not in it)
    section = 2 if by_via else 1
    subjects = [("- Tập thể", "Tập thể", lambda f: f.nominee_kind == "collective"),
                ("Trong đó: Doanh nghiệp", "Doanh nghiệp", None),
                ("- Hộ gia đình", "Hộ", None),
                ("- Cá nhân", "Người", lambda f: f.nominee_kind == "individual"),
                ("+ Lãnh đạo cấp bộ, cấp tỉnh và tương đương trở lên", "Người", None),
                ("+ Lãnh đạo cấp vụ, sở, ngành và tương đương", "Người", None),
                ("+ Doanh nhân", "Người", None),
                ("+ Các cấp lãnh đạo khác từ phó phòng trở lên", "Người", None),
                ("+ Người trực tiếp công tác, lao động, học tập, chiến đấu và phục vụ chiến đấu "
                 "(công nhân, nông dân, ...)", "Người", None)]
    rows.append(Row(f"{section}. Chia theo đối tượng khen thưởng", heading=True))
    for label, unit, match in subjects:
        n += 1
        rows.append(Row(label, f"{n:02d}", unit, match))
    rows.append(Row(f"{section + 1}. Chia theo phương thức khen thưởng", heading=True))
    for label, key in METHODS:
        n += 1
        rows.append(Row(f"- {label}", f"{n:02d}", "", _by_method(key)))
    return rows


def _subject_columns(group: str, codes: list[str], data: FormsData, label=None) -> list[Column]:
    cols = []
    for code in codes:
        kinds = {"both": ("collective", "individual")}.get(data.subjects.get(code, "both"),
                                                           (data.subjects.get(code, "individual"),))
        for k in kinds:
            cols.append(Column(group, label or data.names.get(code, code), SUBJECT.get(k, k),
                               _by_award(code, k)))
    return cols


def _present(data: FormsData, test) -> list[str]:
    return sorted({f.award_code for f in data.awards if test(f.award_code)},
                  key=lambda c: data.names.get(c, c))


def form_0601(data: FormsData) -> Form:
    def dur(lo, hi):
        return lambda p: p.months is not None and lo <= p.months < hi
    central = ("central",)
    ministry = ("ministry", "province")
    group = "Số phong trào thi đua chia theo cấp chủ trì phát động thi đua"
    cols = [Column(group, "Cấp Trung ương (Hội đồng Thi đua - Khen thưởng Trung ương)", "",
                   lambda p: p.issuer_kind in central),
            Column(group, "Cấp bộ, ban, ngành, đoàn thể trung ương, tỉnh, thành phố trực thuộc Trung ương", "",
                   lambda p: p.issuer_kind in ministry),
            Column(group, "Cơ quan, tổ chức, đơn vị", "", lambda p: p.issuer_kind not in central + ministry)]
    rows = [Row("Tổng số", "01", "", lambda p: True, bold=True),
            Row("1. Chia theo phạm vi tổ chức thi đua", heading=True),
            Row("- Toàn quốc", "02", "", lambda p: p.issuer_kind in central),
            Row("- Bộ, ban, ngành đoàn thể, địa phương", "03", "", lambda p: p.issuer_kind in ministry),
            Row("- Cụm, khối thi đua do Hội đồng Thi đua - Khen thưởng các cấp tổ chức", "04"),
            Row("- Cơ quan, tổ chức, đơn vị", "05", "", lambda p: p.issuer_kind not in central + ministry),
            Row("2. Chia theo thời hạn thi đua", heading=True),
            Row("- Dưới 1 năm", "06", "", dur(0, 12)),
            Row("- 1 năm", "07", "", dur(12, 13)),
            Row("- Từ 1 năm đến dưới 3 năm", "08", "", dur(13, 36)),
            Row("- Từ 3 năm đến dưới 5 năm", "09", "", dur(36, 60)),
            Row("- Từ 5 năm trở lên", "10", "", dur(60, 10**6)),
            Row("3. Chia theo phương thức tổ chức phong trào thi đua", heading=True),
            Row("- Thi đua theo chuyên đề", "11", "", lambda p: p.kind == "thematic"),
            Row("- Thi đua thường xuyên hằng năm", "12", "", lambda p: p.kind == "annual")]
    unknown = sum(1 for p in data.plans if p.months is None)
    ad_hoc = sum(1 for p in data.plans if p.kind == "ad_hoc")
    notes = ["Phong trào thi đua = kế hoạch thi đua do cơ quan, đơn vị trong phạm vi báo cáo ban hành trong kỳ "
             "(không tính dự thảo).",
             f"Số kế hoạch không ghi thời gian thực hiện (không tính ở mục 2): {unknown}.",
             f"Số kế hoạch đột xuất (không thuộc dòng 11, 12): {ad_hoc}.",
             "Dòng 04 (cụm, khối thi đua) để trống: hệ thống chưa quản lý cụm, khối thi đua."]
    return Form("0601.N", "0601.N/BNV-TĐKT", "SỐ PHONG TRÀO THI ĐUA", "Phong trào", cols, rows,
                list(data.plans), unit_column=False, notes=notes)


def form_0602(data: FormsData) -> Form:
    medals = _present(data, is_medal)
    honours = _present(data, is_honour)
    g1 = "Các loại huân chương, huy chương (mỗi hình thức khen thưởng ghi riêng một cột)"
    g2 = "Danh hiệu vinh dự Nhà nước (mỗi hình thức khen thưởng ghi riêng một cột)"
    cols = (_subject_columns(g1, medals, data) or [Column(g1, "Huân chương, huy chương", "", lambda f: False)])
    cols += [Column("Giải thưởng Hồ Chí Minh", "Giải thưởng Hồ Chí Minh", "Cá nhân", None),
             Column("Giải thưởng Nhà nước", "Giải thưởng Nhà nước", "Cá nhân", None)]
    cols += (_subject_columns(g2, honours, data) or [Column(g2, "Danh hiệu vinh dự Nhà nước", "", lambda f: False)])
    for code, label in STATE_FIXED:
        cols += _subject_columns(label, [code], data, label)
    cols.append(Column("Các hình thức khen thưởng khác (mỗi hình thức ghi riêng một cột)", "", "", None))
    return Form("0602.N", "0602.N/BNV-TĐKT", "SỐ LƯỢNG KHEN THƯỞNG CẤP NHÀ NƯỚC", "",
                cols, _award_rows(1, by_via=True), [f for f in data.awards if on_0602(f.award_code)],
                notes=[NO_DATA, "Mã số 04, 05 không có trong mẫu tham khảo; cần đối chiếu.",
                       "Phương thức khen thưởng suy ra từ loại hình khen thưởng và loại kế hoạch "
                       "(chuyên đề, đột xuất); còn lại tính là thường xuyên."])


def form_0603(data: FormsData) -> Form:
    cols = [Column("Chia ra", label, "", _by_award(code)) for code, label in
            MINISTRY_COLUMNS]
    return Form("0603.N", "0603.N/BNV-TĐKT",
                "SỐ LƯỢNG KHEN THƯỞNG CẤP BỘ, BAN, NGÀNH, ĐOÀN THỂ TRUNG ƯƠNG VÀ TỈNH, THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG",
                "", cols, _award_rows(1, by_via=False), [f for f in data.awards if on_0603(f.award_code)],
                notes=[NO_DATA, "Phương thức khen thưởng suy ra từ loại hình khen thưởng và loại kế hoạch "
                                "(chuyên đề, đột xuất); còn lại tính là thường xuyên."])


def form_heading_only(code: str, title: str) -> Form:
    return Form(code, f"{code}/BNV-TĐKT", title, "", [], [], notes=[
        "Hệ thống không quản lý số liệu của biểu này; đơn vị lập theo mẫu của Thông tư (cần đối chiếu "
        "Thông tư 18/2025/TT-BNV)."])


def form_other(data: FormsData) -> Form:
    """The product's supplementary sheet: every other award decided in the period."""
    codes = _present(data, lambda c: not (on_0602(c) or on_0603(c)))
    cols = [Column("Chia ra", "Tập thể", "", lambda f: f.nominee_kind == "collective"),
            Column("Chia ra", "Cá nhân", "", lambda f: f.nominee_kind == "individual")]
    rows = [Row("Tổng số", "01", "", lambda f: True, bold=True)]
    rows += [Row(f"- {data.names.get(c, c)}", f"{i:02d}", "", _by_award(c))
             for i, c in enumerate(codes, start=2)]
    return Form("Khác", "—", "SỐ LƯỢNG CÁC HÌNH THỨC KHEN THƯỞNG KHÁC (NGOÀI BIỂU 0602.N, 0603.N)", "", cols, rows,
                [f for f in data.awards if f.award_code in codes],
                notes=["Bảng bổ sung của hệ thống (không phải biểu của Thông tư): danh hiệu thi đua, Giấy khen và "
                       "các hình thức khen thưởng khác được quyết định trong kỳ."])


def forms(data: FormsData) -> list[Form]:
    return [form_0601(data), form_0602(data), form_0603(data),
            form_heading_only("0604.N", "SỐ LƯỢNG TỔ CHỨC LÀM CÔNG TÁC THI ĐUA, KHEN THƯỞNG"),
            form_heading_only("0605.N", "SỐ LƯỢNG CÔNG CHỨC LÀM CÔNG TÁC THI ĐUA, KHEN THƯỞNG"),
            form_other(data)]


# --- the workbook ---------------------------------------------------------------------------

HEAD_ROWS = 3     # header rows of a table: group, form of commendation, subject


def _d(day) -> str:
    return day.strftime("%d/%m/%Y")


def _write(ws, form: Form, data: FormsData) -> None:
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    st = data.stats
    bold, italic = Font(bold=True), Font(italic=True)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center", horizontal="center")
    lead = 3 if form.unit_column else 2          # A: label, B: mã số, C: đơn vị tính
    width = lead + 1 + len(form.columns)
    right = max(width - 2, 4)
    ws.cell(1, 1, f"Biểu số: {form.code}").font = bold
    ws.cell(1, right, f"Đơn vị báo cáo: {st.org_name}")
    ws.cell(2, 1, CIRCULAR)
    ws.cell(2, right, f"Đơn vị nhận báo cáo: {data.receiver}")
    ws.cell(3, 1, "Ngày nhận báo cáo: ngày 15 tháng 12 năm báo cáo")
    ws.cell(5, 1, form.title).font = Font(bold=True, size=13)
    ws.merge_cells(start_row=5, start_column=1, end_row=5, end_column=max(width, 4))
    ws.cell(5, 1).alignment = Alignment(horizontal="center", wrap_text=True)
    ws.cell(6, 1, f"Năm {st.year} (kỳ báo cáo: từ {_d(st.date_from)} đến {_d(st.date_until)})").font = italic
    ws.merge_cells(start_row=6, start_column=1, end_row=6, end_column=max(width, 4))
    ws.cell(6, 1).alignment = Alignment(horizontal="center")
    if form.unit:
        ws.cell(7, max(width, 4), f"Đơn vị tính: {form.unit}").font = italic
    r = 8
    if form.columns:
        _table(ws, form, r, lead, box, wrap, bold)
        r += HEAD_ROWS + 1 + len(form.rows) + 1
    notes = [*form.notes, CHECK.format(code=form.code)] if form.code != "—" else form.notes
    for note in notes:
        ws.cell(r, 1, note).font = italic
        r += 1
    r += 1
    ws.cell(r, right, "…………, ngày …… tháng …… năm ……").font = italic
    ws.cell(r + 1, 1, "Người lập biểu").font = bold
    ws.cell(r + 1, right, "Thủ trưởng đơn vị").font = bold
    ws.cell(r + 2, 1, "(Ký, họ tên)").font = italic
    ws.cell(r + 2, right, "(Ký, họ tên, đóng dấu)").font = italic
    ws.column_dimensions["A"].width = 58
    ws.column_dimensions["B"].width = 7
    for c in range(3, width + 1):
        ws.column_dimensions[get_column_letter(c)].width = 14


def _table(ws, form: Form, top: int, lead: int, box, wrap, bold) -> None:
    heads = ["", "Mã số", "Đơn vị tính"][:lead] + ["Tổng số"]
    first = lead + 2                              # first figure column after "Tổng số"
    for i, h in enumerate(heads, start=1):
        ws.cell(top, i, h)
        ws.merge_cells(start_row=top, start_column=i, end_row=top + HEAD_ROWS - 1, end_column=i)
    for j, col in enumerate(form.columns):
        ws.cell(top, first + j, col.group)
        ws.cell(top + 1, first + j, col.name if col.name != col.group else None)  # said once, above
        ws.cell(top + 2, first + j, col.sub)
    for level, key in ((0, "group"), (1, "name")):
        _merge_runs(ws, top + level, first, [getattr(c, key) for c in form.columns],
                    [(c.group, c.name)[:level + 1] for c in form.columns])
    letters = ["A", "B", "C"][:lead] + [f"1=({'+'.join(str(i) for i in range(2, len(form.columns) + 2))})"
                                        if len(form.columns) > 1 else "1"]
    letters += [str(i) for i in range(2, len(form.columns) + 2)]
    for i, t in enumerate(letters, start=1):
        ws.cell(top + HEAD_ROWS, i, t).font = bold
    for i, row in enumerate(form.rows, start=top + HEAD_ROWS + 1):
        ws.cell(i, 1, row.label)
        ws.cell(i, 2, row.code or None)
        if lead == 3:
            ws.cell(i, 3, row.unit or None)
        if not row.heading:
            ws.cell(i, lead + 1, form.total(row))
            for j, col in enumerate(form.columns):
                ws.cell(i, first + j, form.value(row, col))
        if row.heading or row.bold:
            ws.cell(i, 1).font = bold
    last_row = top + HEAD_ROWS + len(form.rows)
    for r in range(top, last_row + 1):
        for c in range(1, first + len(form.columns)):
            cell = ws.cell(r, c)
            cell.border = box
            if r < top + HEAD_ROWS + 1:
                cell.alignment = wrap
                cell.font = bold
    ws.freeze_panes = ws.cell(top + HEAD_ROWS + 1, lead + 1)


def _merge_runs(ws, row: int, first: int, values: list[str], keys: list[tuple]) -> None:
    """Merge neighbouring header cells that say the same under the same parent."""
    j = 0
    while j < len(values):
        k = j
        while k + 1 < len(values) and keys[k + 1] == keys[j]:
            k += 1
        if k > j:
            ws.merge_cells(start_row=row, start_column=first + j, end_row=row, end_column=first + k)
        j = k + 1


def forms_xlsx(data: FormsData) -> bytes:
    """One sheet per form, then the product's supplementary sheet."""
    from openpyxl import Workbook
    wb = Workbook()
    wb.remove(wb.active)
    for form in forms(data):
        _write(wb.create_sheet(f"Biểu {form.sheet}" if form.code != "—" else "Khen thưởng khác"), form, data)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
