"""The register of persons and collectives under /api/v1 (docs/api.md, "People"): search, create
(a likely duplicate is a 409 with its candidates), read with history, discipline and nominations,
record history, discipline and ratings; a nomination's eligibility."""
from dataclasses import asdict

from flask import Blueprint, g, jsonify

from web.api.common import authenticated, ctx, int_arg, json_body, str_arg
from web.api.serializers import iso, plain
from web.errors import lang
from web.runtime import runtime
from workflow.people import eligibility, register, search
from workflow.people.views import Eligibility, HistoryEntry, PersonDetail

bp = Blueprint("api_people", __name__, url_prefix="/api/v1")


def history_entry(h: HistoryEntry) -> dict:
    out = {"year": h.year, "award_type": h.award_type, "award_name": h.award_name,
           "decision_number": h.decision_number, "decision_date": iso(h.decision_date), "source": h.source,
           "kind": h.kind, "basis": h.basis}
    if h.kind == "initiative":
        out.update(title=h.title, used_for=h.used_for)
    if h.nomination_id is not None:
        out["nomination_id"] = h.nomination_id
    return out


def person(p: PersonDetail) -> dict:
    out = {k: plain(val) for k, val in asdict(p).items() if k not in ("history", "can_edit")}
    out["history"] = [history_entry(h) for h in p.history]
    return out


def eligibility_json(e: Eligibility) -> dict:
    en = lang() == "en"
    return {"eligible": e.eligible, "person_id": e.person_id,
            "checks": [{"rule": c.rule, "result": c.result, "message": c.message_en if en else c.message,
                        "basis": c.basis} for c in e.checks]}


@bp.get("/people")
@authenticated
def list_people():
    page = search.search_people(runtime().db, g.user_id, q=str_arg("q"), org_id=int_arg("org_id"),
                                cursor=str_arg("cursor"), limit=int_arg("limit") or 20)
    return jsonify({"items": plain(page.items), "next_cursor": page.next_cursor})


@bp.post("/people")
@authenticated
def create_person():
    rt = runtime()
    return jsonify(person(register.create_person(rt.db, g.user_id, json_body(), now=rt.now(), ctx=ctx()))), 201


@bp.get("/people/<int:person_id>")
@authenticated
def get_person(person_id: int):
    return jsonify(person(register.get_person(runtime().db, g.user_id, person_id)))


@bp.patch("/people/<int:person_id>")
@authenticated
def update_person(person_id: int):
    rt = runtime()
    return jsonify(person(register.update_person(rt.db, g.user_id, person_id, json_body(), now=rt.now(),
                                                 ctx=ctx())))


@bp.post("/people/<int:person_id>/history")
@authenticated
def add_history(person_id: int):
    rt = runtime()
    entry = register.add_record(rt.db, g.user_id, person_id, json_body(), now=rt.now(), ctx=ctx())
    return jsonify(history_entry(entry)), 201


@bp.post("/people/<int:person_id>/discipline")
@authenticated
def add_discipline(person_id: int):
    rt = runtime()
    return jsonify(plain(register.add_discipline(rt.db, g.user_id, person_id, json_body(), now=rt.now(),
                                                 ctx=ctx()))), 201


@bp.post("/people/<int:person_id>/ratings")
@authenticated
def add_rating(person_id: int):
    rt = runtime()
    return jsonify(register.add_rating(rt.db, g.user_id, person_id, json_body(), now=rt.now(), ctx=ctx())), 201


@bp.post("/nominations/eligibility")
@authenticated
def eligibility_preview():
    """The checks of a nomination before it is saved (same body as POST /nominations)."""
    body, rt = json_body(), runtime()
    return jsonify(eligibility_json(eligibility.preview(rt.db, g.user_id, plan_id=body.get("plan_id"),
                                                        award_type=body.get("award_type"),
                                                        nominee=body.get("nominee"), now=rt.now())))


@bp.get("/nominations/<int:nomination_id>/eligibility")
@authenticated
def nomination_eligibility(nomination_id: int):
    rt = runtime()
    return jsonify(eligibility_json(eligibility.nomination_eligibility(rt.db, g.user_id, nomination_id,
                                                                       now=rt.now())))
