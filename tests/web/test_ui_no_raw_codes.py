"""A crawl of the Vietnamese pages finds no internal code (issue 19).

The demo is walked first (tests/scenarios.py) so that nominations wait in many states, a council
has voted, decisions are recorded, some nominations are returned, rejected or withdrawn, a
tờ trình went up and was aggregated, and the audit log and notifications are full. Then each demo
role logs in, in Vietnamese, and follows every same-origin GET link from the dashboard (no
downloads, no logout, no language switch; a bounded number of pages). No visible text may contain
a state code of any route, an audit action code, an award type code, an obligation or dossier
state code, an English field path such as `votes.present`, or a "nomination #12" reference.
The one place a code may show is inside `<code>`: an identifier shown on purpose, e.g. the award
type's code the administrator's catalogue page gives for the API.
"""
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from states.dossiers import DOSSIER_STATES
from states.labels import ACTIONS_BY_ENTITY, RECORDED_ACTIONS, ROLES
from states.lifecycle import STATES, SYSTEM_ACTIONS, USER_ACTIONS
from states.obligations import OBLIGATION_STATES
from states.routes import ROUTES, STEP_KINDS, STEP_LEVELS, state_of
from workflow.catalogue.data import CATALOGUE
from workflow.dossiers import review as dossier_review
from tests.browser_support import *
from tests.browser_support import WebUser
from tests.conftest import NOW
from tests.scenarios import act, draft, drive_to
from tests.web.test_ui_dossiers import at_minister

# One demo user for each role (the central council's secretary too: it votes on Anh hùng).
CRAWLERS = ("admin", "vtc.canbo", "vtc.hoidong", "vtc.thutruong", "bo.chuyenvien", "bo.lanhdao", "bo.hoidong",
            "tw.chuyenvien", "tw.lanhdao", "tw.hoidong", "kiemtra", "xa.chutich")
MAX_PAGES = 45      # per user
MAX_PER_SHAPE = 4   # pages whose paths differ only by their numbers (/nominations/<n>) per user
SKIP = re.compile(r"\.(?:pdf|docx|xlsx|zip|csv|json|png|svg|css|js)$|/export|/template|/download|/logout|"
                  r"/papers/|/bundle|/certificates|/document|lang=|/lang/|/static/|/api/")

ROUTE_STATES = {s for route in ROUTES.values() for s in route.states} | set(STATES) \
    | {state_of(level, kind) for level in STEP_LEVELS for kind in STEP_KINDS}
ACTION_CODES = set(USER_ACTIONS) | set(SYSTEM_ACTIONS) | set(RECORDED_ACTIONS) \
    | {a for table in ACTIONS_BY_ENTITY.values() for a in table}
AWARD_CODES = {a["code"] for a in CATALOGUE}
CODES = ROUTE_STATES | ACTION_CODES | AWARD_CODES | set(OBLIGATION_STATES) | set(DOSSIER_STATES) \
    | {r for r in ROLES if "_" in r}
FIELD_PATH = re.compile(r"\b(?:votes|nominee|decision|aggregate|members|results|milestones|body|signed)"
                        r"(?:\[\d+\])?\.[a-z_]+")
NUMBER_REF = re.compile(r"(?:nomination|dossier|report|obligation|hồ sơ|tờ trình|báo cáo|hồ sơ trình)[ \t]*#\d+",
                        re.IGNORECASE)
WORD = re.compile(r"\w+")


class Page(HTMLParser):
    """The text a reader sees (and hears: titles, labels, placeholders) and the links."""

    def __init__(self):
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "style", "template", "code"):
            self._hidden += 1
        if tag == "a" and a.get("href") and a.get("download") is None:
            self.links.append(a["href"])
        for name in ("title", "aria-label", "placeholder", "alt"):
            if a.get(name):
                self.text.append(a[name])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template", "code") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.text.append(data.strip())


def leftovers(text: str) -> set[str]:
    found = {w for w in WORD.findall(text) if w in CODES}
    found |= set(FIELD_PATH.findall(text)) | {m.group(0) for m in NUMBER_REF.finditer(text)}
    return found


