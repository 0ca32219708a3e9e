"""Dossiers (hồ sơ / tờ trình): create, read, and build the list of nominees.

A unit's commendation officer opens a draft dossier numbered as written ("45/TTr-VTC") for a
plan, adds nominees one by one or from Excel (workflow/dossiers/importing.py), then
submits it (workflow/dossiers/review.py). Reading: lists with counts by state, the
dossier with its nominee table, and the dossiers waiting for the caller.
"""
import base64
import json
from dataclasses import replace
from datetime import datetime

from sqlalchemy import func, select

from states.dossiers import DOSSIER_STATES, DRAFT, KIND_UNIT, RETURNED
from states.routes import UNIT_OFFICER
from workflow import validation as v
from workflow.access.actors import NO_CONTEXT, Actor, RequestContext
from workflow.access.loading import load_actor
from workflow.access.policy import INBOX_STATES, is_dossier_builder
from workflow.access.visibility import can_see, dossier_clause
from workflow.dossiers import core
from workflow.dossiers.views import DossierView, groups_of, nominee_rows, related_of, view_of
from workflow.errors import Forbidden, InvalidInput, InvalidTransition
from workflow.kernel.db import Database
from workflow.kernel.uow import each, flush, refuse, unit_of_work
from workflow.models import AuditEvent, Dossier, DossierNomination, Nomination, Plan
from workflow.nominations.actions import act_in
from workflow.nominations.drafting import check_plan_for_unit, new_nomination
from workflow.nominations.queries import audit_view, load_visible, view_of as nomination_view
from workflow.nominations.transitions import record
from workflow.orgs.tree import OrgTree, org_tree
from workflow.views import ListChange, Page

MAX_MEMBERS = 10000


def require_builder(actor: Actor, d: Dossier) -> None:
    """Only the unit's officer changes the list, and only while the dossier is a draft."""
    if not is_dossier_builder(actor, d):
        raise Forbidden("Chỉ cán bộ TĐKT của đơn vị lập hồ sơ được sửa danh sách",
                        "Only the commendation officer of the dossier's unit may change its list")
    if d.state != DRAFT:
        raise InvalidTransition(f"Hồ sơ {d.number} đã trình; không sửa được danh sách",
                                f"Dossier {d.number} was submitted; its list is closed")


def summary(s, actor: Actor, tree: OrgTree, d: Dossier) -> DossierView:
    return view_of(s, actor, tree, d, groups_of(s, [d.id])[d.id])


def create_dossier(db: Database, actor_id: int, *, plan_id, number, title=None, now: datetime,
                   ctx: RequestContext = NO_CONTEXT) -> DossierView:
    """A draft dossier of the officer's unit for a plan, addressed to its ministry/province."""
    with unit_of_work(db) as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        if actor.role != UNIT_OFFICER:
            raise Forbidden("Chỉ cán bộ TĐKT đơn vị được lập hồ sơ trình",
                            "Only a unit commendation officer may open a dossier")
        plan = s.get(Plan, v.integer(plan_id, "plan_id", minimum=1, maximum=2**62))
        if plan is None:
            raise InvalidInput(f"Không có kế hoạch #{plan_id}", f"No plan #{plan_id}", field="plan_id")
        check_plan_for_unit(plan, actor.org_id, tree, now)
        d = Dossier(**core.parse_number(number, s, actor.org_id, now), kind=KIND_UNIT,
                    title=v.text(title, "title", required=False, max_len=core.MAX_TITLE),
                    org_id=actor.org_id, addressed_org_id=core.addressed_org(tree, actor.org_id, KIND_UNIT),
                    plan_id=plan.id, state=DRAFT, version=1, created_by=actor.user_id, created_at=now,
                    audit_seq=0)
        s.add(d)
        flush(s)
        core.record(s, d, actor, "create", now, ctx, bump=False, created=True,
                    payload={"number": d.number, "plan_id": plan.id, "kind": d.kind})
        return summary(s, actor, tree, d)


def get_dossier(db: Database, actor_id: int, dossier_id: int, *, now: datetime) -> DossierView:
    """The dossier with its nominee table and related dossiers."""
    with db.read() as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        d = core.load(s, actor, tree, dossier_id)
        return replace(summary(s, actor, tree, d), nominations=nominee_rows(s, actor, tree, d, core.members(s, d), now),
                       related=related_of(s, actor, tree, d))


def _cursor(value: str | None) -> int | None:
    if not value:
        return None
    try:
        last = json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
        if isinstance(last, int) and last > 0:
            return last
    except ValueError:
        pass
    raise InvalidInput("Con trỏ phân trang không hợp lệ", "Invalid cursor", field="cursor")


