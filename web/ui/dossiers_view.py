"""/dossiers (hồ sơ / tờ trình): the list, a new dossier, one dossier's page with its nominee
table, and the forms that post to the dossier services, called as web/api_dossiers.py calls
them (dossiers, dossier_review, dossier_import, aggregation, attachments).

Every form carries the dossier's version (or, drawn from several dossiers, each one's), and the
service checks it in the command's own transaction. A stale form is refused (409)
with the current page and changes nothing. A refusal naming rows (an Excel import, an
all-or-nothing command) is shown as a table on the dossier page.
"""
import io

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _, lazy_gettext as _l

from states.dossiers import DOSSIER_STATES
from workflow.dossiers.excel import MAX_FILE_BYTES
from workflow.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from workflow.decisions import service as decisions
from workflow.dossiers import aggregation
from workflow.dossiers import attachments
from workflow.dossiers import central as dossier_central
from workflow.dossiers import importing as dossier_import
from workflow.dossiers import review as dossier_review
from workflow.dossiers import service as dossiers
from workflow.dossiers import tally_sheet
from workflow import pages as ui_views
from workflow.dossiers.views import DossierView
from workflow.views import Page
from workflow.workbench import assignment, comments, listing, service as workbench
from web.errors import status_of
from web.runtime import runtime
from web.uploads import read_file
from web.ui import bp, confirm, forms
from web.ui.i18n import action_name, state_name, current_lang

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DIRECTIONS = ("waiting", "incoming", "outgoing")
KIND_NAMES = {"unit": _l("Hồ sơ của đơn vị"), "aggregate": _l("Tờ trình tổng hợp")}
STALE_LEAD = _l("Có người vừa thay đổi hồ sơ này trước bạn. Thao tác của bạn chưa được ghi; "
                "trang dưới đây là trạng thái hiện tại.")


@bp.app_template_filter("dossier_state_name")
def dossier_state_name(state: str | None) -> str:
    return state_name(state, "dossier")


@bp.app_template_filter("dossier_kind_name")
def dossier_kind_name(kind: str | None) -> str:
    return str(KIND_NAMES.get(kind, kind or "—"))


@bp.app_template_filter("dossier_action_name")
def dossier_action_name(action: str) -> str:
    return action_name(action, "dossier")


# --- reading ------------------------------------------------------------------------------

def _list_filters() -> dict:
    out = {}
    if request.args.get("direction") in DIRECTIONS:
        out["direction"] = request.args["direction"]
    if request.args.get("state") in DOSSIER_STATES:
        out["state"] = request.args["state"]
    if forms.arg_int("plan_id"):
        out["plan_id"] = forms.arg_int("plan_id")
    return out


@bp.get("/dossiers")
def dossiers_list():
    rt, uid = runtime(), forms.user_id()
    filters = _list_filters()
    if filters.get("direction") == "waiting":
        page = Page([x for x in dossiers.dossier_inbox(rt.db, uid) if _matches(x, filters)], None)
    else:
        page = dossiers.list_dossiers(rt.db, uid, cursor=forms.arg_text("cursor"), **filters)
    options = ui_views.filter_options(rt.db, uid, now=rt.now())
    base = {k: v for k, v in filters.items() if k != "direction"}
    return render_template("dossiers/list.html", page=page, filters=filters, base=base, plans=options["plans"],
                           states=DOSSIER_STATES)


def _matches(item: DossierView, filters: dict) -> bool:
    return filters.get("state") in (None, item.state) and filters.get("plan_id") in (None, item.plan["id"])


@bp.route("/dossiers/new", methods=["GET", "POST"])
def new_dossier():
    rt = runtime()
    options = ui_views.drafting_options(rt.db, forms.user_id(), now=rt.now())
    if request.method == "GET":
        return render_template("dossiers/new.html", options=options, error={},
                               values={"plan_id": request.args.get("plan_id", "")})
    try:
        view = dossiers.create_dossier(rt.db, forms.user_id(), plan_id=forms.integer("plan_id"),
                                       number=forms.text("number"), title=forms.text("title"), now=rt.now(),
                                       ctx=forms.ctx())
    except (InvalidInput, Conflict) as err:
        return render_template("dossiers/new.html", options=options, values=request.form,
                               error={"field": err.field, "message": err.message(current_lang())}), status_of(err)
    flash(_("Đã lập hồ sơ %(number)s (dự thảo). Thêm người được đề nghị hoặc nhập danh sách từ Excel.",
            number=view.number), "success")
    return redirect(url_for("ui.dossier", dossier_id=view.id), 303)


