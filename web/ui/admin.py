"""/admin (quản trị): users and roles, the award catalogue, the organisation tree.

Every page calls workflow/services/admin.py, which refuses anyone but the administrator and
audits each change in the same transaction.
"""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from states.routes import ROLES
from workflow.errors import Conflict, InvalidInput
from workflow.admin import users as admin_service
from web.runtime import runtime
from web.ui import bp, forms
from web.ui.i18n import current_lang


def _user_fields() -> dict:
    return {"username": forms.text("username"), "full_name": forms.text("full_name"),
            "email": forms.text("email"), "role": forms.text("role"), "org_id": forms.integer("org_id"),
            "active": request.form.get("active") == "1", "password": request.form.get("password") or None}


def _error(err) -> dict:
    return {"field": err.field, "message": err.message(current_lang())}


def _user_form(user, error=None, values=None, status=200):
    rt = runtime()
    orgs = admin_service.org_rows(rt.db, forms.user_id())
    throttles = admin_service.user_throttles(rt.db, forms.user_id(), user.id) if user else []
    return render_template("admin/user_form.html", user=user, roles=ROLES, orgs=orgs, error=error or {},
                           values=values if values is not None else {}, throttles=throttles,
                           now=rt.now()), status


@bp.get("/admin")
def admin_index():
    rt = runtime()
    users = admin_service.list_users(rt.db, forms.user_id())
    throttles = admin_service.login_throttles(rt.db, forms.user_id(), now=rt.now())
    return render_template("admin/users.html", users=users, throttles=throttles, now=rt.now())


@bp.post("/admin/login-throttles/clear")
def admin_clear_throttle():
    """Let a user who was slowed down by failed logins (theirs or someone else's) try again."""
    rt = runtime()
    username = request.form.get("username")
    try:
        admin_service.clear_login_throttle(rt.db, forms.user_id(), username, now=rt.now(), ctx=forms.ctx())
    except InvalidInput as err:
        flash(err.message(current_lang()), "error")
        return redirect(url_for("ui.admin_index"), 303)
    flash(_("Đã cho phép %(username)s đăng nhập lại ngay.", username=username), "success")
    return redirect(url_for("ui.admin_index"), 303)


@bp.route("/admin/users/new", methods=["GET", "POST"])
def admin_new_user():
    if request.method == "GET":
        admin_service.list_users(runtime().db, forms.user_id())  # refuses anyone but the admin
        return _user_form(None)
    rt = runtime()
    try:
        user = admin_service.create_user(rt.db, forms.user_id(), _user_fields(), now=rt.now(), ctx=forms.ctx())
    except (InvalidInput, Conflict) as err:
        return _user_form(None, _error(err), request.form, 422 if isinstance(err, InvalidInput) else 409)
    flash(_("Đã tạo tài khoản %(username)s.", username=user.username), "success")
    return redirect(url_for("ui.admin_index"), 303)


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
def admin_user(user_id: int):
    rt = runtime()
    user = admin_service.get_user(rt.db, forms.user_id(), user_id)
    if request.method == "GET":
        return _user_form(user)
    try:
        user = admin_service.update_user(rt.db, forms.user_id(), user_id, _user_fields(), now=rt.now(),
                                         ctx=forms.ctx())
    except InvalidInput as err:
        return _user_form(user, _error(err), request.form, 422)
    flash(_("Đã lưu tài khoản %(username)s.", username=user.username), "success")
    return redirect(url_for("ui.admin_index"), 303)


@bp.post("/admin/users/<int:user_id>/password")
def admin_reset_password(user_id: int):
    rt = runtime()
    user = admin_service.get_user(rt.db, forms.user_id(), user_id)
    try:
        admin_service.reset_password(rt.db, forms.user_id(), user_id, request.form.get("password"),
                                     now=rt.now(), ctx=forms.ctx())
    except InvalidInput as err:
        return _user_form(user, _error(err), {}, 422)
    flash(_("Đã đặt lại mật khẩu cho %(username)s; các phiên đăng nhập cũ đã kết thúc.",
            username=user.username), "success")
    return redirect(url_for("ui.admin_index"), 303)


@bp.route("/admin/users/<int:user_id>/unlock", methods=["GET", "POST"])
def admin_unlock_user(user_id: int):
    """Let a user slowed down by failed logins log in again at once: asked once more (GET, a
    confirmation page that works without JavaScript), then done and audited (POST)."""
    rt = runtime()
    user = admin_service.get_user(rt.db, forms.user_id(), user_id)
    if request.method == "GET":
        throttles = admin_service.user_throttles(rt.db, forms.user_id(), user_id)
        return render_template("admin/unlock_confirm.html", user=user, throttles=throttles, now=rt.now())
    cleared = admin_service.unlock_user(rt.db, forms.user_id(), user_id, now=rt.now(), ctx=forms.ctx())
    flash(_("Đã mở khoá đăng nhập cho %(username)s (%(num)s địa chỉ).", username=user.username, num=cleared),
          "success")
    return redirect(url_for("ui.admin_user", user_id=user_id), 303)
