"""/thong-ke: a ministry reviewer picks a year and sees the awards of their units as charts and a
table; every figure opens the nominations list that holds exactly that many; a unit officer sees
only their unit; the downloads are the workbook and the circular's forms."""
import io
import re
from html import unescape

from openpyxl import load_workbook

from tests.browser_support import *
from tests.statistics_support import make_awards


def listed(user, href: str) -> int:
    """How many rows the nominations list behind a link says it holds."""
    body = WebUser.text(user.get(unescape(href)))
    found = re.search(r'id="list-total">[^<]*?(?:tổng số|of) (\d+)', body)
    return int(found.group(1)) if found else 0


def test_the_statistics_page_counts_and_links_to_what_it_counts(web_on, db, users, open_plan):
    made = make_awards(db, users, open_plan)
    bo = [m for m in made if m.unit == "vtc" and m.decided.year == 2026]

    reviewer = web_on("bo.chuyenvien")
    r = reviewer.get("/thong-ke?year=2026")
    body = WebUser.text(r)
    assert r.status_code == 200 and "Thống kê thi đua, khen thưởng" in body
    assert re.search(r'id="kpi-awarded">(\d+)<', body).group(1) == str(len(bo))
    assert "Văn phòng Đoàn ĐBQH" not in body                       # the province's unit is not theirs
    # Each bar of the awards chart opens the list of exactly that many awarded nominations.
    bars = re.findall(r'<a href="([^"]*award_type=bang_khen_bo[^"]*state=awarded[^"]*)">\s*<g class="bar award">'
                      r'.*?class="bar-value">(\d+)<', body, re.S)
    assert bars and int(bars[0][1]) == sum(m.award == "bang_khen_bo" for m in bo)
    assert listed(reviewer, bars[0][0]) == int(bars[0][1])
    kpi = re.search(r'<a class="kpi-link" href="([^"]+)"><span class="kpi-value" id="kpi-awarded">', body).group(1)
    assert listed(reviewer, kpi) == len(bo)

    forms = reviewer.client.get("/thong-ke/tai-ve?format=forms&year=2026")
    assert forms.status_code == 200 and "bieu-thong-ke" in forms.headers["Content-Disposition"]
    assert "Biểu 0603.N" in load_workbook(io.BytesIO(forms.data)).sheetnames
    assert reviewer.client.get("/thong-ke/tai-ve?format=json&year=2026").get_json()["totals"]["awarded"] == len(bo)

    officer = web_on("vtc.canbo")
    body = WebUser.text(officer.get("/thong-ke?year=2025"))
    assert re.search(r'id="kpi-awarded">(\d+)<', body).group(1) == str(
        sum(m.unit == "vtc" and m.decided.year == 2025 for m in made))
    assert 'href="/thong-ke"' in body                              # in the menu
    english = WebUser.text(officer.get("/thong-ke?year=2025&lang=en"))
    assert "Commendation statistics" in english and "Download the report forms" in english
