"""The council secretary downloads the tally sheet (biên bản kiểm phiếu) of the list waiting at
the council, fills it in Excel and uploads it: every error is said once, by row and column, and
nothing is recorded; a right sheet is shown for confirmation, then recorded as one council
session (SQLite and PostgreSQL)."""
import io
import re

from openpyxl import load_workbook

from tests.browser_support import *
from tests.conftest import snapshot
from tests.web.test_ui_confirm import again
from tests.web.test_ui_dossiers import submitted

NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]


def fill(data: bytes, *, members=None, present=None, counts=None, rename=None, drop=None) -> bytes:
    """The downloaded sheet filled as a secretary would: counts per name (yes, no)."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Kiểm phiếu"]
    if members is not None:
        ws["C4"] = members
    ws["C5"] = present
    for row in range(9, ws.max_row + 1):
        name = ws.cell(row=row, column=3).value
        if name in (counts or {}):
            ws.cell(row=row, column=7).value, ws.cell(row=row, column=8).value = counts[name]
        if rename and name in rename:
            ws.cell(row=row, column=3).value = rename[name]
    if drop:
        for row in range(9, ws.max_row + 1):
            if ws.cell(row=row, column=3).value == drop:
                ws.delete_rows(row)
                break
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(user: WebUser, did: int, data: bytes):
    return user.post(f"/dossiers/{did}/tally-sheet", {"file": (io.BytesIO(data), "kiem-phieu.xlsx")},
                     content_type="multipart/form-data")


def test_the_secretary_imports_the_tally_sheet_after_fixing_what_it_said(web_on, db, users, open_plan):
    did, ids = submitted(db, users, open_plan, NAMES)
    secretary = web_on("vtc.hoidong")
    page = WebUser.text(secretary.get(f"/dossiers/{did}"))
    assert 'id="form-tally-sheet"' in page
    r = secretary.client.get(f"/dossiers/{did}/tally-sheet.xlsx")
    assert r.status_code == 200 and r.headers["Content-Disposition"].startswith("attachment")
    ws = load_workbook(io.BytesIO(r.data))["Kiểm phiếu"]
    assert ws["A1"].value == "BIÊN BẢN KIỂM PHIẾU" and ws["A2"].value == "Tờ trình số 45/TTr-VTC"
    assert [ws.cell(row=8, column=c).value for c in (3, 7, 8)] == ["Họ và tên / Tập thể", "Số phiếu đồng ý",
                                                                    "Số phiếu không đồng ý"]
    assert [ws.cell(row=9 + i, column=3).value for i in range(3)] == NAMES
    assert [ws.cell(row=9 + i, column=2).value for i in range(3)] == ids
    sheet = r.data
    before = [snapshot(db, i) for i in ids]

    # Nine of fifteen present (two thirds is ten), a count over those present, a name mistyped,
    # a row deleted: each said once, where it is; nothing recorded.
    wrong = fill(sheet, members=15, present=9, counts={"Nguyễn Văn An": (9, 1), "Trần Thị Bình": ("chín", 0)},
                 rename={"Nguyễn Văn An": "Nguyễn Văn Ân"}, drop="Lê Văn Cường")
    r = upload(secretary, did, wrong)
    body = WebUser.text(r)
    assert r.status_code == 422 and "Xác nhận thao tác" not in re.sub(r"<body[^>]*>", "", body)
    assert body.count("cần ít nhất 10/15 thành viên có mặt") == 1
    assert "Tên không khớp danh sách: “Nguyễn Văn An”" in body
    assert "Phải là số nguyên không âm" in body and "Thiếu dòng của Lê Văn Cường" in body
    assert [snapshot(db, i) for i in ids] == before

    right = fill(sheet, members=15, present=15, counts={"Nguyễn Văn An": (15, 0), "Trần Thị Bình": (14, 1),
                                                        "Lê Văn Cường": (7, 8)})
    r = upload(secretary, did, right)
    body = WebUser.text(r)
    assert r.status_code == 200 and "Từ bảng kiểm phiếu: 15 thành viên có mặt. Kết quả: 2 đạt, 1 không đạt." in body
    assert "Ghi kết quả phiên họp Hội đồng cho 3 người/tập thể của tờ trình 45/TTr-VTC." in body
    assert [snapshot(db, i) for i in ids] == before  # checked, not recorded
    r = again(secretary, f"/dossiers/{did}/votes", body)
    assert r.status_code == 303
    assert [snapshot(db, i)[0] for i in ids] == ["unit_review", "unit_review", "rejected"]


def test_a_file_that_is_not_a_workbook_is_refused_in_words(web_on, db, users, open_plan):
    did, ids = submitted(db, users, open_plan, NAMES[:1])
    secretary = web_on("vtc.hoidong")
    secretary.get(f"/dossiers/{did}")
    r = upload(secretary, did, b"PK\x03\x04 not really a zip")
    assert r.status_code == 422 and "Tệp không phải bảng tính Excel (.xlsx)" in WebUser.text(r)
    formula = fill(secretary.client.get(f"/dossiers/{did}/tally-sheet.xlsx").data, members=15, present=15,
                   counts={NAMES[0]: ("=15", 0)})
    r = upload(secretary, did, formula)
    assert r.status_code == 422 and "Ô chứa công thức" in WebUser.text(r)
    assert snapshot(db, ids[0])[0] == "council_review"
