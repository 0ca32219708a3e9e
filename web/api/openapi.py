"""The OpenAPI 3 description of /api/v1, kept beside the code it describes (served at
/api/v1/openapi.json; a Schemathesis run in the suite checks the API against it)."""

def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


STR = {"type": "string"}
INT = {"type": "integer"}
DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}
ID_PARAM = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}
ERRORS = {str(code): {"description": text, "content": {"application/json": {"schema": ref("Error")}}}
          for code, text in ((401, "not authenticated"), (403, "forbidden"), (404, "not found"),
                             (409, "invalid transition or conflict"), (422, "invalid input"),
                             (429, "rate limited"))}


def ok(schema: dict, code: str = "200", ctype: str = "application/json") -> dict:
    return {code: {"description": "OK", "content": {ctype: {"schema": schema}}}, **ERRORS}


def query(name: str, schema: dict) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema}


def body(schema: dict, required: bool = True) -> dict:
    return {"required": required, "content": {"application/json": {"schema": schema}}}


# The workbench's list parameters (search, order, page by number): with q, sort or page the
# answer carries total, page, pages, per_page, sort, counts and bulk_actions.
WORKBENCH_PARAMS = [query("q", STR), query("sort", STR), query("page", {"type": "integer", "minimum": 1}),
                    query("per_page", {"type": "integer", "minimum": 1, "maximum": 500}), query("unit_id", INT),
                    query("mine", {"type": "boolean"})]

COMMENT_BODY = {"type": "object", "required": ["text"], "properties": {"text": {"type": "string", "maxLength": 4000}}}

