"""The award catalogue (hình thức khen thưởng): read by everyone, changed by the administrator."""
from flask import Blueprint, g, jsonify

from web.api import serializers
from web.api.common import authenticated, ctx, json_body
from web.runtime import runtime
from workflow.catalogue import service as catalogue

bp = Blueprint("api_catalogue", __name__, url_prefix="/api/v1")


@bp.get("/award-types")
@authenticated
def award_types():
    return jsonify({"items": [serializers.award_type(a) for a in catalogue.list_award_types(runtime().db)]})


@bp.get("/award-types/<code>")
@authenticated
def award_type(code: str):
    return jsonify(serializers.award_type(catalogue.get_award_type(runtime().db, code)))


@bp.post("/award-types")
@authenticated
def create_award_type():
    rt = runtime()
    view = catalogue.create_award_type(rt.db, g.user_id, json_body(), now=rt.now(), ctx=ctx())
    return jsonify(serializers.award_type(view)), 201


@bp.put("/award-types/<code>")
@authenticated
def publish_version(code: str):
    rt = runtime()
    view = catalogue.publish_version(rt.db, g.user_id, code, json_body(), now=rt.now(), ctx=ctx())
    return jsonify(serializers.award_type(view))


@bp.post("/award-types/<code>/migrate")
@authenticated
def migrate(code: str):
    rt = runtime()
    items = catalogue.migrate(rt.db, g.user_id, code, json_body(), now=rt.now(), ctx=ctx())
    return jsonify({"items": [serializers.plain(i) for i in items], "moved": sum(i.ok for i in items),
                    "stayed": sum(not i.ok for i in items)})
