"""Plain data about dossiers: counts by state, the caller's actions, the nominee table."""
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, aliased

from states.dossiers import DRAFT, KIND_AGGREGATE
from states.levels import ready_to_send, stays_at_level
from states.lifecycle import TERMINAL_STATES
from states.routes import ROUTES, TWO_THIRDS
from workflow.access.policy import AGGREGATORS, actions_for, dossier_commands
from workflow.access.visibility import dossier_clause
from workflow.access.actors import Actor
from workflow.models import Decision, Dossier, DossierNomination, Nomination, Plan, User
from workflow.orgs.councils import vote_council
from workflow.orgs.tree import OrgTree
from workflow.catalogue.routing import award_name_of


@dataclass(frozen=True)
class Group:
    """Nominations of one dossier sharing state, holder and route; `here`: still in it;
    `drafted`: listed on an aggregate tờ trình its leader has not signed yet (chờ ký)."""
    state: str
    holder_org_id: int | None
    route: str
    here: bool
    count: int
    drafted: bool = False


@dataclass(frozen=True)
class DossierView:
    id: int
    number: str
    title: str | None
    kind: str
    state: str
    version: int
    org: dict
    addressed_org: dict | None
    plan: dict
    created_at: datetime
    submitted_at: datetime | None
    aggregated_into_id: int | None
    counts: dict
    total: int
    moved_on: int
    actions: list[str]
    nominations: list[dict] | None = None
    related: list[dict] | None = None
    waiting: int | None = None
    council: dict | None = None  # while its list waits at its council's vote
    assignee: dict | None = None  # {"id", "name"}: the specialist it is assigned to (phân công)
    awaiting_signature: int = 0  # on a drafted aggregate tờ trình not yet signed: not moved on yet


def groups_of(s: Session, dossier_ids: list[int]) -> dict[int, list[Group]]:
    out: dict[int, list[Group]] = defaultdict(list)
    if not dossier_ids:
        return out
    here = Nomination.dossier_id == DossierNomination.dossier_id
    drafted = _drafted(Nomination.id)
    rows = s.execute(
        select(DossierNomination.dossier_id, Nomination.state, Nomination.holder_org_id,
               Nomination.route, here, drafted, func.count())
        .join(Nomination, Nomination.id == DossierNomination.nomination_id)
        .where(DossierNomination.dossier_id.in_(dossier_ids))
        .group_by(DossierNomination.dossier_id, Nomination.state, Nomination.holder_org_id,
                  Nomination.route, here, drafted)).all()
    for did, state, holder, route, is_here, is_drafted, n in rows:
        out[did].append(Group(state, holder, route, bool(is_here), n, bool(is_drafted)))
    return out


def _drafted(nomination_id):
    """Whether the nomination is listed on a drafted aggregate tờ trình (the reviewer made it, the
    leader has not signed it): it stays where it was until the signature sends it up."""
    listed = aliased(DossierNomination)
    draft = aliased(Dossier)
    return exists().where(listed.nomination_id == nomination_id, draft.id == listed.dossier_id,
                          draft.kind == KIND_AGGREGATE, draft.state == DRAFT)


def drafted_ids(s: Session, nomination_ids: list[int]) -> set[int]:
    """Which of these nominations an unsigned aggregate tờ trình lists."""
    if not nomination_ids:
        return set()
    return set(s.execute(
        select(DossierNomination.nomination_id)
        .join(Dossier, Dossier.id == DossierNomination.dossier_id)
        .where(DossierNomination.nomination_id.in_(nomination_ids), Dossier.kind == KIND_AGGREGATE,
               Dossier.state == DRAFT)).scalars())


def _org(tree: OrgTree, org_id: int | None) -> dict | None:
    node = tree.get(org_id)
    return {"id": org_id, "name": node.name if node else None, "level": node.level if node else None} \
        if org_id is not None else None


def view_of(s: Session, actor: Actor, tree: OrgTree, d: Dossier, groups: list[Group],
            *, waiting: int | None = None) -> DossierView:
    counts = Counter()
    for g in groups:
        counts[g.state] += g.count
    plan = s.get(Plan, d.plan_id)
    return DossierView(
        id=d.id, number=d.number, title=d.title, kind=d.kind, state=d.state, version=d.version,
        org=_org(tree, d.org_id), addressed_org=_org(tree, d.addressed_org_id),
        plan={"id": plan.id, "number": plan.number, "title": plan.title},
        created_at=d.created_at, submitted_at=d.submitted_at, aggregated_into_id=d.aggregated_into_id,
        counts=dict(sorted(counts.items())), total=sum(counts.values()),
        moved_on=sum(g.count for g in groups if not g.here and not g.drafted),
        actions=dossier_commands(actor, d, groups), waiting=waiting, council=_council(s, groups),
        assignee=_assignee(s, d), awaiting_signature=sum(g.count for g in groups if g.drafted))


