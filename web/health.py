"""GET /healthz: the database and the scheduler lease, no authentication."""
from flask import Blueprint, jsonify
from sqlalchemy import select, text

from workflow.models import SchedulerLease
from web.runtime import runtime

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    rt = runtime()
    body = {"status": "ok", "database": {"ok": True, "dialect": rt.db.dialect}, "scheduler": None}
    try:
        with rt.db.read() as s:
            s.execute(text("SELECT 1"))
            lease = s.execute(select(SchedulerLease).where(SchedulerLease.name == "sweep")).scalar_one_or_none()
            if lease:
                body["scheduler"] = {
                    "holder": lease.holder,
                    "lease_expires_at": lease.expires_at.isoformat() if lease.expires_at else None,
                    "last_sweep_at": lease.last_sweep_at.isoformat() if lease.last_sweep_at else None,
                    "last_sweep": lease.last_sweep,
                }
    except Exception as e:  # a health check reports, it does not raise
        body["status"] = "error"
        body["database"] = {"ok": False, "error": type(e).__name__}
        return jsonify(body), 503
    return jsonify(body)
