"""Finding nominations by the person they name (issue 17, search): by the record's name typed with
or without diacritics, in any case, with either tone-mark placement, and by identity number
(CCCD) — in /nominations, the inbox, the API and the header's search box."""
from tests.browser_support import *
from tests.browser_support import WebUser

ACHIEVEMENTS = "Hoàn thành xuất sắc nhiệm vụ năm 2026."
CCCD = "001190004567"


def nominate(api, plan, nominee, award="giay_khen"):
    r = api.post("/nominations", json={"plan_id": plan, "award_type": award, "nominee": nominee,
                                       "achievements": ACHIEVEMENTS})
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def found(api, q, path="/nominations") -> list[int]:
    r = api.get(path, query_string={"q": q})
    assert r.status_code == 200, r.get_json()
    return [i["id"] for i in r.get_json()["items"]]


def test_a_nomination_is_found_by_its_persons_name_any_spelling_and_by_identity_number(login, open_plan):
    officer = login("vtc.canbo")
    hoa = officer.post("/people", json={"name": "Nguyễn Thị Hoà", "id_number": CCCD}).get_json()
    other = officer.post("/people", json={"name": "Lê Văn Toàn"}).get_json()
    mine = nominate(officer, open_plan, {"person_id": hoa["id"]})
    nominate(officer, open_plan, {"person_id": other["id"]})
    for q in ("nguyen thi hoa", "NGUYỄN THỊ HÒA", "Nguyễn Thị Hoà", "thi hoà", "hòa", CCCD, "001 190 004 567",
              "001.190.004.567"):
        assert found(officer, q) == [mine["id"]], q
    assert found(officer, "001190004568") == []
    # The register's own search takes the number whole too (and typed with dots).
    for q in (CCCD, "001.190.004.567"):
        assert [p["id"] for p in officer.get("/people", query_string={"q": q}).get_json()["items"]] == [hoa["id"]]

    # The record is renamed (a typo corrected): its nomination is found by the new name as well.
    r = officer.patch(f"/people/{hoa['id']}", json={"name": "Nguyễn Thị Thanh Hoà"})
    assert r.status_code == 200, r.get_json()
    assert found(officer, "thanh hoa") == [mine["id"]]
    assert found(officer, "nguyen thi thanh") == [mine["id"]]

    # The reviewer above finds it in the inbox by the number once it waits there; another unit never.
    r = officer.post(f"/nominations/{mine['id']}/submit", json={"version": mine["version"]})
    assert r.status_code == 200, r.get_json()
    council = login("vtc.hoidong")
    assert found(council, CCCD, "/inbox") == [mine["id"]]
    assert found(council, "thanh hoa", "/inbox") == [mine["id"]]
    assert found(login("baochi.canbo"), CCCD) == []
    assert login("baochi.canbo").get("/people", query_string={"q": CCCD}).get_json()["items"] == []


def test_the_header_search_lists_people_and_their_nominations(web_on, login, open_plan):
    api = login("vtc.canbo")
    p = api.post("/people", json={"name": "Đặng Quốc Huy", "id_number": "001088123456"}).get_json()
    nom = nominate(api, open_plan, {"person_id": p["id"]})
    officer = web_on("vtc.canbo")
    for q in ("dang quoc huy", "001088123456"):
        page = WebUser.text(officer.get("/people", query_string={"q": q}))
        assert 'id="people-results"' in page and "Đặng Quốc Huy" in page, q
        assert 'id="nomination-results"' in page and f'href="/nominations/{nom["id"]}"' in page, q
    profile = WebUser.text(officer.get(f"/people/{p['id']}"))  # the record lists its nominations
    assert 'id="person-nominations"' in profile and f'href="/nominations/{nom["id"]}"' in profile
    page = WebUser.text(officer.get("/nominations", query_string={"q": "001088123456"}))
    assert f'href="/nominations/{nom["id"]}"' in page
    none = WebUser.text(web_on("baochi.canbo").get("/people", query_string={"q": "001088123456"}))
    assert "Đặng Quốc Huy" not in none and "Không có hồ sơ đề nghị nào khớp" in none
