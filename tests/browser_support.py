"""A live server and a real browser for the UI scenarios (headless Chromium via Playwright).

The app is served by a real werkzeug server in a thread, on a copy of the demo database
(SQLite, the `sqlite_db` fixture) and the test clock. One Chromium is shared by a test module;
each user gets their own browser context (own cookies), like people at different desks.
Chromium is Debian's (`/usr/bin/chromium`, installed by .ci/run): when it is missing the tests
fail, they are never skipped. Screenshots of key pages go to test-artifacts/screenshots/.

The same module gives the Flask test client a person's shape (`WebUser`: cookies, and the
CSRF token read from the page like a browser would) for the page tests without a browser.

Test modules take the fixtures with `from tests.browser_support import *` (pytest finds a
fixture only where it is imported, dependencies included; `__all__` lists them).
"""
import re
import threading
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from workflow.models import Plan, User
from tests.conftest import DEMO_PASSWORD

__all__ = ["browser", "server", "desks", "people", "plan", "ui_app", "web", "web_on", "Desk", "LiveServer",
           "WebUser", "make_app", "SCREENSHOTS", "confirm_dialog"]

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "screenshots"
TIMEOUT_MS = 15_000


def confirm_dialog(page) -> None:
    """"Xác nhận" in the dialog an irreversible action opens first (web/static/confirm.js)."""
    page.locator("dialog#confirm-dialog").get_by_role("button", name=re.compile("^(Xác nhận|Confirm)$")).click()


class LiveServer:
    """The app on 127.0.0.1:<free port>, served from a thread until `stop()`."""

    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    assert CHROMIUM.exists(), "Debian's chromium is required for the browser tests (apt-get install chromium)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def server(sqlite_db, clock):
    live = LiveServer(make_app(sqlite_db, clock))
    yield live
    live.stop()


class Desk:
    """One person at their browser: a context of their own, logged in through the login page."""

    def __init__(self, browser, server: LiveServer, username: str | None = None, lang: str | None = None):
        self.server = server
        self.context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        if username:
            self.login(username)

    def go(self, path: str):
        return self.page.goto(self.server.url + path)

    def login(self, username: str, password: str = DEMO_PASSWORD):
        self.go("/login")
        self.page.get_by_label(re.compile("Tên đăng nhập|Username")).fill(username)
        self.page.get_by_label(re.compile("Mật khẩu|Password")).fill(password)
        self.page.get_by_role("button", name=re.compile("Đăng nhập|Log in")).click()
        return self.page

    def shot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def desks(browser, server):
    """desks("vtc.canbo") → a logged-in Desk; all are closed at the end of the test."""
    opened: list[Desk] = []

    def _open(username: str | None = None) -> Desk:
        desk = Desk(browser, server, username)
        opened.append(desk)
        return desk

    yield _open
    for desk in opened:
        desk.close()


# --- the demo on SQLite only (for tests where the backend does not matter) -----------------

@pytest.fixture
def people(sqlite_db) -> dict[str, int]:
    """username → user id on the SQLite copy of the demo."""
    with sqlite_db.read() as s:
        return {u.username: u.id for u in s.execute(select(User)).scalars()}


@pytest.fixture
def plan(sqlite_db) -> int:
    """The open annual plan on the SQLite copy of the demo."""
    with sqlite_db.read() as s:
        return s.execute(select(Plan.id).where(Plan.title.like("Kế hoạch thi đua, khen thưởng năm %"))).scalar_one()


def make_app(db, clock, **config):
    import tempfile
    from web import create_app
    config.setdefault("instance_path", tempfile.mkdtemp(prefix="kt-instance-"))  # anchors, keys: not the cwd's
    return create_app({"db": db, "clock": clock, "database_url": db.url, "secret_key": "ui-test-secret",
                       **config})


# --- the Flask test client as a person's browser without JavaScript ------------------------

class WebUser:
    """One person's browser session on the test client: cookies kept, CSRF token taken from
    the pages they were shown (never made up)."""

    def __init__(self, app, username: str | None = None):
        self.client = app.test_client()
        self.csrf: str | None = None
        if username:
            r = self.login(username)
            assert r.status_code == 302, r.get_data(as_text=True)[:500]

    def login(self, username: str, password: str = DEMO_PASSWORD, **extra):
        page = self.get("/login")
        r = self.client.post("/login", data={"username": username, "password": password,
                                             "csrf_token": self._token(page), **extra})
        self.csrf = None  # a login starts a new session: tokens of the login page are spent
        return r

    def get(self, path: str, **kw):
        r = self.client.get(path, **kw)
        found = CSRF_FIELD.search(r.get_data(as_text=True)) if r.mimetype.startswith("text/") else None
        if found:
            self.csrf = found.group(1)
        return r

    def _token(self, response) -> str:
        found = CSRF_FIELD.search(response.get_data(as_text=True))
        assert found, "the page carries no CSRF token"
        return found.group(1)

    def post(self, path: str, data: dict | None = None, *, csrf: bool = True, **kw):
        """POST a form as the browser would: with the token of the last page shown."""
        data = dict(data or {})
        if csrf:
            if self.csrf is None:
                self.get("/nominations")
            data.setdefault("csrf_token", self.csrf)
        return self.client.post(path, data=data, **kw)

    @staticmethod
    def text(response) -> str:
        return response.get_data(as_text=True)


@pytest.fixture
def ui_app(sqlite_db, clock):
    return make_app(sqlite_db, clock)


@pytest.fixture
def web(ui_app):
    """web("vtc.canbo") → a WebUser logged in on the SQLite demo."""
    return lambda username=None: WebUser(ui_app, username)


@pytest.fixture
def web_on(app):
    """Like `web`, on every backend (the conftest `app` fixture)."""
    return lambda username=None: WebUser(app, username)
