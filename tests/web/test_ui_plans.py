"""A province's reviewer drafts a plan on its page (Lưu nháp), edits the draft, is told how many
reports issuing will create, issues it (Ban hành) and later closes it; the units see it only
once issued; the dashboard counts the plan's reports as reported, late or missing."""
import re

from sqlalchemy import func, select

from workflow.models import Obligation, Plan
from tests.browser_support import *
from tests.browser_support import WebUser


def form(**over) -> dict:
    data = {"number": "52/KH-UBND", "title": "Kế hoạch phát động thi đua năm 2027", "kind": "annual",
            "issued_on": "01/12/2026", "period.start": "01/01/2027", "period.end": "31/12/2028", "rows": "3",
            "m0.text": "trước ngày 15/11 hằng năm", "m0.purpose": "report", "m0.binds": "Các Sở, ban, ngành",
            "m0.description": "Báo cáo kết quả thi đua",
            "m1.text": "trước ngày 20/12/2027", "m1.purpose": "report", "m1.binds": "UBND các xã, phường",
            "m2.text": "", "save": "draft"}
    data.update(over)
    return data


def plan_id_of(db, number: str) -> int:
    with db.read() as s:
        return s.execute(select(Plan.id).where(Plan.number == number)).scalar_one()


def owed(db, plan_id: int) -> int:
    with db.read() as s:
        return s.execute(select(func.count()).select_from(Obligation).where(Obligation.plan_id == plan_id)).scalar_one()


def test_draft_edit_confirm_and_issue_from_the_plan_pages(web_on, db):
    reviewer = web_on("tinh.chuyenvien")
    page = WebUser.text(reviewer.get("/plans"))
    assert "Lập kế hoạch" in page
    page = WebUser.text(reviewer.get("/plans/new"))
    assert "Lưu nháp" in page and "Ban hành" in page
    r = reviewer.post("/plans/new", form())
    assert r.status_code == 303, WebUser.text(r)
    pid = plan_id_of(db, "52/KH-UBND")
    assert owed(db, pid) == 0
    page = WebUser.text(reviewer.get(f"/plans/{pid}"))
    assert "Dự thảo" in page and "Sửa dự thảo" in page
    assert "Khi ban hành sẽ giao 5 báo cáo cho 4 đơn vị" in page  # 2 Sở × 2 years + the commune
    assert "hằng năm" in page and "Các Sở, ban, ngành, đơn vị thuộc UBND tỉnh Thái Nguyên" in page
    assert not re.search(r">\s*(draft|issued|annual|report)\s*<", page)  # no raw codes shown
    assert web_on("xa.canbo").get(f"/plans/{pid}").status_code == 404

    # An edit that names nobody known is kept as a draft, with the words quoted, never guessed.
    page = WebUser.text(reviewer.get(f"/plans/{pid}/edit"))
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    r = reviewer.post(f"/plans/{pid}/edit", form(version=version, **{"m1.binds": "Hội Nông dân tỉnh",
                                                                     "title": "Kế hoạch thi đua giai đoạn 2027-2028"}))
    assert r.status_code == 303
    page = WebUser.text(reviewer.get(f"/plans/{pid}/issue"))
    assert "Hội Nông dân tỉnh" in page
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    r = reviewer.post(f"/plans/{pid}/issue", {"version": version})
    assert r.status_code == 422 and "Hội Nông dân tỉnh" in WebUser.text(r) and owed(db, pid) == 0

    # Corrected, then "Ban hành" from the form leads to the confirmation naming the count.
    r = reviewer.post(f"/plans/{pid}/edit", form(version=version, save="issue",
                                                 **{"m1.binds": "UBND các xã, phường, đặc khu"}))
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/plans/{pid}/issue")
    page = WebUser.text(reviewer.get(f"/plans/{pid}/issue"))
    assert "sẽ giao 5 báo cáo cho 4 đơn vị" in page
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    r = reviewer.post(f"/plans/{pid}/issue", {"version": version})
    assert r.status_code == 303 and owed(db, pid) == 5
    page = WebUser.text(reviewer.get(f"/plans/{pid}"))
    assert "Đã ban hành kế hoạch; đã giao 5 báo cáo cho 4 đơn vị." in page
    assert "Kết thúc kế hoạch" in page and "Sửa dự thảo" not in page
    assert "Sở Giáo dục và Đào tạo tỉnh Thái Nguyên" in WebUser.text(web_on("so.canbo").get(f"/plans/{pid}"))

    # The dashboard counts the plan's reports (all still open, none due yet).
    page = WebUser.text(reviewer.get(f"/dashboard?plan_id={pid}"))
    assert "chart-reports" in page and "Chưa đến hạn" in page

    version = re.search(r'close".*?name="version" value="(\d+)"', page := WebUser.text(reviewer.get(f"/plans/{pid}")),
                        re.S).group(1)
    r = reviewer.post(f"/plans/{pid}/close", {"version": version})
    assert r.status_code == 303
    assert "Đã kết thúc" in WebUser.text(reviewer.get(f"/plans/{pid}"))


