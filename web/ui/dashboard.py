"""The dashboard (tổng hợp): counts by state and level and what is overdue, as SVG bar charts."""
from flask import render_template, url_for

from workflow.nominations import dashboard as dashboard_service
from workflow.plans import obligations as plan_obligations

from workflow import pages as ui_views
from web.runtime import runtime
from web.ui import bp, forms, svg
from states.labels import LEVELS
from web.ui.i18n import current_lang, standing_name, state_name


@bp.get("/dashboard")
def dashboard():
    rt = runtime()
    plan_id = forms.arg_int("plan_id")
    data = dashboard_service.dashboard(rt.db, forms.user_id(), now=rt.now(), plan_id=plan_id)
    options = ui_views.filter_options(rt.db, forms.user_id(), now=rt.now())
    states = svg.bar_chart([(state_name(s), n, f"bar state-{s}") for s, n in data.by_state])
    name = {lv: LEVELS[lv][1 if current_lang() == "en" else 0] for lv in LEVELS}
    levels = svg.bar_chart([(name[lv], n, "bar level") for lv, n in data.by_level])
    overdue = svg.bar_chart([(name[lv], n, "bar overdue") for lv, n in data.overdue_by_level])
    standings = plan_obligations.report_standings(rt.db, forms.user_id(), now=rt.now(), plan_id=plan_id)
    reports = svg.bar_chart([(standing_name(k), n, f"bar standing-{k}") for k, n in standings.items()])
    # Every figure opens the list it counts (the workbench's /nominations with the same filter).
    scope = {"plan_id": plan_id} if plan_id else {}
    links = {"total": url_for("ui.nominations", **scope), "overdue": url_for("ui.nominations", overdue=1, **scope),
             "states": [url_for("ui.nominations", state=s, **scope) for s, _n in data.by_state]}
    return render_template("dashboard.html", data=data, states=states, levels=levels, overdue=overdue,
                           reports=reports, reports_total=sum(standings.values()),
                           options=options, plan_id=plan_id, links=links)
