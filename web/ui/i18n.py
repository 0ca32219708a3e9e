"""Languages and how things are written on the pages.

Vietnamese is the source language (template msgids are Vietnamese); English is the one
translation, in web/translations/en. `?lang=en|vi` on any page stores the choice in the
session. Dates are shown dd/mm/yyyy in Asia/Ho_Chi_Minh whatever the server's zone.
"""
from collections.abc import Callable
from datetime import date, datetime

from flask import Flask, g, request, session, url_for
from flask_babel import Babel, get_locale, gettext, ngettext

from states import labels
from workflow.catalogue.awards import DOCUMENT_NAMES
from workflow.catalogue.service import list_award_types
from web.runtime import runtime
from workflow.calendar.workdays import TZ

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"

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


def state_name(state: str | None, entity: str | None = "nomination") -> str:
    """A state's name (of a nomination unless `entity` says a dossier or a report)."""
    return labels.state_label(state, entity, current_lang())


def standing_name(code: str) -> str:
    """Reported on time / late / missing / not yet due (states/labels.py)."""
    return labels.pick(labels.REPORT_STANDINGS.get(code), current_lang(), code)


def action_name(action: str, entity: str | None = None) -> str:
    """A recorded action's name, in the sense it has for `entity` (states/labels.py)."""
    return labels.action_label(action, entity, current_lang())


def _named(table: dict) -> Callable[[str | None], str]:
    return lambda code: labels.pick(table.get(code or ""), current_lang(), code or "—")


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
        g.award_names = {a.code: (a.name_vi, a.name_en) for a in list_award_types(runtime().db)}
    names = g.award_names.get(code)
    return pick(*names) if names else code


def nomination_award(n) -> str:
    """A nomination's award as its decider gives it ("Bằng khen của Chủ tịch UBND tỉnh Thái
    Nguyên"), from its view (NominationView, a list Row or its dict); the catalogue's name else."""
    view = getattr(n, "view", n)
    get = view.get if isinstance(view, dict) else (lambda k: getattr(view, k, None))
    if get("award_name"):
        return pick(get("award_name"), get("award_name_en") or get("award_name"))
    return award_name(get("award_type") or "")


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
        days_left=days_left_text, award_name=award_name, nomination_award=nomination_award,
        period_text=period_text,
        role_name=_named(labels.ROLES), level_name=_named(labels.LEVELS), kind_name=_named(labels.NOMINEE_KINDS),
        purpose_name=_named(labels.MILESTONE_PURPOSES), entity_name=_named(labels.ENTITIES), doc_name=doc_name,
        report_state_name=lambda s: state_name(s, "obligation"),
        plan_state_name=lambda s: state_name(s, "plan"), plan_kind_name=_named(labels.PLAN_KINDS),
        plan_field_name=_named(labels.PLAN_FIELDS),
        standing_name=standing_name,
    )
    app.jinja_env.globals.update(pick=pick, current_lang=current_lang, get_locale=get_locale,
                                 lang_url=lang_url)
