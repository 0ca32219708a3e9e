"""/nominations (hồ sơ đề nghị): the list, one nomination's page, and its action forms.

Each action form posts to the same service as the API (actions.perform) with the version the
page was drawn from, so a page someone else has acted on since is refused as stale (409) and
changes nothing; the page then shows the current state with the message.
"""
from io import BytesIO

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from states import mermaid
from workflow.errors import Conflict, InvalidInput, InvalidTransition
from workflow.nominations import actions
from workflow import pages as ui_views
from web.runtime import runtime
from web.ui import bp, confirm, forms, svg
from web.ui.i18n import action_name, current_lang, pick, state_name
from workflow.workbench import comments, listing, service as workbench

SAFE_TYPES = {"application/pdf", "image/png", "image/jpeg",
              "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@bp.get("/nominations")
def nominations():
    rt = runtime()
    query = listing.parse_query(request.args)
    page = workbench.nomination_list(rt.db, forms.user_id(), query, now=rt.now())
    options = ui_views.filter_options(rt.db, forms.user_id(), now=rt.now())
    return render_template("nominations/list.html", page=page, options=options, query=query)


@bp.get("/nominations/<int:nomination_id>")
def nomination(nomination_id: int):
    return render_nomination(nomination_id)


def render_nomination(nomination_id: int, status: int = 200, alert: str | None = None,
                      form_error: dict | None = None, comment_error: str | None = None):
    rt = runtime()
    page = ui_views.nomination_page(rt.db, forms.user_id(), nomination_id, now=rt.now())
    view = page.view
    diagram = svg.route_diagram(view.route, view.state, state_name, action_name, view.returned_from)
    return render_template(
        "nominations/detail.html", page=page, n=view, diagram=diagram, alert=alert,
        form_error=form_error or {}, values=request.form if form_error else {},
        mermaid_text=mermaid(view.route, view.state, current_lang(), numbered=True),
        comments=comments.list_comments(rt.db, forms.user_id(), "nomination", nomination_id),
        comment_error=comment_error,
    ), status


@bp.post("/nominations/<int:nomination_id>/comments")
def comment(nomination_id: int):
    rt = runtime()
    try:
        c = comments.add_comment(rt.db, forms.user_id(), "nomination", nomination_id,
                                 {"text": forms.text("text", multiline=True)}, now=rt.now(), ctx=forms.ctx())
    except InvalidInput as err:
        return render_nomination(nomination_id, 422, comment_error=err.message(current_lang()))
    flash(_("Đã gửi ý kiến."), "success")
    return redirect(url_for("ui.nomination", nomination_id=nomination_id, _anchor=f"comment-{c.id}"), 303)


def action_body(action: str) -> dict:
    """The service body of one action form (names as in the JSON API)."""
    body = {"version": forms.version(), "reason": forms.text("reason", multiline=True)}
    if action == "withdraw" and body["reason"] is None:
        body["reason"] = ""  # the page always asks why: an empty reason is refused by the service
    if action == "submit":
        body["attest"] = forms.text("attest", multiline=True)  # eligibility unknowns (workflow/people)
    if action == "vote":
        body["votes"] = {k: forms.integer(f"votes.{k}") for k in ("members", "present", "yes", "no")}
    if action == "decide":
        body["decision"] = {"number": forms.text("decision.number"), "date": forms.day("decision.date"),
                            "signer": forms.text("decision.signer"),
                            "on_behalf_of": forms.text("decision.on_behalf_of")}
    return body


# Irreversible actions are asked again (web/ui/confirm.py); a missing reason is refused at once.
CONFIRM = ("withdraw", "reject", "return", "vote", "decide")
REASONED = ("withdraw", "reject", "return")


def ask_first(nomination_id: int, action: str, body: dict):
    """The confirmation page naming the nominee and the award, or None when the service should
    answer at once (the action is not the user's now). A stale form is refused here already."""
    page = ui_views.nomination_page(runtime().db, forms.user_id(), nomination_id, now=runtime().now())
    if action not in page.view.actions:
        return None
    if page.view.version != body["version"]:
        raise Conflict(f"Hồ sơ #{nomination_id} đã thay đổi (phiên bản {page.view.version})",
                       f"Nomination #{nomination_id} has changed (version {page.view.version})", field="version")
    text = confirm.sentence(action, name=page.view.nominee["name"],
                            award=pick(page.award["name_vi"], page.award["name_en"]))
    return confirm.ask(text, back=url_for("ui.nomination", nomination_id=nomination_id, _anchor=f"form-{action}"))


@bp.post("/nominations/<int:nomination_id>/act/<action>")
def act(nomination_id: int, action: str):
    rt = runtime()
    try:
        body = action_body(action)
        if action in CONFIRM and not confirm.confirmed() and (action not in REASONED or body["reason"]):
            asked = ask_first(nomination_id, action, body)
            if asked is not None:
                return asked
        view = actions.perform(rt.db, forms.user_id(), nomination_id, action, body, now=rt.now(),
                               ctx=forms.ctx())
    except InvalidInput as err:
        return render_nomination(nomination_id, 422, form_error={
            "action": action, "field": err.field, "message": err.message(current_lang())})
    except (Conflict, InvalidTransition) as err:
        lead = _("Có người vừa xử lý hồ sơ này trước bạn. Thao tác của bạn chưa được ghi; "
                 "trang dưới đây là trạng thái hiện tại.")
        return render_nomination(nomination_id, 409, alert=f"{lead} {err.message(current_lang())}")
    flash(_("Đã thực hiện: %(action)s. Trạng thái mới: %(state)s.", action=action_name(action),
            state=state_name(view.state)), "success")
    return redirect(url_for("ui.nomination", nomination_id=nomination_id), 303)


@bp.get("/nominations/<int:nomination_id>/documents/<int:document_id>")
def document(nomination_id: int, document_id: int):
    doc = ui_views.document(runtime().db, forms.user_id(), nomination_id, document_id)
    mimetype = doc["content_type"] if doc["content_type"] in SAFE_TYPES else "application/octet-stream"
    # Always a download, never rendered in our origin: an uploaded file cannot run as a page.
    return send_file(BytesIO(doc["data"]), mimetype=mimetype, as_attachment=True,
                     download_name=doc["filename"])
