"""Public, no-login API: the nominees posted for comment (công khai, Law Art. 84(5))."""
from flask import Blueprint, jsonify

from workflow.nominations.posting import public_postings
from web.api import serializers
from web.runtime import runtime

bp = Blueprint("api_public", __name__, url_prefix="/api/v1/public")


@bp.get("/postings")
def postings():
    rt = runtime()
    return jsonify({"items": [serializers.public_posting(p) for p in public_postings(rt.db, now=rt.now())]})
