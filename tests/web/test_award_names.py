"""An award decided by "the minister or the provincial chairman" is shown as its decider gives it:
a nominee of Thái Nguyên is proposed for the "Bằng khen của Chủ tịch UBND tỉnh Thái Nguyên", one of
the ministry for the "Bằng khen của Bộ trưởng Bộ Khoa học và Công nghệ" — in the API, on the
nomination's page, in the tờ trình's table and on its papers. (SQLite and PostgreSQL.)"""
from tests.browser_support import *
from tests.web.test_orgs import act, nominate
from workflow.documents import content
from workflow.models import Nomination
from workflow.orgs.tree import org_tree

PROVINCE_NAME = "Bằng khen của Chủ tịch UBND tỉnh Thái Nguyên"
MINISTRY_NAME = "Bằng khen của Bộ trưởng Bộ Khoa học và Công nghệ"


def test_the_award_is_named_after_the_one_who_decides_it(login, web_on, db, open_plan):
    of_province = nominate(login("tinh.canbo"), open_plan, award="bang_khen_bo", name="Ngô Thị Lan")
    of_ministry = act(login("vtc.canbo"), nominate(login("vtc.canbo"), open_plan, award="bang_khen_bo",
                                                   name="Đỗ Văn Minh"), "submit")
    assert of_province["award_name"] == PROVINCE_NAME
    assert of_ministry["award_name"] == MINISTRY_NAME
    assert of_ministry["award_name_en"] == "Certificate of Merit of the Minister, Bộ Khoa học và Công nghệ"
    assert login("vtc.canbo").get(f"/nominations/{of_ministry['id']}").get_json()["award_name"] == MINISTRY_NAME
    # A Giấy khen is named as the catalogue names it.
    assert nominate(login("vtc.canbo"), open_plan, name="Vũ Văn Giang")["award_name"] == "Giấy khen"

    page = WebUser.text(web_on("tinh.canbo").get(f"/nominations/{of_province['id']}"))
    assert PROVINCE_NAME in page and "Bộ trưởng, Chủ tịch UBND tỉnh" not in page
    listing = WebUser.text(web_on("vtc.canbo").get("/nominations"))
    assert MINISTRY_NAME in listing

    # On a tờ trình: its table, and the list the papers print.
    officer = login("tinh.canbo")
    d = officer.post("/dossiers", json={"plan_id": open_plan, "number": "07/TTr-VP"}).get_json()
    r = officer.post(f"/dossiers/{d['id']}/nominations", json={
        "award_type": "bang_khen_bo", "achievements": "Hoàn thành xuất sắc.",
        "nominee": {"kind": "individual", "name": "Bế Văn Tâm"}})
    assert r.status_code == 201, r.get_json()
    table = WebUser.text(web_on("tinh.canbo").get(f"/dossiers/{d['id']}"))
    assert PROVINCE_NAME in table
    [row] = officer.get(f"/dossiers/{d['id']}").get_json()["nominations"]
    assert row["award_name"] == PROVINCE_NAME
    with db.read() as s:
        nom = s.get(Nomination, row["id"])
        [nominee] = content.nominees(s, org_tree(s), [nom])
    assert nominee.award_name == PROVINCE_NAME
