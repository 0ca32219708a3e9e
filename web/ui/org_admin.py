"""/admin/orgs and /admin/calendar: the organisation tree (add, rename, move, close, merge), each
org's council roster, and the working-day calendar's days off and make-up working days.

Every change goes through workflow/orgs and workflow/calendar, which refuse anyone but the
administrator, check the change and audit it in the same transaction.
"""
from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from web.runtime import runtime
from web.ui import bp, forms
from web.ui.i18n import current_lang
from workflow.admin import users as admin_users
from workflow.calendar import admin as calendar_admin
from workflow.errors import DomainError
from workflow.orgs import councils, merge, service, update
from workflow.orgs.councils import ROLES as COUNCIL_ROLES
from workflow.orgs.service import KINDS
from workflow.people import settings as rule_settings

ROSTER_ROWS = 8


def _day(name: str) -> str | None:
    """A date typed as dd/mm/yyyy (or ISO), as the service reads it (YYYY-MM-DD)."""
    raw = forms.text(name)
    if raw and "/" in raw:
        parts = raw.split("/")
        if len(parts) == 3 and all(p.strip().isdigit() for p in parts):
            d, m, y = (int(p) for p in parts)
            return f"{y:04d}-{m:02d}-{d:02d}"
    return raw


def _error(err: DomainError) -> dict:
    return {"field": err.field, "message": err.message(current_lang())}


def _status(err: DomainError) -> int:
    return {"invalid_input": 422, "forbidden": 403, "not_found": 404}.get(err.code, 409)


def _orgs_page(error=None, values=None, status=200):
    rt = runtime()
    admin_users.list_users(rt.db, forms.user_id())  # refuses anyone but the administrator
    q = request.args.get("q")
    orgs = service.list_orgs(rt.db, forms.user_id(), q=q or None)
    every = orgs if not q else service.list_orgs(rt.db, forms.user_id())
    return render_template("admin/orgs.html", orgs=orgs, parents=[o for o in every if o.valid_to is None],
                           kinds=KINDS, q=q or "", error=error or {}, values=values or {}), status


@bp.route("/admin/orgs", methods=["GET", "POST"])
def admin_orgs():
    if request.method == "GET":
        return _orgs_page()
    rt = runtime()
    body = {"name": forms.text("name"), "kind": forms.text("kind"), "parent_id": forms.integer("parent_id"),
            "email": forms.text("email")}
    try:
        org = service.create_org(rt.db, forms.user_id(), body, now=rt.now(), ctx=forms.ctx())
    except DomainError as err:
        return _orgs_page(_error(err), request.form, _status(err))
    flash(_("Đã thêm %(name)s.", name=org.name), "success")
    return redirect(url_for("ui.admin_org", org_id=org.id), 303)


def _org_page(org_id: int, error=None, values=None, status=200):
    rt = runtime()
    org = service.get_org(rt.db, forms.user_id(), org_id)
    every = service.list_orgs(rt.db, forms.user_id())
    by_id = {o.id: o for o in every}
    council = councils.get_council(rt.db, forms.user_id(), org_id)
    admin_users.list_users(rt.db, forms.user_id())
    rules = rule_settings.get_rules(rt.db, forms.user_id(), org_id)
    return render_template("admin/org.html", org=org, by_id=by_id, kinds=KINDS, roles=COUNCIL_ROLES, rules=rules,
                           parents=[o for o in every if o.valid_to is None and o.id != org.id],
                           council=council, rows=max(ROSTER_ROWS, council.size + 4), error=error or {},
                           values=values or {}, today=date.today()), status


