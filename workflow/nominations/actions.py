"""The actions of the lifecycle (DESIGN.md §3), one use case each, plus their bulk variant."""
import re
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workflow import validation as v

from workflow.nominations import engine

from workflow.kernel import writes as moves

from workflow.notices import notify
from workflow.access.actors import NO_CONTEXT, Actor, RequestContext
from workflow.catalogue.awards import passes_threshold, quorum_met
from workflow.kernel.db import Database
from workflow.nominations.engine import Transition
from workflow.access.rules import can_see
from workflow.errors import Conflict, DomainError, InvalidInput, InvalidTransition, NotFound
from workflow.catalogue.legal_basis import legal_basis_on
from workflow.models import AwardType, CouncilVote, Decision, Nomination, Plan
from workflow.orgs.tree import OrgTree, org_tree
from workflow.dossiers import core as dossier_core
from workflow.access.loading import load_actor
from workflow.nominations.drafting import plan_accepting
from workflow.nominations.queries import load_visible, view_of
from workflow.views import BulkResult, NominationView
from workflow.calendar.workdays import local_date

MAX_REASON = 2000
MAX_MEMBERS = 1000
DECISION_NUMBER = re.compile(r"\d{1,6}[A-Za-z]?/Q[ĐD]-[A-Za-zĐđ0-9]+(?:[-.][A-Za-zĐđ0-9]+)*")
BULK_CHUNK = 500

Builder = Callable[[Session, Actor, OrgTree, Nomination, dict, datetime], Transition]


def _reason(body: dict, required: bool) -> str | None:
    return v.text(body.get("reason"), "reason", required=required, max_len=MAX_REASON, multiline=True)


def _submit(s, actor, tree, nom, body, now) -> Transition:
    plan = s.get(Plan, nom.plan_id)
    if not plan_accepting(plan, now):
        raise InvalidTransition(f"Kế hoạch {plan.number} đã hết thời hạn nhận hồ sơ",
                                f"Plan {plan.number} no longer accepts nominations")
    changes = {}
    if nom.submitted_at is None:
        # The legal basis in force on submission governs the nomination (domain.md §0).
        changes = {"submitted_at": now, "legal_basis": legal_basis_on(local_date(now))}
    return Transition("submit", changes=changes, reason=_reason(body, False),
                      payload={"legal_basis": changes.get("legal_basis", nom.legal_basis)})


def tally(votes, award: AwardType) -> tuple[dict, bool]:
    """Validate a council tally; refuse a meeting without quorum; say whether it passes."""
    if not isinstance(votes, dict):
        raise InvalidInput("Thiếu kết quả bỏ phiếu", "Missing vote tally", field="votes")
    members = v.integer(votes.get("members"), "votes.members", minimum=1, maximum=MAX_MEMBERS)
    present = v.integer(votes.get("present"), "votes.present", minimum=0, maximum=members)
    yes = v.integer(votes.get("yes"), "votes.yes", minimum=0, maximum=present)
    no = v.integer(votes.get("no"), "votes.no", minimum=0, maximum=present)
    if yes + no > present:
        raise InvalidInput("Số phiếu đồng ý và không đồng ý vượt quá số thành viên tham dự",
                           "yes + no exceeds the members present", field="votes.no")
    if not quorum_met(present, members, award.quorum):
        raise InvalidInput(
            f"Không đủ số thành viên tham dự (cần ít nhất {award.quorum:.0%} của {members}); "
            "cuộc họp không hợp lệ",
            f"No quorum: at least {award.quorum:.0%} of {members} members must take part",
            field="votes.present")
    passed = passes_threshold(yes, members, award.vote_threshold)
    return {"members": members, "present": present, "yes": yes, "no": no,
            "threshold": award.vote_threshold, "passed": passed}, passed