SCHEMAS = {
    "Error": {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["code", "message"],
        "properties": {"code": STR, "message": STR, "field": STR,
                       "rows": {"type": "array", "items": {"type": "object"}}}}}},
    "Token": {"type": "object", "required": ["token", "expires_at"],
              "properties": {"token": STR, "expires_at": DATETIME}},
    "Me": {"type": "object", "required": ["id", "username", "roles", "org"],
           "properties": {"id": INT, "username": STR, "full_name": STR, "email": nullable(STR), "role": STR,
                          "language": {"type": "string", "enum": ["vi", "en"]},
                          "notify_email": {"type": "boolean"}, "notify_digest": {"type": "boolean"},
                          "roles": {"type": "array", "items": STR},
                          "org": {"type": "object", "properties": {"id": INT, "name": STR, "level": STR}}}},
    "AwardType": {"type": "object", "required": ["code", "name_vi", "name_en", "route", "deciding_level",
                                                 "vote_threshold"],
                  "properties": {"code": STR, "name_vi": STR, "name_en": STR, "subject": STR,
                                 "kind": nullable(STR), "decider": nullable(STR), "version": INT,
                                 "active": {"type": "boolean"}, "steps": {"type": "array", "items": ref("Step")},
                                 "route": {"type": "array", "items": STR}, "deciding_level": STR,
                                 "vote_threshold": {"type": "number"}, "quorum": {"type": "number"},
                                 "documents": {"type": "array", "items": STR},
                                 "legal_basis": nullable(STR)}},
    "Step": {"type": "object", "required": ["level", "kind", "time_limit_days"],
             "properties": {"state": STR, "level": {"enum": ["unit", "department", "ministry", "central"]},
                            "kind": {"enum": ["vote", "review", "posting", "decide"]},
                            "time_limit_days": {"type": "integer", "minimum": 1, "maximum": 365},
                            "threshold": {"type": ["number", "string"]}, "quorum": {"type": ["number", "string"]}}},
    "AwardTypeDefinition": {"type": "object", "required": ["name_vi", "name_en", "subject", "steps"],
                            "properties": {"code": STR, "name_vi": STR, "name_en": STR,
                                           "subject": {"enum": ["individual", "collective", "both"]},
                                           "kind": STR, "decider": STR, "legal_basis": STR,
                                           "documents": {"type": "array", "items": STR},
                                           "active": {"type": "boolean"},
                                           "steps": {"type": "array", "items": ref("Step")}}},
    "Migration": {"type": "object", "properties": {
        "items": {"type": "array", "items": {"type": "object", "properties": {
            "id": INT, "from_state": STR, "to_state": nullable(STR), "ok": {"type": "boolean"},
            "reason": nullable(STR)}}},
        "moved": INT, "stayed": INT}},
    "OrgKind": {"enum": ["central", "ministry", "province", "department", "commune", "unit"]},
    "Org": {"type": "object", "required": ["id", "name", "kind", "parent_id", "valid_from", "valid_to",
                                           "merged_into_id"],
            "properties": {"id": INT, "name": STR, "kind": ref("OrgKind"), "parent_id": nullable(INT),
                           "valid_from": nullable(DATE), "valid_to": nullable(DATE), "merged_into_id": nullable(INT),
                           "code": STR, "level": STR, "email": nullable(STR), "depth": INT, "users": nullable(INT),
                           "names": {"type": "array", "items": {"type": "object", "properties": {
                               "name": STR, "valid_from": nullable(DATE), "valid_to": nullable(DATE)}}},
                           # In the answer of PATCH /orgs/{id} only: open nominations given a new route.
                           "rerouted": INT}},
    "CouncilMember": {"type": "object", "required": ["name", "role"],
                      "properties": {"name": STR, "role": {"enum": ["chair", "vice_chair", "secretary", "member"]}}},
    "Council": {"type": "object", "required": ["members", "size", "quorum"],
                "properties": {"org_id": INT, "members": {"type": "array", "items": ref("CouncilMember")},
                               "size": INT, "quorum": {"type": "number"}}},
    "Period": {"type": "object", "required": ["start", "end"], "properties": {"start": nullable(DATE), "end": DATE}},
    "Deadline": {"type": "object", "required": ["text", "periods", "expected"],
                 "properties": {"text": STR, "periods": {"type": "array", "items": ref("Period")},
                                "expected": {"type": "boolean"}}},
    "Milestone": {"type": "object", "required": ["text", "purpose", "periods"],
                  "properties": {"id": INT, "text": STR, "purpose": {"enum": ["submission", "report", "event"]},
                                 "periods": {"type": "array", "items": ref("Period")},
                                 "expected": {"type": "boolean"}, "ends_at": DATETIME,
                                 "recurring": nullable({"enum": ["yearly"]}), "binds_text": nullable(STR),
                                 "binds": nullable({"type": "array", "items": ref("PlanRef")})}},
    "Plan": {"type": "object", "required": ["id", "number", "title", "milestones", "accepting_nominations"],
             "properties": {"id": INT, "number": STR, "title": STR, "kind": STR,
                            "status": {"enum": ["draft", "issued", "closed"]}, "version": INT,
                            "period": nullable({"type": "object", "properties": {
                                "start": nullable(DATE), "end": nullable(DATE)}}),
                            "groups": {"type": "array", "items": ref("PlanRef")},
                            "milestones": {"type": "array", "items": ref("Milestone")},
                            "accepting_nominations": {"type": "boolean"},
                            "warnings": {"type": "array", "items": {"type": "object"}},
                            "deadline_warnings": {"type": "array", "description": "Milestones ending before "
                                                  "the issue date or on a day off (not blocking)",
                                                  "items": {"type": "object", "properties": {
                                                      "milestone_id": INT, "message": STR, "message_en": STR}}},
                            "actions": {"type": "array", "items": {"enum": ["edit", "issue", "amend", "close"]}},
                            "parent_plan_id": nullable(INT), "parent_number": nullable(STR),
                            "parent": nullable({"type": "object", "description": "The plan this one answers: "
                                                "linked (id) when in the product and seen, else {id: null, number} "
                                                "as written", "properties": {"id": nullable(INT), "number": STR}}),
                            "children": {"type": "array", "description": "Plans answering this one "
                                         "(parent_plan_id, or parent_number equal to this number) the user sees",
                                         "items": ref("PlanLink")},
                            "amendments": {"type": "array", "items": ref("PlanAmendment")},
                            "on_issue": {"type": "object", "description": "A draft only: what issuing creates",
                                         "properties": {"units": INT, "obligations": INT}}}},
    "PlanLink": {"type": "object", "properties": {"id": INT, "number": STR, "title": STR, "status": STR,
                                                 "issued_on": nullable(DATE), "issued_text": nullable(STR),
                                                 "issuer": {"type": "object"}}},
    "PlanAmendment": {"type": "object", "description": "An amendment of the issued plan, from its audit chain",
                      "properties": {"version": INT, "at": DATETIME, "by": STR, "by_name": nullable(STR),
                                     "reason": STR,
                                     "fields": {"type": "object", "description": "field: {old, new}"},
                                     "obligations": {"type": "object", "properties": {
                                         "moved": INT, "created": INT, "cancelled": INT}}}},
    "PlanRef": {"type": "object", "description": "One organisation ({org_id}) or a group: every open "
                "organisation of a kind under a root ({kind, under}; kind '*' = every unit)",
                "properties": {"org_id": INT, "kind": {"enum": ["department", "commune", "unit", "*"]},
                               "under": INT, "name": STR}},
    "PlanCreate": {"type": "object", "required": ["number", "title", "kind"],
                   "properties": {"number": STR, "title": STR,
                                  "kind": {"enum": ["annual", "thematic", "ad_hoc", "congress", "campaign", "other"]},
                                  "draft": {"type": "boolean", "description": "Save as a draft (nothing owed)"},
                                  "status": {"enum": ["draft", "issued"]},
                                  "issued_on": DATE, "period_text": STR, "parent_number": STR, "criteria": STR,
                                  "parent_plan_id": INT,
                                  "basis": STR, "issued_text": STR,
                                  "period": {"type": "object", "properties": {"start": DATE, "end": DATE}},
                                  "units": {"type": "array", "items": INT},
                                  "participants": {"type": "array", "items": INT},
                                  "groups": {"type": "array", "items": ref("PlanRef")},
                                  "award_types": {"type": "array", "items": STR},
                                  "milestones": {"type": "array", "items": {
                                      "type": "object", "required": ["text", "purpose"],
                                      "properties": {"text": STR, "description": STR,
                                                     "purpose": {"enum": ["submission", "report", "event"]},
                                                     "binds": {"oneOf": [STR, {"type": "array",
                                                                               "items": ref("PlanRef")}]}}}}}},
    "PlanEdit": {"allOf": [ref("PlanCreate"), {"type": "object", "properties": {
        "version": INT, "reason": {"type": "string", "description": "Required to amend an issued plan"}}}],
                 "description": "Only the fields named change (milestones are replaced whole; a milestone "
                 "keeps its identity by its id). A draft is edited; an issued plan is amended with a reason"},
    "Nominee": {"type": "object", "required": ["kind", "name"],
                "properties": {"kind": {"enum": ["individual", "collective"]}, "name": STR, "title": nullable(STR)}},
    "NominationCreate": {"type": "object", "required": ["plan_id", "award_type", "nominee", "achievements"],
                         "properties": {"plan_id": INT, "award_type": STR, "nominee": ref("Nominee"),
                                        "achievements": STR}},
    "NominationEdit": {"type": "object", "properties": {"version": INT, "award_type": STR,
                                                         "nominee": {"type": "object"}, "achievements": STR}},
    "Decision": {"type": "object", "properties": {"id": INT, "number": STR, "date": DATE,
                                                  "signer": nullable(STR), "on_behalf_of": nullable(STR)}},
    "Nomination": {"type": "object",
                   "required": ["id", "state", "version", "level", "due_at", "escalation_level", "actions",
                                "nominee", "award_type", "plan_id", "dossier_id", "decision"],
                   "properties": {"missing_documents": {"type": "array", "items": {"type": "object"}},
                                  "id": INT, "state": STR, "version": INT, "level": nullable(STR),
                                  "due_at": nullable(DATETIME), "escalation_level": INT,
                                  "actions": {"type": "array", "items": STR}, "nominee": ref("Nominee"),
                                  "award_type": STR, "plan_id": INT, "dossier_id": nullable(INT),
                                  "definition_version": INT, "decision": nullable(ref("Decision")),
                                  # the award as its decider gives it ("Bằng khen của Chủ tịch UBND tỉnh …")
                                  "award_name": nullable(STR), "award_name_en": nullable(STR)}},
    "ActionBody": {"type": "object", "properties": {
        "version": INT, "reason": STR,
        "votes": {"type": "object", "properties": {"members": INT, "present": INT, "yes": INT, "no": INT}},
        "decision": {"type": "object", "properties": {"number": STR, "date": DATE, "signer": STR,
                                                      "on_behalf_of": STR}}}},
    "BulkBody": {"type": "object",
                 "properties": {"ids": {"type": "array", "items": INT}, "reason": STR,
                                "match": {"type": "object", "description": "instead of ids: every nomination of "
                                          "a list matching its filter (scope inbox|all, q, state, plan_id, "
                                          "award_type, unit_id, overdue)"}}},
    "BulkResults": {"type": "object", "required": ["results"], "properties": {
        "results": {"type": "array", "items": {"type": "object", "required": ["id", "ok"],
                                                "properties": {"id": INT, "ok": {"type": "boolean"},
                                                               "state": STR, "error": {"type": "object"}}}},
        "succeeded": INT, "failed": INT}},
    "Page": {"type": "object", "required": ["items", "next_cursor"],
             "properties": {"items": {"type": "array", "items": ref("Nomination")}, "next_cursor": nullable(STR),
                            "total": INT, "total_capped": {"type": "boolean"},
                            "page": INT, "pages": INT, "per_page": INT, "sort": STR,
                            "counts": {"type": "object"}, "bulk_actions": {"type": "array", "items": STR}}},
    "AuditEvent": {"type": "object", "properties": {
        "id": INT, "at": DATETIME, "actor": STR, "role": STR, "org_id": nullable(INT), "action": STR,
        "nomination_id": nullable(INT), "from_state": nullable(STR), "to_state": nullable(STR),
        "reason": nullable(STR), "hash": STR}},
}

