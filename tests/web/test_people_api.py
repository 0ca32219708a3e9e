"""The register of persons (hồ sơ thành tích) and the eligibility checks, as a unit's
commendation officer and the reviewers above use them through the API (issue 17)."""
import unicodedata

from sqlalchemy import func, select

from workflow.models import Person, PersonRecord

ACHIEVEMENTS = "Hoàn thành xuất sắc nhiệm vụ năm 2026."


def nominate(api, plan, nominee, award="giay_khen"):
    return api.post("/nominations", json={"plan_id": plan, "award_type": award, "nominee": nominee,
                                          "achievements": ACHIEVEMENTS})


def people_count(db) -> int:
    with db.read() as s:
        return s.execute(select(func.count()).select_from(Person)).scalar_one()


def new_person(api, name, **over):
    r = api.post("/people", json={"name": name, **over})
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def test_two_real_namesakes_are_nominated_after_the_officer_confirms_they_are_distinct(login, open_plan):
    api = login("vtc.canbo")
    first = new_person(api, "Nguyễn Văn Hùng", position="Phóng viên")
    r = api.post("/people", json={"name": "nguyễn  văn HÙNG"})
    assert r.status_code == 409
    err = r.get_json()["error"]
    assert err["code"] == "duplicate"
    assert [c["id"] for c in err["candidates"]] == [first["id"]]
    assert err["candidates"][0]["org"]["name"].startswith("Tổng công ty Truyền thông")
    second = new_person(api, "Nguyễn Văn Hùng", position="Kỹ thuật viên", confirm_distinct=True)
    assert second["id"] != first["id"]

    # By name alone the unit now has two: the officer must choose.
    r = nominate(api, open_plan, {"kind": "individual", "name": "Nguyễn Văn Hùng"})
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "duplicate"
    assert {c["id"] for c in r.get_json()["error"]["candidates"]} == {first["id"], second["id"]}

    a = nominate(api, open_plan, {"person_id": first["id"]})
    b = nominate(api, open_plan, {"person_id": second["id"]})
    assert a.status_code == 201 and b.status_code == 201, (a.get_json(), b.get_json())
    assert a.get_json()["nominee"]["person_id"] == first["id"]
    assert b.get_json()["nominee"] == {"kind": "individual", "name": "Nguyễn Văn Hùng", "title": "Kỹ thuật viên",
                                       "person_id": second["id"]}
    # One award per plan is per person: the same person twice is still refused.
    again = nominate(api, open_plan, {"person_id": first["id"]})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "conflict"
    profile = api.get(f"/people/{first['id']}").get_json()
    assert [n["id"] for n in profile["nominations"]] == [a.get_json()["id"]]


def test_hoa_spelled_two_ways_or_with_an_invisible_character_is_one_person(login, open_plan, db):
    api = login("vtc.canbo")
    one = nominate(api, open_plan, {"kind": "individual", "name": "Nguyễn Thị Hoà"})
    assert one.status_code == 201
    person_id = one.get_json()["nominee"]["person_id"]
    two = nominate(api, open_plan, {"kind": "individual", "name": "Nguyễn Thị Hòa"}, award="lao_dong_tien_tien")
    assert two.status_code == 201 and two.get_json()["nominee"]["person_id"] == person_id
    before = people_count(db)
    for variant in ("Nguyễn Thị Hò\u200ba", unicodedata.normalize("NFD", "NGUYỄN THỊ HOÀ"), "Nguyen Thi Hoa"):
        r = api.post("/people", json={"name": variant})
        assert r.status_code == 409, variant
        assert [c["id"] for c in r.get_json()["error"]["candidates"]] == [person_id]
    assert people_count(db) == before


