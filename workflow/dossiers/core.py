"""What every dossier use case shares (hồ sơ / tờ trình).

Who sees a dossier, its audit chain "d:<id>" (head on the row, like a nomination's), its
shared state machine, the forward moves its nominations call for, and running one action
over many nominations inside one transaction with a reason per refused item.
"""
import re
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import and_, func, or_, select, true
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from states.dossiers import DRAFT, KIND_AGGREGATE, MemberSummary, derived_action, dossier_machine
from states.lifecycle import TERMINAL_STATES
from workflow import validation as v
from workflow.audit import chain as audit
from workflow.access.actors import UNIT_ROLES, Actor, RequestContext
from workflow.kernel.db import Database
from workflow.errors import Conflict, DomainError, Forbidden, InvalidInput, InvalidTransition, NotFound
from workflow.models import Dossier, DossierNomination, Nomination
from workflow.orgs.tree import OrgTree, org_tree
from workflow.access.loading import load_actor

# "45/TTr-VTC", "123/TTr-BTTTT"; the number before the slash may still be blank on a draft.
DOSSIER_NUMBER = re.compile(r"\d{0,6}[A-Za-z]?/[\w.\-]+(?:/[\w.\-]+)*")
MAX_TITLE = 500
MAX_REASON = 2000
# PostgreSQL: deadlock detected, serialization failure: a race lost, not a fault.
RACE_SQLSTATES = {"40P01", "40001"}


def ref(d: Dossier) -> dict:
    """How a dossier is named in nomination audit payloads."""
    return {"id": d.id, "number": d.number}


def parse_number(value, s: Session, org_id: int, field: str = "number") -> str:
    number = v.text(value, field, max_len=80)
    if not DOSSIER_NUMBER.fullmatch(number):
        raise InvalidInput(f"Số tờ trình '{number}' không đúng dạng, ví dụ 45/TTr-VTC",
                           f"Dossier number '{number}' is malformed; e.g. 45/TTr-VTC", field=field)
    if number[0].isdigit():
        taken = s.execute(select(Dossier.id).where(Dossier.org_id == org_id, Dossier.number == number)
                          .limit(1)).scalar()
        if taken is not None:
            raise Conflict(f"Đơn vị đã có hồ sơ số {number} (#{taken})",
                           f"Your org already has dossier {number} (#{taken})", field=field)
    return number


def parse_reason(body: dict, required: bool) -> str | None:
    return v.text(body.get("reason"), "reason", required=required, max_len=MAX_REASON, multiline=True)


# --- visibility ----------------------------------------------------------------------------

def can_see(actor: Actor, d: Dossier, tree: OrgTree) -> bool:
    """Unit roles see their unit's dossiers; upper levels see what was sent, not drafts."""
    if actor.is_admin or actor.is_system:
        return True
    if actor.org_id not in tree.nodes or not tree.is_within(d.org_id, actor.org_id):
        return False
    return d.state != DRAFT or actor.role in UNIT_ROLES or d.org_id == actor.org_id


def visibility_clause(actor: Actor, tree: OrgTree):
    if actor.is_admin or actor.is_system:
        return true()
    if actor.org_id not in tree.nodes:
        return Dossier.id.is_(None)
    clause = Dossier.org_id.in_(sorted(tree.subtree_ids(actor.org_id)))
    if actor.role in UNIT_ROLES:
        return clause
    return and_(clause, or_(Dossier.state != DRAFT, Dossier.org_id == actor.org_id))


def load(s: Session, actor: Actor, tree: OrgTree, dossier_id) -> Dossier:
    """The dossier, or NotFound when it does not exist or the actor may not see it."""
    d = s.get(Dossier, dossier_id) if isinstance(dossier_id, int) and 0 < dossier_id < 2**62 else None
    if d is None or not can_see(actor, d, tree):
        raise NotFound(f"Không tìm thấy hồ sơ trình #{dossier_id}", f"Dossier #{dossier_id} not found")
    return d


def open_current(s: Session, actor_id: int, dossier_id, version) -> tuple[Actor, OrgTree, Dossier]:
    """The acting user, the org tree and the dossier a command works on: NotFound when the
    user may not see it, Conflict when `version` (as the caller last saw it) is stale."""
    actor = load_actor(s, actor_id)
    tree = org_tree(s)
    d = load(s, actor, tree, dossier_id)
    check_version(d, version)
    return actor, tree, d


def check_version(d: Dossier, version) -> None:
    version = v.integer(version, "version", minimum=1, required=False)
    if version is not None and version != d.version:
        raise Conflict(f"Hồ sơ {d.number} đã được người khác thay đổi (phiên bản {d.version}); hãy tải lại",
                       f"Dossier {d.number} was changed by someone else (version {d.version}); reload",
                       field="version")


