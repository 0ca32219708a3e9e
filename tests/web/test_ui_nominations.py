"""A nomination's page and its forms, as the people on its route use them (no browser)."""
import html
import re

from sqlalchemy import select

from workflow.models import AuditEvent, Nomination
from tests.browser_support import *
from tests.conftest import snapshot
from tests.scenarios import FULL_VOTE, act, draft, drive_to


def forms_on(body: str) -> set[str]:
    return set(re.findall(r'id="form-([a-z]+)"', body))


def test_an_officer_drafts_a_nomination_and_submits_it_from_its_page(web_on, db, open_plan):
    officer = web_on("vtc.canbo")
    page = officer.get("/nominations/new")
    assert page.status_code == 200 and "Lập hồ sơ đề nghị khen thưởng" in WebUser.text(page)
    r = officer.post("/nominations/new", {
        "plan_id": str(open_plan), "award_type": "chien_si_thi_dua_co_so", "nominee.kind": "individual",
        "nominee.name": "Trịnh Thu Thảo", "nominee.title": "Biên tập viên",
        "achievements": "Hoàn thành xuất sắc nhiệm vụ.\r\nCó sáng kiến được công nhận."})
    assert r.status_code == 303
    nid = int(r.headers["Location"].rsplit("/", 1)[1])
    body = WebUser.text(officer.get(f"/nominations/{nid}"))
    assert "Trịnh Thu Thảo" in body and "Đã lập hồ sơ" in body
    assert forms_on(body) == {"submit", "withdraw"}
    r = officer.post(f"/nominations/{nid}/act/submit", {"version": "1"})
    assert r.status_code == 303
    assert snapshot(db, nid)[0] == "council_review"
    with db.read() as s:
        stored = s.get(Nomination, nid).achievements
        actors = s.execute(select(AuditEvent.actor).where(AuditEvent.nomination_id == nid)).scalars().all()
    assert stored == "Hoàn thành xuất sắc nhiệm vụ.\nCó sáng kiến được công nhận."  # the browser's CRLF
    assert actors == ["vtc.canbo", "vtc.canbo"]


def test_a_draft_with_a_missing_name_is_shown_again_with_the_field_marked(web_on, open_plan):
    officer = web_on("vtc.canbo")
    r = officer.post("/nominations/new", {"plan_id": str(open_plan), "award_type": "giay_khen",
                                          "nominee.kind": "individual", "nominee.name": "  ",
                                          "achievements": "Thành tích đã nhập, không được mất."})
    body = WebUser.text(r)
    assert r.status_code == 422
    assert 'id="err-nominee-name"' in body and 'aria-invalid="true"' in body
    assert "Thành tích đã nhập, không được mất." in body


def test_the_council_secretary_records_the_vote_and_a_bad_tally_changes_nothing(web_on, db, users, open_plan):
    n = draft(db, users, open_plan, award="chien_si_thi_dua_co_so")
    act(db, users, "vtc.canbo", n.id, "submit")
    secretary = web_on("vtc.hoidong")
    body = WebUser.text(secretary.get(f"/nominations/{n.id}"))
    assert forms_on(body) == {"vote"} and "80% tổng số thành viên" in body
    before = snapshot(db, n.id)
    r = secretary.post(f"/nominations/{n.id}/act/vote", {"confirmed": "1", "version": "2", "votes.members": "10",
                                                         "votes.present": "5", "votes.yes": "5", "votes.no": "0"})
    assert r.status_code == 422 and "Không đủ số thành viên tham dự" in WebUser.text(r)
    r = secretary.post(f"/nominations/{n.id}/act/vote", {"confirmed": "1", "version": "2", "votes.members": "mười"})
    assert r.status_code == 422 and "votes.members" in WebUser.text(r)
    assert snapshot(db, n.id) == before
    r = secretary.post(f"/nominations/{n.id}/act/vote", {"confirmed": "1", "version": "2", "votes.members": "10",
                                                         "votes.present": "9", "votes.yes": "8", "votes.no": "1"})
    assert r.status_code == 303 and snapshot(db, n.id)[0] == "unit_review"


def test_the_reviewer_must_give_a_reason_to_return_and_the_officer_sees_it(web_on, db, users, open_plan):
    n = draft(db, users, open_plan, award="bang_khen_bo")
    drive_to(db, users, n.id, "ministry_review")
    reviewer = web_on("bo.chuyenvien")
    body = WebUser.text(reviewer.get(f"/nominations/{n.id}"))
    # The reviewer appraises and recommends (approve forwards to the minister), or returns / rejects.
    assert forms_on(body) == {"approve", "return", "reject"}
    version = snapshot(db, n.id)[1]
    r = reviewer.post(f"/nominations/{n.id}/act/return", {"version": str(version), "reason": ""})
    assert r.status_code == 422 and 'id="return-reason-err"' in WebUser.text(r)
    assert snapshot(db, n.id)[1] == version
    r = reviewer.post(f"/nominations/{n.id}/act/return",
                      {"confirmed": "1", "version": str(version), "reason": "Bổ sung báo cáo thành tích có xác nhận."})
    assert r.status_code == 303
    officer_page = WebUser.text(web_on("vtc.canbo").get(f"/nominations/{n.id}"))
    assert "Bổ sung báo cáo thành tích có xác nhận." in officer_page
    assert {"resubmit", "withdraw"} <= forms_on(officer_page)


