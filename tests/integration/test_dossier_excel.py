"""The officer fills the Excel list (danh sách đề nghị khen thưởng) and imports it; any wrong
row is reported by row and column and nothing is imported."""
import io

from openpyxl import Workbook, load_workbook

from tests.conftest import counts
from tests.integration.test_dossier_lifecycle import (
    ACHIEVEMENTS, HEADER, VTC, add_people, open_dossier, person_row, upload, workbook,
)


def test_the_template_has_the_vietnamese_header_a_kind_list_and_the_award_codes(login, open_plan):
    r = login("vtc.canbo").get("/dossiers/template.xlsx")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(r.data))
    ws = wb["Danh sách đề nghị khen thưởng"]
    assert [c.value for c in ws[1]] == HEADER + ["Ngày sinh", "Giới tính", "Số định danh (CCCD)"]
    assert ws.column_dimensions["G"].width >= 60
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists["E2"] == '"Cá nhân,Tập thể"'
    assert lists["F2"].startswith("'Hình thức khen thưởng'!$A$2")
    codes = [row[0] for row in wb["Hình thức khen thưởng"].iter_rows(min_row=2, values_only=True)]
    assert {"giay_khen", "bang_khen_bo", "bang_khen_thu_tuong", "chien_si_thi_dua_co_so"} <= set(codes)


def test_a_good_list_is_imported_into_the_draft_dossier(login, open_plan):
    officer = login("vtc.canbo")
    d = open_dossier(officer, open_plan)
    rows = [person_row(1, "Nguyễn Văn An"), person_row(2, "Ban Thời sự", "giay_khen", "Tập thể"),
            # NFC: "Hà" typed with a combining accent is the same name as the composed one
            person_row(3, "Trần Thu Ha\u0300", "chien_si_thi_dua_co_so", "individual", unit="VTC")]
    r = upload(officer, f"/dossiers/{d['id']}/import", workbook(rows))
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["imported"] == 3 and r.get_json()["dossier"]["counts"] == {"draft": 3}
    table = officer.get(f"/dossiers/{d['id']}").get_json()["nominations"]
    assert [(x["nominee"]["name"], x["nominee"]["kind"], x["award_type"]) for x in table] == [
        ("Nguyễn Văn An", "individual", "bang_khen_thu_tuong"), ("Ban Thời sự", "collective", "giay_khen"),
        ("Trần Thu Hà", "individual", "chien_si_thi_dua_co_so")]
    events = officer.get(f"/dossiers/{d['id']}/history").get_json()["items"]
    assert events[-1]["action"] == "import" and events[-1]["payload"]["rows"] == 3


def test_every_wrong_row_is_reported_with_its_row_and_column_and_nothing_is_imported(login, open_plan, db):
    officer = login("vtc.canbo")
    d = open_dossier(officer, open_plan)
    add_people(officer, d["id"], ["Lê Văn Cường"])  # already proposed in this plan
    rows = [
        person_row(1, "Nguyễn Văn An"),
        person_row(2, "Nguyễn Văn Bình", "bang_khen_vu_tru"),          # unknown award code
        person_row(3, None),                                            # empty name
        person_row(4, "NGUYỄN  VĂN AN"),                                # same person as row 2, same award
        person_row(5, "Lê Văn Cường"),                                  # already in the plan
        person_row(6, "Phòng Kỹ thuật", "chien_si_thi_dua_co_so", "Tập thể"),  # an individual title
        person_row(7, "Đỗ Văn Em", kind="Ông"),                         # not a kind
        person_row(8, "Hồ Thị Phương", unit="Cục Báo chí"),             # another unit
        person_row(9, "X" * 201),                                       # too long
    ]
    before = counts(db)
    r = upload(officer, f"/dossiers/{d['id']}/import", workbook(rows))
    assert r.status_code == 422, r.get_json()
    err = r.get_json()["error"]
    assert err["code"] == "invalid_input" and err["field"] == "file"
    found = [(x["row"], x["column"]) for x in err["rows"]]
    assert found == [
        (3, "Mã hình thức khen thưởng"), (4, "Họ và tên / Tên tập thể"), (5, "Họ và tên / Tên tập thể"),
        (6, "Họ và tên / Tên tập thể"), (7, "Cá nhân / Tập thể"), (8, "Cá nhân / Tập thể"),
        (9, "Đơn vị"), (10, "Họ và tên / Tên tập thể")]
    messages = {x["row"]: x["message"] for x in err["rows"]}
    assert "bang_khen_vu_tru" in messages[3] and "dòng 2" in messages[5] and "#" in messages[6]
    assert counts(db) == before
    assert officer.get(f"/dossiers/{d['id']}").get_json()["total"] == 1


