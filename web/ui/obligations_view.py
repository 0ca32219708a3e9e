"""The report obligations of a plan (báo cáo theo kế hoạch) on the plan's page: the list, and
the forms to submit a report (text and a file) or to accept or return it."""
from flask import flash, redirect, request, url_for
from flask_babel import gettext as _

from workflow.errors import Conflict, InvalidInput, InvalidTransition
from workflow.plans import obligations
from web.runtime import runtime
from web.ui import bp, forms
from web.ui.i18n import current_lang

REPORT_ACTIONS = ("submit", "accept", "return")


def reports(db, actor_id: int, plan_id: int, *, now) -> list:
    return obligations.plan_reports(db, actor_id, plan_id, now=now)


def _body() -> dict:
    version = request.form.get("version", "")
    return {"text": request.form.get("text"), "reason": request.form.get("reason"),
            "version": int(version) if version.isdigit() else None}


@bp.post("/plans/<int:plan_id>/reports/<int:obligation_id>/<action>")
def report_action(plan_id: int, obligation_id: int, action: str):
    """One form per report: the unit submits (a file first, if given), the plan's owner
    accepts or returns. A refusal comes back as a message on the plan page; nothing changed."""
    rt, user = runtime(), forms.user_id()
    if action not in REPORT_ACTIONS:
        flash(_("Thao tác không hợp lệ."), "error")
        return redirect(url_for("ui.plan", plan_id=plan_id), 303)
    try:
        upload = request.files.get("file")
        if action == "submit" and upload and upload.filename:
            obligations.add_report_attachment(rt.db, user, plan_id, obligation_id, filename=upload.filename,
                                              content_type=upload.mimetype, data=upload.read(),
                                              now=rt.now(), ctx=forms.ctx())
        obligations.act_on_report(rt.db, user, plan_id, obligation_id, action, _body(), now=rt.now(),
                                  ctx=forms.ctx())
    except (InvalidInput, Conflict, InvalidTransition) as err:
        flash(err.message(current_lang()), "error")
    else:
        flash(_("Đã ghi báo cáo."), "success")
    return redirect(url_for("ui.plan", plan_id=plan_id), 303)
