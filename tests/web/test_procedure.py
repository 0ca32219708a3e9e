"""The procedure as the law writes it, walked through the API by the demo users (issue 15).

Councils vote at the level that submits the award (NĐ 98/2023 Art. 30(7)): the ministry's or the
province's council for CSTĐ bộ/tỉnh (≥ 90 % of all members), Cờ thi đua bộ/tỉnh and Cờ thi đua
Chính phủ (≥ 80 %); its minutes for Bằng khen Thủ tướng and Huân chương (Law Art. 84(2)). The
reviewer appraises and recommends; the leader signs upward; the Prime Minister or the President
decides on the central office's proposal. Huân chương nominees are posted 10 working days before
the council meets (Law Art. 84(5)). Numbers restart each year (NĐ 30/2020 Art. 15).
"""
from datetime import date, datetime, timedelta

from workflow.calendar.workdays import TZ, WorkCalendar

from tests.conftest import NOW

FULL = {"members": 10, "present": 10, "yes": 10, "no": 0}


def tally(yes: int, members: int = 10, present: int | None = None) -> dict:
    present = members if present is None else present
    return {"members": members, "present": present, "yes": yes, "no": present - yes}


def nominate(login, plan, award, *, officer="vtc.canbo", name="Nguyễn Văn An", kind="individual") -> int:
    r = login(officer).post("/nominations", json={
        "plan_id": plan, "award_type": award, "nominee": {"kind": kind, "name": name, "title": "Phóng viên"},
        "achievements": "Hoàn thành xuất sắc nhiệm vụ; sáng kiến được công nhận trong toàn Bộ."})
    assert r.status_code == 201, r.get_json()
    return r.get_json()["id"]


def do(login, user, nid, action, status=200, **body):
    r = login(user).post(f"/nominations/{nid}/{action}", json=body)
    assert r.status_code == status, (user, action, r.get_json())
    return r.get_json()


def walk(login, nid, steps) -> dict:
    """Each (user, action, body, state after) in turn."""
    out: dict = {}
    for user, action, body, state in steps:
        out = do(login, user, nid, action, **body)
        assert out["state"] == state, (user, action, out["state"])
    return out


def unit_part(unit="vtc") -> list:
    return [(f"{unit}.canbo", "submit", {}, "council_review"),
            (f"{unit}.hoidong", "vote", {"votes": FULL}, "unit_review"),
            (f"{unit}.thutruong", "approve", {}, "ministry_review")]


def at(local: datetime) -> datetime:
    return local.replace(tzinfo=TZ)


# --- councils at the ministry -------------------------------------------------------------

def test_cstd_bo_is_voted_by_the_ministry_council_and_9_of_10_members_pass_it(login, open_plan):
    nid = nominate(login, open_plan, "chien_si_thi_dua_bo")
    # The unit's council only proposes (more than half of its members): 6 of 10 is enough there.
    walk(login, nid, [("vtc.canbo", "submit", {}, "council_review"),
                      ("vtc.hoidong", "vote", {"votes": tally(6)}, "unit_review"),
                      ("vtc.thutruong", "approve", {}, "ministry_review"),
                      ("bo.chuyenvien", "approve", {"appraisal": "Đủ 3 năm CSTĐCS, sáng kiến cấp Bộ"},
                       "ministry_council")])
    assert do(login, "bo.hoidong", nid, "vote", votes=tally(9))["state"] == "ministry_decision"
    n = do(login, "bo.lanhdao", nid, "decide", decision={"number": "01/QĐ-BKHCN", "date": "2026-11-23"})
    assert n["state"] == "awarded"
    history = login("bo.lanhdao").get(f"/nominations/{nid}/history").get_json()["items"]
    council = [e for e in history if e["action"] == "vote" and e["from_state"] == "ministry_council"]
    assert council and council[0]["actor"] == "bo.hoidong"


def test_8_of_10_ministry_council_members_do_not_make_a_cstd_bo(login, open_plan):
    nid = nominate(login, open_plan, "chien_si_thi_dua_bo")
    walk(login, nid, [*unit_part(), ("bo.chuyenvien", "approve", {}, "ministry_council")])
    n = do(login, "bo.hoidong", nid, "vote", votes=tally(8))
    assert n["state"] == "rejected"


def test_co_thi_dua_bo_needs_80_percent_of_the_ministry_council(login, open_plan):
    passes = nominate(login, open_plan, "co_thi_dua_bo", name="Phòng Thời sự", kind="collective")
    fails = nominate(login, open_plan, "co_thi_dua_bo", name="Phòng Kỹ thuật", kind="collective")
    for nid in (passes, fails):
        walk(login, nid, [*unit_part(), ("bo.chuyenvien", "approve", {}, "ministry_council")])
    assert do(login, "bo.hoidong", passes, "vote", votes=tally(8))["state"] == "ministry_decision"
    assert do(login, "bo.hoidong", fails, "vote", votes=tally(7))["state"] == "rejected"


