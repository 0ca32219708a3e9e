"""The page frame: a header whose menu fits the role, and room for more page groups later."""
import re

from flask import Blueprint, render_template_string
from flask_babel import lazy_gettext as _l

from web.ui import nav
from web.ui.auth import require_login
from tests.browser_support import *
from tests.conftest import NOW


def menu(body: str) -> list[str]:
    block = body.split('class="main-nav"')[1].split("</nav>")[0]
    return re.findall(r'<a href="[^"]+"[^>]*>([^<]+)</a>', block)


def test_the_menu_fits_the_role(web):
    # The register (hồ sơ thành tích) is read by every role within its own subtree; delegating is
    # for heads and leaders; notifications are the bell in the header, not a menu entry; everyone
    # has their own account; everyone reads the yearly statistics of their own subtree.
    assert menu(WebUser.text(web("vtc.canbo").get("/plans"))) == [
        "Việc cần xử lý", "Hồ sơ đề nghị", "Tờ trình", "Các quyết định", "Kế hoạch thi đua", "Hồ sơ thành tích",
        "Tổng hợp", "Thống kê", "Tài khoản"]
    assert menu(WebUser.text(web("kiemtra").get("/plans"))) == [
        "Hồ sơ đề nghị", "Tờ trình", "Các quyết định", "Kế hoạch thi đua", "Hồ sơ thành tích", "Tổng hợp",
        "Thống kê", "Nhật ký", "Tài khoản"]
    assert menu(WebUser.text(web("admin").get("/plans"))) == [
        "Hồ sơ đề nghị", "Tờ trình", "Các quyết định", "Kế hoạch thi đua", "Hồ sơ thành tích", "Tổng hợp",
        "Thống kê", "Nhật ký", "Quản trị", "Tài khoản"]
    assert menu(WebUser.text(web("bo.lanhdao").get("/plans?lang=en"))) == [
        "My inbox", "Nominations", "Dossiers", "Decisions", "Plans", "Records of merit", "Dashboard", "Statistics",
        "Delegation", "Account"]


def test_each_role_starts_where_its_work_is(web):
    assert web().login("bo.chuyenvien").headers["Location"] == "/inbox"
    assert web().login("admin").headers["Location"] == "/admin"
    assert web().login("kiemtra").headers["Location"] == "/dashboard"


def test_every_page_has_a_skip_link_a_language_and_one_main_heading(web, sqlite_db, people, plan):
    from workflow.dossiers import service as dossiers
    from tests.integration.test_dossier_lifecycle import nominee
    d = dossiers.create_dossier(sqlite_db, people["vtc.canbo"], plan_id=plan, number="45/TTr-VTC", now=NOW)
    dossiers.add_nominations(sqlite_db, people["vtc.canbo"], d.id, nominee("Nguyễn Văn An"), now=NOW)
    officer = web("vtc.canbo")
    for path in ("/inbox", "/nominations", "/nominations/new", "/plans", "/dashboard", "/audit", "/dossiers",
                 "/dossiers/new", f"/dossiers/{d.id}", "/decisions"):
        body = WebUser.text(officer.get(path))
        assert 'href="#main"' in body and '<main id="main"' in body, path
        assert body.count("<h1") == 1, path
        labels = set(re.findall(r'<label for="([^"]+)"', body))
        controls = set(re.findall(r'<(?:input|select|textarea)[^>]* id="([^"]+)"', body))
        assert labels <= controls, (path, labels - controls)  # every label points at its field


def test_another_page_group_slots_into_the_menu_and_the_login_gate(sqlite_db, clock):
    extra = Blueprint("ui_extra", __name__)
    extra.before_request(require_login)

    @extra.get("/extra")
    def index():
        return render_template_string('{% extends "base.html" %}{% block content %}<h1>Thêm</h1>{% endblock %}')

    nav.add("ui_extra.index", _l("Hồ sơ trình"), {"unit_officer"}, order=25)
    app = make_app(sqlite_db, clock)
    app.register_blueprint(extra)
    assert WebUser(app).get("/extra").status_code == 302
    body = WebUser.text(WebUser(app, "vtc.canbo").get("/extra"))
    assert menu(body)[:3] == ["Việc cần xử lý", "Hồ sơ đề nghị", "Hồ sơ trình"]
    assert "Hồ sơ trình" not in menu(WebUser.text(WebUser(app, "bo.chuyenvien").get("/plans")))