def list_dossiers(db: Database, actor_id: int, *, state=None, direction=None, plan_id=None,
                  cursor: str | None = None, limit: int = 50) -> Page:
    """Visible dossiers, newest first; incoming = addressed to my org, outgoing = sent by it."""
    limit = v.integer(limit, "limit", minimum=1, maximum=200)
    with db.read() as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        q = select(Dossier).where(dossier_clause(actor, tree))
        if state is not None:
            q = q.where(Dossier.state == v.choice(state, "state", DOSSIER_STATES))
        if direction is not None:
            v.choice(direction, "direction", ("incoming", "outgoing"))
            q = q.where(Dossier.org_id == actor.org_id) if direction == "outgoing" else \
                q.where(Dossier.addressed_org_id == actor.org_id, Dossier.state != DRAFT)
        if plan_id is not None:
            q = q.where(Dossier.plan_id == v.integer(plan_id, "plan_id", minimum=1))
        after = _cursor(cursor)
        if after:
            q = q.where(Dossier.id < after)
        rows = s.execute(q.order_by(Dossier.id.desc()).limit(limit + 1)).scalars().all()
        groups = groups_of(s, [d.id for d in rows[:limit]])
        items = [view_of(s, actor, tree, d, groups[d.id]) for d in rows[:limit]]
        nxt = base64.urlsafe_b64encode(json.dumps(rows[limit - 1].id).encode()).decode().rstrip("=") \
            if len(rows) > limit else None
        return Page(items, nxt)


def dossier_inbox(db: Database, actor_id: int, *, limit: int = 100) -> list[DossierView]:
    """Dossiers with nominations waiting for the caller (earliest due first), and the
    officer's own drafts and returned dossiers; each with counts by state and `waiting`."""
    limit = v.integer(limit, "limit", minimum=1, maximum=500)
    with db.read() as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        states = INBOX_STATES.get(actor.role, ())
        rows = s.execute(
            select(Nomination.dossier_id, func.count(), func.min(Nomination.due_at))
            .where(Nomination.holder_org_id == actor.org_id, Nomination.state.in_(states),
                   Nomination.dossier_id.is_not(None))
            .group_by(Nomination.dossier_id)).all() if states else []
        waiting = {did: (n, due) for did, n, due in rows}
        if actor.role == UNIT_OFFICER:
            for did in s.execute(select(Dossier.id).where(Dossier.org_id == actor.org_id,
                                                          Dossier.state.in_((DRAFT, RETURNED)))).scalars():
                waiting.setdefault(did, (0, None))
        order = sorted(waiting, key=lambda i: (waiting[i][1] is None, waiting[i][1] or 0, i))[:limit]
        found = {d.id: d for d in s.execute(select(Dossier).where(Dossier.id.in_(order))).scalars()}
        groups = groups_of(s, order)
        return [view_of(s, actor, tree, found[i], groups[i], waiting=waiting[i][0])
                for i in order if i in found and can_see(actor, tree, found[i])]


def dossier_history(db: Database, actor_id: int, dossier_id: int) -> list:
    """The dossier's own audit chain, oldest first."""
    with db.read() as s:
        actor = load_actor(s, actor_id)
        d = core.load(s, actor, org_tree(s), dossier_id)
        rows = s.execute(select(AuditEvent).where(AuditEvent.chain == f"d:{d.id}")
                         .order_by(AuditEvent.seq)).scalars().all()
        return [audit_view(e) for e in rows]


# --- building the list ---------------------------------------------------------------------

def attach(s, actor: Actor, d: Dossier, nom: Nomination, position: int, now: datetime,
           ctx: RequestContext, *, new: bool) -> None:
    """Put `nom` on the dossier's list; its own chain records which dossier it joined."""
    s.add(DossierNomination(dossier_id=d.id, nomination_id=nom.id, position=position, added_at=now))
    record(s, nom, actor, "add_to_dossier", now, ctx, bump=not new, values={"dossier_id": d.id},
           payload={"dossier": core.ref(d)})


def _check_size(s, d: Dossier, adding: int) -> int:
    have = s.execute(select(func.count()).select_from(DossierNomination)
                     .where(DossierNomination.dossier_id == d.id)).scalar_one()
    if have + adding > MAX_MEMBERS:
        raise InvalidInput(f"Một hồ sơ có tối đa {MAX_MEMBERS} người/tập thể",
                           f"A dossier holds at most {MAX_MEMBERS} nominees", field="nomination_ids")
    return have


