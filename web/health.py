"""GET /healthz (public: ok or fail, nothing else) and GET /api/v1/health (admin, auditor)."""
from flask import Blueprint, g, jsonify

from web.api.common import authenticated
from web.runtime import runtime
from workflow.admin.health import check, detailed

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """503 when the database cannot be read or written; no host name, process id or error."""
    rt = runtime()
    h = check(rt.db, rt.now())
    return jsonify({"status": "ok" if h.database_ok else "fail"}), 200 if h.database_ok else 503


@bp.get("/api/v1/health")
@authenticated
def health_detail():
    rt = runtime()
    h = detailed(rt.db, g.user_id, rt.now())
    body = {"status": "ok" if h.database_ok else "fail",
            "database": {"ok": h.database_ok, "writable": h.writable, "dialect": h.dialect, "error": h.error},
            "scheduler": h.scheduler}
    return jsonify(body), 200 if h.database_ok else 503
