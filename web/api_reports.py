"""API endpoints for reports (registered under /api/v1 by create_app)."""
from flask import Blueprint

bp = Blueprint("api_reports", __name__, url_prefix="/api/v1")
