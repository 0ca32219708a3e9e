"""/account (tài khoản): every logged-in user changes their own password, language, e-mail
address and how notices reach them (workflow/auth/account.py checks and audits each change)."""
from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _, lazy_gettext as _l

from workflow.auth import account as accounts
from workflow.errors import DomainError, InvalidInput
from web.errors import status_of
from web.runtime import runtime
from web.ui import bp, forms, nav
from web.ui.i18n import LANGS, current_lang

nav.add("ui.account", _l("Tài khoản"), order=95)


def _page(error=None, status=200, form: str | None = None):
    me = accounts.account(runtime().db, forms.user_id())
    return render_template("account.html", me=me, error=error or {}, form=form), status


def _error(err: DomainError) -> dict:
    return {"field": err.field, "message": err.message(current_lang())}


@bp.get("/account")
def account():
    return _page()


@bp.post("/account/password")
def account_password():
    """Current, new and repeated password; every other session and token of the user ends."""
    from flask_login import current_user
    rt = runtime()
    new = request.form.get("new") or ""
    try:
        if new != (request.form.get("repeat") or ""):
            raise InvalidInput("Hai lần nhập mật khẩu mới không khớp", "The two new passwords differ",
                               field="repeat")
        ended = accounts.change_password(rt.db, forms.user_id(), request.form.get("current") or "", new,
                                         now=rt.now(), ctx=forms.ctx(), keep_session=current_user.session_key)
    except DomainError as err:
        return _page(_error(err), status_of(err), "password")
    flash(_("Đã đổi mật khẩu; %(num)s phiên đăng nhập và mã truy cập khác đã kết thúc.", num=ended), "success")
    return redirect(url_for("ui.account"), 303)


@bp.post("/account/settings")
def account_settings():
    """Language, e-mail address and notice preferences, saved together."""
    rt = runtime()
    fields = {"language": request.form.get("language") or "", "email": forms.text("email"),
              "notify_email": request.form.get("notify_email") == "1",
              "notify_digest": request.form.get("notify_digest") == "1"}
    try:
        me = accounts.update_account(rt.db, forms.user_id(), fields, now=rt.now(), ctx=forms.ctx())
    except DomainError as err:
        return _page(_error(err), status_of(err), "settings")
    if me.language in LANGS:
        session["lang"] = me.language  # the pages speak it from now on (and at every login)
    flash(_("Đã lưu thông tin tài khoản."), "success")
    return redirect(url_for("ui.account"), 303)