def test_a_quorum_of_exactly_two_thirds_is_accepted(login, open_plan):
    nid = nominate(login, open_plan, "bang_khen_bo")
    do(login, "vtc.canbo", nid, "submit")
    n = do(login, "vtc.hoidong", nid, "vote", votes=tally(6, members=9, present=6))
    assert n["state"] == "unit_review"
    other = nominate(login, open_plan, "bang_khen_bo", name="Trần Thị Bình")
    do(login, "vtc.canbo", other, "submit")
    r = login("vtc.hoidong").post(f"/nominations/{other}/vote", json={"votes": tally(5, members=9, present=5)})
    assert r.status_code == 422 and "6/9" in r.get_json()["error"]["message"]


# --- appraisal that recommends, the leader signing, the centre ------------------------------

def test_bang_khen_bo_the_reviewer_recommends_and_the_minister_decides(login, open_plan):
    nid = nominate(login, open_plan, "bang_khen_bo")
    walk(login, nid, unit_part())
    assert set(do(login, "bo.chuyenvien", nid, "approve", appraisal="Đề nghị tặng Bằng khen")["actions"]) == set()
    n = login("bo.lanhdao").get(f"/nominations/{nid}").get_json()
    assert n["state"] == "ministry_decision" and "decide" in n["actions"]
    n = do(login, "bo.lanhdao", nid, "decide", decision={"number": "02/QĐ-BKHCN", "date": "2026-11-23"})
    assert n["state"] == "awarded"


def test_bang_khen_thu_tuong_minutes_at_the_ministry_signed_kt_and_decided_by_the_prime_minister(login, open_plan):
    nid = nominate(login, open_plan, "bang_khen_thu_tuong")
    walk(login, nid, [*unit_part(),
                      ("bo.chuyenvien", "approve", {"appraisal": "Đủ điều kiện trình Thủ tướng"}, "ministry_council"),
                      ("bo.hoidong", "vote", {"votes": tally(6)}, "ministry_decision"),
                      ("bo.lanhdao", "approve", {"on_behalf_of": "KT. BỘ TRƯỞNG"}, "central_review"),
                      ("tw.chuyenvien", "approve", {"appraisal": "Ban TĐKT TW thẩm định: đủ điều kiện"},
                       "central_decision")])
    n = do(login, "tw.lanhdao", nid, "decide", decision={"number": "1234/QĐ-TTg", "date": "2026-11-23"})
    assert n["state"] == "awarded"
    history = login("kiemtra").get(f"/nominations/{nid}/history").get_json()["items"]
    signed = next(e for e in history if e["from_state"] == "ministry_decision")
    assert signed["actor"] == "bo.lanhdao" and signed["payload"]["signed"]["on_behalf_of"] == "KT. BỘ TRƯỞNG"
    decisions = login("tw.lanhdao").get("/decisions").get_json()["items"]
    d = next(x for x in decisions if x["number"] == "1234/QĐ-TTg")
    assert d["decider"] == "Thủ tướng Chính phủ"
    assert d["proposed_by"] == "Ban Thi đua - Khen thưởng Trung ương"


def test_the_province_submits_a_co_thi_dua_chinh_phu_with_its_own_council(login, open_plan):
    nid = nominate(login, open_plan, "co_thi_dua_chinh_phu", officer="tinh.canbo", name="Phòng Tổng hợp",
                   kind="collective")
    walk(login, nid, [*unit_part("tinh"),
                      ("tinh.chuyenvien", "approve", {"appraisal": "Sở Nội vụ: đủ điều kiện"}, "ministry_council"),
                      ("ubnd.hoidong", "vote", {"votes": tally(8)}, "ministry_decision"),
                      ("tinh.lanhdao", "approve", {}, "central_review"),
                      ("tw.chuyenvien", "approve", {}, "central_decision")])
    assert do(login, "tw.lanhdao", nid, "decide",
              decision={"number": "77/QĐ-TTg", "date": "2026-11-23"})["state"] == "awarded"