ACTIONS = ["submit", "vote", "approve", "decide", "return", "resubmit", "reject", "withdraw"]

CODE_PARAM = {"name": "code", "in": "path", "required": True, "schema": {"type": "string", "maxLength": 60}}
PATHS = {
    "/auth/token": {"post": {"summary": "Log in; get a bearer token", "security": [],
                             "requestBody": body({"type": "object", "required": ["username", "password"],
                                                  "properties": {"username": STR, "password": STR}}),
                             "responses": ok(ref("Token"), "201")}},
    "/auth/revoke": {"post": {"summary": "Revoke the token in use", "responses": ok({"type": "object"})}},
    "/me": {"get": {"summary": "The user, roles, org, language and notice preferences", "responses": ok(ref("Me"))},
            "patch": {"summary": "Change own language, e-mail, notify_email, notify_digest (fields left out stay)",
                      "requestBody": body({"type": "object", "additionalProperties": False, "properties": {
                          "language": {"type": "string", "enum": ["vi", "en"]}, "email": nullable(STR),
                          "notify_email": {"type": "boolean"}, "notify_digest": {"type": "boolean"}}}),
                      "responses": ok(ref("Me"))}},
    "/me/password": {"post": {
        "summary": "Change own password: the current one, then the new one under the password policy; "
                   "every other token and browser session ends (throttled like a login)",
        "requestBody": body({"type": "object", "required": ["current", "new"],
                             "properties": {"current": STR, "new": STR}}),
        "responses": {"204": {"description": "Changed"}, **ERRORS}}},
    "/award-types": {
        "get": {"summary": "The award catalogue", "responses": ok(
            {"type": "object", "properties": {"items": {"type": "array", "items": ref("AwardType")}}})},
        "post": {"summary": "Add an award type (administrator): version 1",
                 "requestBody": body(ref("AwardTypeDefinition")), "responses": ok(ref("AwardType"), "201")}},
    "/award-types/{code}": {
        "get": {"summary": "An award type at its current version", "parameters": [CODE_PARAM],
                "responses": ok(ref("AwardType"))},
        "put": {"summary": "Publish a new version (administrator); nominations in flight keep theirs",
                "parameters": [CODE_PARAM], "requestBody": body(ref("AwardTypeDefinition")),
                "responses": ok(ref("AwardType"))}},
    "/award-types/{code}/migrate": {"post": {
        "summary": "Move in-flight nominations between versions (dry run unless dry_run is false)",
        "parameters": [CODE_PARAM], "requestBody": body({"type": "object", "required": ["from_version", "to_version"],
                                                         "properties": {"from_version": INT, "to_version": INT,
                                                                        "dry_run": {"type": "boolean"},
                                                                        "mapping": {"type": "object"}}}),
        "responses": ok(ref("Migration"))}},
    "/plans": {
        "get": {"summary": "Plans the user may see", "responses": ok(
            {"type": "object", "properties": {"items": {"type": "array", "items": ref("Plan")}}})},
        "post": {"summary": "Issue a plan with its milestones, or save it as a draft (draft: true)",
                 "requestBody": body(ref("PlanCreate")),
                 "responses": ok(ref("Plan"), "201")}},
    "/plans/import": {"post": {
        "summary": "Read a plan's own text (JSON text, or a .txt UTF-8 / .docx file) into a proposal; nothing is saved",
        "requestBody": {"required": True, "content": {
            "application/json": {"schema": {"type": "object", "required": ["text"], "properties": {"text": STR}}},
            "multipart/form-data": {"schema": {"type": "object", "required": ["file"],
                                               "properties": {"file": {"type": "string", "format": "binary"}}}}}},
        "responses": ok({"type": "object", "required": ["plan", "warnings"], "properties": {
            "plan": {"type": "object", "description": "number, issuer, issuer_parent, place, issued_on, issued_text, "
                     "title, kind, basis, parent, period, award_forms, assignments, recipients, milestones, lines"},
            "warnings": {"type": "array", "items": {"type": "object", "properties": {
                "line": {"type": ["integer", "null"]}, "text": STR, "message": STR, "message_en": STR}}}}})}},
    "/plans/{id}": {
        "get": {"parameters": [ID_PARAM], "responses": ok(ref("Plan"))},
        "patch": {"summary": "Edit a draft plan (no reason asked), or amend an issued plan with a reason "
                             "(a new version; its report obligations moved, created or cancelled)",
                  "parameters": [ID_PARAM],
                  "requestBody": body(ref("PlanEdit")), "responses": ok(ref("Plan"))}},
    "/plans/{id}/{action}": {"post": {
        "summary": "Issue a draft (participants and report obligations created then) or close an issued plan",
        "parameters": [ID_PARAM, {"name": "action", "in": "path", "required": True,
                                  "schema": {"enum": ["issue", "close"]}}],
        "requestBody": body({"type": "object", "properties": {"version": INT, "reason": STR}}, required=False),
        "responses": ok(ref("Plan"))}},
    "/nominations": {
        "get": {"summary": "Nominations the caller may see, newest first (keyset)",
                "parameters": [*WORKBENCH_PARAMS, query("state", STR), query("plan_id", INT), query("award_type", STR),
                               query("overdue", {"type": "boolean"}), query("cursor", STR),
                               query("limit", {"type": "integer", "minimum": 1, "maximum": 500})],
                "responses": ok(ref("Page"))},
        "post": {"summary": "Draft a nomination in the caller's unit",
                 "requestBody": body(ref("NominationCreate")), "responses": ok(ref("Nomination"), "201")}},
    "/nominations/{id}": {
        "get": {"parameters": [ID_PARAM], "responses": ok(ref("Nomination"))},
        "patch": {"summary": "Edit a draft", "parameters": [ID_PARAM], "requestBody": body(ref("NominationEdit")),
                  "responses": ok(ref("Nomination"))}},
    "/nominations/{id}/{action}": {"post": {
        "summary": "Perform an action", "parameters": [ID_PARAM, {"name": "action", "in": "path", "required": True,
                                                                 "schema": {"enum": ACTIONS}}],
        "requestBody": body(ref("ActionBody"), required=False), "responses": ok(ref("Nomination"))}},
    "/nominations/bulk/{action}": {"post": {
        "summary": "The same action on many nominations; a result per id",
        "parameters": [{"name": "action", "in": "path", "required": True, "schema": {"enum": ACTIONS}}],
        "requestBody": body(ref("BulkBody")), "responses": ok(ref("BulkResults"))}},
    "/nominations/{id}/comments": {
        "get": {"summary": "The nomination's comment thread, oldest first", "parameters": [ID_PARAM],
                "responses": ok({"type": "object", "properties": {"items": {"type": "array"}}})},
        "post": {"summary": "Comment on the nomination", "parameters": [ID_PARAM],
                 "requestBody": body(COMMENT_BODY), "responses": ok({"type": "object"}, "201")}},
    "/nominations/{id}/history": {"get": {"parameters": [ID_PARAM], "responses": ok(
        {"type": "object", "properties": {"items": {"type": "array", "items": ref("AuditEvent")}}})}},
    "/nominations/{id}/diagram": {"get": {"parameters": [ID_PARAM], "responses": ok(STR, ctype="text/plain")}},
    "/inbox": {"get": {"summary": "What waits for the caller, most urgent first",
                       "parameters": [*WORKBENCH_PARAMS, query("state", STR),
                                      query("plan_id", INT), query("award_type", STR),
                                      query("overdue", {"type": "boolean"}), query("cursor", STR),
                                      query("limit", {"type": "integer", "minimum": 1, "maximum": 500})],
                       "responses": ok(ref("Page"))}},
    "/deadlines/parse": {"get": {"parameters": [
        {"name": "text", "in": "query", "required": True, "schema": STR}, query("issued", DATE)],
        "responses": ok(ref("Deadline"))}},
}