def record_vote(s: Session, actor: Actor, nom: Nomination, result: dict, now: datetime,
                dossier_id: int | None = None) -> None:
    """Keep the council's tally (never the ballots); a dossier session names its dossier."""
    s.connection().execute(insert(CouncilVote.__table__), dict(
        nomination_id=nom.id, dossier_id=dossier_id, recorded_by=actor.user_id, recorded_at=now, **result))


def _vote(s, actor, tree, nom, body, now) -> Transition:
    result, passed = tally(body.get("votes"), s.get(AwardType, nom.award_code))
    record_vote(s, actor, nom, result, now, dossier_id=nom.dossier_id)
    reason = None if passed else (
        f"Không đạt tỷ lệ phiếu: {result['yes']}/{result['members']} thành viên đồng ý")
    return Transition("vote", facts={"vote_passed": passed}, payload={"votes": result},
                      reason=_reason(body, False) or reason)


def _approve(s, actor, tree, nom, body, now) -> Transition:
    return Transition("approve", reason=_reason(body, False))


_DECISION = select(Decision).where(Decision.org_id == bindparam("org_id"), Decision.number == bindparam("number"))


def decision_for(s: Session, actor: Actor, body, nom_dates: list, now: datetime) -> Decision:
    """Find or record the decision (quyết định) in the actor's org: one number, one decision."""
    if not isinstance(body, dict):
        raise InvalidInput("Thiếu số và ngày quyết định", "Missing decision number and date", field="decision")
    number = v.text(body.get("number"), "decision.number", max_len=80)
    if not DECISION_NUMBER.fullmatch(number):
        raise InvalidInput(f"Số quyết định '{number}' không đúng dạng, ví dụ 1234/QĐ-BTTTT",
                           f"Decision number '{number}' is malformed; e.g. 1234/QĐ-BTTTT",
                           field="decision.number")
    day = v.iso_date(body.get("date"), "decision.date")
    if day > local_date(now):
        raise InvalidInput("Ngày quyết định không được sau hôm nay", "The decision date is in the future",
                           field="decision.date")
    if nom_dates and day < max(nom_dates):
        raise InvalidInput("Ngày quyết định trước ngày trình hồ sơ", "The decision predates the submission",
                           field="decision.date")
    signer = v.text(body.get("signer"), "decision.signer", required=False, max_len=200) or actor.full_name
    behalf = v.text(body.get("on_behalf_of"), "decision.on_behalf_of", required=False, max_len=200)
    found = s.execute(_DECISION, {"org_id": actor.org_id, "number": number}).scalar_one_or_none()
    if found:
        if found.decided_on != day:
            raise Conflict(f"Quyết định {number} đã ghi với ngày {found.decided_on:%d/%m/%Y}",
                           f"Decision {number} is already recorded dated {found.decided_on}",
                           field="decision.date")
        return found
    d = Decision(number=number, decided_on=day, org_id=actor.org_id, signer=signer,
                 on_behalf_of=behalf, created_by=actor.user_id, created_at=now)
    s.add(d)
    s.flush()
    return d


def _decide(s, actor, tree, nom, body, now) -> Transition:
    submitted = [local_date(nom.submitted_at)] if nom.submitted_at else []
    d = decision_for(s, actor, body.get("decision"), submitted, now)
    return Transition("decide", changes={"decision_id": d.id}, on_behalf_of=d.on_behalf_of,
                      payload={"decision": {"number": d.number, "date": d.decided_on.isoformat(),
                                            "signer": d.signer}}, reason=_reason(body, False))


def _return(s, actor, tree, nom, body, now) -> Transition:
    return Transition("return", reason=_reason(body, True))


def _resubmit(s, actor, tree, nom, body, now) -> Transition:
    return Transition("resubmit", reason=_reason(body, False))


def _reject(s, actor, tree, nom, body, now) -> Transition:
    return Transition("reject", reason=_reason(body, True))


def _withdraw(s, actor, tree, nom, body, now) -> Transition:
    return Transition("withdraw", reason=_reason(body, False))


BUILDERS: dict[str, Builder] = {
    "submit": _submit, "vote": _vote, "approve": _approve, "decide": _decide, "return": _return,
    "resubmit": _resubmit, "reject": _reject, "withdraw": _withdraw,
}


