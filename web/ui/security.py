"""Browser-facing protections: CSRF on every form, cookie flags, security headers.

The JSON API under /api/v1 authenticates with bearer tokens, never cookies, so CSRF cannot
reach it; its blueprints are exempt by name. Session cookies are HttpOnly and SameSite=Lax;
they are Secure when SESSION_COOKIE_SECURE is set (config key, or the environment variable
KHENTHUONG_SESSION_COOKIE_SECURE=1). It stays off by default so the app works on plain http
at 127.0.0.1; turn it on behind HTTPS.
"""
import os

from flask import Flask, current_app, request
from flask_wtf.csrf import CSRFProtect

API_BLUEPRINTS = ("api", "api_dossiers", "api_audit", "api_reports")

# No inline scripts or styles anywhere: every script and stylesheet is a file the app serves.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")

csrf = CSRFProtect()


def _configure_cookies(app: Flask) -> None:
    secure = app.config.get("SESSION_COOKIE_SECURE") or (
        os.environ.get("KHENTHUONG_SESSION_COOKIE_SECURE", "").lower() in ("1", "true", "yes"))
    app.config.update(
        SESSION_COOKIE_SECURE=bool(secure), SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=bool(secure), REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
    )
    # A form may stay open for a working day on an officer's desk; the token is bound to the
    # session, which ends when the browser closes or the user logs out.
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)


def _exempt_api(app: Flask) -> None:
    for name, blueprint in app.blueprints.items():
        prefix = blueprint.url_prefix or ""
        if name in API_BLUEPRINTS or prefix.startswith("/api/"):
            csrf.exempt(blueprint)


def security_headers(response):
    h = response.headers
    h.setdefault("Content-Security-Policy", CSP)
    h.setdefault("X-Frame-Options", "DENY")
    h.setdefault("X-Content-Type-Options", "nosniff")
    h.setdefault("Referrer-Policy", "same-origin")
    h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure or current_app.config.get("SESSION_COOKIE_SECURE"):
        h.setdefault("Strict-Transport-Security", "max-age=31536000")
    if request.path.startswith("/api/") or request.path == "/healthz":
        # API answers carry personal data too, and a stale health answer misleads a monitor.
        h["Cache-Control"] = "no-store"
    elif response.mimetype == "text/html":
        # Pages carry personal data and office PCs are shared: keep them out of caches.
        h.setdefault("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    _configure_cookies(app)
    csrf.init_app(app)
    _exempt_api(app)
    app.after_request(security_headers)