OBJ = {"type": "object"}
ITEMS = {"type": "object", "properties": {"items": {"type": "array", "items": OBJ}}}
DOSSIER_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MULTIPART_FILE = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary"}, "doc_type": STR}}}}}
# The import's form also carries the dossier's version (as the page last showed it).
MULTIPART_LIST = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary"}, "version": {"type": "integer", "minimum": 1}}}}}}


def path_id(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}


MORE_PATHS = {
    # Dossiers (hồ sơ / tờ trình): docs/api.md
    "/dossiers": {
        "get": {"summary": "Dossiers the caller may see",
                "parameters": [query("state", STR), query("direction", {"enum": ["incoming", "outgoing"]})],
                "responses": ok(ITEMS)},
        "post": {"summary": "A draft dossier of the caller's org",
                 "requestBody": body({"type": "object", "required": ["plan_id", "number"],
                                      "properties": {"plan_id": INT, "number": STR, "title": STR}}),
                 "responses": ok(OBJ, "201")}},
    "/dossiers/inbox": {"get": {"summary": "Dossiers waiting for the caller", "responses": ok(ITEMS)}},
    "/dossiers/template.xlsx": {"get": {"summary": "The Excel template of a nominee list",
                                        "responses": ok({"type": "string", "format": "binary"}, ctype=XLSX)}},
    "/dossiers/aggregate": {"post": {
        "summary": "Aggregate nominations into the caller's outgoing dossier to the next level",
        "requestBody": body({"type": "object", "required": ["number", "nomination_ids"],
                             "properties": {"number": STR, "title": STR,
                                            "nomination_ids": {"type": "array", "items": INT}}}),
        "responses": ok(OBJ, "201")}},
    "/dossiers/{id}": {"get": {"parameters": [DOSSIER_ID], "responses": ok(OBJ)}},
    "/dossiers/{id}/history": {"get": {"parameters": [DOSSIER_ID], "responses": ok(ITEMS)}},
    "/dossiers/{id}/nominations": {"post": {
        "summary": "Add a new nominee, or existing drafts by id", "parameters": [DOSSIER_ID],
        "requestBody": body(OBJ), "responses": ok(OBJ, "201")}},
    "/dossiers/{id}/nominations/{nomination_id}": {"delete": {
        "summary": "Take a nominee off a draft dossier",
        "parameters": [DOSSIER_ID, path_id("nomination_id"), query("withdraw", {"type": "boolean"}),
                       query("version", {"type": "integer", "minimum": 1})],
        "responses": ok(OBJ)}},
    "/delegations": {
        "get": {"summary": "Delegations the caller gave or received", "responses": ok(ITEMS)},
        "post": {"summary": "A leader names a stand-in for a period (ủy quyền; the stand-in's actions record KT.)",
                 "requestBody": body({"type": "object", "required": ["to_user_id", "from", "until"], "properties": {
                     "to_user_id": INT, "from": DATE, "until": DATE}}), "responses": ok(OBJ, "201")}},
    "/reports/statistics": {"get": {
        "summary": "A year's commendation figures of the units under an org (TT 02/2023/TT-BNV)",
        "parameters": [query("year", {"type": "integer", "minimum": 2000, "maximum": 2100}), query("org_id", INT),
                       query("period", {"enum": ["calendar", "report"]}),
                       query("format", {"enum": ["json", "xlsx", "forms"]})],
        "responses": {"200": {"description": "the figures, their workbook (format=xlsx), or the workbook on the "
                                             "circular's forms Biểu 0601–0605.N/BNV-TĐKT (format=forms)",
                              "content": {
            "application/json": {"schema": OBJ},
            XLSX: {"schema": {"type": "string", "format": "binary"}}}}, **ERRORS}}},
    "/dossiers/{id}/comments": {
        "get": {"summary": "The dossier's comment thread, oldest first", "parameters": [DOSSIER_ID],
                "responses": ok(ITEMS)},
        "post": {"summary": "Comment on the dossier", "parameters": [DOSSIER_ID],
                 "requestBody": body(COMMENT_BODY), "responses": ok(OBJ, "201")}},
    "/dossiers/{id}/assign": {"post": {
        "summary": "Assign the dossier to a specialist of the receiving office (user_id null: take it back)",
        "parameters": [DOSSIER_ID], "requestBody": body({"type": "object", "required": ["user_id"], "properties": {
            "user_id": nullable(INT), "version": INT}}), "responses": ok(OBJ)}},
    "/dossiers/{id}/import": {"post": {"summary": "Import an Excel list (all rows or none)",
                                       "parameters": [DOSSIER_ID], "requestBody": MULTIPART_LIST,
                                       "responses": ok(OBJ, "201")}},
    "/dossiers/{id}/export.xlsx": {"get": {"parameters": [DOSSIER_ID],
                                           "responses": ok({"type": "string", "format": "binary"}, ctype=XLSX)}},
    "/dossiers/{id}/attachments": {
        "get": {"parameters": [DOSSIER_ID], "responses": ok(ITEMS)},
        "post": {"parameters": [DOSSIER_ID], "requestBody": MULTIPART_FILE, "responses": ok(OBJ, "201")}},
    "/dossiers/{id}/attachments/{attachment_id}": {"get": {
        "parameters": [DOSSIER_ID, path_id("attachment_id")],
        "responses": ok({"type": "string", "format": "binary"}, ctype="application/octet-stream")}},
    "/dossiers/{id}/{action}": {"post": {
        "summary": "submit, return ({reason}), votes ({members, present, results}), review; sign (the leader "
                   "sends a drafted tờ trình), receive ({complete?}), appraisal ({event})",
        "parameters": [DOSSIER_ID, {"name": "action", "in": "path", "required": True,
                                    "schema": {"enum": ["submit", "return", "votes", "review", "sign", "receive",
                                                        "appraisal"]}}],
        "requestBody": body(OBJ, required=False), "responses": ok(OBJ)}},
    "/decisions": {
        "get": {"summary": "Decisions of the caller's org and below", "responses": ok(ITEMS)},
        "post": {"summary": "A decision awarding many nominations, all or nothing",
                 "requestBody": body({"type": "object", "required": ["number", "date", "nomination_ids"],
                                      "properties": {"number": STR, "date": DATE, "signer": STR,
                                                     "on_behalf_of": STR,
                                                     "nomination_ids": {"type": "array", "items": INT}}}),
                 "responses": ok(OBJ, "201")}},
    "/decisions/{id}": {"get": {"parameters": [DOSSIER_ID], "responses": ok(OBJ)}},
    # The procedure as the law writes it: docs/procedure.md
    "/decisions/next-number": {"get": {
        "summary": "The next free number of the caller's org this year (NĐ 30/2020 Art. 15)",
        "parameters": [query("kind", {"enum": ["decision", "dossier"]}), query("year", INT), query("symbol", STR)],
        "responses": ok(OBJ)}},
    "/nominations/{id}/appraisal/{event}": {"post": {
        "summary": "Central appraisal: the dossier is complete, other bodies consulted, opinions received",
        "parameters": [ID_PARAM, {"name": "event", "in": "path", "required": True,
                                  "schema": {"enum": ["complete", "consult", "resume"]}}],
        "requestBody": body(OBJ, required=False), "responses": ok(OBJ)}},
    "/public/postings": {"get": {"summary": "Nominees posted for public comment (no login; Law Art. 84(5))",
                                 "security": [], "responses": ok(ITEMS)}},
    # Plan reports (obligations)
    "/plans/{id}/reports": {"get": {
        "summary": "Each unit's report (text, files, rounds) and the late list per milestone",
        "parameters": [ID_PARAM], "responses": ok(ref("PlanReports"))}},
    "/plans/{id}/reports/late": {"get": {
        "summary": "Per report milestone: the units past due and not accepted, and those with no report",
        "parameters": [ID_PARAM], "responses": ok(ref("LateReports"))}},
    "/plans/{id}/reports/{obligation_id}/{action}": {"post": {
        "summary": "submit ({text}) by the unit; accept, return ({reason}) by the plan's owner",
        "parameters": [ID_PARAM, path_id("obligation_id"),
                       {"name": "action", "in": "path", "required": True,
                        "schema": {"enum": ["submit", "accept", "return"]}}],
        "requestBody": body(OBJ, required=False), "responses": ok(ref("PlanReport"))}},
    "/plans/{id}/reports/{obligation_id}/attachments": {"post": {
        "parameters": [ID_PARAM, path_id("obligation_id")], "requestBody": MULTIPART_FILE,
        "responses": ok(OBJ, "201")}},
    "/plans/{id}/reports/{obligation_id}/attachments/{attachment_id}": {"get": {
        "parameters": [ID_PARAM, path_id("obligation_id"), path_id("attachment_id")],
        "responses": ok({"type": "string", "format": "binary"}, ctype="application/octet-stream")}},
    # Notifications and the calendar
    "/notifications": {"get": {"parameters": [query("unread", {"type": "boolean"}), query("cursor", STR),
                                              query("limit", {"type": "integer", "minimum": 1, "maximum": 200})],
                               "responses": ok(OBJ)}},
    "/notifications/{id}/read": {"post": {"parameters": [ID_PARAM], "responses": ok(OBJ)}},
    "/notifications/read-all": {"post": {"responses": ok(OBJ)}},
    "/calendar/overrides": {
        "get": {"summary": "Extra days off and make-up working days", "responses": ok(OBJ)},
        "post": {"summary": "Declare a day off or a working day (administrator)",
                 "requestBody": body({"type": "object", "required": ["day", "working"],
                                      "properties": {"day": DATE, "working": {"type": "boolean"}, "note": STR}}),
                 "responses": ok(OBJ, "201")}},
    "/orgs": {
        "get": {"summary": "The organisation tree; q finds orgs by any name they bore",
                "parameters": [query("q", STR), query("include_closed", {"type": "boolean"})],
                "responses": ok({"type": "object", "properties": {"items": {"type": "array", "items": ref("Org")}}})},
        "post": {"summary": "Add an org (admin)", "requestBody": body({"type": "object", "required": ["name", "kind"],
                 "properties": {"name": STR, "kind": ref("OrgKind"), "parent_id": nullable(INT), "code": STR,
                                "email": STR, "valid_from": DATE}}),
                 "responses": ok(ref("Org"), "201")}},
    "/orgs/{id}": {
        "get": {"summary": "One org with its names through time", "parameters": [ID_PARAM],
                "responses": ok(ref("Org"))},
        "patch": {"summary": "Rename (from date), move, change kind or e-mail, or close (valid_to) an org (admin)",
                  "parameters": [ID_PARAM], "requestBody": body({"type": "object", "properties": {
                      "name": STR, "kind": ref("OrgKind"), "parent_id": nullable(INT), "email": nullable(STR),
                      "date": DATE, "valid_to": DATE}}),
                  "responses": ok(ref("Org"))}},
    "/orgs/{id}/merge": {"post": {
        "summary": "Merge the org into another from a date; its users and open work move (admin)",
        "parameters": [ID_PARAM], "requestBody": body({"type": "object", "required": ["into_id"],
                                                      "properties": {"into_id": INT, "date": DATE}}),
        "responses": ok({"type": "object", "properties": {"org": ref("Org"), "into": ref("Org"),
                                                          "moved": {"type": "object"},
                                                          "obligations_stayed": INT, "rerouted": INT}})}},
    "/orgs/{id}/council": {
        "get": {"summary": "The org's council (Hội đồng TĐKT): roster, size, quorum", "parameters": [ID_PARAM],
                "responses": ok(ref("Council"))},
        "put": {"summary": "Set the council's roster and quorum (admin)", "parameters": [ID_PARAM],
                "requestBody": body({"type": "object", "required": ["members"], "properties": {
                    "members": {"type": "array", "items": ref("CouncilMember")},
                    "quorum": {"type": ["number", "string"]}}}),
                "responses": ok(ref("Council"))}},
    "/calendar/overrides/{day}": {"delete": {
        "parameters": [{"name": "day", "in": "path", "required": True, "schema": DATE}], "responses": ok(OBJ)}},
    # The audit log
    "/audit": {"get": {"summary": "Audit events, newest first (keyset); CSV/XLSX export",
                       "parameters": [query("nomination_id", INT), query("actor", STR), query("action", STR),
                                      query("org_id", INT), query("state", STR), query("since", STR),
                                      query("until", STR), query("q", STR), query("cursor", STR),
                                      query("limit", {"type": "integer", "minimum": 1, "maximum": 500}),
                                      query("format", {"enum": ["json", "csv", "xlsx"]})],
                       "responses": {"200": {"description": "events, or their export", "content": {
                           "application/json": {"schema": OBJ}, "text/csv": {"schema": STR},
                           XLSX: {"schema": {"type": "string", "format": "binary"}}}}, **ERRORS}}},
    "/audit/verify": {"get": {"summary": "Whether the audit log is intact (auditor, admin)", "responses": ok(OBJ)}},
    "/health": {"get": {"summary": "Detailed health: database writable, scheduler lease (admin, auditor); "
                               "503 when the database cannot be read or written", "responses": ok(OBJ)}},
    "/openapi.json": {"get": {"summary": "This description", "security": [], "responses": ok(OBJ)}},
}

