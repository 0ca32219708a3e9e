"""/plans (kế hoạch thi đua): each plan's milestones as written and what they mean, and the
progress of each participating unit; a plan drafted (Lưu nháp), edited, issued after a
confirmation naming what it creates (Ban hành), and closed."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from states.labels import MILESTONE_PURPOSES, PLAN_KINDS
from workflow.access.policy import PLAN_ISSUERS
from workflow.catalogue import service as catalogue
from workflow.errors import Conflict, Forbidden, InvalidInput, InvalidTransition
from workflow.plans import amend as plan_amend, importing as plan_import, progress as plan_progress

from workflow.plans import service as plan_service
from web.runtime import runtime
from web.ui import bp, forms, obligations_view
from web.ui.i18n import current_lang

BLANK_ROWS = 3  # empty milestone rows offered under the plan's own


@bp.get("/plans")
def plans():
    rt = runtime()
    items = plan_service.list_plans(rt.db, forms.user_id(), now=rt.now())
    items.sort(key=lambda p: (p["status"] != "draft", not p["accepting_nominations"], -p["id"]))
    progress = plan_progress.progress(rt.db, forms.user_id(), now=rt.now())
    return render_template("plans/list.html", plans=items, progress=progress, may_draft=_may_draft())


@bp.get("/plans/<int:plan_id>")
def plan(plan_id: int):
    rt = runtime()
    item = plan_service.get_plan(rt.db, forms.user_id(), plan_id, now=rt.now())
    progress = plan_progress.progress(rt.db, forms.user_id(), now=rt.now(), plan_id=plan_id)
    reports = obligations_view.reports(rt.db, forms.user_id(), plan_id, now=rt.now())
    return render_template("plans/detail.html", plan=item, progress=progress.get(plan_id, []),
                           reports=reports["items"], late=reports["late_by_milestone"])


def _may_draft() -> bool:
    return current_user.is_authenticated and current_user.user.role in PLAN_ISSUERS


# --- the draft form -----------------------------------------------------------------------------

def _body() -> dict:
    """The form as the body POST /plans and PATCH take (the service checks every rule)."""
    rows = []
    for i in range(forms.integer("rows") or 0):
        text = forms.text(f"m{i}.text")
        if text is None:
            continue
        row: dict[str, str | int | None] = {"text": text, "purpose": forms.text(f"m{i}.purpose") or "event",
               "description": forms.text(f"m{i}.description"), "binds": forms.text(f"m{i}.binds")}
        if (mid := forms.integer(f"m{i}.id")) is not None:  # the milestone an amendment changes
            row["id"] = mid
        rows.append(row)
    start, end = forms.day("period.start"), forms.day("period.end")
    body: dict = {"number": forms.text("number"), "title": forms.text("title", multiline=False),
            "kind": forms.text("kind") or "annual", "issued_on": forms.day("issued_on"),
            "period": {"start": start, "end": end} if start or end else None,
            "period_text": forms.text("period_text"), "criteria": forms.text("criteria", multiline=True),
            "parent_number": forms.text("parent_number"), "basis": forms.text("basis", multiline=True),
            "issued_text": forms.text("issued_text"), "milestones": rows}
    if request.form.get("award_forms") == "1":  # the form offered award types (a plan read from its text)
        body["award_types"] = request.form.getlist("award_types") or None
    return body


def _values(plan: dict | None) -> dict:
    if plan is None:
        return {"kind": "annual", "milestones": []}
    period = plan.get("period") or {}
    return {**plan, "period.start": period.get("start"), "period.end": period.get("end"),
            "milestones": [{**m, "binds": m["binds_text"] or ", ".join(b["name"] for b in m["binds"] or ())}
                           for m in plan["milestones"]]}


def _form(values: dict, error: dict, plan: dict | None, status: int = 200, amend: bool = False, **proposal):
    rows = list(values.get("milestones") or [])
    rows += [{}] * BLANK_ROWS
    if request.method == "POST" and request.form.get("award_forms") == "1" and not proposal.get("awards"):
        proposal["awards"] = _award_choices(request.form.getlist("award_types"))
    title = _("Sửa đổi kế hoạch") if amend else (
        _("Sửa dự thảo kế hoạch") if plan else _("Lập kế hoạch thi đua, khen thưởng"))
    return render_template("plans/form.html", values=values, rows=rows, error=error, plan=plan,
                           kinds=PLAN_KINDS, purposes=MILESTONE_PURPOSES, title=title, amend=amend,
                           **proposal), status


def _error(err) -> dict:
    return {"field": err.field, "message": err.message(current_lang())}


def _saved(plan: dict):
    """After "Lưu nháp" the draft's page; after "Ban hành" the confirmation of what it creates."""
    if request.form.get("save") == "issue":
        return redirect(url_for("ui.issue_plan", plan_id=plan["id"]), 303)
    flash(_("Đã lưu dự thảo kế hoạch. Kế hoạch chưa ban hành: các đơn vị chưa thấy và chưa phải báo cáo."),
          "success")
    return redirect(url_for("ui.plan", plan_id=plan["id"]), 303)