@bp.route("/admin/orgs/<int:org_id>", methods=["GET", "POST"])
def admin_org(org_id: int):
    if request.method == "GET":
        return _org_page(org_id)
    rt = runtime()
    what = request.form.get("what")
    try:
        if what == "update":
            body: dict = {}
            for name in ("name", "kind", "email"):
                value = forms.text(name)
                if value is not None:
                    body[name] = value
            if request.form.get("parent_id"):
                body["parent_id"] = forms.integer("parent_id")
            if request.form.get("date"):
                body["date"] = _day("date")
            current = service.get_org(rt.db, forms.user_id(), org_id)
            body = {k: val for k, val in body.items() if k == "date" or val != getattr(current, k, None)}
            if set(body) == {"date"}:
                body = {}
            view = update.update_org(rt.db, forms.user_id(), org_id, body, now=rt.now(), ctx=forms.ctx())
            flash(_("Đã lưu thay đổi."), "success")
            if view.rerouted:
                flash(_("%(n)s hồ sơ đang xét được tính lại luồng xét duyệt theo vị trí mới trong cây tổ chức.",
                        n=view.rerouted), "info")
        elif what == "close":
            update.update_org(rt.db, forms.user_id(), org_id, {"valid_to": _day("valid_to")}, now=rt.now(),
                               ctx=forms.ctx())
            flash(_("Đã ghi nhận giải thể."), "success")
        elif what == "merge":
            result = merge.merge_org(rt.db, forms.user_id(), org_id, {"into_id": forms.integer("into_id"),
                                                                      "date": _day("merge_date")},
                                     now=rt.now(), ctx=forms.ctx())
            flash(_("Đã sáp nhập vào %(name)s: chuyển %(u)s người dùng, %(n)s hồ sơ.", name=result.into.name,
                    u=result.users, n=result.nominations), "success")
            if result.rerouted:
                flash(_("%(n)s hồ sơ đang xét được tính lại luồng xét duyệt theo vị trí mới trong cây tổ chức.",
                        n=result.rerouted), "info")
        elif what == "council":
            members = []
            for i in range(min(forms.integer("rows") or ROSTER_ROWS, councils.MAX_MEMBERS)):
                member = forms.text(f"member-{i}-name")
                if member:
                    members.append({"name": member, "role": request.form.get(f"member-{i}-role") or "member"})
            councils.put_council(rt.db, forms.user_id(), org_id, {"members": members, "quorum": forms.text("quorum")},
                                 now=rt.now(), ctx=forms.ctx())
            flash(_("Đã lưu danh sách Hội đồng (%(n)s thành viên).", n=len(members)), "success")
        elif what == "eligibility_rules":
            choice = {"on": True, "off": False, "": None}
            wanted = {r.code: choice.get(request.form.get(f"rule-{r.code}", ""))
                      for r in rule_settings.OPTIONAL}
            rule_settings.set_rules(rt.db, forms.user_id(), org_id, {"rules": wanted}, now=rt.now(),
                                    ctx=forms.ctx())
            flash(_("Đã lưu các điều kiện khen thưởng áp dụng cho đơn vị và các đơn vị trực thuộc."), "success")
        else:
            return _org_page(org_id, {"field": "what", "message": _("Thao tác không hợp lệ")}, request.form, 422)
    except DomainError as err:
        return _org_page(org_id, _error(err), request.form, _status(err))
    return redirect(url_for("ui.admin_org", org_id=org_id), 303)


def _calendar_page(error=None, values=None, status=200):
    rt = runtime()
    overrides = calendar_admin.list_overrides(rt.db, forms.user_id())
    return render_template("admin/calendar.html", overrides=overrides, error=error or {}, values=values or {}), status


@bp.route("/admin/calendar", methods=["GET", "POST"])
def admin_calendar():
    if request.method == "GET":
        return _calendar_page()
    rt = runtime()
    try:
        if request.form.get("remove"):
            out = calendar_admin.remove_override(rt.db, forms.user_id(), request.form.get("remove"), now=rt.now(),
                                                 ctx=forms.ctx())
            flash(_("Đã xoá điều chỉnh ngày %(day)s; %(n)s hạn xử lý được tính lại.",
                    day=date.fromisoformat(out["day"]).strftime("%d/%m/%Y"), n=out["due_dates_moved"]), "success")
        else:
            body = {"day": _day("day"), "working": request.form.get("working") == "1",
                    "note": forms.text("note")}
            out = calendar_admin.add_override(rt.db, forms.user_id(), body, now=rt.now(), ctx=forms.ctx())
            flash(_("Đã thêm điều chỉnh ngày %(day)s; %(n)s hạn xử lý được tính lại.",
                    day=date.fromisoformat(out["day"]).strftime("%d/%m/%Y"), n=out["due_dates_moved"]), "success")
    except DomainError as err:
        return _calendar_page(_error(err), request.form, _status(err))
    return redirect(url_for("ui.admin_calendar"), 303)
