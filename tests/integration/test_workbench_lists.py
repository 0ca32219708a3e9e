"""The workbench's lists on SQLite and PostgreSQL, through the API as scripts and pages use it:
search by a name typed without diacritics or by a tờ trình's number, sort, totals and page
numbers, the actions every matching row allows, and one action on every matching row through
the nominations' bulk command (each row re-checked; its audit events written like any other)."""
from sqlalchemy import func, select

from workflow.models import AuditEvent, Nomination
from workflow.workbench import listing
from tests.conftest import snapshot
from tests.integration.test_dossier_lifecycle import add_people, to_ministry

NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em",
         "Vũ Thị Hồng Nhung", "Đặng Quốc Bảo", "Bùi Thanh Hoà"]


def items(r) -> list[str]:
    assert r.status_code == 200, r.get_json()
    return [n["nominee"]["name"] for n in r.get_json()["items"]]


def test_search_without_diacritics_sort_and_page_numbers(login, open_plan, db):
    _did, ids = to_ministry(login, open_plan, NAMES)
    reviewer = login("bo.chuyenvien")
    assert items(reviewer.get("/inbox?q=vu thi hong")) == ["Vũ Thị Hồng Nhung"]
    assert items(reviewer.get("/inbox?q=DANG QUOC")) == ["Đặng Quốc Bảo"]          # đ typed as d, capitals
    assert items(reviewer.get("/inbox?q=thanh hòa")) == ["Bùi Thanh Hoà"]            # both tone-mark places
    assert items(reviewer.get("/inbox?q=thi")) == ["Trần Thị Bình", "Phạm Thị Dung", "Vũ Thị Hồng Nhung"]
    assert len(items(reviewer.get("/inbox?q=45/TTr-VTC"))) == len(NAMES)             # the tờ trình's number
    assert items(reviewer.get(f"/nominations?q={ids[3]}")) == ["Phạm Thị Dung"]      # an id
    assert len(items(reviewer.get("/inbox?q=45"))) == len(NAMES)                     # a number "45/..."
    assert items(reviewer.get("/inbox?q=100%")) == []                                # LIKE wildcards are text

    body = reviewer.get("/inbox?sort=name&per_page=3").get_json()
    assert [n["nominee"]["name"] for n in body["items"]] == ["Bùi Thanh Hoà", "Đặng Quốc Bảo", "Hoàng Văn Em"]
    assert (body["total"], body["page"], body["pages"], body["sort"]) == (8, 1, 3, "name")
    assert body["counts"] == {"ministry_review": 8} and body["bulk_actions"] == ["approve", "return", "reject"]
    last = reviewer.get("/inbox?sort=name&per_page=3&page=3").get_json()
    assert [n["nominee"]["name"] for n in last["items"]] == ["Trần Thị Bình", "Vũ Thị Hồng Nhung"]
    assert items(reviewer.get("/inbox?sort=-name&per_page=1")) == ["Vũ Thị Hồng Nhung"]
    assert reviewer.get("/inbox?sort=-name&per_page=3&page=99").get_json()["page"] == 3  # past the end: the last

    # The contract's keyset paging is unchanged and now says how many there are.
    keyset = reviewer.get("/inbox?limit=5").get_json()
    assert keyset["total"] == 8 and len(keyset["items"]) == 5 and keyset["next_cursor"]
    assert reviewer.get("/nominations?limit=2&state=ministry_review").get_json()["total"] == 8

    for bad in ("sort=password", "sort=position", "page=0", "page=x", "per_page=501"):
        r = reviewer.get(f"/inbox?{bad}")
        assert r.status_code == 422, bad
    # Another ministry's reviewer finds nothing of it, by name or by number.
    assert items(login("tinh.chuyenvien").get("/nominations?q=nguyen van an")) == []
    assert items(login("tinh.chuyenvien").get("/nominations?q=45/TTr")) == []


def test_an_edited_name_is_found_by_its_new_spelling(login, open_plan, db):
    officer = login("vtc.canbo")
    r = officer.post("/nominations", json={"plan_id": open_plan, "award_type": "bang_khen_bo", "achievements": "Tốt.",
                                           "nominee": {"kind": "individual", "name": "Ngô Thanh Hương"}})
    nid = r.get_json()["id"]
    assert items(officer.get("/nominations?q=ngo thanh huong")) == ["Ngô Thanh Hương"]
    r = officer.patch(f"/nominations/{nid}", json={"nominee": {"kind": "individual", "name": "Ngô Thanh Hường"}})
    assert r.status_code == 200, r.get_json()
    with db.read() as s:
        assert s.get(Nomination, nid).search_key == "ngo thanh huong"
    assert items(officer.get("/nominations?q=hường")) == ["Ngô Thanh Hường"]


