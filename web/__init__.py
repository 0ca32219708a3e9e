"""The Flask app: JSON API, web UI and health check. `create_app(config)` builds it."""
import re
import secrets
import uuid
from collections.abc import Mapping
from pathlib import Path

from flask import Flask, g, request

from workflow.config import Settings, load_settings
from workflow.kernel.db import Database
from web import errors
from web.runtime import Runtime, system_clock

MAX_BODY_BYTES = 16 * 1024 * 1024
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def _secret_key(settings: Settings) -> str:
    """The configured key, or one kept in the instance folder so sessions survive restarts."""
    if settings.secret_key:
        return settings.secret_key
    path = Path(settings.instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def create_app(config: Mapping | None = None) -> Flask:
    """Build the app. `config` overrides settings (database_url, ...) and Flask config keys."""
    config = dict(config or {})
    settings = config.pop("settings", None) or load_settings(config)
    app = Flask(__name__, instance_path=str(settings.instance_path))
    app.config.update(
        SECRET_KEY=_secret_key(settings), MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
    )
    app.config.update({k: val for k, val in config.items() if k.isupper()})
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    db = config.pop("db", None) or Database(settings.database_url, settings=settings)
    app.extensions["khenthuong"] = Runtime(settings, db, config.get("clock") or system_clock)

    @app.before_request
    def _request_id():
        """Every request gets an id for the audit log: the caller's X-Request-Id only when it
        is 1–64 letters, digits, '.', '_' or '-'; anything else is replaced, never trimmed."""
        rid = request.headers.get("X-Request-Id", "")
        g.request_id = rid if REQUEST_ID.fullmatch(rid) else uuid.uuid4().hex

    from web import health, ui

    from web.api import audit as api_audit, catalogue as api_catalogue, dossiers as api_dossiers
    from web.api import nominations as api, people as api_people, reports as api_reports
    from web.api import documents as api_documents, orgs as api_orgs, public as api_public
    for blueprint in (api.bp, api_catalogue.bp, api_dossiers.bp, api_audit.bp, api_reports.bp, api_orgs.bp,
                      api_public.bp, api_documents.bp, api_people.bp, health.bp, ui.bp):
        app.register_blueprint(blueprint)
    ui.init_app(app)
    errors.register(app, getattr(ui, "html_error", None))
    return app
