"""Aggregation (tổng hợp): a ministry or province takes the nominations it has finished from many
units' dossiers into its own outgoing tờ trình to the centre ("123/TTr-BTTTT").

As the offices work: the reviewer (chuyên viên of the Vụ TĐKT / Sở Nội vụ) drafts the tờ trình
listing the nominations that passed the appraisal and the ministry's council; the leader (or a
deputy signing "KT.") signs and sends it — each listed nomination is approved up to the centre and
moves into the dossier, the source dossiers become `aggregated`; the centre's own staff record its
receipt (workflow/dossiers/central.py). Any nomination that cannot be listed or sent (not ready,
already on a draft, moved on, not visible) refuses the whole command with a reason per item (409).
Two reviewers racing on overlapping picks cannot both win: the picked rows are locked in id order
(FOR UPDATE on PostgreSQL; SQLite's writers are serial), so the second waits and then finds them
on the first's draft; each UPDATE is still conditional on the version read (DESIGN.md §4 rule 3).
"""
from datetime import datetime

from sqlalchemy import select

from states.dossiers import DRAFT, KIND_AGGREGATE
from states.routes import MINISTRY_LEADER
from workflow import validation as v
from workflow.access.actors import NO_CONTEXT, RequestContext
from workflow.access.loading import load_actor
from workflow.access.policy import AGGREGATORS
from workflow.access.visibility import can_see
from workflow.dossiers import core, following
from states.labels import both, cap, nominee_ref, state_label
from states.levels import ready_to_send
from workflow.dossiers.service import summary
from workflow.errors import Conflict, Forbidden, InvalidInput, InvalidTransition, NotFound
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
    """Draft the caller's outgoing tờ trình to the next level from the nominations the ministry
    has finished (appraised, its council voted). The reviewer (chuyên viên) drafts it; the leader
    signs and sends it (`sign_dossier`). A leader who aggregates drafts and signs at once."""
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
        _check_listable(s, ids, found)
        out = Dossier(**numbered, title=title, kind=KIND_AGGREGATE, org_id=actor.org_id,
                      addressed_org_id=core.addressed_org(tree, actor.org_id, KIND_AGGREGATE),
                      plan_id=plan_id, state=DRAFT, version=1, created_by=actor.user_id, created_at=now,
                      audit_seq=0)
        s.add(out)
        s.flush()
        core.record(s, out, actor, "create", now, ctx, bump=False, created=True,
                    payload={"number": out.number, "plan_id": plan_id, "kind": KIND_AGGREGATE,
                             "nominations": ids, "drafted_by": actor.full_name})
        for position, nid in enumerate(ids, start=1):
            s.add(DossierNomination(dossier_id=out.id, nomination_id=nid, position=position, added_at=now))
        flush(s)
        if actor.role == MINISTRY_LEADER:
            _send(s, actor, tree, out, ids, {}, now, ctx)
        flush(s)
        return summary(s, actor, tree, out)


def _check_listable(s, ids: list[int], found: dict) -> None:
    """Each picked nomination waits for the minister's signature and is on no other draft."""
    drafted = dict(s.execute(
        select(DossierNomination.nomination_id, Dossier.number)
        .join(Dossier, Dossier.id == DossierNomination.dossier_id)
        .where(DossierNomination.nomination_id.in_(ids), Dossier.kind == KIND_AGGREGATE,
               Dossier.state == DRAFT)).all())
    errors = []
    for nid in ids:
        nom = found.get(nid)
        if nom is None:
            errors.append(item_error(nid, _not_found(nid)))
        elif not ready_to_send(nom):
            (vi, en), (st_vi, st_en) = nominee_ref(nom.nominee_name), both(state_label, nom.state)
            errors.append(item_error(nid, InvalidTransition(
                f"{cap(vi)} chưa qua thẩm định và Hội đồng của Bộ, tỉnh (đang ở bước “{st_vi}”)",
                f"{cap(en)} has not passed the ministry's appraisal and council (it is at “{st_en}”)")))
        elif nid in drafted:
            errors.append(item_error(nid, InvalidTransition(
                f"Hồ sơ #{nid} đã có trong dự thảo tờ trình {drafted[nid]}",
                f"Nomination #{nid} is already on the draft {drafted[nid]}")))
    refuse(errors, "Không tổng hợp được", "Cannot aggregate", cls=Conflict)