def addressed_org(tree: OrgTree, org_id: int, kind: str) -> int | None:
    """Where a dossier goes: a unit's to its ministry/province, an aggregate one to the centre."""
    level = "central" if kind == KIND_AGGREGATE else "ministry"
    node = tree.nearest(org_id, level) or tree.nearest(org_id, "central")
    return node.id if node and node.id != org_id else None


# --- audit and state -----------------------------------------------------------------------

def record(s: Session, d: Dossier, actor: Actor, action: str, now: datetime, ctx: RequestContext, *,
           from_state: str | None, reason: str | None = None, payload: dict | None = None,
           nomination_id: int | None = None, bump: bool = True) -> None:
    """Bump the version and append to the dossier's chain, in the caller's transaction."""
    if bump:
        d.version = d.version + 1
    ev = audit.new_event(
        s, chain=f"d:{d.id}", seq=d.audit_seq + 1, prev_hash=d.audit_head, at=now, actor=actor,
        ctx=ctx, action=action, entity="dossier", entity_id=d.id, nomination_id=nomination_id,
        from_state=from_state, to_state=d.state, reason=reason, payload=payload,
        org_id=d.org_id if actor.is_system else actor.org_id)
    d.audit_seq, d.audit_head = ev.seq, ev.hash


def move(s: Session, d: Dossier, actor: Actor, trigger: str, now: datetime, ctx: RequestContext, *,
         reason: str | None = None, payload: dict | None = None) -> str:
    """Fire a transition of the shared dossier machine and record it."""
    dest = dossier_machine().next_state(d.state, trigger)
    if dest is None:
        raise InvalidTransition(
            f"Không thể thực hiện '{trigger}' khi hồ sơ {d.number} đang ở trạng thái '{d.state}'",
            f"Action '{trigger}' is not allowed while dossier {d.number} is '{d.state}'")
    source, d.state = d.state, dest
    record(s, d, actor, trigger, now, ctx, from_state=source, reason=reason, payload=payload)
    return dest


def flush(s: Session) -> None:
    """Flush; a concurrent change of a dossier or nomination row becomes a Conflict."""
    try:
        s.flush()
    except StaleDataError:
        raise Conflict("Hồ sơ vừa được người khác xử lý; không có gì thay đổi",
                       "Someone else changed this dossier first; nothing was changed",
                       field="version") from None


def summarize(s: Session, d: Dossier) -> MemberSummary:
    rows = s.execute(
        select(Nomination.state, Nomination.holder_org_id, Nomination.dossier_id, func.count())
        .join(DossierNomination, DossierNomination.nomination_id == Nomination.id)
        .where(DossierNomination.dossier_id == d.id)
        .group_by(Nomination.state, Nomination.holder_org_id, Nomination.dossier_id)).all()
    total = terminal = moved = at_submitter = at_addressed = 0
    for state, holder, current, n in rows:
        total += n
        terminal += n if state in TERMINAL_STATES else 0
        if current != d.id:
            moved += n
        elif state not in TERMINAL_STATES and holder == d.org_id:
            at_submitter += n
        elif state not in TERMINAL_STATES and holder == d.addressed_org_id:
            at_addressed += n
    return MemberSummary(total, terminal, moved, at_submitter, at_addressed)


def sync(s: Session, actor: Actor, d: Dossier, now: datetime, ctx: RequestContext, *,
         moved_now: bool = False, payload: dict | None = None) -> str | None:
    """Take the forward step the dossier's nominations call for (receive, aggregate, close);
    returns the action taken, if any."""
    action = derived_action(d.state, summarize(s, d), moved_now=moved_now)
    if action:
        move(s, d, actor, action, now, ctx, payload=payload)
    return action


def dossiers_of(s: Session, nomination_ids: Iterable[int]) -> list[int]:
    """Every dossier that carried one of these nominations, in id order (the lock order)."""
    ids = sorted(set(nomination_ids))
    found: set[int] = set()
    for start in range(0, len(ids), 1000):
        found.update(s.execute(select(DossierNomination.dossier_id).where(
            DossierNomination.nomination_id.in_(ids[start:start + 1000]))).scalars())
    return sorted(found)


def sync_all(s: Session, actor: Actor, nomination_ids: Iterable[int], now: datetime,
             ctx: RequestContext, *, skip: Iterable[int] = ()) -> None:
    skipped = set(skip)
    for did in dossiers_of(s, nomination_ids):
        if did not in skipped:
            sync(s, actor, s.get(Dossier, did), now, ctx)


