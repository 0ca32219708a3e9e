"""The report obligations of a plan (báo cáo theo kế hoạch) on the plan's page: each unit's
report with its text, files and earlier rounds, the forms to submit it (text and a file) or to
accept or return it, and the late list per milestone."""
from flask import flash, redirect, request, url_for
from flask_babel import gettext as _

from workflow.errors import Conflict, InvalidInput, InvalidTransition
from workflow.plans import obligations
from web.runtime import runtime
from web.ui import bp, forms
from web.ui.i18n import current_lang
from web.uploads import send_download

REPORT_ACTIONS = ("submit", "accept", "return")


def reports(db, actor_id: int, plan_id: int, *, now) -> dict:
    """The shape of GET /api/v1/plans/{id}/reports: items, summary, late_by_milestone."""
    return obligations.list_reports(db, actor_id, plan_id, now=now)


def _body() -> dict:
    version = request.form.get("version", "")
    return {"text": request.form.get("text"), "reason": request.form.get("reason"),
            "version": int(version) if version.isdigit() else None}


def _files(action: str) -> tuple[tuple[str, bytes], ...]:
    upload = request.files.get("file")
    if action != "submit" or upload is None or not upload.filename:
        return ()
    return ((upload.filename, upload.read(obligations.MAX_ATTACHMENT_BYTES + 1)),)


def _done(action: str, report: dict) -> str:
    """What happened, named: whose report, for which milestone, and why it went back."""
    unit = report["unit"]["name"] or "—"
    if action == "submit":
        return _("Đã nộp báo cáo của %(unit)s cho mốc “%(milestone)s”.", unit=unit,
                 milestone=report["milestone"]["text"])
    if action == "accept":
        return _("Đã chấp nhận báo cáo của %(unit)s.", unit=unit)
    return _("Đã trả lại báo cáo của %(unit)s: %(reason)s", unit=unit, reason=report["reason"])


@bp.post("/plans/<int:plan_id>/reports/<int:obligation_id>/<action>")
def report_action(plan_id: int, obligation_id: int, action: str):
    """One form per report: the unit submits (its text and a file, in one transaction), the
    plan's owner accepts or returns. A refusal comes back as a message on the plan page, in
    words; nothing changed."""
    rt, user = runtime(), forms.user_id()
    back = url_for("ui.plan", plan_id=plan_id)
    if action not in REPORT_ACTIONS:
        flash(_("Thao tác không hợp lệ."), "error")
        return redirect(back, 303)
    try:
        report = obligations.act_on_report(rt.db, user, plan_id, obligation_id, action, _body(), now=rt.now(),
                                           ctx=forms.ctx(), files=_files(action))
    except (InvalidInput, Conflict, InvalidTransition) as err:
        flash(err.message(current_lang()), "error")
    else:
        flash(_done(action, report), "success")
    return redirect(back, 303)


@bp.get("/plans/<int:plan_id>/reports/<int:obligation_id>/files/<int:attachment_id>")
def report_file(plan_id: int, obligation_id: int, attachment_id: int):
    """A file of a report, for whoever may see the report (the unit, the plan's owner)."""
    meta, data = obligations.get_report_attachment(runtime().db, forms.user_id(), plan_id, obligation_id,
                                                   attachment_id)
    return send_download(meta["filename"], data, meta["content_type"])
