"""Crafted files and bodies (M7, M8, L4, L5): a workbook whose <dimension> lies, one with a cell
a million rows down or 16,000 columns right, one declaring a DTD, JSON nested a hundred
thousand deep, a plan with 15,000 milestones. Each is read in full or refused with a clear
reason — never silently cut, never a crash."""
import io
import re
import time
import zipfile

import pytest
from openpyxl import Workbook

from workflow import validation as v
from workflow.dossiers import excel as xl
from workflow.errors import InvalidInput

HEADER = [c.header for c in xl.COLUMNS]


def workbook(n_rows: int) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for i in range(1, n_rows + 1):
        ws.append([i, f"Người thứ {i}", "Kỹ sư", "VTC", "Cá nhân", "giay_khen", "Hoàn thành tốt nhiệm vụ"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def rewrite_sheet(data: bytes, change) -> bytes:
    """The same package with xl/worksheets/sheet1.xml passed through `change`."""
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = change(body.decode("utf-8")).encode("utf-8")
            dst.writestr(item, body)
    return out.getvalue()


def test_rows_beyond_a_stale_dimension_are_all_read():
    data = rewrite_sheet(workbook(12), lambda x: re.sub(r'<dimension ref="[^"]+"', '<dimension ref="A1:G3"', x))
    sheet = xl.read_list(data)
    assert [r.values["name"] for r in sheet.rows][-1] == "Người thứ 12" and len(sheet.rows) == 12


def test_a_cell_a_million_rows_down_is_refused_quickly():
    far = '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    data = rewrite_sheet(workbook(3), lambda x: x.replace("</sheetData>", far))
    started = time.process_time()
    with pytest.raises(xl.ExcelError) as e:
        xl.read_list(data)
    assert "rows" in e.value.message_en and time.process_time() - started < xl.MAX_SECONDS


def test_cells_far_to_the_right_are_not_walked():
    far = '<c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>'
    data = rewrite_sheet(workbook(200), lambda x: x.replace("</row>", far))
    sheet = xl.read_list(data)
    assert len(sheet.rows) == 200


def test_a_workbook_declaring_a_dtd_is_refused():
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>')
    data = rewrite_sheet(workbook(2), lambda x: bomb + re.sub(r"^<\?xml[^>]*\?>", "", x))
    with pytest.raises(xl.ExcelError) as e:
        xl.read_list(data)
    assert "DTD" in e.value.message_en


def test_a_damaged_sheet_is_refused_not_crashed():
    data = rewrite_sheet(workbook(2), lambda x: x.replace("</sheetData>", "<row r='x'><c r=></row></sheetData>"))
    with pytest.raises(xl.ExcelError):
        xl.read_list(data)


def test_json_nested_too_deep_or_lists_too_long_are_refused_with_the_field_named():
    deep: list = []
    node = deep
    for _ in range(50):
        node.append([])
        node = node[0]
    with pytest.raises(InvalidInput) as e:
        v.bounded({"nominee": deep})
    assert "nested more than" in e.value.message_en
    with pytest.raises(InvalidInput) as e:
        v.bounded({"milestones": [{"text": "x"}] * 15_000})
    assert e.value.field == "milestones" and "15000 given" in e.value.message_en
    ok = {"plan_id": 1, "ids": list(range(1000)), "nominee": {"name": "An"}}
    assert v.bounded(ok) is ok