def test_actions_offered_are_those_every_matching_row_allows(login, open_plan, db):
    officer = login("vtc.canbo")
    r = officer.post("/dossiers", json={"plan_id": open_plan, "number": "46/TTr-VTC"})
    did = r.get_json()["id"]
    add_people(officer, did, ["Lý Văn Một", "Lý Văn Hai"])
    officer.post(f"/dossiers/{did}/submit")
    officer.post("/nominations", json={"plan_id": open_plan, "award_type": "bang_khen_bo", "achievements": "Tốt.",
                                       "nominee": {"kind": "individual", "name": "Lý Văn Ba"}})
    secretary = login("vtc.hoidong")
    assert secretary.get("/inbox?q=ly van").get_json()["bulk_actions"] == []  # a vote takes a tally per row
    page = officer.get("/nominations?q=ly van&sort=name").get_json()
    assert page["counts"] == {"council_review": 2, "draft": 1}
    assert page["bulk_actions"] == ["withdraw"]  # only a draft may be submitted: not offered for all
    assert officer.get("/nominations?q=ly van&state=draft").get_json()["bulk_actions"] == ["submit", "withdraw"]


def test_one_action_on_every_matching_row_goes_through_the_bulk_command(login, open_plan, db):
    _did, ids = to_ministry(login, open_plan, NAMES)
    reviewer = login("bo.chuyenvien")
    before = {i: snapshot(db, i) for i in ids}
    r = reviewer.post("/nominations/bulk/return", json={"match": {"scope": "inbox", "q": "thi"},
                                                        "reason": "Bổ sung bản xác nhận của Thủ trưởng."})
    assert r.status_code == 200 and r.get_json()["succeeded"] == 3, r.get_json()
    returned = {x["id"] for x in r.get_json()["results"]}
    assert returned == {ids[1], ids[3], ids[5]}
    for i in ids:
        state = snapshot(db, i)[0]
        assert state == ("returned" if i in returned else "ministry_review")
        if i in returned:  # one audit event more, written by the kernel with the reason
            assert snapshot(db, i)[3] == before[i][3] + 1
    with db.read() as s:
        reasons = s.execute(select(AuditEvent.reason).where(AuditEvent.nomination_id.in_(returned),
                                                            AuditEvent.action == "return")).scalars().all()
        assert reasons == ["Bổ sung bản xác nhận của Thủ trưởng."] * 3
    r = reviewer.post("/nominations/bulk/approve", json={"match": {"scope": "inbox", "q": "không ai tên này"}})
    assert r.status_code == 422
    r = reviewer.post("/nominations/bulk/approve", json={"match": {"scope": "dossier"}})
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "match"


def test_select_every_matching_row_is_bounded(db, users, monkeypatch, open_plan, login):
    to_ministry(login, open_plan, NAMES[:3])
    monkeypatch.setattr(listing, "MAX_MATCHING", 2)
    r = login("bo.chuyenvien").post("/nominations/bulk/approve", json={"match": {"scope": "inbox"}})
    assert r.status_code == 422 and "hãy lọc hẹp hơn" in r.get_json()["error"]["message"]
    with db.read() as s:
        assert s.execute(select(func.count()).select_from(Nomination)
                         .where(Nomination.state == "ministry_review")).scalar_one() == 3


def test_a_count_past_the_cap_says_more_than(login, open_plan, db, monkeypatch):
    to_ministry(login, open_plan, NAMES[:5])
    monkeypatch.setattr(listing, "COUNT_CAP", 3)
    reviewer = login("bo.chuyenvien")
    body = reviewer.get("/inbox?sort=name&per_page=2").get_json()
    assert (body["total"], body["total_capped"], body["pages"], body["counts"]) == (3, True, 2, {})
    keyset = reviewer.get("/inbox?limit=2").get_json()
    assert (keyset["total"], keyset["total_capped"]) == (3, True)
    exact = reviewer.get("/inbox?q=nguyen").get_json()
    assert exact["total"] == 1 and "total_capped" not in exact


def test_what_has_no_time_limit_comes_last_in_either_order(login, open_plan, db):
    _did, ids = to_ministry(login, open_plan, ["Trả Lại Một"])
    reviewer, officer = login("bo.chuyenvien"), login("vtc.canbo")
    assert reviewer.post(f"/nominations/{ids[0]}/return", json={"reason": "Bổ sung minh chứng."}).status_code == 200
    officer.post("/nominations", json={"plan_id": open_plan, "award_type": "bang_khen_bo", "achievements": "Tốt.",
                                       "nominee": {"kind": "individual", "name": "Dự Thảo Hai"}})
    for sort in ("due", "-due"):
        names = items(officer.get(f"/inbox?sort={sort}"))
        assert names[-1] == "Trả Lại Một" and "Dự Thảo Hai" in names, (sort, names)


def test_ids_too_large_for_their_columns_are_refused_politely(login, open_plan, db):
    reviewer = login("bo.chuyenvien")
    for query in ("plan_id=99999999999", "unit_id=4294967296", "page=99999999999999999999"):
        r = reviewer.get(f"/inbox?sort=due&{query}")
        assert r.status_code == 422, (query, r.get_json())
    assert reviewer.get("/nominations?q=999999999999999999").get_json()["total"] == 0  # a BIGINT id: no match