@bp.get("/dossiers/<int:dossier_id>")
def dossier(dossier_id: int):
    return render_dossier(dossier_id)


def render_dossier(dossier_id: int, status: int = 200, problem: dict | None = None):
    rt, uid = runtime(), forms.user_id()
    page = ui_views.dossier_page(rt.db, uid, dossier_id, now=rt.now())
    query = listing.parse_query(request.args, "dossier")
    table, table_commands = workbench.dossier_table(rt.db, uid, dossier_id, query, now=rt.now())
    return render_template(
        "dossiers/detail.html", page=page, d=page.view, problem=problem or {}, query=query, table=table,
        table_commands=table_commands,
        values=request.form if problem else {}, ticked=set(request.form.getlist("ids")) if problem else set(),
        select_all=request.args.get("select") == "all",
        names={r["id"]: r["nominee"]["name"] for r in page.view.nominations},
        history=dossiers.dossier_history(rt.db, uid, dossier_id),
        files=attachments.list_attachments(rt.db, uid, dossier_id),
        doc_types=attachments.DOC_TYPES, award_options=_award_options(page),
        next_number=_next_decision_number(page, uid, rt),
        specialists=assignment.specialists(rt.db, uid, dossier_id),
        comments=comments.list_comments(rt.db, uid, "dossier", dossier_id),
    ), status


def _next_decision_number(page, uid: int, rt) -> str | None:
    """The next free decision number of the deciding leader's org this year (NĐ 30/2020 Art. 15)."""
    if "decide" not in page.view.actions:
        return None
    return decisions.next_number(rt.db, uid, now=rt.now()).number


def _award_options(page) -> list[dict]:
    if "add" not in page.view.actions:
        return []
    return ui_views.drafting_options(runtime().db, forms.user_id(), now=runtime().now())["awards"]


def problem_of(err: DomainError, form: str, prefix: str = "") -> dict:
    """What a page says about a refused form: the form, the input (named as in the form), the
    message, the refused rows. A dossier the user may not see, or a command of another role,
    gets the friendly error page instead."""
    if isinstance(err, (NotFound, Forbidden)) and not err.details:
        raise err
    field = err.field
    if prefix and field and not field.startswith(prefix):
        field = prefix + field
    stale = isinstance(err, Conflict) and err.field == "version"
    return {"form": form, "field": field, "message": err.message(current_lang()), "rows": err.details or [],
            "stale": str(STALE_LEAD) if stale else None}


def refused(err: DomainError, dossier_id: int, form: str, prefix: str = ""):
    """The dossier page again, saying why nothing was done."""
    return render_dossier(dossier_id, status_of(err), problem_of(err, form, prefix))


def _done(dossier_id: int, message: str, anchor: str | None = None):
    flash(message, "success")
    return redirect(url_for("ui.dossier", dossier_id=dossier_id, _anchor=anchor), 303)


def ask_first(dossier_id: int, kind: str, ids: list[int] | None = None, version: int | None = None,
              extra: str | None = None, **kw):
    """The confirmation page of an irreversible command on a tờ trình (web/ui/confirm.py), or None
    once confirmed. A form drawn from an older version is refused here already (nothing changes)."""
    if confirm.confirmed():
        return None
    rt, uid = runtime(), forms.user_id()
    view = ui_views.dossier_page(rt.db, uid, dossier_id, now=rt.now()).view
    version = forms.version() if version is None else version
    if view.version != version:
        raise Conflict(f"Tờ trình {view.number} đã thay đổi (phiên bản {view.version})",
                       f"Dossier {view.number} has changed (version {view.version})", field="version")
    named = ui_views.nominee_names(rt.db, uid, ids) if ids else {}
    text = confirm.sentence(kind, number=view.number, **{"n": len(ids) if ids else view.total, **kw})
    return confirm.ask(text, back=url_for("ui.dossier", dossier_id=dossier_id),
                       names=[named[i] for i in (ids or []) if i in named], n=len(ids) if ids else None, extra=extra)


# --- commands -----------------------------------------------------------------------------

