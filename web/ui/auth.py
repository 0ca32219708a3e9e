"""Logging in and out of the web UI (Flask-Login), and the login gate of every page.

Passwords are checked by workflow.auth.service.check_password (Argon2id outside any write
transaction, every failure audited, growing delays per username and client address). The
session cookie holds only a random key of a server-side login session
(workflow.auth.service.start_session): logging out, a password reset or a deactivation ends
it on the server, so a copy of the cookie taken earlier no longer works.
"""
from flask import Flask, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user

from workflow.errors import DomainError
from workflow.auth import account as account_service, service as auth_service
from workflow import pages as ui_views
from web.errors import status_of
from web.runtime import runtime
from web.ui import bp, forms
from web.ui.i18n import LANGS, current_lang, remember_lang

PUBLIC_ENDPOINTS = {"ui.login", "ui.logout", "ui.index", "ui.public_postings_page"}  # /cong-khai: no login
login_manager = LoginManager()


class UiUser(UserMixin):
    """The logged-in user as the pages see them (read from the database on every request)."""

    def __init__(self, user: ui_views.SessionUser, key: str):
        self.user = user
        self.session_key = key

    def get_id(self) -> str:
        return self.session_key

    def __getattr__(self, name):
        return getattr(self.__dict__["user"], name)


@login_manager.user_loader
def _load(key: str):
    db = runtime().db
    user_id = auth_service.session_owner(db, key or "")
    user = ui_views.session_user(db, user_id) if user_id else None
    return UiUser(user, key) if user else None


def home_for(role: str) -> str:
    """Where a user starts: their inbox; the administrator and the auditor have none."""
    if role == "admin":
        return url_for("ui.admin_index")
    if role == "auditor":
        return url_for("ui.dashboard")
    return url_for("ui.inbox")


def require_login():
    """The gate of every page: `?lang=` is remembered, then anyone not logged in goes to the
    login page (and comes back after it). Other page blueprints (dossiers...) add it with
    `their_bp.before_request(require_login)`."""
    remember_lang()
    if request.endpoint not in PUBLIC_ENDPOINTS and not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


bp.before_request(require_login)


@bp.get("/")
def index():
    if current_user.is_authenticated:
        return redirect(home_for(current_user.role))
    return redirect(url_for("ui.login"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    target = forms.safe_next(request.values.get("next"), "")
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(target or home_for(current_user.role))
        return render_template("login.html", next=target)
    rt = runtime()
    username = request.form.get("username", "")
    try:
        uid = auth_service.check_password(rt.db, username, request.form.get("password"),
                                          now=rt.now(), ctx=forms.ctx())
    except DomainError as err:
        return render_template("login.html", next=target, error=err.message(current_lang()),
                               username=username), status_of(err)
    user = ui_views.session_user(rt.db, uid)
    if user is None:  # deactivated between the password check and now
        return render_template("login.html", next=target, error=_("Tài khoản đã bị khoá."),
                               username=username), 401
    # The language chosen on this browser before logging in, else the one saved on /account.
    lang = session.get("lang") if session.get("lang") in LANGS else account_service.language_of(rt.db, uid)
    session.clear()  # nothing from before the login survives it, except the language
    session["lang"] = lang
    login_user(UiUser(user, auth_service.start_session(rt.db, user.id, now=rt.now())))
    return redirect(target or home_for(user.role))


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    if request.method == "GET":
        if not current_user.is_authenticated:
            return redirect(url_for("ui.login"))
        return render_template("logout.html")
    lang = current_lang()
    if current_user.is_authenticated:  # ended on the server: a copied cookie is worthless now
        auth_service.end_session(runtime().db, current_user.session_key, now=runtime().now())
    logout_user()
    session.clear()
    session["lang"] = lang
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("ui.login"))


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "ui.login"
    login_manager.login_message = _l("Vui lòng đăng nhập để tiếp tục.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
