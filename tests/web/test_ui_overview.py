"""Plans with their milestones and each unit's progress; the dashboard of counts and delays."""
import re
from datetime import timedelta

from sqlalchemy import select

from workflow.models import Plan
from workflow.nominations import dashboard
from workflow.plans import progress as plan_progress
from tests.browser_support import *
from tests.conftest import NOW
from tests.scenarios import act, draft, drive_to


def plan_id(db, number: str) -> int:
    with db.read() as s:
        return s.execute(select(Plan.id).where(Plan.number == number)).scalar_one()


def progress_rows(body: str) -> dict[str, list[int]]:
    """Unit name → [submitted, drafting, returned, late] as the progress table shows them."""
    rows = re.findall(r'<th scope="row">([^<]+)</th>\s*((?:<td class="num">.*?</td>\s*){4})', body, re.S)
    return {name: [int(n) for n in re.findall(r'<td class="num">(\d+)', cells)] for name, cells in rows}


def test_plans_show_milestones_as_written_and_the_dates_they_mean(web_on, db):
    body = WebUser.text(web_on("vtc.canbo").get("/plans"))
    assert "<q class=\"as-written\">trước quý II năm 2015</q>" in body
    assert "đến hết 31/03/2015" in body
    assert "<q class=\"as-written\">trong quý III năm 2015</q>" in body
    assert "từ 01/07/2015 đến hết 30/09/2015" in body
    assert "Dự kiến trước ngày 11/6/2023" in body and "dự kiến" in body
    assert "186/KH-UBND" not in body  # the province's plan is not the ministry unit's


def test_each_unit_sees_its_own_progress_and_the_ministry_sees_its_units(web_on, db, users, open_plan, clock):
    submitted = draft(db, users, open_plan, name="Đã Trình")
    act(db, users, "vtc.canbo", submitted.id, "submit")
    draft(db, users, open_plan, name="Còn Soạn")
    returned = draft(db, users, open_plan, name="Bị Trả")
    drive_to(db, users, returned.id, "ministry_review")
    act(db, users, "bo.chuyenvien", returned.id, "return", reason="Thiếu xác nhận.")
    draft(db, users, open_plan, name="Báo Chí", officer="baochi.canbo")
    vtc = "Tổng công ty Truyền thông đa phương tiện (VTC)"
    own = progress_rows(WebUser.text(web_on("vtc.canbo").get(f"/plans/{open_plan}")))
    assert own == {vtc: [2, 1, 1, 0]}
    ministry = progress_rows(WebUser.text(web_on("bo.chuyenvien").get(f"/plans/{open_plan}")))
    assert ministry == {vtc: [2, 1, 1, 0], "Cục Báo chí": [0, 1, 0, 0]}
    centre = plan_progress.progress(db, users["tw.lanhdao"], now=NOW, plan_id=open_plan)[open_plan]
    assert {r.unit_name for r in centre} == {vtc, "Cục Báo chí", "Văn phòng Đoàn ĐBQH và HĐND tỉnh"}
    clock.now = NOW + timedelta(days=90)  # the window has closed: what is still at the unit is late
    late = progress_rows(WebUser.text(web_on("bo.chuyenvien").get(f"/plans/{open_plan}")))
    assert late == {vtc: [2, 1, 1, 2], "Cục Báo chí": [0, 1, 0, 1]}


def test_a_plan_of_another_ministry_is_not_found(web_on, db):
    assert web_on("vtc.canbo").get(f"/plans/{plan_id(db, '186/KH-UBND')}").status_code == 404
    assert web_on("tinh.canbo").get(f"/plans/{plan_id(db, '186/KH-UBND')}").status_code == 200


def test_the_dashboard_counts_by_state_and_level_and_what_is_overdue(web_on, db, users, open_plan, clock):
    a = draft(db, users, open_plan, name="Một")
    drive_to(db, users, a.id, "ministry_review")
    b = draft(db, users, open_plan, name="Hai")
    act(db, users, "vtc.canbo", b.id, "submit")
    draft(db, users, open_plan, name="Ba")
    draft(db, users, open_plan, name="Tỉnh", officer="tinh.canbo")
    clock.now = NOW + timedelta(days=16)  # the council's 10 working days are over, the ministry's are not
    seen = dashboard.dashboard(db, users["bo.chuyenvien"], now=clock.now)
    assert dict(seen.by_state)["ministry_review"] == 1 and dict(seen.by_state)["council_review"] == 1
    assert dict(seen.by_state)["draft"] == 0  # drafts belong to their unit until submitted
    assert (seen.total, seen.open, seen.overdue) == (2, 2, 1)
    assert dict(seen.overdue_by_level) == {"unit": 0, "council": 1, "ministry": 0, "central": 0}
    unit = dashboard.dashboard(db, users["vtc.canbo"], now=clock.now)
    assert dict(unit.by_state)["draft"] == 1 and unit.total == 3
    body = WebUser.text(web_on("bo.chuyenvien").get("/dashboard"))
    assert '<span class="kpi-value" id="kpi-overdue">1</span>' in body
    # states, levels, overdue levels, and the plan reports of the units below (on time, late, missing, open)
    assert body.count('<g class="bar') == 10 + 4 + 4 + 4
    assert "Báo cáo theo kế hoạch" in body and "Chưa đến hạn" in body
    assert "Số hồ sơ theo trạng thái" in body
    other = dashboard.dashboard(db, users["baochi.canbo"], now=clock.now)
    assert other.total == 0


def test_the_dashboard_can_be_narrowed_to_one_plan(web_on, db, users, open_plan):
    draft(db, users, open_plan)
    body = WebUser.text(web_on("vtc.canbo").get(f"/dashboard?plan_id={plan_id(db, '3793/KH-BTTTT')}"))
    assert 'id="kpi-overdue">0<' in body and '<span class="kpi-value">0</span>' in body