def test_a_cstd_bo_is_refused_with_two_cstd_co_so_and_accepted_with_three_consecutive(login, open_plan):
    api = login("vtc.canbo")
    p = new_person(api, "Trần Minh Quang", birth_date="1985-04-12", gender="male", id_number="001085012345")
    for year, number in ((2024, "12/QĐ-VTC"), (2025, "30/QĐ-VTC")):
        r = api.post(f"/people/{p['id']}/history", json={"award_type": "chien_si_thi_dua_co_so", "year": year,
                                                          "decision_number": number,
                                                          "decision_date": f"{year}-12-20"})
        assert r.status_code == 201 and r.get_json()["source"] == "imported"
    nom = nominate(api, open_plan, {"person_id": p["id"]}, award="chien_si_thi_dua_bo").get_json()
    elig = api.get(f"/nominations/{nom['id']}/eligibility").get_json()
    assert elig["eligible"] is False
    ladder = next(c for c in elig["checks"] if c["rule"] == "cstd_bo_ladder")
    assert ladder["result"] == "fail" and "Điều 22" in ladder["basis"] and "2024, 2025" in ladder["message"]
    # A reviewer above sees the same reasons.
    assert login("bo.chuyenvien").get(f"/nominations/{nom['id']}/eligibility").status_code == 404  # a draft
    r = api.post(f"/nominations/{nom['id']}/submit", json={"version": nom["version"]})
    assert r.status_code == 422
    err = r.get_json()["error"]
    assert err["code"] == "ineligible" and err["eligible"] is False
    assert any(c["rule"] == "cstd_bo_ladder" and c["result"] == "fail" for c in err["checks"])
    assert api.get(f"/nominations/{nom['id']}").get_json()["state"] == "draft"

    # The first of three, found in an old register: imported history counts.
    assert api.post(f"/people/{p['id']}/history", json={"award_type": "chien_si_thi_dua_co_so", "year": 2023,
                                                         "decision_number": "7/QĐ-VTC"}).status_code == 201
    assert api.get(f"/nominations/{nom['id']}/eligibility").get_json()["eligible"] is True
    r = api.post(f"/nominations/{nom['id']}/submit", json={"version": nom["version"]})
    assert r.status_code == 200, r.get_json()
    reviewer_view = login("bo.chuyenvien").get(f"/nominations/{nom['id']}/eligibility").get_json()
    assert reviewer_view["eligible"] is True
    profile = api.get(f"/people/{p['id']}").get_json()
    assert [(h["year"], h["award_type"], h["source"]) for h in profile["history"]] == [
        (2023, "chien_si_thi_dua_co_so", "imported"), (2024, "chien_si_thi_dua_co_so", "imported"),
        (2025, "chien_si_thi_dua_co_so", "imported")]


def test_an_ad_hoc_award_does_not_count_toward_the_ladder(login, open_plan):
    api = login("vtc.canbo")
    p = new_person(api, "Lê Thu Trang")
    for year, basis in ((2023, "dot_xuat"), (2024, "cong_trang"), (2025, "cong_trang")):
        api.post(f"/people/{p['id']}/history", json={"award_type": "chien_si_thi_dua_co_so", "year": year,
                                                      "decision_number": f"{year}/QĐ", "basis": basis})
    nom = nominate(api, open_plan, {"person_id": p["id"]}, award="chien_si_thi_dua_bo").get_json()
    ladder = next(c for c in api.get(f"/nominations/{nom['id']}/eligibility").get_json()["checks"]
                  if c["rule"] == "cstd_bo_ladder")
    assert ladder["result"] == "fail" and "đột xuất" in ladder["message"]


