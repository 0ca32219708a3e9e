"""API endpoints for dossiers, decisions and attachments (registered under /api/v1 by create_app).

Views only translate HTTP to service calls; see docs/api-dossiers.md. Static paths
(`/dossiers/template.xlsx`, `/dossiers/inbox`, `/dossiers/aggregate`) are never taken for a
dossier id: the id routes use the `int` converter.
"""
import io

from flask import Blueprint, g, jsonify, request, send_file

from workflow.dossiers.excel import MAX_FILE_BYTES
from workflow.errors import InvalidInput
from workflow.views import ReviewOutcome
from workflow.dossiers import aggregation
from workflow.dossiers import attachments
from workflow.dossiers import central as dossier_central
from workflow.decisions import service as decisions
from workflow.dossiers import importing as dossier_import
from workflow.dossiers import review as dossier_review
from workflow.dossiers import service as dossiers
from workflow.workbench import assignment, comments
from web.api import serializers
from web.api.common import authenticated, bool_arg, ctx, int_arg, json_body, str_arg
from web.runtime import runtime
from web.uploads import read_file

bp = Blueprint("api_dossiers", __name__, url_prefix="/api/v1")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOSSIER_ACTIONS = {
    "submit": dossier_review.submit_dossier,
    "return": dossier_review.return_dossier,
    "votes": dossier_review.record_council_votes,
    "review": dossier_review.review_dossier,
    "sign": aggregation.sign_dossier,            # the leader signs and sends the drafted tờ trình
    "receive": dossier_central.receive_dossier,  # the receiving level's staff record its receipt
    "appraisal": dossier_central.appraisal_dossier,  # complete / consult / resume (NĐ 98 Art. 32)
}


def _download(data: bytes, name: str, mimetype: str = XLSX):
    resp = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


# --- dossiers ------------------------------------------------------------------------------

@bp.post("/dossiers")
@authenticated
def create_dossier():
    body = json_body()
    rt = runtime()
    view = dossiers.create_dossier(rt.db, g.user_id, plan_id=body.get("plan_id"), number=body.get("number"),
                                   title=body.get("title"), now=rt.now(), ctx=ctx())
    return jsonify(serializers.dossier(view)), 201


@bp.get("/dossiers")
@authenticated
def list_dossiers():
    page = dossiers.list_dossiers(runtime().db, g.user_id, state=str_arg("state"), direction=str_arg("direction"),
                                  plan_id=int_arg("plan_id"), cursor=str_arg("cursor"), limit=int_arg("limit") or 50)
    return jsonify(serializers.page(page, serializers.dossier))


@bp.get("/dossiers/inbox")
@authenticated
def dossier_inbox():
    views = dossiers.dossier_inbox(runtime().db, g.user_id, limit=int_arg("limit") or 100)
    return jsonify({"items": [serializers.dossier(x) for x in views]})


@bp.get("/dossiers/template.xlsx")
@authenticated
def template():
    data = dossier_import.template_xlsx(runtime().db, g.user_id, plan_id=int_arg("plan_id"))
    return _download(data, "mau-danh-sach-de-nghi-khen-thuong.xlsx")


@bp.get("/dossiers/<int:dossier_id>")
@authenticated
def get_dossier(dossier_id: int):
    return jsonify(serializers.dossier(dossiers.get_dossier(runtime().db, g.user_id, dossier_id, now=runtime().now())))


@bp.get("/dossiers/<int:dossier_id>/history")
@authenticated
def dossier_history(dossier_id: int):
    events = dossiers.dossier_history(runtime().db, g.user_id, dossier_id)
    return jsonify({"items": [serializers.audit_event(e) for e in events]})


@bp.post("/dossiers/<int:dossier_id>/nominations")
@authenticated
def add_nominations(dossier_id: int):
    rt = runtime()
    out = dossiers.add_nominations(rt.db, g.user_id, dossier_id, json_body(), now=rt.now(), ctx=ctx())
    return jsonify(serializers.list_change(out)), 201


@bp.delete("/dossiers/<int:dossier_id>/nominations/<int:nomination_id>")
@authenticated
def remove_nomination(dossier_id: int, nomination_id: int):
    rt = runtime()
    out = dossiers.remove_nomination(rt.db, g.user_id, dossier_id, nomination_id, withdraw=bool_arg("withdraw"),
                                     version=int_arg("version"), now=rt.now(), ctx=ctx())
    return jsonify(serializers.list_change(out))


@bp.get("/dossiers/<int:dossier_id>/comments")
@authenticated
def dossier_comments(dossier_id: int):
    found = comments.list_comments(runtime().db, g.user_id, "dossier", dossier_id)
    return jsonify({"items": [serializers.comment(c) for c in found]})