@bp.route("/plans/new", methods=["GET", "POST"])
def new_plan():
    if request.method == "GET":
        return _form(_values(None), {}, None)
    rt = runtime()
    body = {**_body(), "draft": True}
    try:
        plan = plan_service.create_plan(rt.db, forms.user_id(), body, now=rt.now(),
                                        strict_before=rt.settings.strict_before, ctx=forms.ctx())
    except InvalidInput as err:
        return _form({**body, **request.form.to_dict(), "milestones": body["milestones"]}, _error(err), None, 422)
    return _saved(plan)


@bp.route("/plans/<int:plan_id>/edit", methods=["GET", "POST"])
def edit_plan(plan_id: int):
    rt = runtime()
    plan = plan_service.get_plan(rt.db, forms.user_id(), plan_id, now=rt.now())
    if request.method == "GET":
        return _form(_values(plan), {}, plan)
    body = {**_body(), "version": forms.version()}
    try:
        plan = plan_service.edit_plan(rt.db, forms.user_id(), plan_id, body, now=rt.now(),
                                      strict_before=rt.settings.strict_before, ctx=forms.ctx())
    except (InvalidInput, Conflict, InvalidTransition) as err:
        status = 422 if isinstance(err, InvalidInput) else 409
        return _form({**body, **request.form.to_dict(), "milestones": body["milestones"]}, _error(err), plan, status)
    return _saved(plan)


# --- amend an issued plan: the form, a confirmation naming what changes, saved -------------------

@bp.route("/plans/<int:plan_id>/amend", methods=["GET", "POST"])
def amend_plan(plan_id: int):
    """"Sửa đổi kế hoạch": the plan's form pre-filled with a required reason; sent, it comes back
    as a confirmation naming the fields and how many reports move, are created or are cancelled
    (workflow/plans/amend.py, computed by the same code that saves); confirmed, it is saved."""
    rt = runtime()
    plan = plan_service.get_plan(rt.db, forms.user_id(), plan_id, now=rt.now())
    if "amend" not in plan["actions"]:  # the service's answer: not issued, or not the issuer's
        raise Forbidden("Chỉ cơ quan ban hành được sửa đổi kế hoạch đã ban hành",
                        "Only the issuing organisation may amend an issued plan")
    if request.method == "GET":
        return _form(_values(plan), {}, plan, amend=True)
    body = {**_body(), "version": forms.version(), "reason": forms.text("reason", multiline=True)}
    confirmed = request.form.get("confirm") == "1"
    try:
        if not confirmed:
            summary = plan_amend.preview_amendment(rt.db, forms.user_id(), plan_id, body, now=rt.now(),
                                                   strict_before=rt.settings.strict_before)
            return render_template("plans/amend.html", plan=plan, summary=summary, reason=body["reason"],
                                   carried=[(k, x) for k, x in request.form.items(multi=True)
                                            if k not in ("csrf_token", "confirm")])
        amended = plan_amend.change_plan(rt.db, forms.user_id(), plan_id, body, now=rt.now(),
                                         strict_before=rt.settings.strict_before, ctx=forms.ctx())
    except (InvalidInput, Conflict, InvalidTransition) as err:
        status = 422 if isinstance(err, InvalidInput) else 409
        return _form({**body, **request.form.to_dict(), "milestones": body["milestones"]}, _error(err), plan,
                     status, amend=True)
    flash(_("Đã sửa đổi kế hoạch (phiên bản %(v)s).", v=amended["version"]), "success")
    return redirect(url_for("ui.plan", plan_id=plan_id), 303)


# --- issue and close ----------------------------------------------------------------------------

