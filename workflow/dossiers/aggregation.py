"""Aggregation (tổng hợp): a ministry or province takes the nominations it supports from many
units' dossiers into its own outgoing dossier to the centre ("123/TTr-BTTTT").

One transaction: each picked nomination is approved (ministry_review → central_review) and
moves into the new dossier; the source dossiers become `aggregated`. Any nomination that
cannot move (already aggregated, moved on, not visible) refuses the whole aggregation with a
reason per item (409). Two reviewers racing on overlapping picks cannot both win: the picked
rows are locked in id order (FOR UPDATE on PostgreSQL; SQLite's writers are serial), so the
second waits and then finds them moved on, and each UPDATE is still conditional on the version
read (DESIGN.md §4 rule 3). The id order means two aggregations never wait on each other in a
cycle.
"""
from datetime import datetime

from states.dossiers import DRAFT, KIND_AGGREGATE
from workflow import validation as v
from workflow.access.actors import NO_CONTEXT, RequestContext
from workflow.access.loading import load_actor
from workflow.access.policy import AGGREGATORS
from workflow.access.visibility import can_see
from workflow.dossiers import core, following
from workflow.dossiers.service import summary
from workflow.errors import Conflict, Forbidden, InvalidInput, NotFound
from workflow.kernel.db import Database
from workflow.kernel.locks import lock_rows
from workflow.kernel.uow import each, flush, item_error, refuse, unit_of_work
from workflow.models import Dossier, DossierNomination, Nomination
from workflow.nominations.actions import act_in
from workflow.orgs.tree import org_tree


def _not_found(nid: int) -> NotFound:
    return NotFound(f"Không tìm thấy hồ sơ #{nid}", f"Nomination #{nid} not found")


def _picked(s, actor, tree, ids: list[int]) -> tuple[dict[int, Nomination], int]:
    """The visible picked nominations, and the one plan they must share."""
    found = {i: n for i, n in lock_rows(s, Nomination, ids).items() if can_see(actor, tree, n)}
    plans = {n.plan_id for n in found.values()}
    if not found:
        refuse([item_error(nid, _not_found(nid)) for nid in ids], "Không tổng hợp được",
                    "Cannot aggregate", cls=Conflict)
    if len(plans) > 1:
        raise InvalidInput("Một tờ trình tổng hợp chỉ gồm hồ sơ của cùng một kế hoạch",
                           "An aggregate dossier carries nominations of one plan only", field="nomination_ids")
    return found, plans.pop()


def aggregate(db: Database, actor_id: int, body: dict, *, now: datetime,
              ctx: RequestContext = NO_CONTEXT):
    """Create the caller's outgoing dossier to the next level from approved nominations."""
    if not isinstance(body, dict):
        raise InvalidInput("Nội dung phải là đối tượng JSON", "The body must be a JSON object", field="body")
    ids = sorted(v.id_list(body.get("nomination_ids"), "nomination_ids"))
    title = v.text(body.get("title"), "title", required=False, max_len=core.MAX_TITLE)
    with unit_of_work(db) as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        core.check_versions(s, actor, tree, body.get("dossier_versions"))
        node = tree.get(actor.org_id)
        if actor.role not in AGGREGATORS or node is None or node.level != "ministry":
            raise Forbidden("Chỉ chuyên viên, lãnh đạo Bộ, ngành, tỉnh được lập tờ trình tổng hợp",
                            "Only a ministry or province reviewer or leader may aggregate")
        numbered = core.parse_number(body.get("number"), s, actor.org_id, now)
        found, plan_id = _picked(s, actor, tree, ids)
        out = Dossier(**numbered, title=title, kind=KIND_AGGREGATE, org_id=actor.org_id,
                      addressed_org_id=core.addressed_org(tree, actor.org_id, KIND_AGGREGATE),
                      plan_id=plan_id, state=DRAFT, version=1, created_by=actor.user_id, created_at=now,
                      submitted_at=now, audit_seq=0)
        s.add(out)
        s.flush()
        core.record(s, out, actor, "create", now, ctx, bump=False, created=True,
                    payload={"number": out.number, "plan_id": plan_id, "kind": KIND_AGGREGATE})
        sources = _take(s, actor, tree, out, ids, found, now, ctx)
        core.move(s, out, actor, "submit", now, ctx,
                  payload={"nominations": len(ids), "sources": [core.ref(s.get(Dossier, i)) for i in sorted(sources)]})
        following.sync(s, actor, out, now, ctx)
        oref = core.ref(out)
        for sid in sorted(sources):
            src = s.get(Dossier, sid)
            taken = following.sync(s, actor, src, now, ctx, moved_now=True,
                              payload={"into": oref, "nominations": len(sources[sid])})
            if taken == "aggregate":  # recorded by that event; a returned source stays as it is
                src.aggregated_into_id = out.id
        flush(s)
        return summary(s, actor, tree, out)


def _take(s, actor, tree, out: Dossier, ids: list[int], found: dict, now, ctx) -> dict[int, list[int]]:
    """Approve each picked nomination into `out`; all or nothing. Returns source → ids."""
    oref = core.ref(out)
    sources: dict[int, list[int]] = {}

    def one(item):
        position, nid = item
        nom = found.get(nid)
        if nom is None:
            raise _not_found(nid)
        src = s.get(Dossier, nom.dossier_id) if nom.dossier_id else None
        extra = {"dossier": oref, **({"aggregated_from": core.ref(src)} if src else {})}
        act_in(s, actor, tree, nom, "approve", {}, now, ctx, extra_payload=extra, changes={"dossier_id": out.id})
        s.add(DossierNomination(dossier_id=out.id, nomination_id=nid, position=position, added_at=now))
        if src:
            sources.setdefault(src.id, []).append(nid)
        return nom

    _, errors = each(s, enumerate(ids, start=1), one, key=lambda item: item[1])
    refuse(errors, "Không tổng hợp được", "Cannot aggregate", cls=Conflict)
    return sources