def walk_the_demo(db, users, plan) -> None:
    """Nominations in many states and places, as the law's people leave them."""
    def fresh(name, award="bang_khen_bo", officer="vtc.canbo"):
        return draft(db, users, plan, award=award, name=name, officer=officer).id

    fresh("Dự Thảo Một")
    for state, name in (("council_review", "Chờ Hội Đồng"), ("unit_review", "Chờ Thủ Trưởng"),
                        ("ministry_review", "Chờ Thẩm Định")):
        drive_to(db, users, fresh(name), state)
    drive_to(db, users, fresh("Chờ Hội Đồng Bộ", "chien_si_thi_dua_bo"), "ministry_council")
    drive_to(db, users, fresh("Chờ Công Khai", "huan_chuong_lao_dong_hang_ba"), "ministry_posting")
    drive_to(db, users, fresh("Chờ Trung Ương", "bang_khen_thu_tuong"), "central_review")
    awarded = fresh("Đã Khen Thưởng")
    drive_to(db, users, awarded, "ministry_decision")
    act(db, users, "bo.lanhdao", awarded, "decide", decision={"number": "07/QĐ-BKHCN", "date": "2026-11-23"})
    returned = fresh("Bị Trả Lại")
    drive_to(db, users, returned, "ministry_review")
    act(db, users, "bo.chuyenvien", returned, "return", reason="Bổ sung báo cáo thành tích")
    rejected = fresh("Không Đạt")
    act(db, users, "vtc.canbo", rejected, "submit")
    act(db, users, "vtc.hoidong", rejected, "vote", votes={"members": 10, "present": 10, "yes": 3, "no": 7})
    act(db, users, "vtc.canbo", fresh("Rút Hồ Sơ"), "withdraw", reason="Đơn vị rút đề nghị")
    commune = fresh("Giấy Khen Xã", "giay_khen", officer="xa.canbo")
    act(db, users, "xa.canbo", commune, "submit")
    act(db, users, "xa.hoidong", commune, "vote", votes={"members": 7, "present": 7, "yes": 7, "no": 0})
    act(db, users, "xa.chutich", commune, "decide", decision={"number": "03/QĐ-UBND", "date": "2026-11-23"})
    # A tờ trình voted by the unit's council, signed upward, appraised, voted by the ministry's
    # council, drafted into an aggregate for the centre and signed by the minister.
    did, ids = at_minister(db, users, plan, ["Tờ Trình Một", "Tờ Trình Hai"])
    from workflow.dossiers import aggregation
    out = aggregation.aggregate(db, users["bo.chuyenvien"], {"number": "40/TTr-BKHCN", "nomination_ids": ids[:1]},
                                now=NOW)
    aggregation.sign_dossier(db, users["bo.lanhdao"], out.id, {}, now=NOW)
    dossier_review.review_dossier(db, users["bo.lanhdao"], did, {"action": "return", "nomination_ids": ids[1:],
                                                                 "reason": "Thiếu biên bản"}, now=NOW)


def crawl(app, username: str) -> dict[str, set[str]]:
    """Every page `username` reaches by links from the dashboard → the codes it shows."""
    user = WebUser(app, username)
    seen: set[str] = set()
    shapes: dict[str, int] = {}
    queue = deque(["/"])
    found: dict[str, set[str]] = {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        r = user.get(url)
        if r.status_code in (301, 302, 303):
            location = urlsplit(r.headers["Location"])
            queue.append(location.path + (f"?{location.query}" if location.query else ""))
            continue
        assert r.status_code == 200, (username, url, r.status_code)
        if not r.content_type.startswith("text/html"):
            continue
        page = Page()
        page.feed(r.get_data(as_text=True))
        codes = leftovers("\n".join(page.text))
        if codes:
            found[url] = codes
        for href in page.links:
            href, _ = urldefrag(href)
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/") or SKIP.search(href):
                continue
            shape = re.sub(r"\d+", "N", parts.path) + ("?" + "&".join(sorted(
                k.split("=")[0] for k in parts.query.split("&"))) if parts.query else "")
            if href in seen or shapes.get(shape, 0) >= MAX_PER_SHAPE:
                continue
            shapes[shape] = shapes.get(shape, 0) + 1
            queue.append(href)
    assert len(seen) > 10, (username, seen)  # the crawl really went somewhere
    return found


def test_no_page_a_demo_role_reaches_in_vietnamese_shows_an_internal_code(sqlite_db, people, plan, ui_app):
    walk_the_demo(sqlite_db, people, plan)
    found = {}
    for username in CRAWLERS:
        for url, codes in crawl(ui_app, username).items():
            found[f"{username} {url}"] = sorted(codes)
    assert found == {}


def test_the_crawl_recognises_the_codes_it_looks_for():
    # The detector itself: each kind of leftover is caught, Vietnamese prose is not.
    assert leftovers("Trạng thái: ministry_council") == {"ministry_council"}
    assert leftovers("Thao tác receive trên tờ trình") == {"receive"}
    assert leftovers("Hình thức bang_khen_thu_tuong") == {"bang_khen_thu_tuong"}
    assert leftovers("Trường votes.present ngoài khoảng cho phép") == {"votes.present"}
    assert leftovers("Không thể thực hiện khi hồ sơ #4 đang chờ") == {"hồ sơ #4"}
    assert leftovers("received → aggregated") == {"received", "aggregated"}
    assert leftovers("Hồ sơ đề nghị khen thưởng Nguyễn Văn An đang chờ Hội đồng Thi đua - Khen thưởng Bộ") == set()
