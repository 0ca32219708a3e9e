"""GET /healthz: the database and the scheduler lease, no authentication."""
from flask import Blueprint, jsonify

from web.runtime import runtime
from workflow.admin.health import check

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    rt = runtime()
    h = check(rt.db)
    if not h.database_ok:
        return jsonify({"status": "error", "database": {"ok": False, "error": h.error}, "scheduler": None}), 503
    return jsonify({"status": "ok", "database": {"ok": True, "dialect": h.dialect}, "scheduler": h.scheduler})
