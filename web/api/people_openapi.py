"""The OpenAPI description of the register's endpoints (merged into /api/v1/openapi.json)."""
from web.api.openapi import DATE, ID_PARAM, INT, STR, body, nullable, ok, query

OBJ = {"type": "object"}
PERSON_IN = {"type": "object", "required": ["name"], "properties": {
    "kind": {"enum": ["individual", "collective"]}, "name": STR, "birth_date": DATE,
    "gender": {"enum": ["male", "female", "other"]}, "id_number": {"type": "string", "pattern": "^[0-9]{12}$"},
    "org_id": INT, "position": STR, "collective_kind": STR, "confirm_distinct": {"type": "boolean"}}}
HISTORY_ENTRY = {"type": "object", "required": ["year", "award_type", "decision_number", "decision_date", "source"],
                 "properties": {"year": INT, "award_type": nullable(STR), "decision_number": nullable(STR),
                                "decision_date": nullable(DATE), "source": {"enum": ["imported", "decision"]},
                                "kind": {"enum": ["award", "initiative"]}, "basis": STR}}
CHECK = {"type": "object", "required": ["rule", "result", "message", "basis"],
         "properties": {"rule": STR, "result": {"enum": ["pass", "fail", "unknown"]}, "message": STR, "basis": STR}}

PATHS = {
    "/people": {
        "get": {"summary": "People and collectives by name (any case, with or without diacritics) or identity number",
                "parameters": [query("q", STR), query("org_id", {"type": "integer", "minimum": 1}),
                               query("cursor", STR), query("limit", {"type": "integer", "minimum": 1, "maximum": 200})],
                "responses": ok(OBJ)},
        "post": {"summary": "A new record; 409 `duplicate` with `candidates` unless `confirm_distinct`",
                 "requestBody": body(PERSON_IN), "responses": ok(OBJ, "201")}},
    "/people/{id}": {"get": {"summary": "A record with its history, discipline, ratings and nominations",
                             "parameters": [ID_PARAM], "responses": ok(OBJ)}},
    "/people/{id}/history": {"post": {
        "summary": "An earlier award (or a recognised initiative, kind=initiative), marked imported",
        "parameters": [ID_PARAM],
        "requestBody": body({"type": "object", "required": ["year"], "properties": {
            "kind": {"enum": ["award", "initiative"]}, "award_type": STR, "title": STR,
            "year": {"type": "integer", "minimum": 1945}, "decision_number": STR, "decision_date": DATE,
            "basis": {"enum": ["cong_trang", "dot_xuat", "chuyen_de"]}, "used_for": STR}}),
        "responses": ok(HISTORY_ENTRY, "201")}},
    "/people/{id}/discipline": {"post": {
        "parameters": [ID_PARAM],
        "requestBody": body({"type": "object", "required": ["from", "reason"],
                             "properties": {"from": DATE, "to": DATE, "reason": STR}}),
        "responses": ok(OBJ, "201")}},
    "/people/{id}/ratings": {"post": {
        "summary": "The unit's yearly rating (xếp loại)", "parameters": [ID_PARAM],
        "requestBody": body({"type": "object", "required": ["year", "rating"], "properties": {
            "year": {"type": "integer", "minimum": 1945}, "rating": {"enum": ["htxs", "ht_tot", "ht", "khong_ht"]}}}),
        "responses": ok(OBJ, "201")}},
    "/nominations/{id}/eligibility": {"get": {
        "summary": "The award's conditions checked against the nominee's recorded history",
        "parameters": [ID_PARAM],
        "responses": ok({"type": "object", "required": ["eligible", "checks"], "properties": {
            "eligible": {"type": ["boolean", "null"]}, "checks": {"type": "array", "items": CHECK}}})}},
}
