"""The JSON API under /api/v1 (shared/API.md): authentication, the plans and
nominations. Views only translate HTTP to service calls; JSON is written by serializers.py."""
from flask import Blueprint, Response, g, jsonify, request

from states import mermaid
from workflow.calendar.deadlines import DeadlineParseError, parse_deadline
from workflow.errors import InvalidInput
from workflow.nominations import actions, central
from workflow.auth import account, service as auth
from workflow.nominations import drafting
from workflow.nominations import queries as nominations
from workflow.plans import amend as plan_amend, importing as plan_import, service as plans
from workflow import validation as v
from workflow.documents import service as papers
from workflow.workbench import comments, listing, service as workbench
from web.api import serializers
from web.api.common import authenticated, bool_arg, ctx, int_arg, json_body, str_arg
from web.runtime import runtime

bp = Blueprint("api", __name__, url_prefix="/api/v1")


# --- auth ----------------------------------------------------------------------------------

@bp.post("/auth/token")
def token():
    body = json_body()
    rt = runtime()
    user_id = auth.check_password(rt.db, body.get("username"), body.get("password"), now=rt.now(), ctx=ctx())
    tok, expires = auth.issue_token(rt.db, user_id, now=rt.now(), ttl_hours=rt.settings.token_ttl_hours)
    return jsonify({"token": tok, "expires_at": expires.isoformat()}), 201


@bp.post("/auth/revoke")
@authenticated
def revoke():
    auth.revoke_token(runtime().db, g.token, now=runtime().now())
    return jsonify({"revoked": True})


@bp.get("/me")
@authenticated
def me():
    db = runtime().db
    return jsonify(serializers.me(auth.me(db, g.user_id), account.account(db, g.user_id)))


@bp.patch("/me")
@authenticated
def update_me():
    """The caller's own language, e-mail address and notice preferences (fields left out stay)."""
    rt = runtime()
    prefs = account.update_account(rt.db, g.user_id, json_body(), now=rt.now(), ctx=ctx())
    return jsonify(serializers.me(auth.me(rt.db, g.user_id), prefs))


@bp.post("/me/password")
@authenticated
def change_my_password():
    """`{"current", "new"}`: 204; every other token and browser session of the user ends."""
    body = json_body()
    rt = runtime()
    account.change_password(rt.db, g.user_id, body.get("current"), body.get("new"), now=rt.now(), ctx=ctx(),
                            keep_token=g.token)
    return Response(status=204)


# --- catalogue and plans -------------------------------------------------------------------

@bp.get("/plans")
@authenticated
def list_plans():
    return jsonify({"items": plans.list_plans(runtime().db, g.user_id, now=runtime().now())})


@bp.get("/plans/<int:plan_id>")
@authenticated
def get_plan(plan_id: int):
    return jsonify(plans.get_plan(runtime().db, g.user_id, plan_id, now=runtime().now()))


@bp.post("/plans")
@authenticated
def create_plan():
    rt = runtime()
    plan = plans.create_plan(rt.db, g.user_id, json_body(), now=rt.now(),
                             strict_before=rt.settings.strict_before, ctx=ctx())
    return jsonify(plan), 201


@bp.post("/plans/import")
@authenticated
def import_plan():
    """A plan's text (JSON `{"text"}`, or a multipart `file`: .txt UTF-8 or .docx) read into a
    proposal to correct and save; nothing is saved."""
    rt = runtime()
    upload = request.files.get("file")
    if upload is not None:
        text = plan_import.text_of_upload(upload.filename, upload.read(plan_import.MAX_TEXT_BYTES + 1))
    elif request.files or request.form:
        raise InvalidInput("Thiếu tệp (trường file)", "Missing the file (field file)", field="file")
    else:
        text = json_body().get("text")
    return jsonify(plan_import.propose(rt.db, g.user_id, text, strict_before=rt.settings.strict_before))


@bp.patch("/plans/<int:plan_id>")
@authenticated
def edit_plan(plan_id: int):
    rt = runtime()
    return jsonify(plan_amend.change_plan(rt.db, g.user_id, plan_id, json_body(), now=rt.now(),
                                   strict_before=rt.settings.strict_before, ctx=ctx()))


@bp.post("/plans/<int:plan_id>/<any(issue, close):action>")
@authenticated
def plan_lifecycle(plan_id: int, action: str):
    rt = runtime()
    command = plans.issue_plan if action == "issue" else plans.close_plan
    return jsonify(command(rt.db, g.user_id, plan_id, json_body(required=False), now=rt.now(), ctx=ctx()))


# --- nominations ---------------------------------------------------------------------------

@bp.post("/nominations")
@authenticated
def create_nomination():
    body = json_body()
    rt = runtime()
    view = drafting.create_nomination(
        rt.db, g.user_id, plan_id=body.get("plan_id"), award_type=body.get("award_type"),
        nominee=body.get("nominee"), achievements=body.get("achievements"), now=rt.now(), ctx=ctx())
    return jsonify(serializers.nomination(view)), 201


def _listing(kind: str):
    """A list in the workbench's shape when the caller searches, sorts or pages by number
    (`q`, `sort`, `page`); else None (the contract's keyset paging)."""
    if not any(request.args.get(k) for k in ("q", "sort", "page")):
        return None
    rt = runtime()
    query = listing.parse_query(request.args, kind)
    page = workbench.nomination_list(rt.db, g.user_id, query, now=rt.now(), scope=listing.Scope(kind))
    return jsonify(serializers.list_page(page))


def _total(kind: str) -> dict:
    rt = runtime()
    total, capped = workbench.count(rt.db, g.user_id, listing.Scope(kind), listing.parse_query(request.args, kind),
                                    now=rt.now())
    return {"total": total, **({"total_capped": True} if capped else {})}