@bp.post("/dossiers/<int:dossier_id>/submit")
def dossier_submit(dossier_id: int):
    rt = runtime()
    try:
        view = dossier_review.submit_dossier(rt.db, forms.user_id(), dossier_id, {"version": forms.version()},
                                             now=rt.now(), ctx=forms.ctx())
    except DomainError as err:
        return refused(err, dossier_id, "submit")
    return _done(dossier_id, _("Đã trình hồ sơ %(number)s: %(n)s người/tập thể.", number=view.number,
                                n=view.total))


@bp.post("/dossiers/<int:dossier_id>/sign")
def dossier_sign(dossier_id: int):
    """The leader signs (or a deputy "KT.") and sends the tờ trình the reviewer drafted."""
    rt = runtime()
    try:
        asked = ask_first(dossier_id, "sign_dossier")
        if asked is not None:
            return asked
        view = aggregation.sign_dossier(rt.db, forms.user_id(), dossier_id, {
            "version": forms.version(), "on_behalf_of": forms.text("on_behalf_of")}, now=rt.now(), ctx=forms.ctx())
    except DomainError as err:
        return refused(err, dossier_id, "sign")
    return _done(dossier_id, _("Đã ký và gửi tờ trình %(number)s.", number=view.number))


@bp.post("/dossiers/<int:dossier_id>/receive")
def dossier_receive(dossier_id: int):
    """The receiving level's staff record the tờ trình as received (and, if so, complete)."""
    rt = runtime()
    try:
        view = dossier_central.receive_dossier(rt.db, forms.user_id(), dossier_id, {
            "version": forms.version(), "complete": request.form.get("complete") == "1"}, now=rt.now(),
            ctx=forms.ctx())
    except DomainError as err:
        return refused(err, dossier_id, "receive")
    return _done(dossier_id, _("Đã tiếp nhận tờ trình %(number)s.", number=view.number))


def _tally() -> dict:
    """The session's tally: one result typed for everyone (`all_yes`, `all_no`) and the rows
    typed apart as exceptions; the service still gets and checks one ballot result per nominee."""
    ids = forms.ids("nomination_id")
    all_yes, all_no = forms.integer("all_yes"), forms.integer("all_no")

    def pick(own: int | None, shared: int | None) -> int | None:
        return own if own is not None else shared
    return {"version": forms.version(), "members": forms.integer("members"), "present": forms.integer("present"),
            "written": forms.integer("written"),
            "results": [{"nomination_id": i, "yes": pick(forms.integer(f"yes.{i}"), all_yes),
                         "no": pick(forms.integer(f"no.{i}"), all_no)} for i in ids]}


@bp.post("/dossiers/<int:dossier_id>/votes")
def dossier_votes(dossier_id: int):
    """The council's session on the whole list: membership, attendance, a tally per nominee."""
    rt = runtime()
    try:
        tally = _tally()
        if not confirm.confirmed():
            # Checked first (quorum, counts, every row), so a wrong tally is said before the question.
            outcome = dossier_review.check_council_votes(rt.db, forms.user_id(), dossier_id, tally, now=rt.now())
            voted = [r["nomination_id"] for r in tally["results"]]
            before = ui_views.dossier_page(rt.db, forms.user_id(), dossier_id, now=rt.now()).view.counts
            failed = outcome.counts.get("rejected", 0) - before.get("rejected", 0)
            return ask_first(dossier_id, "votes", ids=voted, extra=_("Kết quả: %(passed)s đạt, %(failed)s không đạt.",
                                                                      passed=len(voted) - failed, failed=failed))
        view = dossier_review.record_council_votes(rt.db, forms.user_id(), dossier_id, tally, now=rt.now(),
                                                   ctx=forms.ctx())
    except DomainError as err:
        return refused(err, dossier_id, "votes")
    failed = view.counts.get("rejected", 0)
    return _done(dossier_id, _("Đã ghi kết quả phiên họp Hội đồng. Không đạt: %(failed)s.", failed=failed))


@bp.get("/dossiers/<int:dossier_id>/tally-sheet.xlsx")
def dossier_tally_sheet(dossier_id: int):
    """The tally sheet (biên bản kiểm phiếu) of the rows waiting at the caller's council."""
    rt = runtime()
    try:
        name, data = tally_sheet.tally_sheet(rt.db, forms.user_id(), dossier_id, now=rt.now())
    except DomainError as err:
        return refused(err, dossier_id, "tally")
    return _download(data, name)


