"""/people (hồ sơ thành tích): search, a person's or collective's page with its history, ratings,
discipline and nominations, the forms that record them; and the eligibility panel every level
sees on a nomination's page (`eligibility_for`)."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l

from web.runtime import runtime
from web.ui import bp, forms, nav
from web.ui.i18n import current_lang
from workflow.errors import Conflict, DomainError, InvalidInput
from workflow.people import eligibility, register, search
from workflow.people.register import RATINGS
from workflow.workbench import listing, service as workbench

nav.add("ui.people_list", _l("Hồ sơ thành tích"), order=45)
RESULT_LABELS = {"pass": _l("Đạt"), "fail": _l("Không đạt"), "unknown": _l("Chưa rõ")}
NOMINATIONS_SHOWN = 10  # the header search's nominations; the rest are one click away (/nominations?q=)
BASIS_LABELS = {"cong_trang": _l("Công trạng"), "dot_xuat": _l("Đột xuất"), "chuyen_de": _l("Chuyên đề")}


@bp.app_template_global()
def eligibility_for(nomination_id: int):
    """The nomination's checks for its page, or None when they cannot be read."""
    rt = runtime()
    try:
        return eligibility.nomination_eligibility(rt.db, forms.user_id(), nomination_id, now=rt.now())
    except DomainError:
        return None


@bp.app_template_filter()
def check_result(result: str) -> str:
    return str(RESULT_LABELS.get(result, result))


@bp.app_template_filter()
def rule_label(code: str) -> str:
    """A rule's name on the pages (never its code)."""
    vi, en = eligibility.RULE_LABELS.get(code, (code, code))
    return en if current_lang() == "en" else vi


@bp.app_template_filter()
def check_message(check) -> str:
    return check.message_en if current_lang() == "en" and check.message_en else check.message


@bp.get("/people")
def people_list():
    rt = runtime()
    q = forms.arg_text("q")
    try:
        page = search.search_people(rt.db, forms.user_id(), q=q, org_id=forms.arg_int("org_id"),
                                    cursor=forms.arg_text("cursor"), limit=30)
    except InvalidInput as err:
        flash(err.message(current_lang()), "error")
        page = search.search_people(rt.db, forms.user_id(), q=None, limit=30)
    # The header's search box lands here: the nominations matching the same words (the linked
    # record's name, with or without diacritics, or its identity number) are listed too.
    nominations = None
    if q:
        query = listing.parse_query({"q": q, "per_page": NOMINATIONS_SHOWN})
        nominations = workbench.nomination_list(rt.db, forms.user_id(), query, now=rt.now())
    return render_template("people/list.html", page=page, q=q or "", args={"q": q} if q else {},
                           nominations=nominations)


def _render(person_id: int, status: int = 200, error: dict | None = None):
    p = register.get_person(runtime().db, forms.user_id(), person_id)
    awards = register.award_names(runtime().db) if p.can_edit else []
    return render_template("people/detail.html", p=p, error=error or {}, values=request.form if error else {},
                           ratings=RATINGS, bases=BASIS_LABELS, awards=awards), status


@bp.get("/people/<int:person_id>")
def person_page(person_id: int):
    return _render(person_id)


def _record(person_id: int, form: str, call, body: dict, done: str):
    rt = runtime()
    try:
        call(rt.db, forms.user_id(), person_id, body, now=rt.now(), ctx=forms.ctx())
    except (InvalidInput, Conflict) as err:
        message = err.message(current_lang())
        if isinstance(err, Conflict):
            message = _("Đã có mục này trong hồ sơ.")
        return _render(person_id, 409 if isinstance(err, Conflict) else 422,
                       {"form": form, "field": err.field, "message": message})
    flash(done, "success")
    return redirect(url_for("ui.person_page", person_id=person_id), 303)


@bp.post("/people/<int:person_id>/history")
def person_history(person_id: int):
    body = {"award_type": forms.text("award_type"), "year": forms.integer("year"),
            "decision_number": forms.text("decision_number"), "decision_date": forms.day("decision_date"),
            "basis": forms.text("basis") or "cong_trang"}
    if forms.text("kind") == "initiative":
        body = {"kind": "initiative", "title": forms.text("title"), "year": forms.integer("year"),
                "decision_number": forms.text("decision_number"), "decision_date": forms.day("decision_date")}
    return _record(person_id, "history", register.add_record, body, _("Đã ghi quá trình khen thưởng."))


@bp.post("/people/<int:person_id>/discipline")
def person_discipline(person_id: int):
    body = {"from": forms.day("from"), "to": forms.day("to"), "reason": forms.text("reason", multiline=True)}
    return _record(person_id, "discipline", register.add_discipline, body, _("Đã ghi kỷ luật."))


@bp.post("/people/<int:person_id>/ratings")
def person_rating(person_id: int):
    body = {"year": forms.integer("year"), "rating": forms.text("rating")}
    return _record(person_id, "rating", register.add_rating, body, _("Đã ghi xếp loại."))


def prefill(person_id: int | None) -> dict:
    """The drafting form's nominee fields from a record (`/nominations/new?person_id=`)."""
    if person_id is None:
        return {}
    try:
        p = register.get_person(runtime().db, forms.user_id(), person_id)
    except DomainError:
        return {}
    return {"nominee.person_id": str(p.id), "nominee.kind": p.kind, "nominee.name": p.name,
            "nominee.title": p.position or ""}


def preview_form(nominee: dict, page: dict):
    """The drafting form shown again with the eligibility panel (the form is not saved)."""
    rt = runtime()
    try:
        result = eligibility.preview(rt.db, forms.user_id(), plan_id=forms.integer("plan_id"),
                                     award_type=forms.text("award_type"), nominee=nominee, now=rt.now())
    except DomainError as err:
        return render_template("nominations/form.html", values=request.form,
                               error={"field": err.field, "message": err.message(current_lang())}, **page), 422
    return render_template("nominations/form.html", values=request.form, error={}, preview=result, **page)
