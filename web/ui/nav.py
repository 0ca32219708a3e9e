"""The header navigation, as data, so other page groups (dossiers...) can slot in.

Another blueprint adds its entry with `web.ui.nav.add("dossiers_ui.index", _l("Hồ sơ trình"),
order=25)`; an entry shows only when its endpoint is registered and the user's role is listed.
"""
from dataclasses import dataclass

from flask import current_app, request
from flask_babel import lazy_gettext as _l

INBOX_ROLES = frozenset({"unit_officer", "council_secretary", "unit_head", "ministry_reviewer",
                         "ministry_leader", "central_reviewer", "central_leader"})


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object  # a lazy translated string
    roles: frozenset | None = None  # None: every logged-in user
    order: int = 50


ITEMS: list[NavItem] = []


def add(endpoint: str, label, roles=None, order: int = 50) -> None:
    if any(i.endpoint == endpoint for i in ITEMS):
        return
    ITEMS.append(NavItem(endpoint, label, frozenset(roles) if roles else None, order))
    ITEMS.sort(key=lambda i: i.order)


def items_for(role: str) -> list[dict]:
    views = current_app.view_functions
    return [{"endpoint": i.endpoint, "label": i.label, "active": request.endpoint == i.endpoint}
            for i in ITEMS if i.endpoint in views and (i.roles is None or role in i.roles)]


add("ui.inbox", _l("Việc cần xử lý"), INBOX_ROLES, order=10)
add("ui.nominations", _l("Hồ sơ đề nghị"), order=20)
add("ui.dossiers_list", _l("Tờ trình"), order=30)
add("ui.decisions_list", _l("Các quyết định"), order=35)
add("ui.plans", _l("Kế hoạch thi đua"), order=40)
add("ui.dashboard", _l("Tổng hợp"), order=50)
add("ui.audit", _l("Nhật ký"), {"auditor", "admin"}, order=80)
add("ui.admin_index", _l("Quản trị"), {"admin"}, order=90)
