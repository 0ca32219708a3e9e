"""The register's pages and the eligibility panel, as officers and reviewers use them (no browser)."""
from tests.browser_support import *
from tests.browser_support import WebUser
from tests.conftest import snapshot


def officer_nominates(officer, plan, name, award):
    r = officer.post("/nominations/new", {
        "plan_id": str(plan), "award_type": award, "nominee.kind": "individual", "nominee.name": name,
        "nominee.title": "Biên tập viên", "achievements": "Hoàn thành xuất sắc nhiệm vụ."})
    assert r.status_code == 303, WebUser.text(r)
    return int(r.headers["Location"].rsplit("/", 1)[1])


def test_an_officer_records_history_and_the_nomination_page_explains_eligibility(web_on, db, open_plan, login):
    officer = web_on("vtc.canbo")
    nid = officer_nominates(officer, open_plan, "Trịnh Thu Thảo", "chien_si_thi_dua_bo")
    page = WebUser.text(officer.get(f"/nominations/{nid}"))
    assert "Điều kiện khen thưởng" in page and "Chưa rõ" in page and "Luật TĐKT 2022 Điều 22" in page
    person_id = login("vtc.canbo").get(f"/nominations/{nid}").get_json()["nominee"]["person_id"]
    assert f'href="/people/{person_id}"' in page

    profile = WebUser.text(officer.get(f"/people/{person_id}"))
    assert "Trịnh Thu Thảo" in profile and 'id="form-history"' in profile
    for year in (2024, 2025):
        r = officer.post(f"/people/{person_id}/history", {
            "kind": "award", "award_type": "chien_si_thi_dua_co_so", "year": str(year),
            "decision_number": f"{year}/QĐ-VTC", "decision_date": f"20/12/{year}", "basis": "cong_trang"})
        assert r.status_code == 303
    profile = WebUser.text(officer.get(f"/people/{person_id}"))
    assert "2024/QĐ-VTC" in profile and "20/12/2025" in profile and "Nhập từ hồ sơ cũ" in profile

    page = WebUser.text(officer.get(f"/nominations/{nid}"))
    assert "Không đủ điều kiện" in page and "Không đạt" in page
    r = officer.post(f"/nominations/{nid}/act/submit", {"version": "1"})
    assert r.status_code == 422 and "Cần 3 lần liên tục" in WebUser.text(r)
    assert snapshot(db, nid)[0] == "draft"

    # A year before 1945 is shown back on the form, nothing recorded.
    r = officer.post(f"/people/{person_id}/history", {
        "kind": "award", "award_type": "giay_khen", "year": "1930", "decision_number": "1/QĐ", "basis": "cong_trang"})
    assert r.status_code == 422 and "Năm 1930 không hợp lệ" in WebUser.text(r)


def test_the_header_search_finds_people_without_diacritics_and_the_unknown_is_attested(web_on, db, open_plan):
    officer = web_on("vtc.canbo")
    nid = officer_nominates(officer, open_plan, "Đặng Thị Thuý", "chien_si_thi_dua_bo")
    home = WebUser.text(officer.get("/inbox"))
    assert 'id="header-q"' in home
    found = WebUser.text(officer.get("/people?q=dang+thi+thuy"))
    assert "Đặng Thị Thuý" in found
    assert "Đặng Thị Thuý" not in WebUser.text(web_on("baochi.canbo").get("/people?q=thuy"))
    r = officer.post(f"/nominations/{nid}/act/submit", {"version": "1", "attest": "Đơn vị xác nhận đủ 3 năm CSTĐCS."})
    assert r.status_code == 303
    assert snapshot(db, nid)[0] == "council_review"
    reviewer_page = WebUser.text(web_on("vtc.hoidong").get(f"/nominations/{nid}"))
    assert "Điều kiện khen thưởng" in reviewer_page and "Chưa rõ" in reviewer_page
    assert "Đơn vị xác nhận điều kiện chưa kiểm tra được: Đơn vị xác nhận đủ 3 năm CSTĐCS." in reviewer_page


def test_the_conditions_show_on_the_drafting_form_before_anything_is_saved(web_on, db, open_plan, login):
    from tests.conftest import counts
    api = login("vtc.canbo")
    p = api.post("/people", json={"name": "Lý Thanh Bình", "position": "Kỹ sư"}).get_json()
    for year in (2024, 2025):
        api.post(f"/people/{p['id']}/history", json={"award_type": "chien_si_thi_dua_co_so", "year": year,
                                                      "decision_number": f"{year}/QĐ"})
    officer = web_on("vtc.canbo")
    profile = WebUser.text(officer.get(f"/people/{p['id']}"))
    assert f'href="/nominations/new?person_id={p["id"]}"' in profile
    form = WebUser.text(officer.get(f"/nominations/new?person_id={p['id']}"))
    assert 'value="Lý Thanh Bình"' in form and f'name="nominee.person_id" value="{p["id"]}"' in form
    before = counts(db)
    r = officer.post("/nominations/new", {
        "plan_id": str(open_plan), "award_type": "chien_si_thi_dua_bo", "nominee.kind": "individual",
        "nominee.name": "Lý Thanh Bình", "nominee.person_id": str(p["id"]), "achievements": "", "preview": "1"})
    page = WebUser.text(r)
    assert r.status_code == 200 and "Điều kiện khen thưởng" in page and "Cần 3 lần liên tục" in page
    assert counts(db) == before
    # The same check through the API, by name: the one record of that name in the unit.
    got = api.post("/nominations/eligibility", json={"plan_id": open_plan, "award_type": "chien_si_thi_dua_bo",
                                                    "nominee": {"kind": "individual", "name": "LÝ THANH BÌNH"}})
    assert got.status_code == 200 and got.get_json()["eligible"] is False and got.get_json()["person_id"] == p["id"]
    fresh = api.post("/nominations/eligibility", json={"award_type": "chien_si_thi_dua_bo",
                                                      "nominee": {"name": "Người Mới Hoàn Toàn"}}).get_json()
    assert fresh["eligible"] is None and fresh["person_id"] is None
    assert counts(db) == before


def test_the_pages_speak_english_when_asked(web_on, open_plan):
    officer = web_on("vtc.canbo")
    nid = officer_nominates(officer, open_plan, "Phan Gia Huy", "chien_si_thi_dua_bo")
    page = WebUser.text(officer.get(f"/nominations/{nid}?lang=en"))
    assert "Award conditions" in page and "No recorded history: 3 consecutive" in page and "Unknown" in page
    found = WebUser.text(officer.get("/people?q=phan+gia+huy&lang=en"))
    assert "Records of people and collectives" in found and "Phan Gia Huy" in found
