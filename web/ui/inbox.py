"""/inbox (việc cần xử lý): what waits for me, most urgent first, searched, sorted and paged,
and one action on the ticked rows or on every row matching the filter."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from workflow.nominations import actions
from workflow.workbench import listing, service as workbench

from workflow import pages as ui_views
from web.runtime import runtime
from web.ui import bp, forms
from web.ui.i18n import current_lang

# Actions asked again on a confirmation page before they run on ticked rows: they end a
# nomination's road (a decision, a rejection, a withdrawal). Every action on "all matching
# rows" is asked again too: the user sees how many it will touch.
CONFIRM = ("decide", "reject", "withdraw")


@bp.get("/inbox")
def inbox():
    rt = runtime()
    query = listing.parse_query(request.args, "inbox")
    page = workbench.nomination_list(rt.db, forms.user_id(), query, now=rt.now(), scope=listing.Scope("inbox"),
                                    with_eligibility=True)
    options = ui_views.filter_options(rt.db, forms.user_id(), now=rt.now())
    return render_template("inbox.html", page=page, options=options, query=query,
                           select_all=request.args.get("select") == "all")


def _body() -> dict:
    body: dict = {"reason": forms.text("reason", multiline=True)}
    if request.form.get("action") == "withdraw" and body["reason"] is None:
        body["reason"] = ""  # the page asks why: an empty reason is refused (workflow/nominations/steps.py)
    if request.form.get("action") == "decide":
        body["decision"] = {"number": forms.text("decision.number"), "date": forms.day("decision.date"),
                            "signer": forms.text("decision.signer"),
                            "on_behalf_of": forms.text("decision.on_behalf_of")}
    return body


@bp.post("/inbox/bulk")
def inbox_bulk():
    """One action on every selected nomination (or every one matching the filter); each
    succeeds or fails on its own."""
    rt, uid = runtime(), forms.user_id()
    query = listing.parse_query(request.form, "inbox")
    matching = request.form.get("scope") == "matching"
    action = request.form.get("action", "")
    scope = listing.Scope("inbox")
    ids = workbench.select_matching(rt.db, uid, scope, query, now=rt.now()) if matching else forms.ids()
    if not ids:
        flash(_("Hãy chọn ít nhất một hồ sơ."), "error")
        return redirect(url_for("ui.inbox", **query.filters()), 303)
    body = _body()
    if (matching or action in CONFIRM) and request.form.get("confirmed") != "1":
        actions.check_action(action)
        names = ui_views.nominee_names(rt.db, uid, ids[:20])
        return render_template("confirm_bulk.html", action=action, ids=ids, names=names, matching=matching,
                               query=query, form=request.form, body=body)
    # Confirmed: exactly the rows the confirmation page named (it carries their ids).
    results = actions.bulk_perform(rt.db, uid, action, ids, body, now=rt.now(), ctx=forms.ctx())
    names = ui_views.nominee_names(rt.db, uid, [r.id for r in results])
    return render_template("bulk_result.html", action=action, results=results, names=names,
                           shared_error=shared_error(results), filters=query.filters())


def shared_error(results) -> str | None:
    """When every item failed for the same reason (a missing reason, say), say it once."""
    errors = {(r.error or {}).get("message") for r in results if not r.ok}
    if len(results) > 1 and all(not r.ok for r in results) and len(errors) == 1:
        err = results[0].error
        return err.get("message_en") if current_lang() == "en" else err.get("message")
    return None