def _council(s: Session, groups: list[Group]) -> dict | None:
    """The council the dossier's list waits to be voted by; `threshold` only when every nominee
    waiting there shares one (each is judged by its own award's otherwise)."""
    steps = [(g, ROUTES[g.route].step(g.state)) for g in groups if g.here]
    voting = [(g, st) for g, st in steps if st is not None and st.kind == "vote"]
    if not voting:
        return None
    thresholds = {st.threshold for _, st in voting}
    quorum = max((st.quorum for _, st in voting if st.quorum), default=TWO_THIRDS)
    threshold = next(iter(thresholds)) if len(thresholds) == 1 else None
    return vote_council(s, voting[0][0].holder_org_id, threshold, quorum)


def _assignee(s: Session, d: Dossier) -> dict | None:
    user = s.get(User, d.assignee_id) if d.assignee_id else None
    return {"id": user.id, "name": user.full_name} if user else None


def nominee_rows(s: Session, actor: Actor, tree: OrgTree, d: Dossier, noms: list[Nomination],
                 now: datetime) -> list[dict]:
    """The nominee table: one row per nomination the dossier carried, in list order."""
    decision_ids = {n.decision_id for n in noms if n.decision_id}
    decisions = {x.id: x for x in s.execute(select(Decision).where(Decision.id.in_(decision_ids))).scalars()} \
        if decision_ids else {}
    drafted = drafted_ids(s, [n.id for n in noms])
    rows = []
    for position, n in enumerate(noms, start=1):
        dec = decisions.get(n.decision_id)
        unit = tree.get(n.unit_id)
        name_vi, name_en = award_name_of(s, tree, n)
        rows.append({
            "position": position, "id": n.id, "state": n.state, "version": n.version, "level": n.level,
            "nominee": {"kind": n.nominee_kind, "name": n.nominee_name, "title": n.nominee_title},
            "award_type": n.award_code, "award_name": name_vi, "award_name_en": name_en,
            "unit": {"id": n.unit_id, "name": unit.name if unit else None},
            "dossier_id": n.dossier_id, "due_at": n.due_at,
            "overdue": bool(n.due_at and n.due_at < now and n.state not in TERMINAL_STATES),
            "decision": {"id": dec.id, "number": dec.number, "date": dec.decided_on} if dec else None,
            "actions": actions_for(actor, n) if n.dossier_id == d.id else [],
            # listed on an aggregate tờ trình waiting for its leader's signature (chờ ký)
            "awaiting_signature": n.id in drafted,
        })
    return rows


def related_of(s: Session, actor: Actor, tree: OrgTree, d: Dossier) -> list[dict]:
    """Other dossiers that carried the same nominations and `actor` may open: an aggregate
    dossier's sources, or the outgoing dossiers a unit dossier's nominations were aggregated
    into (a unit does not see its ministry's)."""
    mine = select(DossierNomination.nomination_id).where(DossierNomination.dossier_id == d.id)
    rows = s.execute(
        select(Dossier.id, Dossier.number, Dossier.org_id, Dossier.state, Dossier.kind, func.count())
        .join(DossierNomination, DossierNomination.dossier_id == Dossier.id)
        .where(DossierNomination.nomination_id.in_(mine), Dossier.id != d.id, dossier_clause(actor, tree))
        .group_by(Dossier.id, Dossier.number, Dossier.org_id, Dossier.state, Dossier.kind)
        .order_by(Dossier.id)).all()
    return [{"id": i, "number": num, "org": _org(tree, org), "state": st, "kind": kind, "nominations": n}
            for i, num, org, st, kind, n in rows]


# Commands of the dossier page that take several nominees at once (the nominee table's rows).
ROW_COMMANDS = ("vote", "approve", "aggregate", "decide", "return", "reject")


def row_commands(actor: Actor, d: Dossier, noms: list[Nomination]) -> dict[int, list[str]]:
    """For each nominee still travelling in the dossier, the multi-row commands that can take
    it now: `vote` (the council's tally), `approve` (forward within the submitting org, as
    review_dossier does), `aggregate` (forward upward: an outgoing dossier of the caller's
    org), `decide`, `return`, `reject`. Each is still checked when run."""
    out: dict[int, list[str]] = {}
    for n in noms:
        if n.dossier_id != d.id:
            continue
        allowed = set(actions_for(actor, n))
        if "approve" in allowed:
            allowed.discard("approve")
            if n.holder_org_id == d.org_id or stays_at_level(n):
                allowed.add("approve")
        # The ministry's reviewer drafts (its leader signs) the tờ trình that sends it up.
        if actor.role in AGGREGATORS and n.holder_org_id == actor.org_id and ready_to_send(n):
            allowed.add("aggregate")
        out[n.id] = [c for c in ROW_COMMANDS if c in allowed]
    return out
