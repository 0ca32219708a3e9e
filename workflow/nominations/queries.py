"""Use cases of a nomination (hồ sơ đề nghị khen thưởng): read, list, inbox, history."""
import base64
import json
from datetime import datetime
from fractions import Fraction

from sqlalchemy import and_, bindparam, select, tuple_
from sqlalchemy.orm import Session

from states.lifecycle import STATES, TERMINAL_STATES
from workflow import validation as v
from workflow.access.policy import INBOX_STATES, actions_for
from workflow.access.visibility import can_see, nomination_clause as visibility_clause
from workflow.access.actors import Actor
from workflow.kernel.db import Database, core
from workflow.errors import InvalidInput, NotFound
from states.routes import ROUTES
from workflow.models import AuditEvent, AwardType, CouncilVote, Decision, Nomination
from workflow.catalogue.awards import fraction
from workflow.catalogue.routing import award_name_of, kind_of, remember_award_names
from workflow.orgs.councils import vote_council
from workflow.orgs.tree import OrgTree, org_tree
from workflow.access.loading import load_actor
from workflow.views import AuditEventView, DecisionView, NominationView, Page


# --- reading -------------------------------------------------------------------------------

def _decision_view(s: Session, decision_id: int | None) -> DecisionView | None:
    if decision_id is None:
        return None
    d = s.get(Decision, decision_id)
    return DecisionView(d.id, d.number, d.decided_on, d.signer, d.on_behalf_of, d.org_id)


def view_of(s: Session, actor: Actor, tree: OrgTree, nom: Nomination, now: datetime,
            *, detail: bool = False) -> NominationView:
    unit = tree.get(nom.unit_id)
    name_vi, name_en = award_name_of(s, tree, nom)
    last_vote = council = None
    if detail:
        council = _council(s, nom)
        vote = s.execute(select(CouncilVote).where(CouncilVote.nomination_id == nom.id)
                         .order_by(CouncilVote.id.desc()).limit(1)).scalar_one_or_none()
        if vote:
            last_vote = {"members": vote.members, "present": vote.present, "yes": vote.yes,
                         "no": vote.no, "threshold": vote.threshold, "passed": vote.passed,
                         "recorded_at": vote.recorded_at.isoformat()}
    return NominationView(
        id=nom.id, state=nom.state, version=nom.version, level=nom.level, due_at=nom.due_at,
        escalation_level=nom.escalation_level, actions=actions_for(actor, nom),
        nominee={"kind": nom.nominee_kind, "name": nom.nominee_name, "title": nom.nominee_title,
                 "person_id": nom.person_id},
        award_type=nom.award_code, plan_id=nom.plan_id, dossier_id=nom.dossier_id,
        decision=_decision_view(s, nom.decision_id), achievements=nom.achievements,
        unit_id=nom.unit_id, unit_name=unit.name if unit else None, route=nom.route,
        definition_version=nom.definition_version,
        legal_basis=nom.legal_basis, returned_from=nom.returned_from,
        submitted_at=nom.submitted_at, created_at=nom.created_at, updated_at=nom.updated_at,
        overdue=bool(nom.due_at and nom.due_at < now and nom.state not in TERMINAL_STATES),
        last_vote=last_vote, council=council, award_name=name_vi, award_name_en=name_en)


def _council(s: Session, nom: Nomination) -> dict | None:
    """The council a nomination waiting at a vote is counted by (workflow/orgs/councils.py)."""
    step = ROUTES[nom.route].step(nom.state)
    if step is None or step.kind != "vote":
        return None
    threshold, quorum = ballot_rule(s, nom)
    return vote_council(s, nom.holder_org_id, threshold, quorum)


_AWARDS = AwardType.__table__
_AWARD_BALLOT = select(_AWARDS.c.vote_threshold, _AWARDS.c.quorum).where(_AWARDS.c.code == bindparam("code"))