def test_a_person_under_discipline_is_refused_with_the_reason(login, open_plan):
    api = login("vtc.canbo")
    p = new_person(api, "Phạm Quốc Bảo")
    r = api.post(f"/people/{p['id']}/discipline", json={"from": "2026-06-01", "to": "2027-05-31",
                                                         "reason": "Khiển trách do vi phạm quy chế"})
    assert r.status_code == 201
    nom = nominate(api, open_plan, {"person_id": p["id"]}).get_json()
    r = api.post(f"/nominations/{nom['id']}/submit", json={"version": nom["version"]})
    assert r.status_code == 422
    err = r.get_json()["error"]
    assert "Khiển trách do vi phạm quy chế" in err["message"]
    check = next(c for c in err["checks"] if c["rule"] == "no_discipline")
    assert check["result"] == "fail" and "Điều 4" in check["basis"]
    assert api.get(f"/people/{p['id']}").get_json()["discipline"][0]["reason"] == "Khiển trách do vi phạm quy chế"


def test_an_unknown_history_is_a_warning_and_the_attestation_is_in_the_audit_log(login, open_plan):
    api = login("vtc.canbo")
    attested = nominate(api, open_plan, {"kind": "individual", "name": "Đỗ Hải Yến"},
                        award="chien_si_thi_dua_bo").get_json()
    elig = api.get(f"/nominations/{attested['id']}/eligibility").get_json()
    assert elig["eligible"] is None
    assert next(c for c in elig["checks"] if c["rule"] == "cstd_bo_ladder")["result"] == "unknown"
    text = "Đơn vị xác nhận: đạt CSTĐ cơ sở các năm 2023, 2024, 2025 (QĐ lưu tại đơn vị)."
    r = api.post(f"/nominations/{attested['id']}/submit", json={"version": 1, "attest": text})
    assert r.status_code == 200, r.get_json()
    events = api.get(f"/nominations/{attested['id']}/history").get_json()["items"]
    submit = next(e for e in events if e["action"] == "submit")
    assert submit["payload"]["attest"] == text
    assert submit["payload"]["eligibility"] == {"eligible": None, "unknown": ["cstd_bo_ladder"]}

    bare = nominate(api, open_plan, {"kind": "individual", "name": "Vũ Đức Anh"},
                    award="chien_si_thi_dua_bo").get_json()
    r = api.post(f"/nominations/{bare['id']}/submit", json={"version": 1})
    assert r.status_code == 200 and r.get_json()["state"] != "draft"
    submit = next(e for e in api.get(f"/nominations/{bare['id']}/history").get_json()["items"]
                  if e["action"] == "submit")
    assert "attest" not in submit["payload"] and submit["payload"]["eligibility"]["eligible"] is None


def test_bad_input_is_a_clear_422_and_nothing_is_recorded(login, db):
    api = login("vtc.canbo")
    before = people_count(db)
    for body, field in (({"name": "Hoàng Văn Nam", "id_number": "00108501234"}, "id_number"),
                        ({"name": "Hoàng Văn Nam", "birth_date": "2099-01-01"}, "birth_date"),
                        ({"name": "Hoàng Văn Nam", "birth_date": "2001-02-30"}, "birth_date"),
                        ({"name": "\u200b\u200b"}, "name"),
                        ({"name": "Hoàng Văn Nam", "kind": "robot"}, "kind")):
        r = api.post("/people", json=body)
        assert r.status_code == 422, body
        assert r.get_json()["error"]["field"] == field
    assert "12" in api.post("/people", json={"name": "X", "id_number": "12345678901"}).get_json()["error"]["message"]
    assert people_count(db) == before
    p = new_person(api, "Hoàng Văn Nam")
    r = api.post(f"/people/{p['id']}/history", json={"award_type": "giay_khen", "year": 1944,
                                                      "decision_number": "1/QĐ"})
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "year"
    assert "Năm 1944 không hợp lệ" in r.get_json()["error"]["message"] and "1945" in r.get_json()["error"]["message"]
    r = api.post("/people", json={"name": "Hoàng Văn Nam", "birth_date": "2099-01-01", "confirm_distinct": True})
    assert "01/01/2099" in r.get_json()["error"]["message"] and "tương lai" in r.get_json()["error"]["message"]
    r = api.post("/people", json={"name": "Hoàng Văn Nam", "id_number": "00108501234", "confirm_distinct": True})
    assert "12 chữ số" in r.get_json()["error"]["message"] and "11 ký tự" in r.get_json()["error"]["message"]
    r = api.post(f"/people/{p['id']}/history", json={"award_type": "khong_co", "year": 2020,
                                                      "decision_number": "1/QĐ"})
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "award_type"
    r = api.post(f"/people/{p['id']}/discipline", json={"from": "2026-05-01", "to": "2026-01-01", "reason": "x"})
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "to"
    with db.read() as s:
        assert s.execute(select(func.count()).select_from(PersonRecord)).scalar_one() == 0


