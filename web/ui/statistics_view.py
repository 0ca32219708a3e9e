"""/thong-ke: the yearly commendation statistics of an organisation's subtree as SVG bar charts,
each figure opening the nominations list it counts, and the downloads (JSON, workbook, the
circular's forms). The figures come from workflow/workbench/statistics.py, which applies the
nominations' visibility rule."""
import json
from urllib.parse import quote

from flask import Response, render_template, request, url_for

from web.api import serializers
from web.runtime import runtime
from web.ui import bp, forms, nav, svg
from web.ui.i18n import state_name
from workflow.errors import InvalidInput
from workflow.workbench import stat_forms, statistics as stats_service
from flask_babel import lazy_gettext as _l

nav.add("ui.statistics", _l("Thống kê"), order=55)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _args() -> dict:
    rt = runtime()
    return {"year": forms.arg_int("year") or rt.now().year, "org_id": forms.arg_int("org_id"),
            "period": request.args.get("period") or "calendar"}


@bp.get("/thong-ke")
def statistics():
    rt = runtime()
    args = _args()
    st = stats_service.statistics(rt.db, forms.user_id(), **args)
    days = {"decided_from": st.date_from.isoformat(), "decided_until": st.date_until.isoformat()}
    sent = {"submitted_from": st.date_from.isoformat(), "submitted_until": st.date_until.isoformat()}
    scope = {"org_id": st.org_id}
    awarded = [r for r in st.by_award if r.awarded]
    units = [r for r in st.by_unit if r.awarded]
    charts = {
        "awards": svg.bar_chart([(r.name, r.awarded, "bar award") for r in awarded], label_w=300),
        "units": svg.bar_chart([(r.name, r.awarded, "bar unit") for r in units], label_w=300),
        "states": svg.bar_chart([(state_name(c.state), c.count, f"bar state-{c.state}") for c in st.by_state]),
    }
    links = {
        "awards": [url_for("ui.nominations", award_type=r.key, state="awarded", **scope, **days) for r in awarded],
        "units": [url_for("ui.nominations", unit_id=r.key, state="awarded", **days) for r in units],
        "states": [url_for("ui.nominations", state=c.state, **scope, **sent) for c in st.by_state],
        "submitted": url_for("ui.nominations", **scope, **sent),
        "awarded": url_for("ui.nominations", state="awarded", **scope, **days),
        "award_rows": {r.key: {"submitted": url_for("ui.nominations", award_type=r.key, **scope, **sent),
                               "awarded": url_for("ui.nominations", award_type=r.key, state="awarded",
                                                  **scope, **days)} for r in st.by_award},
    }
    downloads = {f: url_for("ui.statistics_download", format=f, year=st.year, org_id=st.org_id,
                            period=st.period if f != "forms" else args["period"]) for f in stats_service.DOWNLOADS}
    this_year = rt.now().year
    return render_template("statistics.html", st=st, charts=charts, links=links, downloads=downloads,
                           orgs=stats_service.org_choices(rt.db, forms.user_id()),
                           years=list(range(this_year, this_year - 6, -1)), periods=stats_service.PERIODS)


@bp.get("/thong-ke/tai-ve")
def statistics_download():
    """The same figures to keep: `format=json|xlsx|forms` (as the API's /reports/statistics)."""
    rt = runtime()
    fmt = request.args.get("format") or "xlsx"
    if fmt not in stats_service.DOWNLOADS:
        raise InvalidInput("format phải là json, xlsx hoặc forms", "format must be json, xlsx or forms",
                           field="format")
    args = _args()
    if fmt == "forms":
        data = stats_service.forms_data(rt.db, forms.user_id(), **args)
        return _file(stat_forms.forms_xlsx(data), f"bieu-thong-ke-thi-dua-khen-thuong-{data.stats.year}.xlsx", XLSX)
    st = stats_service.statistics(rt.db, forms.user_id(), **args)
    if fmt == "json":
        body = json.dumps(serializers.statistics(st), ensure_ascii=False, indent=1).encode()
        return _file(body, f"thong-ke-thi-dua-khen-thuong-{st.year}.json", "application/json")
    return _file(stats_service.statistics_xlsx(st), f"thong-ke-thi-dua-khen-thuong-{st.year}.xlsx", XLSX)


def _file(data: bytes, name: str, mimetype: str) -> Response:
    return Response(data, mimetype=mimetype, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}", "X-Content-Type-Options": "nosniff"})
