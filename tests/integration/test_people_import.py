"""An Excel list with the register's optional identity columns (birth date, gender, CCCD): each row
links to the record of its person or creates it; a wrong identity number is a row error."""
from tests.integration.test_dossier_lifecycle import HEADER, VTC, open_dossier, person_row, upload, workbook

IDENTITY = HEADER + ["Ngày sinh", "Giới tính", "Số định danh (CCCD)"]


def test_an_imported_list_links_namesakes_by_identity_and_records_new_people(login, open_plan):
    officer = login("vtc.canbo")
    known = officer.post("/people", json={"name": "Đinh Văn Toàn", "birth_date": "1980-03-01",
                                          "id_number": "001080000001"}).get_json()
    namesake = officer.post("/people", json={"name": "Đinh Văn Toàn", "birth_date": "1992-07-15",
                                             "confirm_distinct": True}).get_json()
    template = officer.get("/dossiers/template.xlsx")
    assert template.status_code == 200
    d = open_dossier(officer, open_plan, "46/TTr-VTC")
    bad = [person_row(1, "Đinh Văn Toàn", "bang_khen_bo") + ["01/03/1980", "Nam", "00108000000"],
           person_row(2, "Mai Thị Lụa", "bang_khen_bo") + ["31/02/1990", "Nữ", None]]
    r = upload(officer, f"/dossiers/{d['id']}/import", workbook(bad, IDENTITY))
    assert r.status_code == 422
    rows = {(e["row"], e["field"]) for e in r.get_json()["error"]["rows"]}
    assert rows == {(2, "id_number"), (3, "birth_date")}

    good = [person_row(1, "Đinh Văn Toàn", "bang_khen_bo") + ["15/07/1992", "Nam", None],
            person_row(2, "Mai Thị Lụa", "bang_khen_bo") + ["1990-02-28", "Nữ", "001190000777"]]
    r = upload(officer, f"/dossiers/{d['id']}/import", workbook(good, IDENTITY))
    assert r.status_code == 201, r.get_json()
    first, second = (officer.get(f"/nominations/{i}").get_json() for i in r.get_json()["nomination_ids"])
    assert first["nominee"]["person_id"] == namesake["id"] != known["id"]  # the birth date tells them apart
    lua = officer.get(f"/people/{second['nominee']['person_id']}").get_json()
    assert (lua["birth_date"], lua["gender"], lua["id_number"]) == ("1990-02-28", "female", "001190000777")
    assert lua["org"]["name"] == VTC
    # The exported list carries the award's name beside the state columns (papers), the identity
    # after them, and reads back in.
    import io

    from openpyxl import load_workbook

    from workflow.dossiers.excel import read_list
    exported = officer.get(f"/dossiers/{d['id']}/export.xlsx").data
    ws = load_workbook(io.BytesIO(exported)).active
    header = [c.value for c in ws[5]]
    assert header[7:] == ["Trạng thái", "Số quyết định", "Tên hình thức khen thưởng", "Ngày sinh", "Giới tính",
                          "Số định danh (CCCD)"]
    assert [c.value for c in ws[7]][10:] == ["28/02/1990", "Nữ", "001190000777"]
    back = read_list(exported)
    assert back.errors == [] and len(back.rows) == 2
    lua_row = back.rows[1].values
    assert (lua_row["name"], lua_row["award_type"], lua_row["kind"]) == ("Mai Thị Lụa", "bang_khen_bo", "Cá nhân")
    assert (lua_row["birth_date"], lua_row["gender"], lua_row["id_number"]) == ("28/02/1990", "Nữ", "001190000777")
