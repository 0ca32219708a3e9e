"""/nominations/new and /nominations/<id>/edit: a unit officer drafts (soạn hồ sơ)."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from workflow.errors import Conflict, InvalidInput
from workflow.nominations import drafting
from workflow import pages as ui_views
from web.runtime import runtime
from web.ui import bp, forms, people as people_ui
from web.ui.i18n import current_lang

FIELDS = ("award_type", "nominee.kind", "nominee.name", "nominee.title", "achievements")


def _nominee() -> dict:
    chosen = forms.integer("nominee.person_id")  # picked from the register (web/ui/people.py)
    return {"kind": forms.text("nominee.kind"), "name": forms.text("nominee.name"),
            "title": forms.text("nominee.title"), **({"person_id": chosen} if chosen else {})}


def _error(err) -> dict:
    return {"field": err.field, "message": err.message(current_lang())}


@bp.route("/nominations/new", methods=["GET", "POST"])
def new_nomination():
    rt = runtime()
    options = ui_views.drafting_options(rt.db, forms.user_id(), now=rt.now())
    page = {"title": _("Lập hồ sơ đề nghị khen thưởng"), "options": options,
            "cancel_url": url_for("ui.nominations"), "n": None}
    if request.method == "GET":
        values = {"plan_id": request.args.get("plan_id", ""), **people_ui.prefill(forms.arg_int("person_id"))}
        return render_template("nominations/form.html", values=values, error={}, **page)
    if request.form.get("preview"):  # the award's conditions before saving; nothing is written
        return people_ui.preview_form(_nominee(), page)
    try:
        view = drafting.create_nomination(
            rt.db, forms.user_id(), plan_id=forms.integer("plan_id"), award_type=forms.text("award_type"),
            nominee=_nominee(), achievements=forms.text("achievements", multiline=True), now=rt.now(),
            ctx=forms.ctx())
    except (InvalidInput, Conflict) as err:
        status = 409 if isinstance(err, Conflict) else 422
        return render_template("nominations/form.html", values=request.form, error=_error(err), **page), status
    flash(_("Đã lập hồ sơ đề nghị khen thưởng %(name)s (dự thảo). Kiểm tra lại rồi bấm “Trình” khi sẵn sàng.",
            name=view.nominee["name"]),
          "success")
    return redirect(url_for("ui.nomination", nomination_id=view.id), 303)


def _values_of(view) -> dict:
    return {"award_type": view.award_type, "nominee.kind": view.nominee["kind"],
            "nominee.name": view.nominee["name"], "nominee.title": view.nominee["title"] or "",
            "achievements": view.achievements}


def _changes(view) -> dict:
    """Only what the officer changed: saving an untouched form writes nothing."""
    current = _values_of(view)
    typed = {"award_type": forms.text("award_type"), "achievements": forms.text("achievements", multiline=True),
             **{f"nominee.{k}": val for k, val in _nominee().items()}}
    changes = {}
    if typed["award_type"] != current["award_type"]:
        changes["award_type"] = typed["award_type"]
    if typed["achievements"] != current["achievements"]:
        changes["achievements"] = typed["achievements"]
    if any(typed[f"nominee.{k}"] != (current[f"nominee.{k}"] or None) for k in ("kind", "name", "title")):
        changes["nominee"] = _nominee()
    return changes


@bp.route("/nominations/<int:nomination_id>/edit", methods=["GET", "POST"])
def edit_nomination(nomination_id: int):
    rt = runtime()
    view = ui_views.draft_for_edit(rt.db, forms.user_id(), nomination_id, now=rt.now())
    page = ui_views.nomination_page(rt.db, forms.user_id(), nomination_id, now=rt.now())
    base = {"title": _("Sửa hồ sơ đề nghị khen thưởng %(name)s", name=view.nominee["name"]), "n": view,
            "options": ui_views.drafting_options(rt.db, forms.user_id(), now=rt.now()),
            "plan_label": f"{page.plan['number']} — {page.plan['title']}",
            "cancel_url": url_for("ui.nomination", nomination_id=view.id)}
    if request.method == "GET":
        return render_template("nominations/form.html", values=_values_of(view), error={}, **base)
    changes = _changes(view)
    if not changes:
        flash(_("Không có gì thay đổi."), "info")
        return redirect(url_for("ui.nomination", nomination_id=view.id), 303)
    try:
        drafting.edit_nomination(rt.db, forms.user_id(), nomination_id, changes=changes,
                                 version=forms.version(), now=rt.now(), ctx=forms.ctx())
    except Conflict as err:
        if err.field != "version":
            return render_template("nominations/form.html", values=request.form, error=_error(err), **base), 409
        alert = _("Hồ sơ vừa được người khác sửa; thay đổi của bạn chưa được lưu. "
                  "Dưới đây là nội dung hiện tại; phần bạn đã nhập được giữ ở cuối trang.")
        return render_template("nominations/form.html", values=_values_of(view), error={}, alert=alert,
                               unsaved=forms.text("achievements", multiline=True), **base), 409
    except InvalidInput as err:
        return render_template("nominations/form.html", values=request.form, error=_error(err), **base), 422
    flash(_("Đã lưu hồ sơ đề nghị khen thưởng."), "success")
    return redirect(url_for("ui.nomination", nomination_id=nomination_id), 303)
