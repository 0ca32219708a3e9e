"""API endpoints for dossiers (registered under /api/v1 by create_app)."""
from flask import Blueprint

bp = Blueprint("api_dossiers", __name__, url_prefix="/api/v1")
