"""/admin/awards: the award catalogue kept by the administrator — add an award type, publish a
new version of one (its names, steps, time limits and ballot rules), and move the nominations in
flight from one version to another after a dry run.

Every change goes through workflow/catalogue/service.py, which refuses anyone but the
administrator, checks the definition and audits it in the same transaction.
"""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from states.routes import STEP_KINDS, STEP_LEVELS
from web.runtime import runtime
from web.ui import bp, forms
from web.ui.i18n import current_lang
from workflow.catalogue import service as catalogue
from workflow.catalogue.definitions import KINDS, SUBJECTS
from workflow.errors import DomainError

MAX_FORM_STEPS = 12


def _error(err: DomainError) -> dict:
    return {"field": err.field, "message": err.message(current_lang())}


def _share(name: str) -> str | None:
    """A share typed as a percentage ("90", "66,7") or a fraction ("2/3"), as the service reads it."""
    raw = (request.form.get(name) or "").strip().replace(",", ".")
    if not raw:
        return None
    return raw if "/" in raw else raw.rstrip("%") + "%"


def _steps() -> list[dict]:
    """The steps table of the form: one row per step, blank rows ignored, ticked rows removed."""
    out = []
    for i in range(MAX_FORM_STEPS):
        level, kind = request.form.get(f"steps-{i}-level"), request.form.get(f"steps-{i}-kind")
        if not level or not kind or request.form.get(f"steps-{i}-remove") == "1":
            continue
        days = (request.form.get(f"steps-{i}-days") or "").strip()
        step = {"level": level, "kind": kind, "time_limit_days": int(days) if days.isdigit() else days or None}
        if kind == "vote":
            step.update(threshold=_share(f"steps-{i}-threshold"), quorum=_share(f"steps-{i}-quorum"))
        out.append(step)
    return out


def _definition(code: str | None = None) -> dict:
    return {"code": code or forms.text("code"), "name_vi": forms.text("name_vi"), "name_en": forms.text("name_en"),
            "subject": forms.text("subject"), "kind": forms.text("kind"), "decider": forms.text("decider"),
            "legal_basis": forms.text("legal_basis", multiline=True), "documents": request.form.getlist("documents"),
            "active": request.form.get("active") == "1", "steps": _steps()}


def _form(award, *, error=None, status=200):
    return render_template("admin/award_form.html", award=award, error=error or {},
                           values=request.form if error else {}, levels=STEP_LEVELS, kinds=STEP_KINDS,
                           subjects=SUBJECTS, award_kinds=KINDS, rows=MAX_FORM_STEPS), status


@bp.get("/admin/awards")
def admin_awards():
    return render_template("admin/awards.html", awards=catalogue.catalogue_for_admin(runtime().db, forms.user_id()))


@bp.route("/admin/awards/new", methods=["GET", "POST"])
def admin_new_award():
    rt = runtime()
    catalogue.check_keeper(rt.db, forms.user_id())
    if request.method == "GET":
        return _form(None)
    try:
        view = catalogue.create_award_type(rt.db, forms.user_id(), _definition(), now=rt.now(), ctx=forms.ctx())
    except DomainError as err:
        return _form(None, error=_error(err), status=422 if err.code == "invalid_input" else 409)
    flash(_("Đã thêm hình thức khen thưởng %(code)s (phiên bản 1).", code=view.code), "success")
    return redirect(url_for("ui.admin_award", code=view.code), 303)


@bp.route("/admin/awards/<code>", methods=["GET", "POST"])
def admin_award(code: str):
    rt = runtime()
    award = catalogue.award_for_admin(rt.db, forms.user_id(), code)
    if request.method == "GET":
        return _form(award)
    try:
        view = catalogue.publish_version(rt.db, forms.user_id(), code, _definition(code), now=rt.now(),
                                         ctx=forms.ctx())
    except DomainError as err:
        return _form(award, error=_error(err), status=422)
    flash(_("Đã ban hành phiên bản %(v)s; hồ sơ đang xét giữ phiên bản cũ cho đến khi được chuyển.", v=view.version),
          "success")
    return redirect(url_for("ui.admin_award", code=code), 303)


@bp.route("/admin/awards/<code>/migrate", methods=["GET", "POST"])
def admin_migrate(code: str):
    """Dry run first (what would move where); the administrator then confirms the same move."""
    rt = runtime()
    award = catalogue.award_for_admin(rt.db, forms.user_id(), code)
    if request.method == "GET":
        return render_template("admin/award_migrate.html", award=award, items=None, error={}, values={})
    body = {"from_version": forms.integer("from_version"), "to_version": forms.integer("to_version"),
            "dry_run": request.form.get("confirm") != "1",
            "mapping": {k[len("map-"):]: val for k, val in request.form.items() if k.startswith("map-") and val}}
    try:
        items = catalogue.migrate(rt.db, forms.user_id(), code, body, now=rt.now(), ctx=forms.ctx())
    except DomainError as err:
        return render_template("admin/award_migrate.html", award=award, items=None, error=_error(err),
                               values=request.form), 422
    if body["dry_run"]:
        return render_template("admin/award_migrate.html", award=award, items=items, error={}, values=request.form)
    flash(_("Đã chuyển %(n)s hồ sơ sang phiên bản %(v)s.", n=sum(i.ok for i in items), v=body["to_version"]),
          "success")
    return redirect(url_for("ui.admin_award", code=code), 303)