# --- members and many items ----------------------------------------------------------------

def _locked(s: Session, q):
    """Rows taken FOR UPDATE on PostgreSQL, re-read fresh: a command that waited for another
    sees what that one did and refuses with a reason instead of failing on a stale version.
    SQLite's writers already hold the database lock from BEGIN IMMEDIATE."""
    if s.get_bind().dialect.name != "postgresql":
        return q
    return q.with_for_update(of=Nomination).execution_options(populate_existing=True)


def lock_nominations(s: Session, ids: Iterable[int]) -> dict[int, Nomination]:
    """The nominations with these ids, locked in id order (the order every command uses)."""
    q = select(Nomination).where(Nomination.id.in_(sorted(set(ids)))).order_by(Nomination.id)
    return {n.id: n for n in s.execute(_locked(s, q)).scalars()}


def members(s: Session, d: Dossier, *, here_only: bool = False, lock: bool = False) -> list[Nomination]:
    """The nominations the dossier carried, in list order; `here_only`: still travelling in it;
    `lock`: locked (in id order) for a command."""
    q = (select(Nomination, DossierNomination.position)
         .join(DossierNomination, DossierNomination.nomination_id == Nomination.id)
         .where(DossierNomination.dossier_id == d.id).order_by(Nomination.id))
    if here_only:
        q = q.where(Nomination.dossier_id == d.id)
    rows = s.execute(_locked(s, q) if lock else q).all()
    return [n for n, _ in sorted(rows, key=lambda r: (r[1], r[0].id))]


def next_position(s: Session, d: Dossier) -> int:
    last = s.execute(select(func.max(DossierNomination.position))
                     .where(DossierNomination.dossier_id == d.id)).scalar()
    return (last or 0) + 1


def item_error(nomination_id, e: DomainError) -> dict:
    return {"nomination_id": nomination_id, "code": e.code, "message": e.message_vi,
            "message_en": e.message_en, **({"field": e.field} if e.field else {})}


def run_each(s: Session, items: Iterable, fn: Callable, key: Callable = lambda x: x) -> tuple[list, list]:
    """Run `fn(item)` for each item in its own savepoint: (results, per-item errors)."""
    done, errors = [], []
    for item in items:
        sp = s.begin_nested()
        try:
            done.append(fn(item))
            sp.commit()
        except DomainError as e:
            sp.rollback()
            errors.append(item_error(key(item), e))
        except IntegrityError:  # e.g. its audit event raced another command's: that one won
            sp.rollback()
            errors.append(item_error(key(item), Conflict(
                "Một thao tác đồng thời đã xử lý hồ sơ này trước", "A concurrent action got there first")))
    return done, errors


_BY_CODE = {c.code: c for c in (InvalidInput, Forbidden, NotFound, InvalidTransition, Conflict)}


def refuse(errors: list[dict], vi: str, en: str, *, cls: type[DomainError] | None = None) -> None:
    """All or nothing: any refused item refuses the whole command, naming each reason.

    When every item failed for the same kind of reason the status says so (403, 404, 422...);
    mixed reasons are a 409. One shared message is repeated at the top.
    """
    if not errors:
        return
    codes = {e["code"] for e in errors}
    cls = cls or (_BY_CODE.get(codes.pop(), Conflict) if len(codes) == 1 else Conflict)
    same = {(e["message"], e["message_en"], e.get("field")) for e in errors}
    if len(same) == 1:
        msg_vi, msg_en, field = same.pop()
        vi, en = f"{vi}: {msg_vi}", f"{en}: {msg_en}"
    else:
        field = None
        vi, en = f"{vi}: {len(errors)} mục bị từ chối", f"{en}: {len(errors)} item(s) refused"
    raise cls(f"{vi}; không có gì thay đổi", f"{en}; nothing was changed", field=field, details=errors)


@contextmanager
def command(db: Database):
    """One transaction; a race lost to a concurrent command becomes a Conflict."""
    try:
        with db.write() as s:
            yield s
    except StaleDataError:
        raise Conflict("Hồ sơ vừa được người khác xử lý; không có gì thay đổi",
                       "Someone else acted first; nothing was changed") from None
    except IntegrityError:
        raise Conflict("Thao tác trùng với một thao tác khác vừa thực hiện; không có gì thay đổi",
                       "A concurrent action got there first; nothing was changed") from None
    except OperationalError as e:
        if getattr(getattr(e, "orig", None), "sqlstate", None) in RACE_SQLSTATES:
            raise Conflict("Xung đột với một thao tác đồng thời; hãy thử lại",
                           "Lost a race with a concurrent action; try again") from None
        raise
