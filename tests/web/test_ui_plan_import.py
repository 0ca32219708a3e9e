"""Nhập từ văn bản: a ministry reviewer pastes a plan (or uploads it) and gets the plan form
pre-filled from its text, each field with the line it came from and what could not be read; saving
goes through the ordinary create path. Bad input is refused on the page and nothing is saved."""
import io
import re
from pathlib import Path

from sqlalchemy import func, select

from workflow.models import Plan, PlanMilestone
from tests.browser_support import *
from tests.browser_support import WebUser

SEEDS = Path(__file__).resolve().parents[2] / "workflow" / "demo" / "seeds"


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def plans_count(db) -> int:
    with db.read() as s:
        return s.execute(select(func.count()).select_from(Plan)).scalar_one()


def field(page: str, name: str) -> str:
    m = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]*)"', page)
    return m.group(1) if m else ""


def test_a_pasted_plan_becomes_the_pre_filled_form_and_is_saved_as_a_draft(web_on, db):
    reviewer = web_on("bo.chuyenvien")
    assert "Nhập từ văn bản" in WebUser.text(reviewer.get("/plans"))
    reviewer.get("/plans/import")
    before = plans_count(db)
    r = reviewer.post("/plans/import", {"text": seed("004")})
    page = WebUser.text(r)
    assert r.status_code == 200, page
    assert plans_count(db) == before  # reading saves nothing
    assert field(page, "number") == "186/KH-UBND" and field(page, "issued_on") == "09/10/2024"
    assert field(page, "parent_number") == "789/KH-UBTVQH15"
    assert field(page, "m0.text") == "từ ngày 01/01/2024 đến ngày 06/01/2026"
    assert "dòng 3" in page and "dòng 69" in page  # the number's line, the period's line
    assert 'id="proposal-warnings"' in page and "Không thấy tên cơ quan ban hành" in page
    assert 'action="/plans/new"' in page
    # The award types the text names are offered by their catalogue names, never their codes.
    assert "Bằng khen của Thủ tướng Chính phủ" in page and ">bang_khen_thu_tuong<" not in page

    rows = {f"m{i}.{k}": field(page, f"m{i}.{k}") for i in range(3) for k in ("text", "binds", "description")}
    form = {"number": "186/KH-UBND", "title": field(page, "title"), "kind": "thematic",
            "issued_on": "09/10/2024", "issued_text": field(page, "issued_text"),
            "period.start": "01/01/2024", "period.end": "06/01/2026", "period_text": field(page, "period_text"),
            "parent_number": "789/KH-UBTVQH15", "basis": "Căn cứ Kế hoạch số 789/KH-UBTVQH15 ngày 17/4/2024",
            "rows": "3", "m0.purpose": "event", "m1.purpose": "submission", "m2.purpose": "event",
            "award_forms": "1", "award_types": ["bang_khen_thu_tuong", "giay_khen"], "save": "draft", **rows}
    r = reviewer.post("/plans/new", form)
    assert r.status_code == 303, WebUser.text(r)
    with db.read() as s:
        plan = s.execute(select(Plan).where(Plan.number == "186/KH-UBND", Plan.status == "draft")).scalar_one()
        texts = s.execute(select(PlanMilestone.text).where(PlanMilestone.plan_id == plan.id)
                          .order_by(PlanMilestone.position)).scalars().all()
        assert plan.parent_number == "789/KH-UBTVQH15" and plan.basis.startswith("Căn cứ Kế hoạch số 789")
        assert plan.award_codes == ["bang_khen_thu_tuong", "giay_khen"]
        assert texts == ["từ ngày 01/01/2024 đến ngày 06/01/2026", "năm 2025", "vào dịp 06/01/2026"]


def test_a_pdf_renamed_txt_or_an_empty_text_is_refused_on_the_page(web_on, db):
    reviewer = web_on("bo.chuyenvien")
    reviewer.get("/plans/import")
    before = plans_count(db)
    r = reviewer.post("/plans/import", {"text": "", "file": (io.BytesIO(b"%PDF-1.4\n..."), "ke-hoach.txt")},
                      content_type="multipart/form-data")
    assert r.status_code == 422 and "không phải văn bản thuần" in WebUser.text(r)
    r = reviewer.post("/plans/import", {"text": "   "})
    assert r.status_code == 422 and "Văn bản trống" in WebUser.text(r)
    assert plans_count(db) == before


def test_a_unit_officer_may_not_import_plans(web_on):
    officer = web_on("vtc.canbo")
    officer.get("/plans")
    r = officer.post("/plans/import", {"text": seed("001")})
    assert r.status_code == 403
