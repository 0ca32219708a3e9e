"""/plans (kế hoạch thi đua): each plan's milestones as written and what they mean, and the
progress of each participating unit."""
from flask import render_template

from workflow.plans import progress as plan_progress

from workflow.plans import service as plan_service
from web.runtime import runtime
from web.ui import bp, forms, obligations_view


@bp.get("/plans")
def plans():
    rt = runtime()
    items = plan_service.list_plans(rt.db, forms.user_id(), now=rt.now())
    items.sort(key=lambda p: (not p["accepting_nominations"], -p["id"]))
    progress = plan_progress.progress(rt.db, forms.user_id(), now=rt.now())
    return render_template("plans/list.html", plans=items, progress=progress)


@bp.get("/plans/<int:plan_id>")
def plan(plan_id: int):
    rt = runtime()
    item = plan_service.get_plan(rt.db, forms.user_id(), plan_id, now=rt.now())
    progress = plan_progress.progress(rt.db, forms.user_id(), now=rt.now(), plan_id=plan_id)
    reports = obligations_view.reports(rt.db, forms.user_id(), plan_id, now=rt.now())
    return render_template("plans/detail.html", plan=item, progress=progress.get(plan_id, []),
                           reports=reports)
