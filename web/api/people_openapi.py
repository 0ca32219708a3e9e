"""The OpenAPI description of the register's endpoints (merged into /api/v1/openapi.json by
web/api/openapi.py; self-contained so the two modules do not import each other)."""
STR, INT, DATE = {"type": "string"}, {"type": "integer"}, {"type": "string", "format": "date"}
ID_PARAM = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}
ERRORS = {str(code): {"description": text, "content": {"application/json": {
    "schema": {"$ref": "#/components/schemas/Error"}}}}
    for code, text in ((401, "not authenticated"), (403, "forbidden"), (404, "not found"),
                       (409, "conflict, or `duplicate` with `candidates`"),
                       (422, "invalid input, or `ineligible` with `checks`"))}


def nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def ok(schema: dict, code: str = "200") -> dict:
    return {code: {"description": "OK", "content": {"application/json": {"schema": schema}}}, **ERRORS}


def query(name: str, schema: dict) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema}


def body(schema: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


OBJ = {"type": "object"}
PERSON_IN: dict = {"type": "object", "required": ["name"], "properties": {
    "kind": {"enum": ["individual", "collective"]}, "name": STR, "birth_date": DATE,
    "gender": {"enum": ["male", "female", "other"]}, "id_number": {"type": "string", "pattern": "^[0-9]{12}$"},
    "org_id": INT, "position": STR, "collective_kind": STR, "confirm_distinct": {"type": "boolean"}}}
HISTORY_ENTRY = {"type": "object", "required": ["year", "award_type", "decision_number", "decision_date", "source"],
                 "properties": {"year": INT, "award_type": nullable(STR), "decision_number": nullable(STR),
                                "decision_date": nullable(DATE), "source": {"enum": ["imported", "decision"]},
                                "kind": {"enum": ["award", "initiative"]}, "basis": STR}}
CHECK = {"type": "object", "required": ["rule", "result", "message", "basis"],
         "properties": {"rule": STR, "result": {"enum": ["pass", "fail", "unknown"]}, "message": STR, "basis": STR}}

RULE_SETTINGS = {"type": "object", "required": ["org_id", "rules"], "properties": {
    "org_id": INT, "rules": {"type": "array", "items": {"type": "object", "properties": {
        "rule": STR, "awards": {"type": "array", "items": STR}, "subject": STR, "basis": STR,
        "confirmed": {"type": "boolean"}, "enabled": {"type": "boolean"}, "set_here": {"type": "boolean"},
        "decided_by": nullable({"type": "object", "properties": {"id": INT, "name": STR}})}}}}}
PATHS = {
    "/people": {
        "get": {"summary": "People and collectives by name (any case, with or without diacritics) or identity number",
                "parameters": [query("q", STR), query("org_id", {"type": "integer", "minimum": 1}),
                               query("cursor", STR), query("limit", {"type": "integer", "minimum": 1, "maximum": 200})],
                "responses": ok(OBJ)},
        "post": {"summary": "A new record; 409 `duplicate` with `candidates` unless `confirm_distinct`",
                 "requestBody": body(PERSON_IN), "responses": ok(OBJ, "201")}},
    "/people/{id}": {
        "get": {"summary": "A record with its history, discipline, ratings and nominations",
                "parameters": [ID_PARAM], "responses": ok(OBJ)},
        "patch": {"summary": "Correct a record or move it to another unit (its history stays with it)",
                  "parameters": [ID_PARAM],
                  "requestBody": body({"type": "object", "properties": {
                      k: v for k, v in PERSON_IN["properties"].items()
                      if k not in ("kind", "confirm_distinct")}}),
                  "responses": ok(OBJ)}},
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
    "/nominations/eligibility": {"post": {
        "summary": "The checks of a nomination before it is saved (same body as POST /nominations)",
        "requestBody": body({"type": "object", "required": ["award_type", "nominee"], "properties": {
            "plan_id": INT, "award_type": STR, "nominee": {"type": "object"}}}),
        "responses": ok({"type": "object", "required": ["eligible", "checks"], "properties": {
            "eligible": {"type": ["boolean", "null"]}, "checks": {"type": "array", "items": CHECK}}})}},
    "/nominations/{id}/eligibility": {"get": {
        "summary": "The award's conditions checked against the nominee's recorded history",
        "parameters": [ID_PARAM],
        "responses": ok({"type": "object", "required": ["eligible", "checks"], "properties": {
            "eligible": {"type": ["boolean", "null"]}, "checks": {"type": "array", "items": CHECK}}})}},
    "/orgs/{id}/eligibility-rules": {
        "get": {"summary": "The eligibility rules still to confirm and whether each applies to the org's nominations",
                "parameters": [ID_PARAM], "responses": ok(RULE_SETTINGS)},
        "put": {"summary": "Turn rules still to confirm on or off for the org's subtree (admin; audited)",
                "parameters": [ID_PARAM],
                "requestBody": body({"type": "object", "required": ["rules"], "properties": {
                    "rules": {"type": "object", "additionalProperties": {"type": ["boolean", "null"]}}}}),
                "responses": ok(RULE_SETTINGS)}},
}
