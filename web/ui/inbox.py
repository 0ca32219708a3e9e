"""/inbox (việc cần xử lý): what waits for me, most urgent first, and bulk actions on it."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from workflow.nominations import actions

from workflow import pages as ui_views
from web.runtime import runtime
from web.ui import bp, forms
from web.ui.i18n import current_lang

FILTERS = ("plan_id", "award_type", "unit_id", "state")


def current_filters(source) -> dict:
    """The inbox filters in a query string or form, as the service takes them."""
    out: dict = {}
    for name in FILTERS:
        value = (source.get(name) or "").strip()
        if name.endswith("_id") and value.isdigit() and len(value) < 13:
            out[name] = int(value)
        elif value and not name.endswith("_id"):
            out[name] = value[:60]
    return out


@bp.get("/inbox")
def inbox():
    rt = runtime()
    filters = current_filters(request.args)
    page = ui_views.inbox_page(rt.db, forms.user_id(), now=rt.now(), cursor=forms.arg_text("cursor"),
                               **filters)
    options = ui_views.filter_options(rt.db, forms.user_id(), now=rt.now())
    return render_template("inbox.html", page=page, options=options, filters=filters,
                           select_all=request.args.get("select") == "all")


@bp.post("/inbox/bulk")
def inbox_bulk():
    """One action on every selected nomination; each succeeds or fails on its own."""
    rt = runtime()
    filters = current_filters(request.form)
    ids = forms.ids()
    action = request.form.get("action", "")
    if not ids:
        flash(_("Hãy chọn ít nhất một hồ sơ."), "error")
        return redirect(url_for("ui.inbox", **filters), 303)
    body = {"reason": forms.text("reason", multiline=True)}
    if action == "decide":
        body["decision"] = {"number": forms.text("decision.number"), "date": forms.day("decision.date"),
                            "signer": forms.text("decision.signer"),
                            "on_behalf_of": forms.text("decision.on_behalf_of")}
    results = actions.bulk_perform(rt.db, forms.user_id(), action, ids, body, now=rt.now(), ctx=forms.ctx())
    names = ui_views.nominee_names(rt.db, forms.user_id(), ids)
    return render_template("bulk_result.html", action=action, results=results, names=names,
                           shared_error=shared_error(results), filters=filters)


def shared_error(results) -> str | None:
    """When every item failed for the same reason (a missing reason, say), say it once."""
    errors = {(r.error or {}).get("message") for r in results if not r.ok}
    if len(results) > 1 and all(not r.ok for r in results) and len(errors) == 1:
        err = results[0].error
        return err.get("message_en") if current_lang() == "en" else err.get("message")
    return None