def test_search_ignores_case_and_diacritics_and_keeps_to_what_the_caller_may_see(login):
    api = login("vtc.canbo")
    hoa = new_person(api, "Nguyễn Thị Hoà", id_number="001190004567")
    new_person(api, "Nguyễn Văn Thành")
    new_person(api, "Trần Thị Hoa", confirm_distinct=True)
    names = lambda q: [i["name"] for i in api.get("/people", query_string={"q": q}).get_json()["items"]]  # noqa: E731
    assert names("nguyen thi hoa") == ["Nguyễn Thị Hoà"]
    assert names("HÒA") == ["Nguyễn Thị Hoà", "Trần Thị Hoa"]
    assert names("nguyễn") == ["Nguyễn Thị Hoà", "Nguyễn Văn Thành"]
    assert names("thi hoa") == ["Nguyễn Thị Hoà", "Trần Thị Hoa"]
    assert names("0011900") == ["Nguyễn Thị Hoà"]
    page = api.get("/people", query_string={"q": "hoa", "limit": 1}).get_json()
    rest = api.get("/people", query_string={"q": "hoa", "limit": 1, "cursor": page["next_cursor"]}).get_json()
    assert [i["name"] for i in page["items"] + rest["items"]] == ["Nguyễn Thị Hoà", "Trần Thị Hoa"]
    other = login("baochi.canbo")
    assert other.get("/people", query_string={"q": "hoa"}).get_json()["items"] == []
    assert other.get(f"/people/{hoa['id']}").status_code == 404
    assert other.post(f"/people/{hoa['id']}/history", json={"award_type": "giay_khen", "year": 2020,
                                                            "decision_number": "1/QĐ"}).status_code == 404
    ministry = login("bo.chuyenvien")
    assert ministry.get(f"/people/{hoa['id']}").get_json()["name"] == "Nguyễn Thị Hoà"


def test_a_person_moves_to_another_unit_and_keeps_the_history(login, db):
    admin, officer = login("admin"), login("vtc.canbo")
    p = new_person(officer, "Bùi Thanh Tâm", id_number="001088000111")
    officer.post(f"/people/{p['id']}/history", json={"award_type": "giay_khen", "year": 2022, "decision_number": "5/QĐ"})
    baochi = login("baochi.canbo")
    baochi_org = baochi.get("/me").get_json()["org"]["id"]
    # The unit cannot hand its people to another unit; the administrator can.
    assert officer.patch(f"/people/{p['id']}", json={"org_id": baochi_org}).status_code == 403
    r = admin.patch(f"/people/{p['id']}", json={"org_id": baochi_org, "position": "Phó trưởng phòng"})
    assert r.status_code == 200, r.get_json()
    moved = baochi.get(f"/people/{p['id']}").get_json()
    assert moved["org"]["id"] == baochi_org and moved["position"] == "Phó trưởng phòng"
    assert [(h["year"], h["award_type"]) for h in moved["history"]] == [(2022, "giay_khen")]
    assert officer.get(f"/people/{p['id']}").status_code == 404
    other = new_person(baochi, "Bùi Văn Khải")
    r = baochi.patch(f"/people/{other['id']}", json={"id_number": "001088000111"})
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "duplicate"
    assert baochi.patch(f"/people/{other['id']}", json={"birth_date": "2999-01-01"}).status_code == 422
    events = admin.get("/audit", query_string={"action": "person_update"}).get_json()["items"]
    assert events and events[0]["payload"]["org_id"][1] == baochi_org