def test_a_return_from_the_centre_lands_at_the_ministry_that_submitted_it(login, open_plan):
    nid = nominate(login, open_plan, "bang_khen_thu_tuong")
    walk(login, nid, [*unit_part(), ("bo.chuyenvien", "approve", {}, "ministry_council"),
                      ("bo.hoidong", "vote", {"votes": FULL}, "ministry_decision"),
                      ("bo.lanhdao", "approve", {}, "central_review")])
    n = do(login, "tw.chuyenvien", nid, "return", reason="Bổ sung biên bản xét khen thưởng của Hội đồng Bộ")
    assert (n["state"], n["level"]) == ("ministry_review", "ministry")
    assert "approve" in login("bo.chuyenvien").get(f"/nominations/{nid}").get_json()["actions"]
    # The drafting unit is not asked: nothing waits for it.
    assert "resubmit" not in login("vtc.canbo").get(f"/nominations/{nid}").get_json()["actions"]


# --- public posting -------------------------------------------------------------------------

def tick(db, at_iso: str) -> dict:
    """`khenthuong scheduler tick --now ... --json` on this database, as an operator runs it."""
    import json
    import os
    import subprocess
    import sys
    r = subprocess.run([sys.executable, "-m", "web.cli", "scheduler", "tick", "--now", at_iso, "--json"],
                       capture_output=True, text=True, timeout=120,
                       env={**os.environ, "KHENTHUONG_DATABASE_URL": db.url})
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_a_posted_huan_chuong_nominee_cannot_be_voted_on_until_the_window_ends(login, open_plan, client, clock, db):
    nid = nominate(login, open_plan, "huan_chuong_lao_dong_hang_ba", name="Lê Thị Hồng")
    walk(login, nid, [*unit_part(), ("bo.chuyenvien", "approve", {"appraisal": "Đủ điều kiện"}, "ministry_posting")])
    # Posted from today for 10 working days, counted from the next day (BLDS Art. 147–148);
    # 24/11/2026 is a day off (Ngày Văn hóa Việt Nam).
    cal = WorkCalendar()
    until = cal.period_end(cal.add_working_days(date(2026, 11, 23), 10))
    assert until == date(2026, 12, 8)
    public = client.get("/api/v1/public/postings")  # no login
    assert public.status_code == 200
    posted = [p for p in public.get_json()["items"] if p["nominee"]["name"] == "Lê Thị Hồng"]
    assert posted == [{"nominee": {"name": "Lê Thị Hồng", "kind": "individual"},
                       "unit": "Tổng công ty Truyền thông đa phương tiện (VTC)",
                       "award": {"code": "huan_chuong_lao_dong_hang_ba", "name": "Huân chương Lao động hạng Ba",
                                 "name_en": "Labour Order, Third Class"},
                       "posted_from": "2026-11-23", "posted_until": "2026-12-08",
                       "posted_by": "Bộ Khoa học và Công nghệ", "comments_to": "vu.tdkt@most.example.vn"}]
    page = client.get("/cong-khai")
    assert page.status_code == 200 and "Lê Thị Hồng" in page.get_data(as_text=True)
    assert "08/12/2026" in page.get_data(as_text=True)

    # The council's secretary puts the posted list on the council's session.
    assert "approve" not in login("bo.chuyenvien").get(f"/nominations/{nid}").get_json()["actions"]
    do(login, "bo.hoidong", nid, "approve")
    for day in (NOW, at(datetime(2026, 12, 8, 16, 0))):
        clock.now = day
        r = fresh(client, "bo.hoidong").post(f"/nominations/{nid}/vote", json={"votes": FULL})
        assert r.status_code == 409, r.get_json()
        message = r.get_json()["error"]["message"]
        assert "08/12/2026" in message and "09/12/2026" in message and "Điều 84" in message
    # The operators' rehearsal of the deadlines on the last day of the window: the council's step
    # is reminded, the nomination stays where it is.
    rehearsal = tick(db, "2026-12-08T16:00:00+07:00")
    assert any(e["id"] == nid for e in rehearsal["events"]), rehearsal
    assert login("admin").get(f"/nominations/{nid}").get_json()["state"] == "ministry_council"
    clock.now = at(datetime(2026, 12, 9, 9, 0))
    login = lambda user: fresh(client, user)  # noqa: E731
    assert do(login, "bo.hoidong", nid, "vote", votes=FULL)["state"] == "ministry_decision"
    walk(login, nid, [("bo.lanhdao", "approve", {}, "central_review"),
                      ("tw.chuyenvien", "approve", {}, "central_decision")])
    do(login, "tw.lanhdao", nid, "decide", decision={"number": "2001/QĐ-CTN", "date": "2026-12-09"})
    d = next(x for x in login("tw.lanhdao").get("/decisions").get_json()["items"] if x["number"] == "2001/QĐ-CTN")
    assert d["decider"] == "Chủ tịch nước"
    # Once the window has passed the nominee is no longer listed.
    clock.now = at(datetime(2026, 12, 10, 9, 0))
    names = [p["nominee"]["name"] for p in client.get("/api/v1/public/postings").get_json()["items"]]
    assert "Lê Thị Hồng" not in names


