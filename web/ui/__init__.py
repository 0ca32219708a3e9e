"""The server-rendered web UI (registered by create_app)."""
from flask import Blueprint

bp = Blueprint("ui", __name__)