def act_in(s: Session, actor: Actor, tree: OrgTree, nom: Nomination, action: str, body: dict,
           now: datetime, ctx: RequestContext, *, version=None, extra_payload: dict | None = None,
           changes: dict | None = None) -> Nomination:
    """Run one action inside the caller's transaction: checks, then the engine.

    `extra_payload` is merged into the audit payload (e.g. the dossier or decision number the
    action was taken under); `changes` sets further columns (e.g. the dossier it moves with).
    """
    probe = Transition(action, version=version)
    engine.check_allowed(actor, nom, probe)
    t = BUILDERS[action](s, actor, tree, nom, body, now)
    t.version = version
    if extra_payload:
        t.payload = {**(t.payload or {}), **extra_payload}
    if changes:
        t.changes = {**t.changes, **changes}
    engine.fire(s, tree, nom, actor, t, now, ctx)
    engine.flush_or_conflict(s)
    return nom


def _sync_dossiers(s: Session, actor: Actor, noms: list[Nomination], now: datetime,
                   ctx: RequestContext) -> None:
    """A dossier follows its nominations (received, closed...), in the same transaction."""
    ids = [n.id for n in noms if n.dossier_id is not None]
    if ids:
        dossier_core.sync_all(s, actor, ids, now, ctx)
        engine.flush_or_conflict(s)


def _body(body) -> dict:
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise InvalidInput("Nội dung yêu cầu phải là đối tượng JSON", "The body must be a JSON object",
                           field="body")
    return body


def check_action(action) -> str:
    if action not in BUILDERS:
        raise InvalidInput(f"Không có thao tác '{action}'", f"Unknown action '{action}'", field="action")
    return action


def perform(db: Database, actor_id: int, nomination_id: int, action: str, body: dict | None = None,
            *, now: datetime, ctx: RequestContext = NO_CONTEXT) -> NominationView:
    """Perform `action` on one nomination in one transaction."""
    check_action(action)
    body = _body(body)
    version = v.integer(body.get("version"), "version", minimum=1, required=False)
    try:
        with db.write() as s:
            actor = load_actor(s, actor_id)
            tree = org_tree(s)
            nom = load_visible(s, actor, tree, nomination_id)
            act_in(s, actor, tree, nom, action, body, now, ctx, version=version)
            _sync_dossiers(s, actor, [nom], now, ctx)
            return view_of(s, actor, tree, nom, now)
    except IntegrityError:
        raise Conflict("Thao tác trùng với một thao tác khác vừa thực hiện; không có gì thay đổi",
                       "A concurrent action got there first; nothing was changed") from None


def submit_nomination(db, actor_id, nomination_id, *, now, version=None, ctx=NO_CONTEXT):
    return perform(db, actor_id, nomination_id, "submit", {"version": version}, now=now, ctx=ctx)


def vote_on_nomination(db, actor_id, nomination_id, *, votes, now, version=None, ctx=NO_CONTEXT):
    return perform(db, actor_id, nomination_id, "vote", {"version": version, "votes": votes}, now=now, ctx=ctx)


def approve_nomination(db, actor_id, nomination_id, *, now, version=None, ctx=NO_CONTEXT):
    return perform(db, actor_id, nomination_id, "approve", {"version": version}, now=now, ctx=ctx)


def decide_nomination(db, actor_id, nomination_id, *, decision, now, version=None, ctx=NO_CONTEXT):
    return perform(db, actor_id, nomination_id, "decide", {"version": version, "decision": decision},
                   now=now, ctx=ctx)


def return_nomination(db, actor_id, nomination_id, *, reason, now, version=None, ctx=NO_CONTEXT):
    return perform(db, actor_id, nomination_id, "return", {"version": version, "reason": reason},
                   now=now, ctx=ctx)


