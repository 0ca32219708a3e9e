"""Dossiers (hồ sơ trình) in the web UI, as the people on the route use them (no browser):
the list and the page, the council's tally for the whole list, the Excel import, reviewing
ticked rows, returning a whole dossier, aggregating upward and recording a decision."""
import io
import re

from workflow.models import Dossier
from workflow.dossiers import review as dossier_review
from workflow.dossiers import service as dossiers
from tests.browser_support import *
from tests.conftest import NOW, counts, snapshot
from tests.integration.test_dossier_lifecycle import nominee, person_row, workbook


def build(db, people, plan, names, *, number="45/TTr-VTC", award="bang_khen_thu_tuong") -> tuple[int, list[int]]:
    """A draft dossier of VTC listing `names`: (dossier id, nomination ids)."""
    officer = people["vtc.canbo"]
    d = dossiers.create_dossier(db, officer, plan_id=plan, number=number, now=NOW)
    ids = [dossiers.add_nominations(db, officer, d.id, nominee(name, award), now=NOW).added[0].id
           for name in names]
    return d.id, ids


def submitted(db, people, plan, names, **kw) -> tuple[int, list[int]]:
    did, ids = build(db, people, plan, names, **kw)
    dossier_review.submit_dossier(db, people["vtc.canbo"], did, now=NOW)
    return did, ids


def at_ministry(db, people, plan, names, **kw) -> tuple[int, list[int]]:
    """Submitted, voted by the whole council and forwarded by the unit head: `received`."""
    did, ids = submitted(db, people, plan, names, **kw)
    dossier_review.record_council_votes(db, people["vtc.hoidong"], did, {
        "members": 15, "present": 15, "results": [{"nomination_id": i, "yes": 15, "no": 0} for i in ids]}, now=NOW)
    dossier_review.review_dossier(db, people["vtc.thutruong"], did, {"action": "approve", "all": True}, now=NOW)
    return did, ids


def at_minister(db, people, plan, names, **kw) -> tuple[int, list[int]]:
    """`at_ministry`, then appraised by the Vụ TĐKT and — where the route has one — voted by the
    ministry's council: waiting for the minister."""
    did, ids = at_ministry(db, people, plan, names, **kw)
    dossier_review.review_dossier(db, people["bo.chuyenvien"], did, {"action": "approve", "all": True}, now=NOW)
    if snapshot(db, ids[0])[0] == "ministry_council":  # the ministry's council: a roster of 10 (orgs)
        dossier_review.record_council_votes(db, people["bo.hoidong"], did, {
            "members": 10, "present": 10, "results": [{"nomination_id": i, "yes": 10, "no": 0} for i in ids]},
            now=NOW)
    return did, ids


def state_of(db, dossier_id: int) -> tuple[str, int]:
    with db.read() as s:
        d = s.get(Dossier, dossier_id)
        return d.state, d.version


def version_on(body: str) -> str:
    return re.search(r'name="version" value="(\d+)"', body).group(1)


def forms_on(body: str) -> set[str]:
    return set(re.findall(r'<form [^>]*id="(form-[a-z-]+|rows-form)"', body))


