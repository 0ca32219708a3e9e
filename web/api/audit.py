"""The audit log over HTTP (registered under /api/v1 by create_app). Read-only by design:
no route here accepts anything but GET, so no request can change an event."""
import tempfile

from flask import Blueprint, Response, g, jsonify, request, send_file

from workflow.audit.chain import signing_key
from workflow.errors import InvalidInput
from workflow.audit import log as audit_log
from web.api import serializers
from web.api.common import authenticated, int_arg, str_arg
from web.runtime import runtime

bp = Blueprint("api_audit", __name__, url_prefix="/api/v1")

FILTERS = ("nomination_id", "actor", "action", "org_id", "state", "since", "until", "q")
FORMATS = ("json", "csv", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters() -> dict:
    return {name: request.args.get(name) for name in FILTERS}


def _filename(ext: str) -> str:
    return f"nhat-ky-{runtime().now().strftime('%Y%m%d-%H%M%S')}.{ext}"


@bp.get("/audit")
@authenticated
def audit_events():
    """?nomination_id=&actor=&action=&org_id=&state=&since=&until=&q=&cursor=&limit=&format=json|csv|xlsx"""
    fmt = request.args.get("format") or "json"
    if fmt not in FORMATS:
        raise InvalidInput("format phải là json, csv hoặc xlsx", "format must be json, csv or xlsx",
                           field="format")
    db = runtime().db
    if fmt == "json":
        page = audit_log.query_audit(db, g.user_id, _filters(), str_arg("cursor"), int_arg("limit") or 50)
        return jsonify(serializers.page(page, serializers.audit_event))
    if fmt == "csv":
        chunks = audit_log.export_csv(db, g.user_id, _filters())  # filters checked before streaming
        return Response(chunks, mimetype="text/csv", content_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{_filename("csv")}"'})
    # openpyxl writes the zip at the end: build it in a temporary file, then stream that.
    out = tempfile.TemporaryFile()  # noqa: SIM115  (closed by the streamed response)
    try:
        audit_log.export_xlsx(db, g.user_id, _filters(), out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return send_file(out, mimetype=XLSX, as_attachment=True, download_name=_filename("xlsx"))


@bp.get("/audit/verify")
@authenticated
def audit_verify():
    """Is the log intact? For auditors and the administrator."""
    rt = runtime()
    return jsonify(audit_log.verify_log(rt.db, g.user_id, signing_key(rt.settings), rt.settings).to_dict())