def sign_dossier(db: Database, actor_id: int, dossier_id: int, body: dict | None = None, *, now: datetime,
                 ctx: RequestContext = NO_CONTEXT):
    """The leader (or a deputy signing "KT.") signs the drafted tờ trình and sends it: every listed
    nomination goes up to the next level, all or nothing."""
    body = body if isinstance(body, dict) else {}
    with unit_of_work(db) as s:
        actor, tree, d = core.open_current(s, actor_id, dossier_id, body.get("version"))
        if actor.role != MINISTRY_LEADER or actor.org_id != d.org_id or d.kind != KIND_AGGREGATE:
            raise Forbidden("Chỉ lãnh đạo cơ quan lập tờ trình ký và gửi tờ trình tổng hợp",
                            "Only a leader of the dossier's organisation signs and sends an aggregate dossier")
        if d.state != DRAFT:
            raise InvalidTransition(f"Tờ trình {d.number} đã gửi", f"Dossier {d.number} was already sent")
        ids = sorted(s.execute(select(DossierNomination.nomination_id)
                               .where(DossierNomination.dossier_id == d.id)).scalars())
        found = {i: n for i, n in lock_rows(s, Nomination, ids).items() if can_see(actor, tree, n)}
        _send(s, actor, tree, d, ids, body, now, ctx, found=found)
        flush(s)
        return summary(s, actor, tree, d)


def _send(s, actor, tree, out: Dossier, ids: list[int], body: dict, now, ctx, *, found: dict | None = None) -> None:
    signer = v.text(body.get("signer"), "signer", required=False, max_len=200) or actor.full_name
    behalf = v.text(body.get("on_behalf_of"), "on_behalf_of", required=False, max_len=200)
    if found is None:
        found = {i: n for i, n in lock_rows(s, Nomination, ids).items() if can_see(actor, tree, n)}
    sources = _take(s, actor, tree, out, ids, found, {"on_behalf_of": behalf} if behalf else {}, now, ctx)
    core.move(s, out, actor, "submit", now, ctx, values={"submitted_at": now},
              payload={"nominations": len(ids), "signer": signer, **({"on_behalf_of": behalf} if behalf else {}),
                       "sources": [core.ref(s.get(Dossier, i)) for i in sorted(sources)]})
    following.sync(s, actor, out, now, ctx)
    oref = core.ref(out)
    for sid in sorted(sources):
        src = s.get(Dossier, sid)
        taken = following.sync(s, actor, src, now, ctx, moved_now=True,
                               payload={"into": oref, "nominations": len(sources[sid])})
        if taken == "aggregate":  # recorded by that event; a returned source stays as it is
            src.aggregated_into_id = out.id


def _take(s, actor, tree, out: Dossier, ids: list[int], found: dict, signed: dict, now, ctx) -> dict[int, list[int]]:
    """Send each listed nomination up in `out` (the leader's approve); all or nothing. Returns
    source → ids."""
    oref = core.ref(out)
    sources: dict[int, list[int]] = {}

    def one(nid):
        nom = found.get(nid)
        if nom is None:
            raise _not_found(nid)
        src = s.get(Dossier, nom.dossier_id) if nom.dossier_id and nom.dossier_id != out.id else None
        extra = {"dossier": oref, **({"aggregated_from": core.ref(src)} if src else {})}
        act_in(s, actor, tree, nom, "approve", signed, now, ctx, extra_payload=extra, changes={"dossier_id": out.id})
        if src:
            sources.setdefault(src.id, []).append(nid)
        return nom

    _, errors = each(s, ids, one)
    refuse(errors, "Không gửi được tờ trình", "Cannot send the dossier", cls=Conflict)
    return sources