@bp.route("/plans/<int:plan_id>/issue", methods=["GET", "POST"])
def issue_plan(plan_id: int):
    rt = runtime()
    plan = plan_service.get_plan(rt.db, forms.user_id(), plan_id, now=rt.now())
    if request.method == "GET":
        return render_template("plans/issue.html", plan=plan, error=None)
    try:
        issued = plan_service.issue_plan(rt.db, forms.user_id(), plan_id, {"version": forms.version()},
                                         now=rt.now(), ctx=forms.ctx())
    except (InvalidInput, Conflict, InvalidTransition) as err:
        status = 422 if isinstance(err, InvalidInput) else 409
        return render_template("plans/issue.html", plan=plan, error=_error(err)), status
    flash(_("Đã ban hành kế hoạch; đã giao %(n)s báo cáo cho %(u)s đơn vị.",
            n=plan["on_issue"]["obligations"], u=plan["on_issue"]["units"]), "success")
    return redirect(url_for("ui.plan", plan_id=issued["id"]), 303)


@bp.post("/plans/<int:plan_id>/close")
def close_plan(plan_id: int):
    rt = runtime()
    try:
        plan_service.close_plan(rt.db, forms.user_id(), plan_id,
                                {"version": forms.version(), "reason": forms.text("reason", multiline=True)},
                                now=rt.now(), ctx=forms.ctx())
    except (InvalidInput, Conflict, InvalidTransition) as err:
        flash(err.message(current_lang()), "error")
        return redirect(url_for("ui.plan", plan_id=plan_id), 303)
    flash(_("Đã kết thúc kế hoạch: không nhận thêm hồ sơ; các báo cáo đã giao vẫn phải nộp."), "success")
    return redirect(url_for("ui.plan", plan_id=plan_id), 303)


# --- a plan read from its own text (Nhập từ văn bản) --------------------------------------------

@bp.route("/plans/import", methods=["GET", "POST"])
def import_plan():
    """Paste a plan's text or upload its .txt / .docx; the proposal comes back as the plan form,
    pre-filled, each field with the line it came from and the warnings, saved through /plans/new."""
    if request.method == "GET":
        return render_template("plans/import.html", error=None, text="")
    rt = runtime()
    upload = request.files.get("file")
    text = request.form.get("text") or ""
    try:
        if upload is not None and upload.filename:
            text = plan_import.text_of_upload(upload.filename, upload.read(plan_import.MAX_TEXT_BYTES + 1))
        proposal = plan_import.propose(rt.db, forms.user_id(), text, strict_before=rt.settings.strict_before)
    except InvalidInput as err:
        return render_template("plans/import.html", error=_error(err), text=text[:200_000]), 422
    plan = proposal["plan"]
    return _form(_proposed_values(plan), {}, None, action=url_for("ui.new_plan"), lines=_lines(plan),
                 warnings=proposal["warnings"], awards=_award_choices(
                     [a["award_type"] for a in plan["award_forms"] if a["award_type"]], plan["award_forms"]))


def _proposed_values(plan: dict) -> dict:
    """The proposal as the form's values: what the create path takes, as the text wrote it. Who a
    milestone binds is proposed for reports and submissions (what units owe); an event's sentence
    goes to its description."""
    period = plan.get("period") or {}
    rows = [{"text": m["text"], "purpose": m["purpose"], "line": m["line"],
             "binds": m["binds"] if m["purpose"] != "event" else None,
             "description": m["sentence"][:1000]} for m in plan["milestones"]]
    parent = plan.get("parent") or {}
    return {"number": plan.get("number") or "", "title": plan.get("title") or "",
            "kind": plan["kind"], "issued_on": plan.get("issued_on"), "issued_text": plan.get("issued_text"),
            "period.start": period.get("start"), "period.end": period.get("end"), "period_text": period.get("text"),
            "parent_number": parent.get("number"), "basis": "\n".join(b["text"] for b in plan["basis"]),
            "milestones": rows}


def _lines(plan: dict) -> dict:
    """The line each field came from ("dòng N" beside it); None where the text does not say."""
    lines = dict(plan.get("lines") or {})
    lines["period"] = (plan.get("period") or {}).get("line")
    lines["parent"] = (plan.get("parent") or {}).get("line")
    lines["basis"] = plan["basis"][0]["line"] if plan["basis"] else None
    return lines


def _award_choices(codes: list[str], forms_read: list[dict] | None = None) -> list[dict]:
    """The award types the text names, by their catalogue names, each with the words it used."""
    known = {a.code for a in catalogue.list_award_types(runtime().db)}
    out: dict[str, dict] = {}
    for code in codes:
        if code in known and code not in out:
            out[code] = {"code": code, "written": [], "lines": []}
    for f in forms_read or ():
        if f["award_type"] in out:
            out[f["award_type"]]["written"].append(f["text"])
            out[f["award_type"]]["lines"].append(f["line"])
    return list(out.values())
