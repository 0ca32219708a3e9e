"""/audit (nhật ký): the audit log as the user may see it, with filters, paging and a CSV export.

What each user sees is decided by workflow/services/audit_log.py (an auditor: events of their
org subtree; others: events of nominations they may see).
"""
from flask import Response, render_template, request

from workflow.audit import log as audit_log

from workflow import pages as ui_views
from web.runtime import runtime
from web.ui import bp, forms

FILTERS = ("nomination_id", "actor", "action", "org_id", "state", "since", "until", "q")


def _filters() -> dict:
    """Filters from the query string; dates may be typed dd/mm/yyyy as everywhere on the site."""
    out = {}
    for name in FILTERS:
        value = (request.args.get(name) or "").strip()[:200]
        if name in ("since", "until"):
            value = forms.dmy_to_iso(value)
        if value:
            out[name] = value
    return out


@bp.get("/audit")
def audit():
    rt = runtime()
    filters = _filters()
    page = audit_log.query_audit(rt.db, forms.user_id(), filters, forms.arg_text("cursor"), 50)
    options = ui_views.filter_options(rt.db, forms.user_id(), now=rt.now())
    shown = {k: (request.args.get(k) or "").strip() for k in FILTERS}
    return render_template("audit.html", page=page, filters=filters, shown=shown, options=options)


@bp.get("/audit/export.csv")
def audit_export():
    rt = runtime()
    chunks = audit_log.export_csv(rt.db, forms.user_id(), _filters())  # filters checked before streaming
    name = f"nhat-ky-{rt.now().strftime('%Y%m%d-%H%M%S')}.csv"
    return Response(chunks, content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
