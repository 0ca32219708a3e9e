"""The server-rendered web UI (registered by create_app)."""
from flask import Blueprint, Flask

bp = Blueprint("ui", __name__)


def init_app(app: Flask) -> None:
    """Set up what the UI needs on the app (login manager, CSRF, i18n, headers)."""
