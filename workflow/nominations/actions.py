"""The actions of a nomination's lifecycle (DESIGN.md §3): one, or the same on many.

Every action is: load what the actor may see → `transitions.check` (version, machine,
permission; once) → the step's builder (workflow/nominations/steps.py) → `transitions.write`
(the kernel's one write path). One transaction per command; a bulk command writes each chunk
of rows through the same path with one statement per kind of row (`kernel.batched`).
"""
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow import validation as v
from workflow.access.actors import NO_CONTEXT, Actor, RequestContext
from workflow.access.loading import load_actor
from workflow.access.visibility import can_see
from workflow.dossiers import following
from workflow.errors import Conflict, DomainError, InvalidInput, NotFound
from workflow.kernel import gc_pause
from workflow.kernel.db import Database
from workflow.kernel.locks import for_update
from workflow.kernel.transition import batched
from workflow.kernel.uow import unit_of_work
from workflow.models import Nomination
from workflow.nominations import transitions
from workflow.nominations.queries import load_visible, view_of
from workflow.nominations.steps import BUILDERS
from workflow.orgs.tree import OrgTree, org_tree
from workflow.views import BulkResult, NominationView
from workflow.workbench import delegation

BULK_CHUNK = 500


def act_in(s: Session, actor: Actor, tree: OrgTree, nom: Nomination, action: str, body: dict,
           now: datetime, ctx: RequestContext, *, version: int | None = None, extra_payload: dict | None = None,
           changes: dict | None = None) -> Nomination:
    """Run one action inside the caller's transaction.

    `extra_payload` is merged into the audit payload (e.g. the dossier or decision number the
    action was taken under); `changes` sets further columns (e.g. the dossier it moves with).
    """
    # A stand-in under a running delegation acts with the leader's powers, recorded "KT." (ủy quyền).
    actor = delegation.acting_for(s, actor, nom, action, now)
    transitions.check(actor, nom, action, version)
    change = BUILDERS[action](s, actor, tree, nom, body, now, ctx)
    if extra_payload:
        change.payload = {**(change.payload or {}), **extra_payload}
    if changes:
        change.values = {**change.values, **changes}
    transitions.write(s, tree, nom, actor, change, now, ctx)
    return nom


def _body(body: object) -> dict:
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise InvalidInput("Nội dung yêu cầu phải là đối tượng JSON", "The body must be a JSON object",
                           field="body")
    return body


def check_action(action: object) -> str:
    if action not in BUILDERS:
        raise InvalidInput(f"Không có thao tác '{action}'", f"Unknown action '{action}'", field="action")
    return action


def perform(db: Database, actor_id: int, nomination_id: int, action: str, body: dict | None = None,
            *, now: datetime, ctx: RequestContext = NO_CONTEXT) -> NominationView:
    """Perform `action` on one nomination in one transaction."""
    check_action(action)
    body = _body(body)
    version = v.integer(body.get("version"), "version", minimum=1, required=False)
    with unit_of_work(db) as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        nom = load_visible(s, actor, tree, nomination_id)
        act_in(s, actor, tree, nom, action, body, now, ctx, version=version)
        following.follow(s, actor, [nom], now, ctx)
        return view_of(s, actor, tree, nom, now)


def bulk_perform(db: Database, actor_id: int, action: str, ids: object, body: dict | None = None, *,
                 now: datetime, ctx: RequestContext = NO_CONTEXT) -> list[BulkResult]:
    """The same action on many nominations: each all-or-nothing, one failure stops no other.

    Chunks of BULK_CHUNK run in one transaction each: the rows are locked (FOR UPDATE on
    PostgreSQL; SQLite's write lock is held from BEGIN IMMEDIATE), every item is checked and
    built in memory, and the chunk's moves are written together. A refused item changes
    nothing and is reported with its reason; a chunk that still loses a race is redone.
    """
    check_action(action)
    body = _body(body)
    wanted = v.id_list(ids, "ids")
    results: list[BulkResult] = []
    for start in range(0, len(wanted), BULK_CHUNK):
        chunk = wanted[start:start + BULK_CHUNK]
        for attempt in range(3):
            try:
                with gc_pause.paused(), unit_of_work(db) as s:
                    results += _bulk_chunk(s, chunk, actor_id, action, body, now, ctx)
                break
            except Conflict as e:  # the chunk lost a race as a whole: read it again
                if attempt == 2:
                    results += [_failure(nid, e) for nid in chunk]
    return results


def _failure(nid: int, e: DomainError) -> BulkResult:
    return BulkResult(nid, False, error={"code": e.code, "message": e.message_vi, "message_en": e.message_en,
                                         "field": e.field})


def _bulk_chunk(s: Session, chunk: list[int], actor_id: int, action: str, body: dict, now: datetime,
                ctx: RequestContext) -> list[BulkResult]:
    actor, tree = load_actor(s, actor_id), org_tree(s)
    q = select(Nomination).where(Nomination.id.in_(chunk))
    # Held here: the session's identity map keeps only weak references.
    loaded = {n.id: n for n in s.execute(for_update(s, q, Nomination)).scalars()}
    out, moved = [], []
    with batched(s):
        for nid in chunk:
            try:
                nom = loaded.get(nid)
                if nom is None or not can_see(actor, tree, nom):
                    raise NotFound(f"Không tìm thấy hồ sơ #{nid}", f"Nomination #{nid} not found")
                act_in(s, actor, tree, nom, action, body, now, ctx)
                out.append(BulkResult(nid, True, nom.state, nom.version))
                moved.append(nom)
            except DomainError as e:
                out.append(_failure(nid, e))
    following.follow(s, actor, moved, now, ctx)
    return out