def test_a_dossier_with_a_nominee_under_discipline_is_not_submitted(login, open_plan):
    api = login("vtc.canbo")
    ok = new_person(api, "Tạ Quang Vinh")
    bad = new_person(api, "Tạ Thị Mơ")
    api.post(f"/people/{bad['id']}/discipline", json={"from": "2026-01-10", "reason": "Cảnh cáo"})
    d = api.post("/dossiers", json={"plan_id": open_plan, "number": "47/TTr-VTC"}).get_json()
    ids = []
    for p in (ok, bad):
        r = api.post(f"/dossiers/{d['id']}/nominations", json={
            "award_type": "giay_khen", "nominee": {"person_id": p["id"]}, "achievements": ACHIEVEMENTS})
        assert r.status_code == 201, r.get_json()
        ids.append(r.get_json()["nominations"][0]["id"])
    r = api.post(f"/dossiers/{d['id']}/submit")
    assert r.status_code == 422, r.get_json()
    rows = r.get_json()["error"]["rows"]
    assert [(x["nomination_id"], x["code"]) for x in rows] == [(ids[1], "ineligible")]
    assert "Cảnh cáo" in rows[0]["message"]
    assert {api.get(f"/nominations/{i}").get_json()["state"] for i in ids} == {"draft"}


JUNK = [None, True, 0, -1, 2**70, 1.5, "", " ", "\u200b", "x" * 5000, [], {}, ["a"], {"a": 1}, "2026-13-45",
        "'; DROP TABLE people; --", "<script>alert(1)</script>"]


def test_junk_in_any_field_is_a_4xx_never_a_server_error(login, open_plan):
    api = login("vtc.canbo")
    p = new_person(api, "Kiều Minh Đức")
    nom = nominate(api, open_plan, {"person_id": p["id"]}).get_json()
    bodies = {
        "/people": {"kind": "individual", "name": "Kiều Văn A", "birth_date": "1990-01-01", "gender": "male",
                    "id_number": "001090000999", "org_id": 1, "position": "x", "confirm_distinct": True},
        f"/people/{p['id']}/history": {"award_type": "giay_khen", "year": 2020, "decision_number": "1/QĐ",
                                       "decision_date": "2020-12-01", "basis": "cong_trang", "kind": "award"},
        f"/people/{p['id']}/discipline": {"from": "2026-01-01", "to": "2026-02-01", "reason": "x"},
        f"/people/{p['id']}/ratings": {"year": 2020, "rating": "htxs"},
        "/nominations/eligibility": {"plan_id": open_plan, "award_type": "giay_khen",
                                     "nominee": {"name": "Kiều Văn B", "kind": "individual"}},
        f"/nominations/{nom['id']}/submit": {"version": nom["version"], "attest": "x"},
    }
    for path, good in bodies.items():
        for field in good:
            for junk in JUNK:
                if path.endswith("/submit") and field == "version":
                    continue
                r = api.post(path, json={**good, field: junk})
                assert r.status_code < 500, (path, field, junk, r.status_code)
                if r.status_code >= 400:
                    assert r.get_json()["error"]["code"], (path, field, junk)
    for junk in ("\u200b", "%", "_", "\\", "a" * 300, "0" * 20, "ĐĐĐ"):
        assert api.get("/people", query_string={"q": junk}).status_code in (200, 422)
    for args in ({"cursor": "!!"}, {"cursor": "WzFd"}, {"org_id": "99999999"}, {"limit": "0"}, {"limit": "9999"}):
        assert api.get("/people", query_string=args).status_code in (200, 422), args
    assert api.patch(f"/people/{p['id']}", json={"name": None}).status_code == 422
    assert api.patch(f"/people/{p['id']}", json={"kind": "collective"}).status_code == 422
