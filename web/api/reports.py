"""API endpoints of issue 3: plan reports (obligations), notifications, calendar overrides.

Registered under /api/v1 by create_app. Views only translate HTTP to service calls.
"""
from urllib.parse import quote

from flask import Blueprint, Response, g, jsonify, request, url_for

from web.api.common import authenticated, bool_arg, ctx, int_arg, json_body, str_arg
from web.runtime import runtime
from workflow.errors import InvalidInput
from workflow.calendar import admin as calendar_admin
from workflow.notices import service as notifications
from workflow.plans import obligations
from workflow.workbench import delegation as delegation_service, stat_forms, statistics as stats_service
from web.api import serializers

bp = Blueprint("api_reports", __name__, url_prefix="/api/v1")


# --- plan reports (báo cáo theo kế hoạch) ---------------------------------------------------

def _report(item: dict) -> dict:
    """A report as the API gives it: its files with the address each downloads from, and each
    submission's files in its history likewise."""
    def url(attachment_id) -> str:
        return url_for("api_reports.download_report_attachment", plan_id=item["plan_id"], obligation_id=item["id"],
                       attachment_id=attachment_id)
    files = [{"id": a["id"], "name": a["filename"], "url": url(a["id"])} for a in item["attachments"]]
    history = [{**h, "files": [{**f, "url": url(f["id"])} for f in h["files"]]} if "files" in h else h
               for h in item["history"]]
    return {**item, "files": files, "history": history}


@bp.get("/plans/<int:plan_id>/reports")
@authenticated
def list_reports(plan_id: int):
    body = obligations.list_reports(runtime().db, g.user_id, plan_id, now=runtime().now())
    return jsonify({**body, "items": [_report(i) for i in body["items"]]})


@bp.get("/plans/<int:plan_id>/reports/late")
@authenticated
def late_reports(plan_id: int):
    return jsonify(obligations.late_reports(runtime().db, g.user_id, plan_id, now=runtime().now()))


@bp.post("/plans/<int:plan_id>/reports/<int:obligation_id>/<action>")
@authenticated
def act_on_report(plan_id: int, obligation_id: int, action: str):
    rt = runtime()
    return jsonify(_report(obligations.act_on_report(
        rt.db, g.user_id, plan_id, obligation_id, action, json_body(required=False), now=rt.now(),
        ctx=ctx())))


@bp.post("/plans/<int:plan_id>/reports/<int:obligation_id>/attachments")
@authenticated
def attach_to_report(plan_id: int, obligation_id: int):
    upload = request.files.get("file")
    if upload is None:
        raise InvalidInput("Thiếu tệp (trường 'file', multipart/form-data)",
                           "Missing file (field 'file', multipart/form-data)", field="file")
    rt = runtime()
    result = obligations.add_report_attachment(
        rt.db, g.user_id, plan_id, obligation_id, filename=upload.filename, content_type=upload.mimetype,
        data=upload.read(), now=rt.now(), ctx=ctx())
    return jsonify(result), 201


@bp.get("/plans/<int:plan_id>/reports/<int:obligation_id>/attachments/<int:attachment_id>")
@authenticated
def download_report_attachment(plan_id: int, obligation_id: int, attachment_id: int):
    meta, data = obligations.get_report_attachment(runtime().db, g.user_id, plan_id, obligation_id,
                                                   attachment_id)
    resp = Response(data, mimetype=meta["content_type"])
    resp.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(meta['filename'])}"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


# --- notifications (thông báo) --------------------------------------------------------------

@bp.get("/notifications")
@authenticated
def list_notifications():
    return jsonify(notifications.list_notifications(
        runtime().db, g.user_id, unread_only=bool_arg("unread"), cursor=str_arg("cursor"),
        limit=int_arg("limit") or 50))


@bp.post("/notifications/<int:notification_id>/read")
@authenticated
def read_notification(notification_id: int):
    return jsonify(notifications.mark_read(runtime().db, g.user_id, notification_id, now=runtime().now()))


@bp.post("/notifications/read-all")
@authenticated
def read_all_notifications():
    return jsonify(notifications.mark_all_read(runtime().db, g.user_id, now=runtime().now()))


# --- working-day calendar overrides (admin) -------------------------------------------------

@bp.get("/calendar/overrides")
@authenticated
def list_calendar_overrides():
    return jsonify({"items": calendar_admin.list_overrides(runtime().db, g.user_id, year=int_arg("year"))})


@bp.post("/calendar/overrides")
@authenticated
def add_calendar_override():
    rt = runtime()
    return jsonify(calendar_admin.add_override(rt.db, g.user_id, json_body(), now=rt.now(), ctx=ctx())), 201


@bp.delete("/calendar/overrides/<day>")
@authenticated
def remove_calendar_override(day: str):
    rt = runtime()
    return jsonify(calendar_admin.remove_override(rt.db, g.user_id, day, now=rt.now(), ctx=ctx()))


# --- yearly statistics (thống kê thi đua, khen thưởng) ---------------------------------------

@bp.get("/reports/statistics")
@authenticated
def statistics_report():
    """`?year=&org_id=&period=calendar|report&format=json|xlsx|forms`: the period's figures of the
    units under the org; `forms` is the workbook on the circular's forms (Biểu 0601–0605.N/BNV-TĐKT),
    whose period is the circular's (01/12–30/11) unless `period=calendar` is asked."""
    fmt = str_arg("format") or "json"
    if fmt not in stats_service.DOWNLOADS:
        raise InvalidInput("format phải là json, xlsx hoặc forms", "format must be json, xlsx or forms",
                           field="format")
    rt = runtime()
    year = int_arg("year")
    year = year if year is not None else rt.now().year
    if fmt == "forms":
        data = stats_service.forms_data(rt.db, g.user_id, year=year, org_id=int_arg("org_id"),
                                        period=str_arg("period") or "report")
        return _xlsx(stat_forms.forms_xlsx(data), f"bieu-thong-ke-thi-dua-khen-thuong-{data.stats.year}.xlsx")
    found = stats_service.statistics(rt.db, g.user_id, year=year, org_id=int_arg("org_id"),
                                     period=str_arg("period"))
    if fmt == "xlsx":
        return _xlsx(stats_service.statistics_xlsx(found), f"thong-ke-thi-dua-khen-thuong-{found.year}.xlsx")
    return jsonify(serializers.statistics(found))



def _xlsx(data: bytes, name: str) -> Response:
    return Response(data, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# --- delegations (ủy quyền) -------------------------------------------------------------------

@bp.post("/delegations")
@authenticated
def create_delegation():
    """A leader names a stand-in: `{"to_user_id", "from", "until"}`."""
    rt = runtime()
    view = delegation_service.create_delegation(rt.db, g.user_id, json_body(), now=rt.now(), ctx=ctx())
    return jsonify(serializers.plain(view)), 201


@bp.get("/delegations")
@authenticated
def list_delegations():
    rt = runtime()
    return jsonify({"items": [serializers.plain(d) for d in
                              delegation_service.list_delegations(rt.db, g.user_id, now=rt.now())]})