BINARY = {"type": "string", "format": "binary"}
FORMAT = {"name": "format", "in": "path", "required": True, "schema": {"enum": ["docx", "pdf"]}}
PAPER_FILE = {"200": {"description": "the paper", "content": {
    "application/pdf": {"schema": BINARY},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {"schema": BINARY}}}, **ERRORS}
CHECKLIST = {"type": "object", "properties": {"nomination_id": INT, "nominee": STR, "award_type": STR,
                                              "required": {"type": "array", "items": OBJ},
                                              "missing_documents": {"type": "array", "items": OBJ}}}
# Papers (văn bản): docs/api.md, "Papers".
PAPER_PATHS = {
    "/dossiers/{id}/documents": {"get": {
        "summary": "The dossier's papers: [{kind, title, formats}]", "parameters": [DOSSIER_ID],
        "responses": ok({"type": "array", "items": {"type": "object", "properties": {
            "kind": STR, "title": STR, "formats": {"type": "array", "items": STR}}}})}},
    "/dossiers/{id}/documents/{kind}.{format}": {"get": {
        "summary": "A paper of the dossier as Word or PDF",
        "parameters": [DOSSIER_ID, {"name": "kind", "in": "path", "required": True,
                                    "schema": {"enum": ["to-trinh", "danh-sach", "bien-ban"]}}, FORMAT],
        "responses": PAPER_FILE}},
    "/dossiers/{id}/bundle.zip": {"get": {"summary": "Every paper, the attachments and manifest.json",
                                          "parameters": [DOSSIER_ID],
                                          "responses": ok(BINARY, ctype="application/zip")}},
    "/dossiers/{id}/checklist": {"get": {"summary": "Each nominee's required and missing documents",
                                         "parameters": [DOSSIER_ID], "responses": ok(OBJ)}},
    "/nominations/{id}/checklist": {"get": {"summary": "The nomination's required and missing documents",
                                            "parameters": [ID_PARAM], "responses": ok(CHECKLIST)}},
    "/decisions/{id}/document.{format}": {"get": {
        "summary": "The decision with its list (the signed PDF once signed)", "parameters": [DOSSIER_ID, FORMAT],
        "responses": PAPER_FILE}},
    "/decisions/{id}/certificates.pdf": {"get": {
        "summary": "One certificate page per awardee", "parameters": [DOSSIER_ID, query("grid", {"type": "boolean"})],
        "responses": ok(BINARY, ctype="application/pdf")}},
    "/decisions/{id}/sign": {"post": {
        "summary": "Sign the decision (PAdES) with the org's certificate, or keep a PDF signed elsewhere (file)",
        "parameters": [DOSSIER_ID],
        "requestBody": {"required": False, "content": {"multipart/form-data": {"schema": {
            "type": "object", "properties": {"file": BINARY}}}}},
        "responses": ok(OBJ, "201")}},
    "/orgs/{id}/paper-settings": {
        "get": {"summary": "An organisation's place name and completeness refusals (administrator)",
                "parameters": [ID_PARAM], "responses": ok(OBJ)},
        "put": {"summary": "Set them: {place?, block_on_submit?, block_on_send?} (administrator)",
                "parameters": [ID_PARAM],
                "requestBody": body({"type": "object", "properties": {
                    "place": nullable(STR), "block_on_submit": {"type": "boolean"},
                    "block_on_send": {"type": "boolean"}}}),
                "responses": ok(OBJ)}},
    "/me/certificate-layout": {
        "get": {"summary": "Where the caller's org prints each certificate field", "responses": ok(OBJ)},
        "put": {"summary": "Save the org's certificate layout", "requestBody": body(OBJ), "responses": ok(OBJ)}},
    "/trust-roots": {
        "get": {"summary": "The trusted root certificates signatures are verified against (administrator)",
                "responses": ok({"type": "object", "required": ["items"],
                                 "properties": {"items": {"type": "array", "items": ref("TrustRoot")}}})},
        "post": {"summary": "Trust a CA certificate: multipart file (PEM or DER) or {pem, name?} (administrator); "
                            "not one certificate, not a CA's or expired → 422, already trusted → 409",
                 "requestBody": {"required": True, "content": {
                     "multipart/form-data": {"schema": {"type": "object", "required": ["file"],
                                                        "properties": {"file": BINARY, "name": STR}}},
                     "application/json": {"schema": {"type": "object", "required": ["pem"],
                                                     "properties": {"pem": STR, "name": STR}}}}},
                 "responses": ok(ref("TrustRoot"), "201")}},
    "/trust-roots/{id}": {"delete": {
        "summary": "Stop trusting a root (administrator): signatures that chained to it read as untrusted",
        "parameters": [ID_PARAM], "responses": {"204": {"description": "removed"}, **ERRORS}}},
}
SCHEMAS["TrustRoot"] = {
    "type": "object", "required": ["id", "name", "subject", "issuer", "sha256", "added_at", "pem"],
    "properties": {"id": INT, "name": STR, "subject": STR, "issuer": STR,
                   "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                   "not_before": nullable(DATETIME), "not_after": nullable(DATETIME), "added_by": nullable(STR),
                   "added_at": DATETIME, "pem": STR}}