@bp.post("/dossiers/<int:dossier_id>/tally-sheet")
def dossier_tally_import(dossier_id: int):
    """The filled tally sheet, checked like the tally form (every error once, by row and column),
    then shown for confirmation; "Xác nhận" posts it to the tally form's command (one command)."""
    rt, uid = runtime(), forms.user_id()
    try:
        _name, data = read_file(MAX_FILE_BYTES)
        body = tally_sheet.read_tally_sheet(rt.db, uid, dossier_id, data, now=rt.now())
        before = ui_views.dossier_page(rt.db, uid, dossier_id, now=rt.now()).view
        outcome = dossier_review.check_council_votes(rt.db, uid, dossier_id, body, now=rt.now())
    except DomainError as err:
        return refused(err, dossier_id, "tally")
    voted = [r["nomination_id"] for r in body["results"]]
    failed = outcome.counts.get("rejected", 0) - before.counts.get("rejected", 0)
    fields: list[tuple[str, object]] = [(k, body[k]) for k in ("version", "members", "present", "written")
                                        if body.get(k) is not None]
    for r in body["results"]:
        fields += [("nomination_id", r["nomination_id"]), (f"yes.{r['nomination_id']}", r["yes"]),
                   (f"no.{r['nomination_id']}", r["no"])]
    names = ui_views.nominee_names(rt.db, uid, voted)
    text = confirm.sentence("votes", number=before.number, n=len(voted))
    extra = _("Từ bảng kiểm phiếu: %(present)s thành viên có mặt. Kết quả: %(passed)s đạt, %(failed)s không đạt.",
              present=body["present"], passed=len(voted) - failed, failed=failed)
    return confirm.ask(text, back=url_for("ui.dossier", dossier_id=dossier_id, _anchor="h-votes"),
                       names=[names[i] for i in voted if i in names], extra=extra, fields=fields,
                       target=url_for("ui.dossier_votes", dossier_id=dossier_id))


def picked(dossier_id: int | None, command: str) -> list[int]:
    """The rows ticked in the nominee table, or with "all" every row the command can take now."""
    if request.form.get("all") == "1" and dossier_id:
        page = ui_views.dossier_page(runtime().db, forms.user_id(), dossier_id, now=runtime().now())
        return [i for i, commands in page.commands.items() if command in commands]
    if request.form.get("match") == "1" and dossier_id:
        # Every row matching the table's search and filter (all its pages) that `command` takes now.
        found = workbench.select_matching(runtime().db, forms.user_id(), listing.Scope("dossier", dossier_id),
                                          listing.parse_query(request.form, "dossier"), now=runtime().now(),
                                          command=command)
        if not found:
            raise InvalidInput("Không có người nào khớp bộ lọc mà thao tác này áp dụng được",
                               "Nobody matching the filter can take this action", field="ids")
        return found
    ids = forms.ids()
    if not ids:
        raise InvalidInput("Hãy chọn ít nhất một người trong danh sách",
                           "Select at least one nominee in the list", field="ids")
    return ids


@bp.post("/dossiers/<int:dossier_id>/review")
def dossier_review_rows(dossier_id: int):
    """Approve, return or reject the ticked rows (or all); each succeeds or fails on its own."""
    rt, uid = runtime(), forms.user_id()
    action = request.form.get("action", "")
    try:
        version, reason = forms.version(), forms.text("reason", multiline=True)
        body: dict = {"action": action, "version": version, "reason": reason}
        if request.form.get("all") == "1":
            body["all"] = True
        else:
            body["nomination_ids"] = picked(dossier_id, action)
        if action in ("return", "reject") and reason:
            ids: list[int] = body.get("nomination_ids") or picked(dossier_id, action)
            asked = ask_first(dossier_id, f"review_{action}", ids=ids, version=version)
            if asked is not None:
                return asked
        out = dossier_review.review_dossier(rt.db, uid, dossier_id, body, now=rt.now(), ctx=forms.ctx())
    except DomainError as err:
        return refused(err, dossier_id, "rows")
    names = ui_views.nominee_names(rt.db, uid, [r["id"] for r in out.results])
    return render_template("dossiers/result.html", action=action, out=out, names=names, d=out.dossier)