def test_the_leader_decides_with_a_number_and_a_date_written_the_vietnamese_way(web_on, db, users, open_plan):
    n = draft(db, users, open_plan, award="bang_khen_bo")
    drive_to(db, users, n.id, "ministry_decision")  # appraised by the Vụ TĐKT, then the minister decides
    leader = web_on("bo.lanhdao")
    body = WebUser.text(leader.get(f"/nominations/{n.id}"))
    assert "decide" in forms_on(body) and 'placeholder="dd/mm/yyyy"' in body
    version = str(snapshot(db, n.id)[1])
    r = leader.post(f"/nominations/{n.id}/act/decide", {"confirmed": "1", "version": version, "decision.number": "88/QĐ-BTTTT",
                                                         "decision.date": "31/02/2026"})
    assert r.status_code == 422 and "31/02/2026" in WebUser.text(r)
    r = leader.post(f"/nominations/{n.id}/act/decide", {"confirmed": "1", "version": version, "decision.number": "88/QĐ-BTTTT",
                                                         "decision.date": "23/11/2026",
                                                         "decision.on_behalf_of": "KT. BỘ TRƯỞNG"})
    assert r.status_code == 303
    body = WebUser.text(leader.get(f"/nominations/{n.id}"))
    assert "Đã khen thưởng" in body and "88/QĐ-BTTTT" in body and "23/11/2026" in body
    assert "KT. BỘ TRƯỞNG" in body and forms_on(body) == set()


def test_a_stale_form_is_refused_with_a_clear_message_and_changes_nothing(web_on, db, users, open_plan):
    n = draft(db, users, open_plan)
    drive_to(db, users, n.id, "ministry_review")
    reviewer, leader = web_on("bo.chuyenvien"), web_on("bo.lanhdao")
    stale = str(snapshot(db, n.id)[1])
    reviewer.get(f"/nominations/{n.id}")
    leader.get(f"/nominations/{n.id}")
    assert reviewer.post(f"/nominations/{n.id}/act/approve", {"version": stale}).status_code == 303
    after = snapshot(db, n.id)
    r = leader.post(f"/nominations/{n.id}/act/return", {"confirmed": "1", "version": stale, "reason": "Thiếu biên bản."})
    body = WebUser.text(r)
    assert r.status_code == 409 and 'id="conflict-message"' in body
    assert "Có người vừa xử lý hồ sơ này trước bạn" in body and "Trung ương thẩm định" in body
    assert snapshot(db, n.id) == after
    r = leader.post(f"/nominations/{n.id}/act/approve", {"reason": "không có phiên bản"})
    assert r.status_code == 422 and snapshot(db, n.id) == after


def test_an_officer_edits_a_draft_and_a_stale_edit_keeps_their_text_aside(web_on, db, users, open_plan):
    n = draft(db, users, open_plan)
    officer = web_on("vtc.canbo")
    page = WebUser.text(officer.get(f"/nominations/{n.id}/edit"))
    assert "Nguyễn Văn An" in page and 'name="version" value="1"' in page
    form = {"version": "1", "award_type": "bang_khen_thu_tuong", "nominee.kind": "individual",
            "nominee.name": "Nguyễn Văn An", "nominee.title": "Phóng viên",
            "achievements": "Hoàn thành xuất sắc nhiệm vụ năm 2026; sáng kiến cấp cơ sở."}
    r = officer.post(f"/nominations/{n.id}/edit", form)
    assert r.status_code == 303 and snapshot(db, n.id)[1] == 1  # nothing changed, nothing written
    r = officer.post(f"/nominations/{n.id}/edit", {**form, "nominee.title": "Trưởng ban"})
    assert r.status_code == 303 and snapshot(db, n.id)[1] == 2
    r = officer.post(f"/nominations/{n.id}/edit", {**form, "achievements": "Nội dung mới của tôi."})
    body = WebUser.text(r)
    assert r.status_code == 409 and "Nội dung mới của tôi." in body and "chưa được lưu" in body
    assert snapshot(db, n.id)[1] == 2
    assert web_on("vtc.hoidong").get(f"/nominations/{n.id}/edit").status_code == 403


def test_the_page_shows_the_route_with_the_current_step_and_the_timeline(web_on, db, users, open_plan):
    n = draft(db, users, open_plan)
    drive_to(db, users, n.id, "ministry_review")
    body = WebUser.text(web_on("bo.chuyenvien").get(f"/nominations/{n.id}"))
    current = re.findall(r'<g class="([^"]*)" data-state="([a-z_]+)"', body)
    assert [s for css, s in current if "current" in css.split()] == ["ministry_review"]
    assert {s for css, s in current if "done" in css.split()} == {"draft", "council_review", "unit_review"}
    # The diagram's text form names the states by their labels and numbers them (no internal code).
    text = html.unescape(body.split('class="mermaid-text">')[1].split("</pre>")[0])
    assert text.startswith("stateDiagram-v2") and 'state "Bộ, ngành, tỉnh thẩm định" as s4' in text
    assert "class s4 current" in text and "ministry_review" not in text
    timeline = re.findall(r"<strong>([^<]+)</strong>", body.split('id="h-timeline"')[1])
    assert timeline == ["Lập hồ sơ đề nghị", "Trình", "Ghi kết quả bỏ phiếu", "Đồng ý, trình cấp trên"]
    assert "10/10 thành viên đồng ý" in body and "(còn 20 ngày làm việc)" in body


def test_vote_form_counts_come_from_the_form_fields_not_the_version(web_on, db, users, open_plan):
    n = draft(db, users, open_plan)
    act(db, users, "vtc.canbo", n.id, "submit")
    r = web_on("vtc.hoidong").post(f"/nominations/{n.id}/act/vote", {"confirmed": "1", "version": "2", **{
        f"votes.{k}": str(val) for k, val in FULL_VOTE.items()}})
    assert r.status_code == 303 and snapshot(db, n.id)[0] == "unit_review"
