"""The server-rendered web UI (registered by create_app).

Pages are grouped in modules (auth, inbox, nominations, drafting, plans, dashboard, admin,
audit); each view reads through a service and posts to the same services as the JSON API.
`init_app` sets up login, CSRF, languages, security headers and the template helpers;
`html_error` turns errors into friendly pages.
"""
from flask import Blueprint, Flask

bp = Blueprint("ui", __name__)


def init_app(app: Flask) -> None:
    """Set up what the UI needs on the app (login manager, CSRF, i18n, headers)."""
    from flask_login import current_user
    from web.ui import confirm, i18n, nav, security
    security.init_app(app)
    auth.init_app(app)
    i18n.init_app(app)
    confirm.init_app(app)

    @app.context_processor
    def _nav():
        role = current_user.role if current_user.is_authenticated else None
        return {"nav_items": nav.items_for(role) if role else []}


from web.ui.error_pages import html_error  # noqa: E402,F401  (re-exported for create_app)
from web.ui import (  # noqa: E402,F401  (importing a page module registers its routes)
    admin, audit, auth, dashboard, drafting, inbox, nominations, plans,
)
from web.ui import dossiers_view, decisions_view  # noqa: E402,F401  (dossiers, aggregation, decisions)
from web.ui import catalogue_admin  # noqa: E402,F401  (the award catalogue)
from web.ui import org_admin  # noqa: E402,F401  (the organisation tree, councils, the calendar)
from web.ui import public_view  # noqa: E402,F401  (/cong-khai, the public posting, no login)
from web.ui import papers_view  # noqa: E402,F401  (the papers: tờ trình, biên bản, quyết định, certificates)
from web.ui import people  # noqa: E402,F401  (the register of persons, eligibility panel)
from web.ui import workbench_view  # noqa: E402,F401  (delegations)
from web.ui import account  # noqa: E402,F401  (/account: own password, language, e-mail, notices)
from web.ui import trust_admin  # noqa: E402,F401  (the trusted root certificates)
from web.ui import statistics_view  # noqa: E402,F401  (/thong-ke: the yearly statistics)