# --- numbering ------------------------------------------------------------------------------

def to_decision(login, plan, name) -> int:
    nid = nominate(login, plan, "bang_khen_bo", name=name)
    walk(login, nid, [*unit_part(), ("bo.chuyenvien", "approve", {}, "ministry_decision")])
    return nid


def fresh(client, username):
    """A token issued at the clock's time (a token from weeks earlier has expired)."""
    from tests.conftest import DEMO_PASSWORD, ApiClient
    r = client.post("/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD})
    assert r.status_code == 201
    return ApiClient(client, r.get_json()["token"])


def test_decision_numbers_restart_on_1_january_and_a_reused_number_is_refused(login, open_plan, clock, client):
    first, second, third, fourth = (to_decision(login, open_plan, name) for name in (
        "Nguyễn Văn Một", "Nguyễn Văn Hai", "Nguyễn Văn Ba", "Nguyễn Văn Bốn"))
    clock.now = at(datetime(2026, 12, 31, 10, 0))
    leader = fresh(client, "bo.lanhdao")
    login = lambda user: leader if user == "bo.lanhdao" else fresh(client, user)  # noqa: E731
    assert leader.get("/decisions/next-number").get_json()["number"] == "01/QĐ-BKHCN"
    do(login, "bo.lanhdao", first, "decide", decision={"number": "01/QĐ-BKHCN", "date": "2026-12-31"})
    assert leader.get("/decisions/next-number").get_json() == {
        "number": "02/QĐ-BKHCN", "year": 2026, "symbol": "QĐ-BKHCN", "kind": "decision"}

    clock.now = at(datetime(2027, 1, 1, 10, 0))
    leader = fresh(client, "bo.lanhdao")
    assert leader.get("/decisions/next-number").get_json()["number"] == "01/QĐ-BKHCN"
    n = do(login, "bo.lanhdao", second, "decide", decision={"number": "01/QĐ-BKHCN", "date": "2027-01-01"})
    assert n["state"] == "awarded"
    decisions = {(d["number"], d["year"]) for d in leader.get("/decisions").get_json()["items"]}
    assert {("01/QĐ-BKHCN", 2026), ("01/QĐ-BKHCN", 2027)} <= decisions

    # The same number again this year (written "1/" or "01/") is refused, naming the decision.
    existing = next(d for d in leader.get("/decisions").get_json()["items"] if d["year"] == 2027)
    r = leader.post(f"/nominations/{third}/decide",
                    json={"decision": {"number": "1/QĐ-BKHCN", "date": "2027-01-01", "signer": "Người khác"}})
    assert r.status_code == 409
    assert f"#{existing['id']}" in r.get_json()["error"]["message"]
    assert login("admin").get(f"/nominations/{third}").get_json()["state"] == "ministry_decision"
    # An issued decision takes nobody more, even when asked.
    r = leader.post(f"/nominations/{third}/decide",
                    json={"decision": {"number": "01/QĐ-BKHCN", "date": "2027-01-01", "add_to_existing": True}})
    assert r.status_code == 409 and "đã ban hành" in r.get_json()["error"]["message"]
    # A decision not yet issued takes more nominees when the user says so explicitly.
    do(login, "bo.lanhdao", third, "decide", decision={"number": "02/QĐ-BKHCN", "date": "2027-01-01",
                                                        "issued": False})
    do(login, "bo.lanhdao", fourth, "decide", status=409, decision={"number": "02/QĐ-BKHCN", "date": "2027-01-01"})
    do(login, "bo.lanhdao", fourth, "decide", decision={"number": "02/QĐ-BKHCN", "date": "2027-01-01",
                                                         "add_to_existing": True})
    d = next(x for x in leader.get("/decisions").get_json()["items"] if x["number"] == "02/QĐ-BKHCN")
    assert d["awarded"] == 2 and d["issued"] is False


def test_to_trinh_numbers_restart_on_1_january(open_plan, clock, client):
    clock.now = at(datetime(2026, 12, 31, 10, 0))
    officer = fresh(client, "vtc.canbo")
    assert officer.post("/dossiers", json={"plan_id": open_plan, "number": "01/TTr-VTC"}).status_code == 201
    again = officer.post("/dossiers", json={"plan_id": open_plan, "number": "1/TTr-VTC"})
    assert again.status_code == 409 and "02/TTr-VTC" in again.get_json()["error"]["message"]
    assert officer.get("/decisions/next-number?kind=dossier").get_json()["number"] == "02/TTr-VTC"
    clock.now += timedelta(days=1)
    officer = fresh(client, "vtc.canbo")
    assert officer.post("/dossiers", json={"plan_id": open_plan, "number": "01/TTr-VTC"}).status_code == 201


# --- the central procedure ----------------------------------------------------------------

def test_the_central_clock_runs_from_a_complete_dossier_and_stops_while_others_are_consulted(
        login, open_plan, clock, client):
    nid = nominate(login, open_plan, "bang_khen_thu_tuong")
    walk(login, nid, [*unit_part(), ("bo.chuyenvien", "approve", {}, "ministry_council"),
                      ("bo.hoidong", "vote", {"votes": FULL}, "ministry_decision")])
    r = login("bo.chuyenvien").post("/dossiers/aggregate", json={"number": "15/TTr-BTTTT", "nomination_ids": [nid]})
    assert r.status_code == 201 and r.get_json()["state"] == "draft"
    out = r.get_json()["id"]
    assert login("bo.lanhdao").post(f"/dossiers/{out}/sign", json={"on_behalf_of": "KT. BỘ TRƯỞNG"}).status_code == 200
    cal = WorkCalendar()
    # On arrival (Mon 23/11/2026): 5 working days to return it if incomplete (24/11 is a day off).
    n = login("tw.chuyenvien").get(f"/nominations/{nid}").get_json()
    assert n["state"] == "central_review" and n["due_at"].startswith(cal.add_working_days(date(2026, 11, 23), 5).isoformat())
    central = login("tw.chuyenvien")
    assert central.post(f"/dossiers/{out}/receive").get_json()["state"] == "received"
    # Complete on Wed 25/11: 20 working days from then.
    clock.now = at(datetime(2026, 11, 25, 9, 0))
    central = fresh(client, "tw.chuyenvien")
    n = central.post(f"/nominations/{nid}/appraisal/complete").get_json()
    assert n["due_at"].startswith(cal.add_working_days(date(2026, 11, 25), 20).isoformat())
    # Consulting other bodies stops the clock; their opinions on 04/12 give 10 more working days.
    n = central.post(f"/nominations/{nid}/appraisal/consult", json={"reason": "Lấy ý kiến Bộ Công an"}).get_json()
    assert n["due_at"] is None and n["state"] == "central_review"
    assert central.post(f"/nominations/{nid}/appraisal/consult").status_code == 409
    clock.now = at(datetime(2026, 12, 4, 9, 0))
    central = fresh(client, "tw.chuyenvien")
    n = central.post(f"/nominations/{nid}/appraisal/resume").get_json()
    assert n["due_at"].startswith(cal.add_working_days(date(2026, 12, 4), 10).isoformat())
    assert fresh(client, "bo.chuyenvien").post(f"/nominations/{nid}/appraisal/complete").status_code in (403, 404)
    # Appraised, then decided by the Prime Minister; the ministry is told copies come within 10 working days.
    assert central.post(f"/nominations/{nid}/approve").get_json()["state"] == "central_decision"
    leader = fresh(client, "tw.lanhdao")
    r = leader.post(f"/nominations/{nid}/decide", json={"decision": {"number": "99/QĐ-TTg", "date": "2026-12-04"}})
    assert r.status_code == 200, r.get_json()
    d = next(x for x in leader.get("/decisions").get_json()["items"] if x["number"] == "99/QĐ-TTg")
    assert d["follow_up_by"] == cal.add_working_days(date(2026, 12, 4), 10).isoformat()
    notes = fresh(client, "bo.chuyenvien").get("/notifications").get_json()["items"]
    assert any("99/QĐ-TTg" in x["message"] and "10 ngày làm việc" in x["message"] for x in notes)


def test_cstd_toan_quoc_is_posted_then_needs_90_percent_of_the_ministry_council(login, open_plan, clock, client):
    passes = nominate(login, open_plan, "chien_si_thi_dua_toan_quoc", name="Trịnh Văn Chín")
    fails = nominate(login, open_plan, "chien_si_thi_dua_toan_quoc", name="Trịnh Văn Tám")
    for nid in (passes, fails):
        walk(login, nid, [*unit_part(), ("bo.chuyenvien", "approve", {}, "ministry_posting"),
                          ("bo.hoidong", "approve", {}, "ministry_council")])
    names = {p["nominee"]["name"] for p in client.get("/api/v1/public/postings").get_json()["items"]}
    assert {"Trịnh Văn Chín", "Trịnh Văn Tám"} <= names
    clock.now = at(datetime(2026, 12, 9, 9, 0))  # the window (to 08/12/2026) has ended
    council = fresh(client, "bo.hoidong")
    assert council.post(f"/nominations/{passes}/vote", json={"votes": tally(9)}).get_json()["state"] == \
        "ministry_decision"
    assert council.post(f"/nominations/{fails}/vote", json={"votes": tally(8)}).get_json()["state"] == "rejected"
    minister, central = fresh(client, "bo.lanhdao"), fresh(client, "tw.chuyenvien")
    assert minister.post(f"/nominations/{passes}/approve").get_json()["state"] == "central_review"
    assert central.post(f"/nominations/{passes}/approve").get_json()["state"] == "central_decision"
    r = fresh(client, "tw.lanhdao").post(f"/nominations/{passes}/decide",
                                         json={"decision": {"number": "300/QĐ-TTg", "date": "2026-12-09"}})
    assert r.status_code == 200 and r.get_json()["state"] == "awarded"


def test_unit_titles_and_giay_khen_are_decided_by_the_unit_head_after_its_council(login, open_plan):
    # Law Art. 80: the head of the unit decides LĐTT and CSTĐ cơ sở (≥ 80 % of the unit council,
    # NĐ 98 Art. 30(7)); Giấy khen falls to the nominee's own head where no department level exists.
    for award, votes, number in (("lao_dong_tien_tien", tally(6), "20/QĐ-VTC"),
                                 ("chien_si_thi_dua_co_so", tally(8), "21/QĐ-VTC"),
                                 ("giay_khen", tally(6), "22/QĐ-VTC")):
        nid = nominate(login, open_plan, award, name=f"Cán bộ {number}")
        walk(login, nid, [("vtc.canbo", "submit", {}, "council_review"),
                          ("vtc.hoidong", "vote", {"votes": votes}, "unit_review")])
        n = do(login, "vtc.thutruong", nid, "decide", decision={"number": number, "date": "2026-11-23"})
        assert n["state"] == "awarded", award
    low = nominate(login, open_plan, "chien_si_thi_dua_co_so", name="Cán bộ bảy phiếu")
    do(login, "vtc.canbo", low, "submit")
    assert do(login, "vtc.hoidong", low, "vote", votes=tally(7))["state"] == "rejected"


# --- the central council: Anh hùng -----------------------------------------------------------

def test_anh_hung_lao_dong_is_voted_by_the_central_council_before_the_president_decides(login, open_plan,
                                                                                          client, clock):
    # NĐ 98/2023 Art. 41(1): the Ban TĐKT Trung ương appraises and, with the opinion of the Hội đồng
    # TĐKT Trung ương, submits to the Prime Minister; Art. 47(4)(b): that session needs 90 % of all
    # members present and each case 90 % of all members in favour (written votes count). The demo's
    # central council has 18 members (tw.hoidong records its ballots): 17 must take part, 17 agree.
    hero, other = (nominate(login, open_plan, "anh_hung_lao_dong", name=name)
                   for name in ("Vũ Đình Hùng", "Vũ Đình Lực"))
    for nid in (hero, other):
        walk(login, nid, [*unit_part(),
                          ("bo.chuyenvien", "approve", {"appraisal": "Đủ 10 năm cống hiến"}, "ministry_posting"),
                          ("bo.hoidong", "approve", {}, "ministry_council")])
    posted = {p["nominee"]["name"] for p in client.get("/api/v1/public/postings").get_json()["items"]}
    assert {"Vũ Đình Hùng", "Vũ Đình Lực"} <= posted
    clock.now = at(datetime(2026, 12, 9, 9, 0))  # the posting window (to 08/12/2026) has ended
    login = lambda user: fresh(client, user)  # noqa: E731
    for nid in (hero, other):
        walk(login, nid, [("bo.hoidong", "vote", {"votes": tally(9)}, "ministry_decision"),
                          ("bo.lanhdao", "approve", {"on_behalf_of": "KT. BỘ TRƯỞNG"}, "central_review"),
                          ("tw.chuyenvien", "approve", {"appraisal": "Ban TĐKT TW: đủ tiêu chuẩn Anh hùng"},
                           "central_council")])
    council = login("tw.hoidong")
    n = council.get(f"/nominations/{hero}").get_json()
    assert n["level"] == "central" and "vote" in n["actions"]
    # Only the central council's secretary records it: not the central reviewer, not the ministry's.
    assert "vote" not in login("tw.chuyenvien").get(f"/nominations/{hero}").get_json()["actions"]
    assert login("bo.hoidong").post(f"/nominations/{hero}/vote",
                                    json={"votes": tally(17, 18)}).status_code in (403, 404)
    # 16 of 18 present is no quorum for an Anh hùng session (two thirds would be enough elsewhere).
    r = council.post(f"/nominations/{hero}/vote", json={"votes": tally(16, 18, present=16)})
    assert r.status_code == 422 and "17/18" in r.get_json()["error"]["message"]
    # The roster says 18: a tally claiming 10 members is refused.
    assert council.post(f"/nominations/{hero}/vote", json={"votes": tally(10, 10)}).status_code == 422
    assert do(login, "tw.hoidong", hero, "vote", votes=tally(17, 18))["state"] == "central_decision"
    assert do(login, "tw.hoidong", other, "vote", votes=tally(16, 18, present=18))["state"] == "rejected"
    n = do(login, "tw.lanhdao", hero, "decide", decision={"number": "1500/QĐ-CTN", "date": "2026-12-09"})
    assert n["state"] == "awarded"
    d = next(x for x in login("tw.lanhdao").get("/decisions").get_json()["items"] if x["number"] == "1500/QĐ-CTN")
    assert d["decider"] == "Chủ tịch nước" and d["proposed_by"] == "Ban Thi đua - Khen thưởng Trung ương"
    history = login("kiemtra").get(f"/nominations/{hero}/history").get_json()["items"]
    ballots = {e["from_state"]: (e["actor"], e["payload"]["votes"]["yes"], e["payload"]["votes"]["members"])
               for e in history if e["action"] == "vote"}
    assert ballots == {"council_review": ("vtc.hoidong", 10, 10), "ministry_council": ("bo.hoidong", 9, 10),
                       "central_council": ("tw.hoidong", 17, 18)}


# --- the commune (two-level local government) ---------------------------------------------------

def test_the_commune_chairman_decides_a_giay_khen_after_the_commune_council(login, open_plan):
    # Law Art. 75, 80(3); NĐ 129/2025 Art. 59: the commune chairman grants Giấy khen after the
    # commune's council (its roster: 7 members, more than half in favour).
    nid = nominate(login, open_plan, "giay_khen", officer="xa.canbo", name="Lò Văn Thành")
    n = walk(login, nid, [("xa.canbo", "submit", {}, "council_review"),
                          ("xa.hoidong", "vote", {"votes": tally(4, members=7, present=5)}, "unit_review")])
    assert n["actions"] == [] and "decide" in login("xa.chutich").get(f"/nominations/{nid}").get_json()["actions"]
    # Nobody above the commune is asked.
    assert login("tinh.chuyenvien").get(f"/nominations/{nid}").get_json()["actions"] == []
    n = do(login, "xa.chutich", nid, "decide", decision={"number": "05/QĐ-UBND", "date": "2026-11-23"})
    assert n["state"] == "awarded"
    history = login("xa.chutich").get(f"/nominations/{nid}/history").get_json()["items"]
    assert [(e["actor"], e["action"]) for e in history] == [
        ("xa.canbo", "create"), ("xa.canbo", "submit"), ("xa.hoidong", "vote"), ("xa.chutich", "decide")]
    # Four of seven is more than half; three of seven is not.
    low = nominate(login, open_plan, "giay_khen", officer="xa.canbo", name="Lò Văn Hải")
    do(login, "xa.canbo", low, "submit")
    assert do(login, "xa.hoidong", low, "vote", votes=tally(3, members=7))["state"] == "rejected"


def test_a_cstd_tinh_goes_from_the_commune_council_and_chairman_to_the_province_council_and_chairman(
        login, open_plan):
    # CSTĐ tỉnh (Law Art. 22, 79): the commune's council and chairman propose; Sở Nội vụ appraises;
    # the province's council votes ≥ 90 % of all members (NĐ 98 Art. 30(7)); the Chủ tịch UBND tỉnh decides.
    nid = nominate(login, open_plan, "chien_si_thi_dua_bo", officer="xa.canbo", name="Đinh Thị Mận")
    walk(login, nid, [("xa.canbo", "submit", {}, "council_review"),
                      ("xa.hoidong", "vote", {"votes": tally(7, members=7)}, "unit_review"),
                      ("xa.chutich", "approve", {}, "ministry_review")])
    assert login("xa.chutich").get(f"/nominations/{nid}").get_json()["actions"] == []
    walk(login, nid, [("tinh.chuyenvien", "approve", {"appraisal": "Sở Nội vụ: đủ 3 năm CSTĐCS"}, "ministry_council"),
                      ("ubnd.hoidong", "vote", {"votes": tally(9)}, "ministry_decision")])
    n = do(login, "tinh.lanhdao", nid, "decide", decision={"number": "101/QĐ-UBND", "date": "2026-11-23"})
    assert n["state"] == "awarded"
    history = login("tinh.lanhdao").get(f"/nominations/{nid}/history").get_json()["items"]
    assert [e["actor"] for e in history] == ["xa.canbo", "xa.canbo", "xa.hoidong", "xa.chutich",
                                             "tinh.chuyenvien", "ubnd.hoidong", "tinh.lanhdao"]
    d = next(x for x in login("tinh.lanhdao").get("/decisions").get_json()["items"] if x["number"] == "101/QĐ-UBND")
    assert d["awarded"] == 1
    # 8 of the province council's 10 members do not make a CSTĐ tỉnh.
    other = nominate(login, open_plan, "chien_si_thi_dua_bo", officer="xa.canbo", name="Đinh Văn Đào")
    walk(login, other, [("xa.canbo", "submit", {}, "council_review"),
                        ("xa.hoidong", "vote", {"votes": tally(6, members=7)}, "unit_review"),
                        ("xa.chutich", "approve", {}, "ministry_review"),
                        ("tinh.chuyenvien", "approve", {}, "ministry_council"),
                        ("ubnd.hoidong", "vote", {"votes": tally(8)}, "rejected")])


def test_a_bang_khen_tinh_from_the_commune_is_decided_by_the_provincial_chairman(login, open_plan):
    nid = nominate(login, open_plan, "bang_khen_bo", officer="xa.canbo", name="Hà Văn Khải")
    walk(login, nid, [("xa.canbo", "submit", {}, "council_review"),
                      ("xa.hoidong", "vote", {"votes": tally(5, members=7)}, "unit_review"),
                      ("xa.chutich", "approve", {}, "ministry_review"),
                      ("tinh.chuyenvien", "approve", {"appraisal": "Đề nghị tặng Bằng khen"}, "ministry_decision")])
    n = do(login, "tinh.lanhdao", nid, "decide", decision={"number": "102/QĐ-UBND", "date": "2026-11-23"})
    assert n["state"] == "awarded"


# --- a drafted aggregate tờ trình waits for the leader's signature ----------------------------

def test_nominees_on_an_unsigned_aggregate_draft_wait_for_the_signature_on_both_pages(login, db, users,
                                                                                         open_plan, app):
    from tests.browser_support import WebUser
    from tests.web.test_ui_dossiers import at_minister
    source, ids = at_minister(db, users, open_plan, ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"])
    r = login("bo.chuyenvien").post("/dossiers/aggregate", json={"number": "31/TTr-BKHCN",
                                                                 "nomination_ids": ids[:2]})
    assert r.status_code == 201 and r.get_json()["state"] == "draft"
    draft = r.get_json()["id"]
    reviewer = WebUser(app, "bo.chuyenvien")
    for page_of in (draft, source):
        page = WebUser.text(reviewer.get(f"/dossiers/{page_of}"))
        assert page.count(">chờ ký<") == 2, page_of
        assert "2 chờ ký tờ trình tổng hợp" in page
        assert "đã chuyển sang hồ sơ khác" not in page and "đã chuyển lên cấp trên" not in page
    api = login("bo.chuyenvien").get(f"/dossiers/{draft}").get_json()
    assert (api["awaiting_signature"], api["moved_on"]) == (2, 0)
    assert [row["awaiting_signature"] for row in api["nominations"]] == [True, True]
    unit = login("bo.chuyenvien").get(f"/dossiers/{source}").get_json()
    assert [row["awaiting_signature"] for row in unit["nominations"]] == [True, True, False]
    # Signed: now they have moved on to the centre.
    assert login("bo.lanhdao").post(f"/dossiers/{draft}/sign", json={}).status_code == 200
    page = WebUser.text(reviewer.get(f"/dossiers/{source}"))
    assert "chờ ký" not in page and "2 đã chuyển lên cấp trên" in page
    assert page.count("đã chuyển sang hồ sơ khác") == 2
    page = WebUser.text(reviewer.get(f"/dossiers/{draft}"))
    assert "chờ ký" not in page and "đã chuyển sang hồ sơ khác" not in page


def test_a_refusal_names_the_step_the_action_and_the_nominee_in_both_languages(login, open_plan):
    nid = nominate(login, open_plan, "chien_si_thi_dua_bo", name="Phạm Thị Hoa")
    walk(login, nid, [*unit_part(), ("bo.chuyenvien", "approve", {}, "ministry_council")])
    # The appraisal is done: approving again is refused, in words, never in codes.
    for lang, words in (("vi", ("Bộ, ngành, tỉnh", "Phạm Thị Hoa")), ("en", ("Phạm Thị Hoa",))):
        r = login("bo.chuyenvien").post(f"/nominations/{nid}/approve?lang={lang}", json={})
        assert r.status_code in (403, 409), r.get_json()
        message = r.get_json()["error"]["message"]
        assert all(w in message for w in words), message
        assert not any(code in message for code in ("ministry_council", "ministry_review", "approve",
                                                     "ministry_reviewer", f"#{nid}")), message