# A plan's reports (GET /plans/{id}/reports, docs/api.md "Plan reports"): additive fields.
_FILE = {"type": "object", "required": ["id", "name", "url"], "properties": {"id": INT, "name": STR, "url": STR}}
_UNIT = {"type": "object", "properties": {"id": INT, "name": nullable(STR)}}
_MILESTONE = {"type": "object", "properties": {"id": INT, "text": STR, "description": nullable(STR)}}
SCHEMAS["ReportRound"] = {
    "type": "object", "required": ["action", "at", "by"],
    "properties": {"action": {"enum": ["submit", "return", "accept"]}, "at": DATETIME, "by": STR,
                   "by_name": nullable(STR), "role": STR, "text": nullable(STR), "late": {"type": "boolean"},
                   "reason": nullable(STR), "files": {"type": "array", "items": _FILE}}}
SCHEMAS["PlanReport"] = {
    "type": "object", "required": ["id", "unit", "milestone", "state", "due", "files", "history", "actions"],
    "properties": {"id": INT, "plan_id": INT, "unit": _UNIT, "milestone": _MILESTONE, "state": STR, "due": DATE,
                   "due_at": DATETIME, "late": {"type": "boolean"}, "standing": STR, "version": INT,
                   "text": nullable(STR), "reason": nullable(STR), "submitted_at": nullable(DATETIME),
                   "decided_at": nullable(DATETIME), "files": {"type": "array", "items": _FILE},
                   "attachments": {"type": "array", "items": OBJ},
                   "history": {"type": "array", "items": ref("ReportRound")},
                   "actions": {"type": "array", "items": STR}}}