def add_nominations(db: Database, actor_id: int, dossier_id: int, body: dict, *, now: datetime,
                    ctx: RequestContext = NO_CONTEXT, version=None) -> ListChange:
    """A new nominee (body as POST /nominations without plan_id), or existing drafts of the
    unit by id (`nomination_ids`, all or nothing)."""
    if not isinstance(body, dict):
        raise InvalidInput("Nội dung phải là đối tượng JSON", "The body must be a JSON object", field="body")
    with unit_of_work(db) as s:
        actor, tree, d = core.open_current(s, actor_id, dossier_id,
                                           version if version is not None else body.get("version"))
        require_builder(actor, d)
        if "nomination_ids" in body:
            added = _add_existing(s, actor, tree, d, v.id_list(body["nomination_ids"], "nomination_ids"), now, ctx)
        else:
            added = [_add_new(s, actor, tree, d, body, now, ctx)]
        core.record(s, d, actor, "add_nominations", now, ctx,
                    payload={"nominations": [n.id for n in added]})
        flush(s)
        return ListChange(summary(s, actor, tree, d), added=[nomination_view(s, actor, tree, n, now) for n in added])


def _add_new(s, actor, tree, d: Dossier, body: dict, now, ctx) -> Nomination:
    if body.get("plan_id") not in (None, d.plan_id):
        raise InvalidInput("Người được đề nghị thuộc kế hoạch của hồ sơ; bỏ trường plan_id",
                           "A nominee belongs to the dossier's plan; leave plan_id out", field="plan_id")
    _check_size(s, d, 1)
    position = core.next_position(s, d)
    nom = new_nomination(s, actor, tree, plan_id=d.plan_id, award_type=body.get("award_type"),
                         nominee=body.get("nominee"), achievements=body.get("achievements"),
                         now=now, ctx=ctx, dossier_id=d.id)
    attach(s, actor, d, nom, position, now, ctx, new=True)
    return nom


def _add_existing(s, actor, tree, d: Dossier, ids: list[int], now, ctx) -> list[Nomination]:
    _check_size(s, d, len(ids))
    start = core.next_position(s, d)

    def one(item):
        offset, nid = item
        nom = load_visible(s, actor, tree, nid)
        if nom.state != DRAFT or nom.unit_id != d.org_id:
            raise InvalidTransition(f"Hồ sơ #{nid} không phải dự thảo của đơn vị",
                                    f"Nomination #{nid} is not a draft of the dossier's unit")
        if nom.plan_id != d.plan_id:
            raise InvalidInput(f"Hồ sơ #{nid} thuộc kế hoạch khác", f"Nomination #{nid} belongs to another plan",
                               field="nomination_ids")
        if nom.dossier_id is not None:
            raise InvalidTransition(f"Hồ sơ #{nid} đã nằm trong hồ sơ trình #{nom.dossier_id}",
                                    f"Nomination #{nid} is already in dossier #{nom.dossier_id}")
        attach(s, actor, d, nom, start + offset, now, ctx, new=False)
        flush(s)
        return nom

    added, errors = each(s, enumerate(ids), one, key=lambda item: item[1])
    refuse(errors, "Không thêm được vào hồ sơ", "Cannot add to the dossier")
    return added


def remove_nomination(db: Database, actor_id: int, dossier_id: int, nomination_id: int, *,
                      withdraw: bool = False, version=None, now: datetime,
                      ctx: RequestContext = NO_CONTEXT) -> ListChange:
    """Take a draft off the list; `withdraw` also withdraws it (it then stops counting as a
    duplicate in the plan). `version`: the dossier's, as the caller last saw it."""
    with unit_of_work(db) as s:
        actor, tree, d = core.open_current(s, actor_id, dossier_id, version)
        require_builder(actor, d)
        link = s.get(DossierNomination, (d.id, nomination_id)) if isinstance(nomination_id, int) else None
        if link is None:
            raise InvalidInput(f"Hồ sơ #{nomination_id} không có trong hồ sơ trình {d.number}",
                               f"Nomination #{nomination_id} is not on dossier {d.number}", field="nomination_id")
        nom = load_visible(s, actor, tree, nomination_id)
        s.delete(link)
        record(s, nom, actor, "remove_from_dossier", now, ctx, values={"dossier_id": None},
               payload={"dossier": core.ref(d)})
        if withdraw:
            act_in(s, actor, tree, nom, "withdraw", {}, now, ctx, extra_payload={"dossier": core.ref(d)})
        core.record(s, d, actor, "remove_nomination", now, ctx,
                    payload={"nomination_id": nom.id, "withdrawn": bool(withdraw)}, nomination_id=nom.id)
        flush(s)
        return ListChange(summary(s, actor, tree, d), removed=nomination_view(s, actor, tree, nom, now))