def test_a_formula_in_the_list_is_refused_and_not_evaluated(login, open_plan):
    officer = login("vtc.canbo")
    d = open_dossier(officer, open_plan)
    r = upload(officer, f"/dossiers/{d['id']}/import",
               workbook([person_row(1, '=HYPERLINK("http://example.invalid","An")')]))
    assert r.status_code == 422
    assert [(x["row"], x["field"]) for x in r.get_json()["error"]["rows"]][0] == (2, "name")


def test_what_is_not_a_list_is_refused_as_a_whole(login, open_plan):
    officer = login("vtc.canbo")
    d = open_dossier(officer, open_plan)
    path = f"/dossiers/{d['id']}/import"
    r = upload(officer, path, b"STT,Ho va ten\n1,An\n", filename="ds.csv")
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "file"
    r = upload(officer, path, workbook([person_row(1, "An")], header=["Tên", "Ghi chú"]))
    assert r.status_code == 422 and "tiêu đề" in r.get_json()["error"]["message"]
    assert upload(officer, path, workbook([])).status_code == 422
    r = officer.client.post(f"/api/v1{path}", headers=officer.headers, data={}, content_type="multipart/form-data")
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "file"
    # Another unit's officer cannot import into it.
    assert upload(login("baochi.canbo"), path, workbook([person_row(1, "An")])).status_code == 404


def test_the_export_is_the_named_sheet_with_the_dossier_number_states_and_safe_cells(login, open_plan):
    officer = login("vtc.canbo")
    d = open_dossier(officer, open_plan)
    rows = [person_row(1, "Nguyễn Văn An"), [2, "Trần Thị Bình", "-Trưởng ban", VTC, "Cá nhân",
                                             "bang_khen_thu_tuong", "@mentions and =1+1 in text"]]
    assert upload(officer, f"/dossiers/{d['id']}/import", workbook(rows)).status_code == 201
    officer.post(f"/dossiers/{d['id']}/submit")
    r = officer.get(f"/dossiers/{d['id']}/export.xlsx")
    assert r.status_code == 200 and "45-TTr-VTC" in r.headers["Content-Disposition"]
    wb = load_workbook(io.BytesIO(r.data))
    assert wb.sheetnames == ["Danh sách đề nghị khen thưởng"]
    ws = wb.active
    assert "45/TTr-VTC" in ws["A2"].value and "Đã trình" in ws["A3"].value
    assert [c.value for c in ws[5]][:7] == HEADER and ws["H5"].value == "Trạng thái"
    assert ws["B6"].value == "Nguyễn Văn An" and ws["H6"].value == "Hội đồng TĐKT xét"
    assert ws["C7"].value == "-Trưởng ban" and ws["C7"].data_type == "s"
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    # The exported sheet reads back in: into a new dossier of another plan-year it would be a
    # duplicate here, so the check is that every row is recognised as a duplicate, by row.
    d2 = open_dossier(officer, open_plan, "46/TTr-VTC")
    back = upload(officer, f"/dossiers/{d2['id']}/import", r.data)
    assert back.status_code == 422
    assert [(x["row"], x["field"]) for x in back.get_json()["error"]["rows"]] == [(6, "name"), (7, "name")]


def test_a_list_of_more_rows_than_allowed_is_refused(login, open_plan):
    officer = login("vtc.canbo")
    d = open_dossier(officer, open_plan)
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for i in range(5001):
        ws.append([i, f"Người số {i}", None, None, "Cá nhân", "giay_khen", ACHIEVEMENTS])
    out = io.BytesIO()
    wb.save(out)
    r = upload(officer, f"/dossiers/{d['id']}/import", out.getvalue())
    assert r.status_code == 422 and "5000" in r.get_json()["error"]["message"]


def test_an_import_or_removal_from_a_stale_page_changes_nothing(login, open_plan, db):
    officer = login("vtc.canbo")
    d = open_dossier(officer, open_plan)
    [nid] = add_people(officer, d["id"], ["Nguyễn Văn An"])
    seen = officer.get(f"/dossiers/{d['id']}").get_json()["version"]
    add_people(officer, d["id"], ["Trần Thị Bình"])  # a colleague adds someone meanwhile
    before = counts(db)
    r = upload(officer, f"/dossiers/{d['id']}/import", workbook([person_row(1, "Lê Văn Cường")]), version=str(seen))
    assert r.status_code == 409, r.get_json()
    assert r.get_json()["error"]["field"] == "version"
    r = officer.delete(f"/dossiers/{d['id']}/nominations/{nid}?version={seen}")
    assert r.status_code == 409 and r.get_json()["error"]["field"] == "version"
    assert counts(db) == before
    current = officer.get(f"/dossiers/{d['id']}").get_json()["version"]
    assert officer.delete(f"/dossiers/{d['id']}/nominations/{nid}?version={current}").status_code == 200