def resubmit_nomination(db, actor_id, nomination_id, *, now, version=None, ctx=NO_CONTEXT):
    return perform(db, actor_id, nomination_id, "resubmit", {"version": version}, now=now, ctx=ctx)


def reject_nomination(db, actor_id, nomination_id, *, reason, now, version=None, ctx=NO_CONTEXT):
    return perform(db, actor_id, nomination_id, "reject", {"version": version, "reason": reason},
                   now=now, ctx=ctx)


def withdraw_nomination(db, actor_id, nomination_id, *, now, reason=None, version=None, ctx=NO_CONTEXT):
    return perform(db, actor_id, nomination_id, "withdraw", {"version": version, "reason": reason},
                   now=now, ctx=ctx)


def bulk_perform(db: Database, actor_id: int, action: str, ids, body: dict | None = None, *,
                 now: datetime, ctx: RequestContext = NO_CONTEXT) -> list[BulkResult]:
    """The same action on many nominations: each all-or-nothing, one failure stops no other.

    Chunks of BULK_CHUNK run in one transaction each: the rows are locked (FOR UPDATE on
    PostgreSQL; SQLite's write lock is held from BEGIN IMMEDIATE), every item is checked and
    applied in memory, and one flush writes them all. Should that flush still fail, the chunk
    is redone item by item in savepoints, so a refused item never takes others down with it.
    """
    check_action(action)
    body = _body(body)
    ids = v.id_list(ids, "ids")
    results: list[BulkResult] = []
    for start in range(0, len(ids), BULK_CHUNK):
        chunk = ids[start:start + BULK_CHUNK]
        try:
            with db.write() as s:
                results += _bulk_chunk(s, chunk, actor_id, action, body, now, ctx)
        except (DomainError, IntegrityError):
            with db.write() as s:
                actor, tree = load_actor(s, actor_id), org_tree(s)
                results += [_bulk_item(s, actor, tree, nid, action, body, now, ctx) for nid in chunk]
    return results


def _failure(nid: int, e: DomainError) -> BulkResult:
    return BulkResult(nid, False, error={"code": e.code, "message": e.message_vi, "message_en": e.message_en,
                                         "field": e.field})


def _bulk_chunk(s, chunk, actor_id, action, body, now, ctx) -> list[BulkResult]:
    actor, tree = load_actor(s, actor_id), org_tree(s)
    q = select(Nomination).where(Nomination.id.in_(chunk))
    if s.get_bind().dialect.name == "postgresql":
        q = q.with_for_update()
    # Held here: the session's identity map keeps only weak references.
    loaded = {n.id: n for n in s.execute(q).scalars()}
    out, moved = [], []
    with moves.batched(s), notify.buffered(s):
        for nid in chunk:
            try:
                nom = loaded.get(nid)
                if nom is None or not can_see(actor, nom, tree):
                    raise NotFound(f"Không tìm thấy hồ sơ #{nid}", f"Nomination #{nid} not found")
                engine.check_allowed(actor, nom, Transition(action))
                engine.fire(s, tree, nom, actor, BUILDERS[action](s, actor, tree, nom, body, now), now, ctx)
                out.append(BulkResult(nid, True, nom.state, nom.version))
                moved.append(nom)
            except DomainError as e:
                out.append(_failure(nid, e))
    engine.flush_or_conflict(s)
    _sync_dossiers(s, actor, moved, now, ctx)
    return out


def _bulk_item(s, actor, tree, nid, action, body, now, ctx) -> BulkResult:
    sp = s.begin_nested()
    try:
        nom = load_visible(s, actor, tree, nid)
        act_in(s, actor, tree, nom, action, body, now, ctx)
        _sync_dossiers(s, actor, [nom], now, ctx)
        sp.commit()
        return BulkResult(nid, True, nom.state, nom.version)
    except DomainError as e:
        sp.rollback()
        return _failure(nid, e)
    except IntegrityError:
        sp.rollback()
        return BulkResult(nid, False, error={"code": "conflict", "message": "Xung đột đồng thời",
                                             "message_en": "Concurrent change"})