@bp.post("/dossiers/<int:dossier_id>/comments")
def dossier_comment(dossier_id: int):
    rt = runtime()
    try:
        c = comments.add_comment(rt.db, forms.user_id(), "dossier", dossier_id,
                                 {"text": forms.text("text", multiline=True)}, now=rt.now(), ctx=forms.ctx())
    except DomainError as err:
        return refused(err, dossier_id, "comment")
    return _done(dossier_id, _("Đã gửi ý kiến."), f"comment-{c.id}")


@bp.post("/dossiers/<int:dossier_id>/assign")
def dossier_assign(dossier_id: int):
    """The receiving office names the specialist who handles the dossier (or takes it back)."""
    rt = runtime()
    try:
        view = assignment.assign_dossier(rt.db, forms.user_id(), dossier_id,
                                         {"version": forms.version(), "user_id": forms.integer("user_id")},
                                         now=rt.now(), ctx=forms.ctx())
    except DomainError as err:
        return refused(err, dossier_id, "assign")
    if view.assignee:
        return _done(dossier_id, _("Đã giao hồ sơ cho %(name)s xử lý.", name=view.assignee["name"]))
    return _done(dossier_id, _("Đã thu hồi việc phân công."))


@bp.post("/dossiers/<int:dossier_id>/return")
def dossier_return(dossier_id: int):
    rt = runtime()
    try:
        if forms.text("reason", multiline=True):  # without a reason the service refuses at once
            asked = ask_first(dossier_id, "dossier_return")
            if asked is not None:
                return asked
        dossier_review.return_dossier(rt.db, forms.user_id(), dossier_id,
                                      {"version": forms.version(), "reason": forms.text("reason", multiline=True)},
                                      now=rt.now(), ctx=forms.ctx())
    except DomainError as err:
        return refused(err, dossier_id, "return")
    return _done(dossier_id, _("Đã trả lại cả hồ sơ cho đơn vị."))


def _new_nominee() -> dict:
    return {"award_type": forms.text("award_type"), "achievements": forms.text("achievements", multiline=True),
            "nominee": {"kind": forms.text("nominee.kind"), "name": forms.text("nominee.name"),
                        "title": forms.text("nominee.title")}}


@bp.post("/dossiers/<int:dossier_id>/nominations")
def dossier_add(dossier_id: int):
    """A new nominee typed in, or the unit's drafts ticked (`source=existing`)."""
    rt = runtime()
    existing = request.form.get("source") == "existing"
    try:
        body = {"nomination_ids": picked(dossier_id, "add")} if existing else _new_nominee()
        out = dossiers.add_nominations(rt.db, forms.user_id(), dossier_id, body, version=forms.version(),
                                       now=rt.now(), ctx=forms.ctx())
    except DomainError as err:
        return refused(err, dossier_id, "add-existing" if existing else "add")
    return _done(dossier_id, _("Đã thêm %(n)s người/tập thể vào danh sách.", n=len(out.added)), "h-list")


@bp.post("/dossiers/<int:dossier_id>/nominations/<int:nomination_id>/remove")
def dossier_remove(dossier_id: int, nomination_id: int):
    rt, uid = runtime(), forms.user_id()
    try:
        names = ui_views.nominee_names(rt.db, uid, [nomination_id])
        asked = ask_first(dossier_id, "remove", name=names.get(nomination_id, f"#{nomination_id}"))
        if asked is not None:
            return asked
        dossiers.remove_nomination(rt.db, uid, dossier_id, nomination_id, withdraw=request.form.get("withdraw") == "1",
                                   version=forms.version(), now=rt.now(), ctx=forms.ctx())
    except DomainError as err:
        return refused(err, dossier_id, "rows")
    return _done(dossier_id, _("Đã bỏ một người khỏi danh sách."), "h-list")


@bp.post("/dossiers/<int:dossier_id>/import")
def dossier_import_list(dossier_id: int):
    """Every row of the Excel list, or none: a wrong row is shown with its row and column."""
    rt, uid = runtime(), forms.user_id()
    try:
        name, data = read_file(MAX_FILE_BYTES)
        out = dossier_import.import_list(rt.db, uid, dossier_id, data, filename=name, version=forms.version(),
                                         now=rt.now(), ctx=forms.ctx())
    except DomainError as err:
        return refused(err, dossier_id, "import")
    return _done(dossier_id, _("Đã nhập %(n)s người/tập thể từ tệp Excel.", n=out.imported), "h-list")


