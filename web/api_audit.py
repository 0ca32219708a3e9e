"""API endpoints for audit (registered under /api/v1 by create_app)."""
from flask import Blueprint

bp = Blueprint("api_audit", __name__, url_prefix="/api/v1")
