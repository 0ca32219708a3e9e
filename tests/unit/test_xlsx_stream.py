"""The streaming XLSX writer of audit exports: what a spreadsheet program reads back."""
import io

import openpyxl

from workflow.audit.xlsx_stream import XlsxStream, column_widths


def read(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def test_text_stays_text_and_hostile_characters_are_escaped_or_replaced():
    out = io.BytesIO()
    with XlsxStream(out, ["Mã", "Lý do"], sheet_name="Nhật ký", widths=column_widths({"B": 50})) as x:
        x.rows([(1, "=HYPERLINK(\"http://x\")"), (2, "<b>Trả lại</b> & bổ sung"), (3, "ký\x00tự\x1fđiều khiển"),
                (4, None), (5, "  khoảng trắng  ")])
    ws = read(out.getvalue())["Nhật ký"]
    rows = list(ws.iter_rows(values_only=False))
    assert [c.value for c in rows[0]] == ["Mã", "Lý do"] and rows[0][0].font.b
    assert rows[1][1].value == '=HYPERLINK("http://x")' and rows[1][1].data_type == "s"
    assert rows[2][1].value == "<b>Trả lại</b> & bổ sung"
    assert rows[3][1].value == "ký\ufffdtự\ufffdđiều khiển"
    assert rows[4][1].value is None and rows[5][1].value == "  khoảng trắng  "
    assert rows[1][0].value == 1 and ws.column_dimensions["B"].width == 50


def test_a_long_export_continues_on_new_sheets():
    out = io.BytesIO()
    with XlsxStream(out, ["n"], sheet_name="Nhật ký", sheet_rows=3) as x:
        assert x.rows([n] for n in range(7)) == 7
    wb = read(out.getvalue())
    assert wb.sheetnames == ["Nhật ký", "Nhật ký 2", "Nhật ký 3"]
    assert [[c for (c,) in wb[name].iter_rows(min_row=2, values_only=True)] for name in wb.sheetnames] == \
        [[0, 1, 2], [3, 4, 5], [6]]


def test_an_empty_export_is_a_workbook_with_its_header():
    out = io.BytesIO()
    XlsxStream(out, ["Mã sự kiện"], sheet_name="Nhật ký").close()
    ws = read(out.getvalue())["Nhật ký"]
    assert list(ws.iter_rows(values_only=True)) == [("Mã sự kiện",)]