@bp.get("/nominations")
@authenticated
def list_nominations():
    found = _listing("all")
    if found is not None:
        return found
    rt = runtime()
    page = nominations.list_nominations(
        rt.db, g.user_id, now=rt.now(), state=str_arg("state"), plan_id=int_arg("plan_id"),
        award_type=str_arg("award_type"), overdue=bool_arg("overdue"), unit_id=int_arg("unit_id"),
        cursor=str_arg("cursor"), limit=int_arg("limit") or 50)
    return jsonify({**serializers.page(page), **_total("all")})


@bp.get("/nominations/<int:nomination_id>")
@authenticated
def get_nomination(nomination_id: int):
    rt = runtime()
    out = serializers.nomination(nominations.get_nomination(rt.db, g.user_id, nomination_id, now=rt.now()))
    # The required documents not yet present (workflow/documents/completeness.py).
    out["missing_documents"] = papers.nomination_checklist(rt.db, g.user_id, nomination_id).missing_documents
    return jsonify(out)


@bp.patch("/nominations/<int:nomination_id>")
@authenticated
def edit_nomination(nomination_id: int):
    body = json_body()
    version = body.pop("version", None)
    rt = runtime()
    view = drafting.edit_nomination(rt.db, g.user_id, nomination_id, changes=body, version=version,
                                    now=rt.now(), ctx=ctx())
    return jsonify(serializers.nomination(view))


@bp.post("/nominations/<int:nomination_id>/<action>")
@authenticated
def act(nomination_id: int, action: str):
    rt = runtime()
    view = actions.perform(rt.db, g.user_id, nomination_id, action, json_body(required=False),
                           now=rt.now(), ctx=ctx())
    return jsonify(serializers.nomination(view))


@bp.post("/nominations/<int:nomination_id>/appraisal/<event>")
@authenticated
def appraisal_event(nomination_id: int, event: str):
    """The central office: the dossier is complete, other bodies are consulted, opinions came back."""
    rt = runtime()
    view = central.record_event(rt.db, g.user_id, nomination_id, event, json_body(required=False),
                                now=rt.now(), ctx=ctx())
    return jsonify(serializers.nomination(view))


@bp.post("/nominations/bulk/<action>")
@authenticated
def bulk(action: str):
    body = json_body()
    rt = runtime()
    rest = {k: val for k, val in body.items() if k not in ("ids", "match")}
    if "match" in body and "ids" not in body:  # every nomination matching a list's filter
        match = body["match"]
        if not isinstance(match, dict) or match.get("scope", "inbox") not in ("inbox", "all"):
            raise InvalidInput("match phải là đối tượng với scope 'inbox' hoặc 'all'",
                               "match must be an object with scope 'inbox' or 'all'", field="match")
        kind = match.get("scope", "inbox")
        results = workbench.bulk_matching(rt.db, g.user_id, action, listing.Scope(kind),
                                          listing.parse_query(match, kind), rest, now=rt.now(), ctx=ctx())
    else:
        results = actions.bulk_perform(rt.db, g.user_id, action, body.get("ids"), rest, now=rt.now(), ctx=ctx())
    ok = sum(1 for r in results if r.ok)
    return jsonify({"results": [serializers.bulk_result(r) for r in results], "succeeded": ok,
                    "failed": len(results) - ok})


@bp.get("/nominations/<int:nomination_id>/comments")
@authenticated
def nomination_comments(nomination_id: int):
    found = comments.list_comments(runtime().db, g.user_id, "nomination", nomination_id)
    return jsonify({"items": [serializers.comment(c) for c in found]})


@bp.post("/nominations/<int:nomination_id>/comments")
@authenticated
def comment_nomination(nomination_id: int):
    rt = runtime()
    c = comments.add_comment(rt.db, g.user_id, "nomination", nomination_id, json_body(), now=rt.now(), ctx=ctx())
    return jsonify(serializers.comment(c)), 201


@bp.get("/nominations/<int:nomination_id>/history")
@authenticated
def history(nomination_id: int):
    events = nominations.history(runtime().db, g.user_id, nomination_id)
    return jsonify({"items": [serializers.audit_event(e) for e in events]})


@bp.get("/nominations/<int:nomination_id>/diagram")
@authenticated
def diagram(nomination_id: int):
    view = nominations.get_nomination(runtime().db, g.user_id, nomination_id, now=runtime().now())
    text = mermaid(view.route, view.state, "en" if request.args.get("lang") == "en" else "vi")
    return Response(text, mimetype="text/plain; charset=utf-8")


@bp.get("/inbox")
@authenticated
def inbox():
    found = _listing("inbox")
    if found is not None:
        return found
    rt = runtime()
    page = nominations.inbox(
        rt.db, g.user_id, now=rt.now(), state=str_arg("state"), plan_id=int_arg("plan_id"),
        award_type=str_arg("award_type"), overdue=bool_arg("overdue"), unit_id=int_arg("unit_id"),
        cursor=str_arg("cursor"), limit=int_arg("limit") or 50)
    return jsonify({**serializers.page(page), **_total("inbox")})


@bp.get("/openapi.json")
def openapi():
    from web.api.openapi import spec
    return jsonify(spec())


# --- deadlines -----------------------------------------------------------------------------

@bp.get("/deadlines/parse")
@authenticated
def parse():
    text = v.text(request.args.get("text"), "text", max_len=500)
    issued = v.iso_date(str_arg("issued"), "issued", required=False)
    try:
        deadline = parse_deadline(text, issued=issued, strict_before=runtime().settings.strict_before)
    except DeadlineParseError as e:
        raise InvalidInput(e.message_vi, e.message_en, field="text") from None
    return jsonify(deadline.to_dict())