def ballot_rule(s: Session, nom: Nomination) -> tuple[Fraction, Fraction]:
    """(threshold, quorum) of the vote `nom` waits at: its route's step, or, on a route of the first
    release, the award type's."""
    step = ROUTES[nom.route].step(nom.state)
    if step and step.threshold and step.quorum:
        return step.threshold, step.quorum
    award = core(s, _AWARD_BALLOT, {"code": nom.award_code}).one()
    threshold = step.threshold if step and step.threshold else fraction(award.vote_threshold)
    quorum = step.quorum if step and step.quorum else fraction(award.quorum)
    return threshold, quorum


# Built once: every command loads its nomination first, with its award's names (which its
# page, its notices and its papers say: one statement instead of two).
_BY_ID = (select(Nomination, _AWARDS.c.name_vi, _AWARDS.c.name_en)
          .outerjoin(_AWARDS, _AWARDS.c.code == Nomination.award_code).where(Nomination.id == bindparam("id")))


def load_visible(s: Session, actor: Actor, tree: OrgTree, nomination_id) -> Nomination:
    """The nomination, or NotFound when it does not exist or the actor may not see it."""
    found = (s.execute(_BY_ID, {"id": nomination_id}).first()
             if isinstance(nomination_id, int) and 0 < nomination_id < 2**62 else None)
    nom: Nomination | None = None
    if found is not None:
        nom, name_vi, name_en = found
        if name_vi is not None:
            remember_award_names(s, nom.award_code, (name_vi, name_en))
    if nom is None or not can_see(actor, tree, nom):
        raise NotFound(f"Không tìm thấy hồ sơ #{nomination_id}", f"Nomination #{nomination_id} not found")
    return nom


def get_nomination(db: Database, actor_id: int, nomination_id: int, *, now: datetime) -> NominationView:
    with db.read() as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        return view_of(s, actor, tree, load_visible(s, actor, tree, nomination_id), now, detail=True)