def upload(user, path: str, data: bytes, version: str, name="danh-sach.xlsx"):
    return user.post(path, {"version": version, "file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_an_officer_opens_a_dossier_adds_a_nominee_and_submits_the_whole_list(web, sqlite_db, plan):
    officer = web("vtc.canbo")
    assert "Lập hồ sơ trình mới" in WebUser.text(officer.get("/dossiers"))
    assert officer.get("/dossiers/new").status_code == 200
    r = officer.post("/dossiers/new", {"plan_id": str(plan), "number": "45/TTr-VTC",
                                       "title": "Đề nghị Bằng khen Thủ tướng năm 2026"})
    assert r.status_code == 303
    did = int(r.headers["Location"].rsplit("/", 1)[1])
    page = WebUser.text(officer.get(f"/dossiers/{did}"))
    assert "Tờ trình 45/TTr-VTC" in page and "Dự thảo" in page and "Phiên bản 1" in page
    assert {"form-submit", "form-add", "form-import", "form-attach"} <= forms_on(page)
    r = officer.post(f"/dossiers/{did}/nominations", {
        "version": "1", "award_type": "bang_khen_thu_tuong", "nominee.kind": "individual",
        "nominee.name": "Trịnh Thu Thảo", "nominee.title": "Biên tập viên",
        "achievements": "Hoàn thành xuất sắc nhiệm vụ.\r\nCó sáng kiến được công nhận."})
    assert r.status_code == 303
    page = WebUser.text(officer.get(f"/dossiers/{did}"))
    assert "Trịnh Thu Thảo" in page and "Đã thêm 1 người/tập thể vào danh sách." in page
    r = officer.post(f"/dossiers/{did}/submit", {"version": version_on(page)})
    assert r.status_code == 303 and state_of(sqlite_db, did)[0] == "submitted"
    page = WebUser.text(officer.get(f"/dossiers/{did}"))
    assert "Đã trình hồ sơ 45/TTr-VTC: 1 người/tập thể." in page and "Hội đồng TĐKT xét" in page
    assert "form-submit" not in forms_on(page) and "form-add" not in forms_on(page)
    listing = WebUser.text(officer.get("/dossiers?direction=outgoing"))
    assert "45/TTr-VTC" in listing and "Đã trình" in listing
    r = officer.post("/dossiers/new", {"plan_id": str(plan), "number": "45/TTr-VTC"})
    assert r.status_code == 409 and 'id="err-number"' in WebUser.text(r)  # the unit's numbers are unique


def test_another_unit_gets_not_found_and_learns_nothing(web, sqlite_db, people, plan):
    did, ids = build(sqlite_db, people, plan, ["Hoàng Thị Bí Mật"], number="77/TTr-VTC")
    before = (counts(sqlite_db), state_of(sqlite_db, did))
    for username in ("baochi.canbo", "tinh.chuyenvien", "bo.chuyenvien"):  # the ministry: not before it is sent
        other = web(username)
        for path in (f"/dossiers/{did}", f"/dossiers/{did}/export.xlsx", f"/dossiers/{did}/attachments/1"):
            r = other.get(path)
            assert r.status_code == 404 and "Bí Mật" not in WebUser.text(r) and "77/TTr" not in WebUser.text(r)
        for path in (f"/dossiers/{did}/submit", f"/dossiers/{did}/return", f"/dossiers/{did}/nominations/{ids[0]}/remove"):
            assert other.post(path, {"version": "2", "reason": "x"}).status_code == 404, (username, path)
        r = upload(other, f"/dossiers/{did}/import", workbook([person_row(1, "Kẻ Lạ")]), "2")
        assert r.status_code == 404
        for path in ("/dossiers", "/dossiers?direction=incoming", "/dossiers?direction=waiting", "/decisions",
                     "/dossiers/aggregate"):
            body = WebUser.text(other.get(path))
            assert "77/TTr-VTC" not in body and "Bí Mật" not in body, (username, path)
    assert (counts(sqlite_db), state_of(sqlite_db, did)) == before
    # The secretary of the unit sees the draft but may not submit it: a friendly 403.
    r = web("vtc.hoidong").post(f"/dossiers/{did}/submit", {"version": "2"})
    assert r.status_code == 403 and "Bạn không có quyền làm việc này" in WebUser.text(r)
    dossier_review.submit_dossier(sqlite_db, people["vtc.canbo"], did, now=NOW)
    assert "77/TTr-VTC" in WebUser.text(web("bo.chuyenvien").get("/dossiers?direction=incoming"))
    assert web("tinh.chuyenvien").get(f"/dossiers/{did}").status_code == 404


def test_the_council_secretary_records_the_tally_for_the_whole_list(web, sqlite_db, people, plan):
    did, ids = submitted(sqlite_db, people, plan, ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"])
    secretary = web("vtc.hoidong")
    page = WebUser.text(secretary.get(f"/dossiers/{did}"))
    assert forms_on(page) >= {"form-votes"} and "form-submit" not in forms_on(page)
    assert len(re.findall(r'name="yes\.\d+"', page)) == 3 and 'for="yes-' in page
    assert 'name="ids"' not in page  # nothing to tick: the tally has its own form
    tally = {"confirmed": "1", "version": version_on(page), "members": "15", "present": "9", "written": "2",
             **{f"yes.{i}": "9" for i in ids}, **{f"no.{i}": "0" for i in ids}, "nomination_id": ids}
    before = [snapshot(sqlite_db, i) for i in ids]
    r = secretary.post(f"/dossiers/{did}/votes", tally)  # 9 of 15 present: under two thirds
    assert r.status_code == 422 and "Không đủ số thành viên tham dự" in WebUser.text(r)
    assert 'value="9"' in WebUser.text(r)  # what was typed stays in the form
    assert [snapshot(sqlite_db, i) for i in ids] == before
    tally.update({"present": "15", **{f"yes.{i}": "15" for i in ids}, f"yes.{ids[2]}": "7", f"no.{ids[2]}": "8"})
    r = secretary.post(f"/dossiers/{did}/votes", tally)
    assert r.status_code == 303
    assert [snapshot(sqlite_db, i)[0] for i in ids] == ["unit_review", "unit_review", "rejected"]
    page = WebUser.text(secretary.get(f"/dossiers/{did}"))
    assert "Đã ghi kết quả phiên họp Hội đồng. Không đạt: 1." in page
    assert "Có mặt 15/15 thành viên; đạt 2, không đạt 1" in page and "form-votes" not in forms_on(page)


def test_an_import_with_wrong_rows_shows_each_error_and_changes_nothing(web, sqlite_db, people, plan):
    did, _ = build(sqlite_db, people, plan, ["Lê Văn Cường"])
    officer = web("vtc.canbo")
    page = WebUser.text(officer.get(f"/dossiers/{did}"))
    assert f'/dossiers/template.xlsx?plan_id={plan}' in page
    template = officer.client.get(f"/dossiers/template.xlsx?plan_id={plan}")
    assert template.status_code == 200 and template.headers["Content-Disposition"].startswith("attachment")
    rows = [person_row(1, "Nguyễn Văn An"), person_row(2, "Nguyễn Văn Bình", "bang_khen_vu_tru"),
            person_row(3, None), person_row(4, "Lê Văn Cường")]
    before = (counts(sqlite_db), state_of(sqlite_db, did))
    r = upload(officer, f"/dossiers/{did}/import", workbook(rows), version_on(page))
    body = WebUser.text(r)
    assert r.status_code == 422 and 'id="import-errors"' in body
    table = body.split('id="import-errors"')[1].split("</table>")[0]
    cells = re.findall(r"<tr><td>(\d+)</td><td>([^<]+)</td>", table)
    assert cells == [("3", "Mã hình thức khen thưởng"), ("4", "Họ và tên / Tên tập thể"),
                     ("5", "Họ và tên / Tên tập thể")]
    assert "bang_khen_vu_tru" in table and "chưa nhập dòng nào" in body
    assert (counts(sqlite_db), state_of(sqlite_db, did)) == before
    r = upload(officer, f"/dossiers/{did}/import", b"not a workbook", version_on(page))
    assert r.status_code == 422 and (counts(sqlite_db), state_of(sqlite_db, did)) == before


def test_a_good_import_adds_every_row_and_the_list_exports_back(web, sqlite_db, people, plan):
    did, _ = build(sqlite_db, people, plan, [])
    officer = web("vtc.canbo")
    page = WebUser.text(officer.get(f"/dossiers/{did}"))
    rows = [person_row(1, "Nguyễn Văn An"), person_row(2, "Ban Thời sự", "giay_khen", "Tập thể")]
    r = upload(officer, f"/dossiers/{did}/import", workbook(rows), version_on(page))
    assert r.status_code == 303
    page = WebUser.text(officer.get(f"/dossiers/{did}"))
    assert "Đã nhập 2 người/tập thể từ tệp Excel." in page
    assert "Nguyễn Văn An" in page and "Ban Thời sự" in page and "Nhập danh sách từ Excel" in page
    r = officer.client.get(f"/dossiers/{did}/export.xlsx")
    assert r.status_code == 200 and r.headers["Content-Disposition"].startswith("attachment")
    from openpyxl import load_workbook
    values = [c for row in load_workbook(io.BytesIO(r.data)).active.iter_rows(values_only=True) for c in row]
    assert "Nguyễn Văn An" in values and "Ban Thời sự" in values


def test_the_reviewer_ticks_some_rows_and_sees_a_result_for_each(web, sqlite_db, people, plan):
    did, ids = at_ministry(sqlite_db, people, plan, ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"])
    reviewer = web("bo.chuyenvien")
    page = WebUser.text(reviewer.get(f"/dossiers/{did}"))
    assert 'data-select-all="ids"' in page and len(re.findall(r'name="ids" value="\d+"', page)) == 3
    # At the appraisal the reviewer forwards to the ministry's council (approve), returns or rejects;
    # sending up to the centre comes after the council, in an aggregate tờ trình.
    assert {"form-return", "rows-form"} <= forms_on(page) and 'id="aggregate-rows"' not in page
    assert 'value="approve"' in page
    assert "?select=all" in page  # choosing every row works without JavaScript too
    assert page.count('checked aria-label="Chọn') == 0
    assert WebUser.text(reviewer.get(f"/dossiers/{did}?select=all")).count('checked aria-label="Chọn') == 3
    r = reviewer.post(f"/dossiers/{did}/review", {"confirmed": "1", "version": version_on(page), "action": "return",
                                                  "reason": "Bổ sung báo cáo thành tích",
                                                  "ids": [str(ids[0]), str(ids[2]), "999999"]})
    body = WebUser.text(r)
    assert r.status_code == 200 and "Thành công 2 / 3 người." in body
    assert body.count('class="ok"') == 2 and body.count('class="failed"') == 1
    assert "không có trong hồ sơ trình 45/TTr-VTC" in body
    assert [snapshot(sqlite_db, i)[0] for i in ids] == ["returned", "ministry_review", "returned"]
    r = reviewer.post(f"/dossiers/{did}/review", {"confirmed": "1", "version": str(state_of(sqlite_db, did)[1]),
                                                  "action": "reject", "ids": [str(ids[1])]})
    assert r.status_code == 422 and 'id="rows-reason-err"' in WebUser.text(r)  # a reason is required
    assert snapshot(sqlite_db, ids[1])[0] == "ministry_review"
    r = reviewer.post(f"/dossiers/{did}/review", {"confirmed": "1", "version": str(state_of(sqlite_db, did)[1]), "action": "reject",
                                                  "reason": "Chưa đủ tiêu chuẩn"})
    assert r.status_code == 422 and "Hãy chọn ít nhất một người" in WebUser.text(r)


def test_the_unit_head_approves_every_row_with_the_all_option(web, sqlite_db, people, plan):
    did, ids = submitted(sqlite_db, people, plan, ["Nguyễn Văn An", "Trần Thị Bình"])
    dossier_review.record_council_votes(sqlite_db, people["vtc.hoidong"], did, {
        "members": 15, "present": 15, "results": [{"nomination_id": i, "yes": 15, "no": 0} for i in ids]}, now=NOW)
    head = web("vtc.thutruong")
    page = WebUser.text(head.get(f"/dossiers/{did}"))
    assert 'id="rows-all"' in page and 'value="approve"' in page and 'id="aggregate-rows"' not in page
    r = head.post(f"/dossiers/{did}/review", {"confirmed": "1", "version": version_on(page), "action": "approve", "all": "1"})
    assert r.status_code == 200 and "Thành công 2 / 2 người." in WebUser.text(r)
    assert state_of(sqlite_db, did)[0] == "received"


def test_returning_the_whole_dossier_needs_a_reason_and_the_unit_resubmits_it(web, sqlite_db, people, plan):
    did, ids = at_ministry(sqlite_db, people, plan, ["Nguyễn Văn An", "Trần Thị Bình"])
    reviewer = web("bo.chuyenvien")
    version = version_on(WebUser.text(reviewer.get(f"/dossiers/{did}")))
    before = state_of(sqlite_db, did)
    r = reviewer.post(f"/dossiers/{did}/return", {"confirmed": "1", "version": version, "reason": "  "})
    body = WebUser.text(r)
    assert r.status_code == 422 and 'id="return-reason-err"' in body and 'aria-invalid="true"' in body
    assert state_of(sqlite_db, did) == before
    r = reviewer.post(f"/dossiers/{did}/return", {"confirmed": "1", "version": version, "reason": "Thiếu biên bản họp Hội đồng"})
    assert r.status_code == 303 and state_of(sqlite_db, did)[0] == "returned"
    assert {snapshot(sqlite_db, i)[0] for i in ids} == {"returned"}
    officer = web("vtc.canbo")
    page = WebUser.text(officer.get(f"/dossiers/{did}"))
    assert "Thiếu biên bản họp Hội đồng" in page and "Trình lại hồ sơ" in page
    assert officer.post(f"/dossiers/{did}/submit", {"version": version_on(page)}).status_code == 303
    # The unit head who signed the tờ trình signs the supplemented one again.
    assert {snapshot(sqlite_db, i)[0] for i in ids} == {"unit_review"}


def test_the_ministry_aggregates_supported_nominees_into_its_outgoing_dossier(web, sqlite_db, people, plan):
    did, ids = at_minister(sqlite_db, people, plan, ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"])
    reviewer = web("bo.chuyenvien")
    assert "Tổng hợp trình Trung ương" in WebUser.text(reviewer.get("/dossiers"))
    page = WebUser.text(reviewer.get("/dossiers/aggregate"))
    assert "45/TTr-VTC" in page and len(re.findall(r'name="ids" value="\d+"', page)) == 3
    assert f'name="dossier_version" value="{did}:' in page
    versions = re.findall(r'name="dossier_version" value="([^"]+)"', page)
    r = reviewer.post("/dossiers/aggregate", {"dossier_version": versions, "aggregate.number": "",
                                              "ids": [str(ids[0])]})
    assert r.status_code == 422 and 'id="rows-aggregate-number-err"' in WebUser.text(r)
    # The reviewer drafts the tờ trình; nothing moves until the leader signs it.
    r = reviewer.post("/dossiers/aggregate", {"dossier_version": versions, "aggregate.number": "123/TTr-BTTTT",
                                              "aggregate.title": "Đề nghị Thủ tướng tặng Bằng khen",
                                              "ids": [str(ids[0]), str(ids[1])]})
    assert r.status_code == 303
    out = int(r.headers["Location"].rsplit("/", 1)[1])
    page = WebUser.text(reviewer.get(f"/dossiers/{out}"))
    assert "Tờ trình 123/TTr-BTTTT" in page and "Tờ trình tổng hợp" in page and 'id="form-sign"' not in page
    assert [snapshot(sqlite_db, i)[0] for i in ids] == ["ministry_decision"] * 3
    leader = web("bo.lanhdao")
    page = WebUser.text(leader.get(f"/dossiers/{out}"))
    assert 'id="form-sign"' in page
    r = leader.post(f"/dossiers/{out}/sign", {"confirmed": "1", "version": version_on(page), "on_behalf_of": "KT. BỘ TRƯỞNG"})
    assert r.status_code == 303
    page = WebUser.text(leader.get(f"/dossiers/{out}"))
    assert "Ban Thi đua - Khen thưởng Trung ương" in page and page.count("Trung ương thẩm định") >= 2
    assert [snapshot(sqlite_db, i)[0] for i in ids] == ["central_review", "central_review", "ministry_decision"]
    source = WebUser.text(reviewer.get(f"/dossiers/{did}"))
    assert "Đã tổng hợp" in source and f'href="/dossiers/{out}"' in source
    # The centre's own staff receive it.
    central = web("tw.chuyenvien")
    page = WebUser.text(central.get(f"/dossiers/{out}"))
    assert 'id="form-receive"' in page
    assert central.post(f"/dossiers/{out}/receive", {"version": version_on(page), "complete": "1"}).status_code == 303
    assert state_of(sqlite_db, out)[0] == "received"
    # The stale aggregate page (drawn before) cannot take the remaining nominee twice over.
    r = reviewer.post("/dossiers/aggregate", {"dossier_version": versions, "aggregate.number": "124/TTr-BTTTT",
                                              "ids": [str(ids[2])]})
    assert r.status_code == 409 and 'id="conflict-message"' in WebUser.text(r)
    assert snapshot(sqlite_db, ids[2])[0] == "ministry_decision"
    # From the source dossier's own page, with the "all" option: the leader drafts and signs at once.
    page = WebUser.text(leader.get(f"/dossiers/{did}"))
    r = leader.post("/dossiers/aggregate", {"dossier_id": str(did), "version": version_on(page), "all": "1",
                                            "aggregate.number": "124/TTr-BTTTT"})
    assert r.status_code == 303 and snapshot(sqlite_db, ids[2])[0] == "central_review"
    # The unit sees its people's nominations, not the ministry's aggregate dossier.
    assert web("vtc.canbo").get(f"/dossiers/{out}").status_code == 404
    assert f'href="/dossiers/{out}"' not in WebUser.text(web("vtc.canbo").get(f"/dossiers/{did}"))


def test_the_minister_records_one_decision_for_the_ticked_nominees(web, sqlite_db, people, plan):
    did, ids = at_minister(sqlite_db, people, plan, ["Nguyễn Văn An", "Trần Thị Bình"], award="bang_khen_bo")
    assert 'id="decide-rows"' not in WebUser.text(web("bo.chuyenvien").get(f"/dossiers/{did}"))
    leader = web("bo.lanhdao")
    page = WebUser.text(leader.get(f"/dossiers/{did}"))
    assert 'id="decide-rows"' in page and 'placeholder="dd/mm/yyyy"' in page
    form = {"dossier_id": str(did), "version": version_on(page), "ids": [str(i) for i in ids],
            "decision.number": "88/QĐ-BTTTT", "decision.date": "31/02/2026"}
    r = leader.post("/decisions", form)
    assert r.status_code == 422 and "31/02/2026" in WebUser.text(r) and 'id="rows-decision-date-err"' in WebUser.text(r)
    assert {snapshot(sqlite_db, i)[0] for i in ids} == {"ministry_decision"}
    r = leader.post("/decisions", {**form, "confirmed": "1", "decision.date": "23/11/2026", "decision.on_behalf_of": "KT. BỘ TRƯỞNG",
                                   "decision.signer": "Thứ trưởng Nguyễn Thanh Lâm"})
    assert r.status_code == 303 and "/decisions/" in r.headers["Location"]
    body = WebUser.text(leader.get(r.headers["Location"]))
    assert "Quyết định số 88/QĐ-BTTTT" in body and "23/11/2026" in body and "KT. BỘ TRƯỞNG" in body
    assert "Nguyễn Văn An" in body and "Trần Thị Bình" in body and "Đã khen thưởng" in body
    assert {snapshot(sqlite_db, i)[0] for i in ids} == {"awarded"}
    listing = WebUser.text(web("vtc.canbo").get("/decisions"))  # the unit sees the decision on its people
    assert "88/QĐ-BTTTT" in listing and "23/11/2026" in listing
    assert "88/QĐ-BTTTT" not in WebUser.text(web("tinh.canbo").get("/decisions"))
    page = WebUser.text(leader.get(f"/dossiers/{did}"))
    assert "Đã kết thúc" in page and "88/QĐ-BTTTT" in page


def test_a_stale_form_gets_the_conflict_message_and_changes_nothing(web, sqlite_db, people, plan):
    did, ids = build(sqlite_db, people, plan, ["Nguyễn Văn An"])
    desk, laptop = web("vtc.canbo"), web("vtc.canbo")  # the same officer in two windows
    stale = version_on(WebUser.text(desk.get(f"/dossiers/{did}")))
    laptop.get(f"/dossiers/{did}")
    r = laptop.post(f"/dossiers/{did}/nominations", {"version": stale, "award_type": "giay_khen",
                                                     "nominee.kind": "individual", "nominee.name": "Trần Thị Bình",
                                                     "achievements": "Hoàn thành tốt nhiệm vụ."})
    assert r.status_code == 303
    after = (counts(sqlite_db), state_of(sqlite_db, did))
    for path, form in ((f"/dossiers/{did}/submit", {}),
                       (f"/dossiers/{did}/nominations/{ids[0]}/remove", {}),
                       (f"/dossiers/{did}/nominations", {"award_type": "giay_khen", "nominee.kind": "individual",
                                                         "nominee.name": "Lê Văn Cường", "achievements": "Tốt."})):
        r = desk.post(path, {"version": stale, **form})
        body = WebUser.text(r)
        assert r.status_code == 409, path
        assert 'id="conflict-message"' in body and "Có người vừa thay đổi hồ sơ này trước bạn" in body
        assert "Trần Thị Bình" in body  # the page now shows the list as it is
    r = upload(desk, f"/dossiers/{did}/import", workbook([person_row(1, "Phạm Thị Dung")]), stale)
    assert r.status_code == 409
    assert (counts(sqlite_db), state_of(sqlite_db, did)) == after
    r = desk.post(f"/dossiers/{did}/submit", {})
    assert r.status_code == 422 and state_of(sqlite_db, did) == after[1]  # no version, no change


def test_the_dossier_pages_switch_to_english(web, sqlite_db, people, plan):
    did, _ = at_ministry(sqlite_db, people, plan, ["Nguyễn Văn An"])
    reviewer = web("bo.chuyenvien")
    body = WebUser.text(reviewer.get(f"/dossiers/{did}?lang=en"))
    assert '<html lang="en">' in body and "Dossier 45/TTr-VTC" in body and "Received" in body
    assert "Nominee list" in body and "Return the whole dossier" in body and "Ministry/province review" in body
    assert "Nguyễn Văn An" in body and "Đã tiếp nhận" not in body
    assert "Dossiers" in WebUser.text(reviewer.get("/dossiers")) and "Decisions" in WebUser.text(reviewer.get("/decisions"))
    body = WebUser.text(reviewer.get(f"/dossiers/{did}?lang=vi"))
    assert '<html lang="vi">' in body and "Đã tiếp nhận" in body and re.search(r"Ngày trình</dt><dd>23/11/2026", body)


def labelled(body: str) -> bool:
    labels = set(re.findall(r'<label for="([^"]+)"', body))
    controls = set(re.findall(r'<(?:input|select|textarea)[^>]* id="([^"]+)"', body))
    return labels <= controls and body.count("<h1") == 1


def test_every_form_on_the_dossier_pages_is_labelled_for_each_role(web, sqlite_db, people, plan):
    draft_id, _ = build(sqlite_db, people, plan, ["Nguyễn Văn An"], number="44/TTr-VTC")
    sent_id, _ = submitted(sqlite_db, people, plan, ["Trần Thị Bình"], number="46/TTr-VTC")
    up_id, _ = at_ministry(sqlite_db, people, plan, ["Lê Văn Cường"])
    for username, path in (("vtc.canbo", f"/dossiers/{draft_id}"), ("vtc.hoidong", f"/dossiers/{sent_id}"),
                           ("bo.chuyenvien", f"/dossiers/{up_id}"), ("bo.chuyenvien", "/dossiers/aggregate"),
                           ("bo.lanhdao", f"/dossiers/{up_id}"), ("kiemtra", f"/dossiers/{up_id}"),
                           ("vtc.canbo", "/dossiers/new"), ("vtc.canbo", "/dossiers"), ("admin", "/decisions")):
        r = web(username).get(path)
        assert r.status_code == 200 and labelled(WebUser.text(r)), (username, path)
    auditor = WebUser.text(web("kiemtra").get(f"/dossiers/{up_id}"))
    assert "<form" not in auditor.split("</header>", 2)[2].split('<footer')[0]  # the auditor only reads


def test_a_script_in_a_name_or_in_an_excel_cell_is_shown_as_text(web, sqlite_db, people, plan):
    evil = '<script>alert("x")</script>'
    did, _ = build(sqlite_db, people, plan, [evil])
    officer = web("vtc.canbo")
    page = WebUser.text(officer.get(f"/dossiers/{did}"))
    assert "<script>alert" not in page and "&lt;script&gt;alert(" in page
    r = upload(officer, f"/dossiers/{did}/import", workbook([person_row(1, "An", '<img src=x onerror=alert(1)>')]),
               version_on(page))
    assert r.status_code == 422 and "<img src=x" not in WebUser.text(r) and "&lt;img src=x" in WebUser.text(r)