@bp.post("/dossiers/<int:dossier_id>/comments")
@authenticated
def comment_dossier(dossier_id: int):
    rt = runtime()
    c = comments.add_comment(rt.db, g.user_id, "dossier", dossier_id, json_body(), now=rt.now(), ctx=ctx())
    return jsonify(serializers.comment(c)), 201


@bp.post("/dossiers/<int:dossier_id>/assign")
@authenticated
def assign(dossier_id: int):
    """The receiving office assigns the dossier to one of its specialists: `{"user_id", "version"?}`."""
    rt = runtime()
    view = assignment.assign_dossier(rt.db, g.user_id, dossier_id, json_body(), now=rt.now(), ctx=ctx())
    return jsonify(serializers.dossier(view))


@bp.post("/dossiers/<int:dossier_id>/import")
@authenticated
def import_list(dossier_id: int):
    name, data = read_file(MAX_FILE_BYTES)
    rt = runtime()
    out = dossier_import.import_list(rt.db, g.user_id, dossier_id, data, filename=name,
                                     version=int_arg("version", request.form), now=rt.now(), ctx=ctx())
    return jsonify(serializers.import_outcome(out)), 201


@bp.get("/dossiers/<int:dossier_id>/export.xlsx")
@authenticated
def export_list(dossier_id: int):
    name, data = dossier_import.export_list(runtime().db, g.user_id, dossier_id)
    return _download(data, name)


@bp.post("/dossiers/<int:dossier_id>/attachments")
@authenticated
def upload_attachment(dossier_id: int):
    name, data = read_file(attachments.MAX_BYTES)
    nid = int_arg("nomination_id", request.form)
    rt = runtime()
    out = attachments.upload(rt.db, g.user_id, dossier_id, doc_type=request.form.get("doc_type"), filename=name,
                             data=data, nomination_id=nid, version=int_arg("version", request.form), now=rt.now(),
                             ctx=ctx())
    return jsonify(out), 201


@bp.get("/dossiers/<int:dossier_id>/attachments")
@authenticated
def list_attachments(dossier_id: int):
    return jsonify({"items": attachments.list_attachments(runtime().db, g.user_id, dossier_id)})


@bp.get("/dossiers/<int:dossier_id>/attachments/<int:attachment_id>")
@authenticated
def download_attachment(dossier_id: int, attachment_id: int):
    name, content_type, data = attachments.download(runtime().db, g.user_id, dossier_id, attachment_id)
    return _download(data, name, content_type)


@bp.post("/dossiers/aggregate")
@authenticated
def aggregate():
    rt = runtime()
    view = aggregation.aggregate(rt.db, g.user_id, json_body(), now=rt.now(), ctx=ctx())
    return jsonify(serializers.dossier(view)), 201


@bp.post("/dossiers/<int:dossier_id>/<action>")
@authenticated
def dossier_action(dossier_id: int, action: str):
    if action not in DOSSIER_ACTIONS:
        raise InvalidInput(f"Không có thao tác '{action}' với hồ sơ trình", f"Unknown dossier action '{action}'",
                           field="action")
    rt = runtime()
    body = json_body(required=action not in ("submit", "sign", "receive"))
    out = DOSSIER_ACTIONS[action](rt.db, g.user_id, dossier_id, body, now=rt.now(), ctx=ctx())
    if isinstance(out, ReviewOutcome):
        return jsonify(serializers.review_outcome(out))
    return jsonify(serializers.dossier(out))


# --- decisions -----------------------------------------------------------------------------

@bp.post("/decisions")
@authenticated
def create_decision():
    rt = runtime()
    detail = decisions.create_decision(rt.db, g.user_id, json_body(), now=rt.now(), ctx=ctx())
    return jsonify(serializers.decision_detail(detail)), 201


@bp.get("/decisions")
@authenticated
def list_decisions():
    items = decisions.list_decisions(runtime().db, g.user_id, limit=int_arg("limit") or 100)
    return jsonify({"items": [serializers.decision_detail(d) for d in items]})


@bp.get("/decisions/next-number")
@authenticated
def next_decision_number():
    """The next free number of the caller's org this year (or `year`), for decisions or, with
    `kind=dossier`, tờ trình (NĐ 30/2020 Art. 15: numbers restart at 01 each year)."""
    rt = runtime()
    n = decisions.next_number(rt.db, g.user_id, kind=str_arg("kind"), year=int_arg("year"),
                              symbol=str_arg("symbol"), now=rt.now())
    return jsonify({"number": n.number, "year": n.year, "symbol": n.symbol, "kind": n.kind})


@bp.get("/decisions/<int:decision_id>")
@authenticated
def get_decision(decision_id: int):
    return jsonify(serializers.decision_detail(decisions.get_decision(runtime().db, g.user_id, decision_id)))
