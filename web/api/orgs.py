"""The organisation tree (cơ cấu tổ chức) and the councils: read by every user, changed by the
administrator (workflow/orgs)."""
from flask import Blueprint, g, jsonify, request

from web.api.common import authenticated, bool_arg, ctx, json_body
from web.api.serializers import iso, plain
from web.runtime import runtime
from workflow.orgs import councils, merge, service, update
from workflow.people import settings as rule_settings

bp = Blueprint("api_orgs", __name__, url_prefix="/api/v1")


def org(o: service.OrgView) -> dict:
    """An org of the tree: the contract's fields, then its code, level, depth and names through time."""
    return {"id": o.id, "name": o.name, "kind": o.kind, "parent_id": o.parent_id, "valid_from": iso(o.valid_from),
            "valid_to": iso(o.valid_to), "merged_into_id": o.merged_into_id, "code": o.code, "level": o.level,
            "email": o.email, "depth": o.depth, "users": o.users, "names": plain(list(o.names)),
            **({"rerouted": o.rerouted} if o.rerouted is not None else {})}


def org_merge(r: merge.MergeResult) -> dict:
    return {"org": org(r.org), "into": org(r.into),
            "moved": {"units": r.units, "users": r.users, "nominations": r.nominations, "dossiers": r.dossiers,
                      "plans": r.plans, "obligations": r.obligations},
            "obligations_stayed": r.obligations_stayed, "rerouted": r.rerouted}


def council(c: councils.CouncilView) -> dict:
    return {"org_id": c.org_id, "members": [{"name": m.name, "role": m.role} for m in c.members], "size": c.size,
            "quorum": float(c.quorum)}


def rule_settings_json(org_id: int, items: list[rule_settings.RuleSetting]) -> dict:
    """The optional eligibility rules at an org (workflow/people/settings.py)."""
    return {"org_id": org_id, "rules": [
        {"rule": r.rule.code, "awards": list(r.rule.awards), "subject": r.rule.subject, "basis": r.rule.basis,
         "confirmed": r.rule.confirmed, "enabled": r.enabled, "set_here": r.set_here, "decided_by": r.decided_by}
        for r in items]}


@bp.get("/orgs")
@authenticated
def list_orgs():
    include_closed = request.args.get("include_closed") is None or bool_arg("include_closed")
    items = service.list_orgs(runtime().db, g.user_id, q=request.args.get("q"), include_closed=include_closed)
    return jsonify({"items": [org(o) for o in items]})


@bp.post("/orgs")
@authenticated
def create_org():
    rt = runtime()
    return jsonify(org(service.create_org(rt.db, g.user_id, json_body(), now=rt.now(), ctx=ctx()))), 201


@bp.get("/orgs/<int:org_id>")
@authenticated
def get_org(org_id: int):
    return jsonify(org(service.get_org(runtime().db, g.user_id, org_id)))


@bp.patch("/orgs/<int:org_id>")
@authenticated
def update_org(org_id: int):
    rt = runtime()
    return jsonify(org(update.update_org(rt.db, g.user_id, org_id, json_body(), now=rt.now(), ctx=ctx())))


@bp.post("/orgs/<int:org_id>/merge")
@authenticated
def merge_org(org_id: int):
    rt = runtime()
    return jsonify(org_merge(merge.merge_org(rt.db, g.user_id, org_id, json_body(), now=rt.now(), ctx=ctx())))


@bp.get("/orgs/<int:org_id>/council")
@authenticated
def get_council(org_id: int):
    return jsonify(council(councils.get_council(runtime().db, g.user_id, org_id)))


@bp.put("/orgs/<int:org_id>/council")
@authenticated
def put_council(org_id: int):
    rt = runtime()
    return jsonify(council(councils.put_council(rt.db, g.user_id, org_id, json_body(), now=rt.now(), ctx=ctx())))


@bp.get("/orgs/<int:org_id>/eligibility-rules")
@authenticated
def get_eligibility_rules(org_id: int):
    return jsonify(rule_settings_json(org_id, rule_settings.get_rules(runtime().db, g.user_id, org_id)))


@bp.put("/orgs/<int:org_id>/eligibility-rules")
@authenticated
def put_eligibility_rules(org_id: int):
    rt = runtime()
    items = rule_settings.set_rules(rt.db, g.user_id, org_id, json_body(), now=rt.now(), ctx=ctx())
    return jsonify(rule_settings_json(org_id, items))