def encode_cursor(values: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> list | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or not values:
            raise ValueError
        return values
    except ValueError:
        raise InvalidInput("Con trỏ phân trang không hợp lệ", "Invalid cursor", field="cursor") from None


def filters(state, plan_id, award_type, overdue, now) -> list:
    out = []
    if state is not None:
        out.append(Nomination.state == v.choice(state, "state", STATES))
    if plan_id is not None:
        out.append(Nomination.plan_id == v.integer(plan_id, "plan_id", minimum=1))
    if award_type is not None:
        out.append(Nomination.award_code == v.text(award_type, "award_type", max_len=60))
    if overdue:
        out.append(and_(Nomination.due_at < now, Nomination.state.not_in(TERMINAL_STATES)))
    return out


def list_nominations(db: Database, actor_id: int, *, now: datetime, state=None, plan_id=None,
                     award_type=None, overdue: bool = False, unit_id=None, cursor: str | None = None,
                     limit: int = 50) -> Page:
    """What the caller may see, newest first, keyset-paged by id."""
    limit = v.integer(limit, "limit", minimum=1, maximum=500)
    after = decode_cursor(cursor)
    with db.read() as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        q = select(Nomination).where(visibility_clause(actor, tree, newest_first=unit_id is None),
                                     *filters(state, plan_id, award_type, overdue, now))
        if unit_id is not None:
            q = q.where(Nomination.unit_id == v.integer(unit_id, "unit_id", minimum=1))
        if after:
            q = q.where(Nomination.id < _cursor_id(after))
        rows = s.execute(q.order_by(Nomination.id.desc()).limit(limit + 1)).scalars().all()
        items = [view_of(s, actor, tree, n, now) for n in rows[:limit]]
        nxt = encode_cursor([rows[limit - 1].id]) if len(rows) > limit else None
        return Page(items, nxt)




def inbox(db: Database, actor_id: int, *, now: datetime, state=None, plan_id=None, award_type=None,
          overdue: bool = False, unit_id=None, cursor: str | None = None, limit: int = 50) -> Page:
    """Nominations waiting for the caller's action: most urgent (earliest due) first."""
    with db.read() as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        rows, nxt = inbox_rows(s, actor, now=now, state=state, plan_id=plan_id, award_type=award_type,
                               overdue=overdue, unit_id=unit_id, cursor=cursor, limit=limit)
        return Page([view_of(s, actor, tree, n, now) for n in rows], nxt)


# Step levels an org of each kind holds besides its own unit's steps (states/routes.py).
_HELD = {"department": "department", "commune": "department", "ministry": "ministry", "province": "ministry",
         "central": "central"}


def states_at(org_level: str | None, states: tuple[str, ...]) -> tuple[str, ...]:
    """The inbox states that can wait at an org of `org_level`: its unit's steps and those of its
    level (a council secretary at a ministry never holds a central council's vote)."""
    if org_level is None:
        return states
    held = {"unit", _HELD.get(org_level, org_level)}

    def level(state: str) -> str:
        return "unit" if state in ("draft", "returned", "council_review", "unit_review") else state.split("_")[0]
    return tuple(s for s in states if level(s) in held)


def inbox_rows(s: Session, actor: Actor, *, now: datetime, state=None, plan_id=None, award_type=None,
               overdue: bool = False, unit_id=None, cursor: str | None = None, limit: int = 50
               ) -> tuple[list[Nomination], str | None]:
    """One inbox page: (nominations, next cursor), keyset-paged on (due_at, id).

    First everything with a due date, then what has none (a returned nomination waits on its
    unit without a time limit). Each phase walks the inbox index in order, so a deep page
    costs what the first one does.
    """
    limit = v.integer(limit, "limit", minimum=1, maximum=500)
    after = decode_cursor(cursor)
    if after is not None and len(after) != 2:
        raise InvalidInput("Con trỏ phân trang không hợp lệ", "Invalid cursor", field="cursor")
    node = org_tree(s).get(actor.org_id) if actor.org_id is not None else None
    states = states_at(kind_of(node) if node else None, INBOX_STATES.get(actor.role, ()))
    if not states:
        return [], None
    # One state (the usual case once the org's level is known) walks the inbox index in order.
    by_state = Nomination.state == states[0] if len(states) == 1 else Nomination.state.in_(states)
    base = select(Nomination).where(Nomination.holder_org_id == actor.org_id, by_state,
                                    *filters(state, plan_id, award_type, overdue, now))
    if unit_id is not None:
        base = base.where(Nomination.unit_id == v.integer(unit_id, "unit_id", minimum=1))
    rows = []
    if after is None or after[0] is not None:
        q = base.where(Nomination.due_at.is_not(None))
        if after:
            key = tuple_(_cursor_time(after[0]), _cursor_id(after[1:]))
            q = q.where(tuple_(Nomination.due_at, Nomination.id) > key)
        rows = s.execute(q.order_by(Nomination.due_at, Nomination.id).limit(limit + 1)).scalars().all()
    if len(rows) <= limit:
        q = base.where(Nomination.due_at.is_(None))
        if after and after[0] is None:
            q = q.where(Nomination.id > _cursor_id(after[1:]))
        rows += s.execute(q.order_by(Nomination.id).limit(limit + 1 - len(rows))).scalars().all()
    nxt = None
    if len(rows) > limit:
        last = rows[limit - 1]
        nxt = encode_cursor([last.due_at.isoformat() if last.due_at else None, last.id])
    return rows[:limit], nxt


def _cursor_id(after: list) -> int:
    try:
        return int(after[0])
    except (TypeError, ValueError):
        raise InvalidInput("Con trỏ phân trang không hợp lệ", "Invalid cursor", field="cursor") from None


def _cursor_time(value) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise InvalidInput("Con trỏ phân trang không hợp lệ", "Invalid cursor", field="cursor") from None


def history(db: Database, actor_id: int, nomination_id: int) -> list[AuditEventView]:
    with db.read() as s:
        actor = load_actor(s, actor_id)
        load_visible(s, actor, org_tree(s), nomination_id)
        rows = s.execute(select(AuditEvent).where(AuditEvent.nomination_id == nomination_id)
                         .order_by(AuditEvent.id)).scalars().all()
        return [audit_view(e) for e in rows]


def audit_view(e: AuditEvent) -> AuditEventView:
    return AuditEventView(e.id, e.at, e.actor, e.role, e.org_id, e.on_behalf_of, e.action, e.entity,
                          e.entity_id, e.nomination_id, e.from_state, e.to_state, e.reason, e.payload,
                          e.request_id, e.client_ip, e.chain, e.seq, e.hash, e.prev_hash)
