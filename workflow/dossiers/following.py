"""A dossier follows its nominations: received, aggregated, closed — in the same transaction.

After any command moves nominations, every dossier that carried one of them takes the forward
step its nominations now call for (states/dossiers.py `derived_action`), recorded on its own
chain like any move.
"""
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from states.dossiers import KIND_AGGREGATE, MemberSummary, derived_action
from states.lifecycle import TERMINAL_STATES
from workflow.access.actors import Actor, RequestContext
from workflow.dossiers.core import move
from workflow.kernel.uow import flush
from workflow.models import Dossier, DossierNomination, Nomination


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
    if action == "receive" and d.kind == KIND_AGGREGATE:
        return None  # the receiving level's own staff record the receipt (workflow/dossiers/central.py)
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


def follow_ids(s: Session, actor: Actor, nomination_ids: Iterable[int], now: datetime, ctx: RequestContext, *,
               skip: Iterable[int] = ()) -> None:
    """Every dossier that carried these nominations takes the step they call for."""
    skipped = set(skip)
    for did in dossiers_of(s, nomination_ids):
        if did not in skipped:
            sync(s, actor, s.get(Dossier, did), now, ctx)


def follow(s: Session, actor: Actor, noms: Iterable[Nomination], now: datetime, ctx: RequestContext) -> None:
    """`follow_ids` for the nominations a command just moved (those in a dossier)."""
    ids = [n.id for n in noms if n.dossier_id is not None]
    if ids:
        flush(s)
        follow_ids(s, actor, ids, now, ctx)