def test_a_bad_deadline_on_the_form_is_named_and_nothing_is_saved(web_on, db):
    reviewer = web_on("tinh.chuyenvien")
    reviewer.get("/plans/new")
    with db.read() as s:
        before = s.execute(select(func.count()).select_from(Plan)).scalar_one()
    r = reviewer.post("/plans/new", form(number="53/KH-UBND", **{"m1.text": "sớm nhất có thể"}))
    assert r.status_code == 422
    page = WebUser.text(r)
    assert "sớm nhất có thể" in page and 'aria-invalid="true"' in page
    assert 'value="Kế hoạch phát động thi đua năm 2027"' in page  # what was typed is kept
    with db.read() as s:
        assert s.execute(select(func.count()).select_from(Plan)).scalar_one() == before


def test_units_may_not_draft_plans(web_on):
    officer = web_on("so.canbo")
    assert "Lập kế hoạch" not in WebUser.text(officer.get("/plans"))
    officer.get("/plans")
    r = officer.post("/plans/new", form(number="54/KH-UBND"))
    assert r.status_code == 403


def test_the_plan_page_says_which_milestone_ends_on_a_day_off(web_on, db):
    reviewer = web_on("tinh.chuyenvien")
    r = reviewer.post("/plans/new", form(number="53/KH-UBND", save="issue", **{
        "m0.text": "trước ngày 10/01/2027", "m0.binds": "", "m1.text": "", "m1.binds": ""}))
    assert r.status_code in (200, 303), WebUser.text(r)
    page = WebUser.text(reviewer.get(f"/plans/{plan_id_of(db, '53/KH-UBND')}"))
    assert "09/01/2027 là thứ Bảy" in page and "11/01/2027" in page


def test_an_issued_plan_is_amended_from_its_page_after_a_confirmation(web_on, db):
    """"Sửa đổi kế hoạch": the form pre-filled, a required reason, a confirmation saying how many
    reports move, are given and are no longer owed; then the plan page lists the amendment."""
    reviewer = web_on("tinh.chuyenvien")
    r = reviewer.post("/plans/new", form(number="55/KH-UBND", save="issue"))
    assert r.status_code == 303
    pid = plan_id_of(db, "55/KH-UBND")
    page = WebUser.text(reviewer.get(f"/plans/{pid}/issue"))
    reviewer.post(f"/plans/{pid}/issue", {"version": re.search(r'name="version" value="(\d+)"', page).group(1)})
    assert owed(db, pid) == 5
    assert "Sửa đổi kế hoạch" in WebUser.text(reviewer.get(f"/plans/{pid}"))
    assert web_on("so.canbo").get(f"/plans/{pid}/amend").status_code in (403, 404)

    page = WebUser.text(reviewer.get(f"/plans/{pid}/amend"))
    assert "Lý do sửa đổi" in page and 'value="trước ngày 15/11 hằng năm"' in page
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    ids = re.findall(r'name="m(\d)\.id" value="(\d+)"', page)
    assert len(ids) == 2
    # The yearly report moves to 30/11; the communes' summary is dropped.
    amended = form(number="55/KH-UBND", version=version, rows="3", **{
        "m0.id": ids[0][1], "m0.text": "trước ngày 01/12 hằng năm", "m1.text": "", "m1.binds": ""})
    amended.pop("save")
    r = reviewer.post(f"/plans/{pid}/amend", {**amended, "reason": ""})
    assert r.status_code == 422 and "lý do sửa đổi" in WebUser.text(r)
    r = reviewer.post(f"/plans/{pid}/amend", {**amended, "reason": "Lùi hạn báo cáo theo Công văn 15/UBND"})
    assert r.status_code == 200
    page = WebUser.text(r)
    assert "Xác nhận sửa đổi" in page and "Mốc thời gian" in page
    assert "4 báo cáo đổi hạn nộp, 0 báo cáo được giao thêm, 1 báo cáo không còn phải nộp" in page
    assert owed(db, pid) == 5  # the confirmation saved nothing
    carried = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    assert carried["confirm"] == "1" and carried["m0.id"] == ids[0][1]
    r = reviewer.post(f"/plans/{pid}/amend", {**amended, "reason": "Lùi hạn báo cáo theo Công văn 15/UBND",
                                               "confirm": "1"})
    assert r.status_code == 303, WebUser.text(r)
    page = WebUser.text(reviewer.get(f"/plans/{pid}"))
    assert "Đã sửa đổi kế hoạch (phiên bản" in page and "Các lần sửa đổi" in page
    assert "Lùi hạn báo cáo theo Công văn 15/UBND" in page and "Bùi Thị Huyền" in page
    assert "4 báo cáo đổi hạn, 0 giao thêm, 1 không còn phải nộp" in page
    with db.read() as s:
        states = sorted(s.execute(select(Obligation.state).where(Obligation.plan_id == pid)).scalars())
    assert states == ["cancelled", "pending", "pending", "pending", "pending"]