_LATE_UNIT = {"type": "object", "properties": {"obligation_id": INT, "unit": _UNIT, "state": STR}}
SCHEMAS["LateMilestone"] = {
    "type": "object", "required": ["milestone", "due", "past_due", "late", "missing", "late_count", "missing_count"],
    "properties": {"milestone": _MILESTONE, "due": DATE, "due_at": DATETIME, "past_due": {"type": "boolean"},
                   "units": INT, "accepted": INT, "late": {"type": "array", "items": _LATE_UNIT},
                   "missing": {"type": "array", "items": _LATE_UNIT}, "late_count": INT, "missing_count": INT}}
SCHEMAS["LateReports"] = {
    "type": "object", "required": ["plan_id", "late_by_milestone"],
    "properties": {"plan_id": INT, "late_by_milestone": {"type": "array", "items": ref("LateMilestone")}}}
SCHEMAS["PlanReports"] = {
    "type": "object", "required": ["plan_id", "items", "summary", "late_by_milestone"],
    "properties": {"plan_id": INT, "items": {"type": "array", "items": ref("PlanReport")},
                   "summary": {"type": "object"},
                   "late_by_milestone": {"type": "array", "items": ref("LateMilestone")}}}


def spec(extra_paths: dict | None = None) -> dict:
    from web.api.people_openapi import PATHS as PEOPLE_PATHS
    return {
        "openapi": "3.1.0",
        "info": {"title": "khenthuong API", "version": "1",
                 "description": "Workflow engine for Vietnamese commendation nominations (thi đua, khen thưởng)."},
        "servers": [{"url": "/api/v1"}],
        "components": {"schemas": SCHEMAS,
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
        "paths": {**PATHS, **MORE_PATHS, **PAPER_PATHS, **PEOPLE_PATHS, **(extra_paths or {})},
    }
