"""Languages and how things are written on the pages.

Vietnamese is the source language (template msgids are Vietnamese); English is the one
translation, in web/translations/en. `?lang=en|vi` on any page stores the choice in the
session. Dates are shown dd/mm/yyyy in Asia/Ho_Chi_Minh whatever the server's zone.
"""
from datetime import date, datetime

from flask import Flask, g, request, session, url_for
from flask_babel import Babel, get_locale, gettext, lazy_gettext as _l, ngettext

from states.lifecycle import ACTION_NAMES, STATE_NAMES
from workflow.catalogue.awards import DOCUMENT_NAMES
from workflow.catalogue.service import list_award_types
from web.runtime import runtime
from workflow.calendar.workdays import TZ

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"

ROLE_NAMES = {
    "admin": _l("Quản trị hệ thống"),
    "unit_officer": _l("Cán bộ TĐKT đơn vị"),
    "council_secretary": _l("Thư ký Hội đồng TĐKT"),
    "unit_head": _l("Thủ trưởng đơn vị"),
    "ministry_reviewer": _l("Chuyên viên Bộ, ngành, tỉnh"),
    "ministry_leader": _l("Lãnh đạo Bộ, ngành, tỉnh"),
    "central_reviewer": _l("Chuyên viên Trung ương"),
    "central_leader": _l("Lãnh đạo Trung ương"),
    "auditor": _l("Thanh tra, kiểm tra"),
    "system": _l("Hệ thống"),
    "anonymous": _l("Không xác định"),
}
LEVEL_NAMES = {
    "unit": _l("Đơn vị"),
    "council": _l("Hội đồng TĐKT"),
    "ministry": _l("Bộ, ngành, tỉnh"),
    "central": _l("Trung ương"),
}
# Audit actions that are not lifecycle actions (lifecycle ones come from states.lifecycle).
EXTRA_ACTION_NAMES = {
    "create": _l("Lập hồ sơ"),
    "edit": _l("Sửa nội dung hồ sơ"),
}
# Actions of dossiers, reports, the system and administration, as the audit log records them.
RECORDED_ACTION_NAMES = {
    "remind": ("Nhắc hạn (tự động)", "Reminder (system)"),
    "accept": ("Chấp nhận báo cáo", "Accept report"),
    "attach": ("Đính kèm tài liệu", "Attach document"),
    "add_to_dossier": ("Đưa vào hồ sơ trình", "Add to dossier"),
    "council_session": ("Phiên họp Hội đồng", "Council session"),
    "aggregate": ("Tổng hợp trình cấp trên", "Aggregate upward"),
    "plan_create": ("Ban hành kế hoạch", "Issue plan"),
    "login_failed": ("Đăng nhập sai", "Failed login"),
    "checkpoint": ("Mốc kiểm chứng nhật ký", "Audit checkpoint"),
    "calendar_override_add": ("Khai báo ngày nghỉ / ngày làm bù", "Declare day off / working day"),
    "calendar_override_remove": ("Bỏ ngày nghỉ / ngày làm bù", "Remove day off / working day"),
}
KIND_NAMES = {"individual": _l("Cá nhân"), "collective": _l("Tập thể")}
REPORT_STATE_NAMES = {"pending": _l("Chưa nộp"), "submitted": _l("Đã nộp"), "accepted": _l("Đã chấp nhận"),
                      "returned": _l("Trả lại")}
PURPOSE_NAMES = {"submission": _l("Hạn nộp hồ sơ"), "report": _l("Hạn báo cáo"), "event": _l("Sự kiện")}


def current_lang() -> str:
    lang = session.get("lang")
    return lang if lang in LANGS else DEFAULT_LANG


def remember_lang() -> None:
    """`?lang=en|vi` switches the language for the rest of the session."""
    lang = request.args.get("lang")
    if lang in LANGS and session.get("lang") != lang:
        session["lang"] = lang


def pick(vi: str | None, en: str | None) -> str:
    """The English form of a bilingual value on English pages, else the Vietnamese one."""
    return (en or vi or "") if current_lang() == "en" else (vi or en or "")


def _local(value) -> date | datetime | None:
    if isinstance(value, str):
        value = date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
    if isinstance(value, datetime):
        return value.astimezone(TZ)
    return value


def vndate(value) -> str:
    value = _local(value)
    return value.strftime("%d/%m/%Y") if value else "—"


def vndatetime(value) -> str:
    value = _local(value)
    if not isinstance(value, datetime):
        return vndate(value)
    return value.strftime("%d/%m/%Y %H:%M")


def state_name(state: str | None) -> str:
    names = STATE_NAMES.get(state)
    return pick(*names) if names else (state or "—")


def action_name(action: str) -> str:
    if action in ACTION_NAMES:
        return pick(*ACTION_NAMES[action])
    if action in RECORDED_ACTION_NAMES:
        return pick(*RECORDED_ACTION_NAMES[action])
    return str(EXTRA_ACTION_NAMES.get(action, action))


def days_left_text(n: int | None) -> str:
    if n is None:
        return "—"
    if n < 0:
        return ngettext("quá hạn %(num)s ngày làm việc", "quá hạn %(num)s ngày làm việc", -n)
    if n == 0:
        return gettext("đến hạn hôm nay")
    return ngettext("còn %(num)s ngày làm việc", "còn %(num)s ngày làm việc", n)


def award_name(code: str) -> str:
    """An award type's name in the page's language (the catalogue is read once per request)."""
    if "award_names" not in g:
        g.award_names = {a["code"]: (a["name_vi"], a["name_en"]) for a in list_award_types(runtime().db)}
    names = g.award_names.get(code)
    return pick(*names) if names else code


def period_text(period: dict) -> str:
    """A normalised milestone period as people read it: "từ 01/07/2015 đến hết 30/09/2015"."""
    if period.get("start"):
        return gettext("từ %(start)s đến hết %(end)s", start=vndate(period["start"]), end=vndate(period["end"]))
    return gettext("đến hết %(end)s", end=vndate(period["end"]))


def doc_name(code: str) -> str:
    names = DOCUMENT_NAMES.get(code)
    return pick(*names) if names else code


def lang_url(lang: str) -> str:
    """This page in another language (a page reached by POST switches from the start page)."""
    if request.method != "GET":
        return url_for("ui.index", lang=lang)
    args = request.args.to_dict()
    args["lang"] = lang
    if not request.endpoint or request.endpoint == "static":
        return f"{request.path}?lang={lang}"
    return url_for(request.endpoint, **{**(request.view_args or {}), **args})


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=current_lang, timezone_selector=lambda: "Asia/Ho_Chi_Minh")
    app.jinja_env.filters.update(
        vndate=vndate, vndatetime=vndatetime, state_name=state_name, action_name=action_name,
        days_left=days_left_text, award_name=award_name, period_text=period_text,
        role_name=lambda r: str(ROLE_NAMES.get(r, r)), level_name=lambda lv: str(LEVEL_NAMES.get(lv, lv or "—")),
        kind_name=lambda k: str(KIND_NAMES.get(k, k)), purpose_name=lambda p: str(PURPOSE_NAMES.get(p, p)),
        doc_name=doc_name, report_state_name=lambda s: str(REPORT_STATE_NAMES.get(s, s)),
    )
    app.jinja_env.globals.update(pick=pick, current_lang=current_lang, get_locale=get_locale,
                                 lang_url=lang_url)