@bp.post("/dossiers/<int:dossier_id>/attachments")
def dossier_attach(dossier_id: int):
    rt, uid = runtime(), forms.user_id()
    try:
        name, data = read_file(attachments.MAX_BYTES)
        out = attachments.upload(rt.db, uid, dossier_id, doc_type=request.form.get("doc_type"), filename=name,
                                 data=data, nomination_id=forms.integer("nomination_id"),
                                 version=forms.version(), now=rt.now(),
                                 ctx=forms.ctx())
    except DomainError as err:
        return refused(err, dossier_id, "attach")
    return _done(dossier_id, _("Đã đính kèm %(name)s.", name=out["filename"]), "h-files")


# --- files --------------------------------------------------------------------------------

def _download(data: bytes, name: str, mimetype: str = XLSX):
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)


@bp.get("/dossiers/template.xlsx")
def dossier_template():
    data = dossier_import.template_xlsx(runtime().db, forms.user_id(), plan_id=forms.arg_int("plan_id"))
    return _download(data, "mau-danh-sach-de-nghi-khen-thuong.xlsx")


@bp.get("/dossiers/<int:dossier_id>/export.xlsx")
def dossier_export(dossier_id: int):
    name, data = dossier_import.export_list(runtime().db, forms.user_id(), dossier_id)
    return _download(data, name)


@bp.get("/dossiers/<int:dossier_id>/attachments/<int:attachment_id>")
def dossier_file(dossier_id: int, attachment_id: int):
    name, content_type, data = attachments.download(runtime().db, forms.user_id(), dossier_id, attachment_id)
    return _download(data, name, content_type)  # always a download, never shown in our origin


# --- aggregation (tổng hợp) ----------------------------------------------------------------

def form_versions() -> dict[int, int]:
    """The versions of the dossiers a form was drawn from: `dossier_id` + `version` (one dossier's
    page), or `dossier_version` = "id:version" per dossier (a page listing several)."""
    versions = {}
    for pair in request.form.getlist("dossier_version"):
        did, _sep, ver = pair.partition(":")
        if did.isdigit() and ver.isdigit() and len(did) < 19 and len(ver) < 19:
            versions[int(did)] = int(ver)
    did = forms.integer("dossier_id")
    if did is not None or not versions:
        version = forms.version()  # refused when the form carries none
        if did is not None:
            versions[did] = version
    return versions


def source_dossier() -> int | None:
    """The dossier page a form was posted from, if any (where a refusal is shown)."""
    raw = request.form.get("dossier_id", "")
    return int(raw) if raw.isdigit() and len(raw) < 19 else None


def rows_command(command: str, service, **fields):
    """A command on the ticked rows of one or several dossiers (aggregate, decide), conditional on
    the versions the form was drawn from."""
    rt, uid = runtime(), forms.user_id()
    body = {**fields, "nomination_ids": picked(source_dossier(), command), "dossier_versions": form_versions()}
    return service(rt.db, uid, body, now=rt.now(), ctx=forms.ctx())


@bp.get("/dossiers/aggregate")
def aggregate_page(status: int = 200, problem: dict | None = None):
    rt, uid = runtime(), forms.user_id()
    plan_id = forms.arg_int("plan_id")
    sources = ui_views.aggregation_sources(rt.db, uid, now=rt.now(), plan_id=plan_id)
    plans = ui_views.filter_options(rt.db, uid, now=rt.now())["plans"]
    return render_template("dossiers/aggregate.html", sources=sources, plans=plans, plan_id=plan_id,
                           problem=problem or {}, values=request.form if problem else {}), status


@bp.post("/dossiers/aggregate")
def aggregate():
    """Take the ticked nominees into a new outgoing dossier of the user's org, all or nothing."""
    dossier_id = source_dossier()
    try:
        view = rows_command("aggregate", aggregation.aggregate, number=forms.text("aggregate.number"),
                            title=forms.text("aggregate.title"))
    except DomainError as err:
        if dossier_id:
            return refused(err, dossier_id, "rows", prefix="aggregate.")
        return aggregate_page(status_of(err), problem_of(err, "rows", "aggregate."))
    flash(_("Đã lập tờ trình tổng hợp %(number)s gồm %(n)s người/tập thể.", number=view.number, n=view.total),
          "success")
    return redirect(url_for("ui.dossier", dossier_id=view.id), 303)
