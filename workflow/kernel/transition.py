"""The one write path of every lifecycle: a row moves, its audit event is chained, its deadline
row and notices are written — in the caller's transaction, all or nothing.

A command (a nomination's approve, a dossier's submit, an obligation's report, the sweep's
escalation...) does its checks first — the row's version, the shared machine's answer, the
actor's permission (workflow/access/policy.py) — and asks a pure step builder what the step
does: a `Change`. Only then does `apply` write, so nothing is written before the permission
check. `apply`:

1. flushes the caller's own pending ORM edits (a lost race there is a Conflict);
2. computes the new version and the audit event: the next link of the row's chain
   ("n:42", head kept on the row), with the old and new value of every tracked field the step
   changed (`changes`, replayed by `audit verify`);
3. writes the row with one conditional UPDATE (WHERE id AND version), then the event, the
   deadline row and any further rows (workflow/kernel/writes.py; batched in bulk commands);
4. posts the notices the new state calls for (workflow/notices/notify.py), as rows in the same
   transaction.
"""
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Table, inspect
from sqlalchemy.orm import Session

from workflow.access.actors import Actor, RequestContext
from workflow.audit.chain import event_row
from workflow.kernel import gc_pause, writes
from workflow.kernel.subjects import NOMINATION, Subject, subject_of
from workflow.kernel.uow import flush
from workflow.notices import notify


@dataclass(frozen=True)
class Due:
    """A time limit for the state a row enters: when it is due and when to remind."""
    due_at: datetime
    remind_at: datetime | None = None


@dataclass
class Change:
    """What one step does to its row, computed before anything is written."""
    action: str
    values: dict = field(default_factory=dict)   # columns to set (the version is the kernel's)
    reason: str | None = None
    payload: dict | None = None
    on_behalf_of: str | None = None
    bump: bool = True          # False: bookkeeping (a reminder, a file attached), forms stay valid
    due: Due | None = None     # a deadline row for the state entered
    rows: tuple[tuple[Table, dict], ...] = ()  # further rows inserted with it (a council's tally...)
    nomination_id: int | None = None  # on a dossier's chain: the nomination the event is about
    facts: dict = field(default_factory=dict)  # what the machine's guards read (a vote passed...)
    # The notices the moved row calls for, asked once the row holds its new values.
    notices: Callable[[Any], Iterable[notify.Notice]] | None = None


def apply(session: Session, row: Any, actor: Actor, change: Change, now: datetime, ctx: RequestContext, *,
          created: bool = False) -> None:
    """Write `change` of `row` with its audit event, deadline row and notices.

    `created`: the row was just inserted (flushed) by the caller and this is its first event;
    every tracked field is recorded as new.
    """
    subject = subject_of(row)
    if inspect(row).modified:
        flush(session)
    values = dict(change.values)
    if change.bump:
        values["version"] = row.version + 1
    if subject.stamped and (change.bump or created):
        values["updated_at"] = now
    event = _event(subject, row, actor, change, values, now, ctx, created)
    values["audit_seq"], values["audit_head"] = event["seq"], event["hash"]
    rows: list[tuple[Table, dict]] = [(writes.EVENTS, event)]
    if change.due is not None:
        rows.append((writes.DEADLINES, _deadline(subject, row, values, change.due, now)))
    rows += change.rows
    writes.write(session, subject.table, row, values, rows)
    if change.notices is not None:
        for notice in change.notices(row):
            notify.post(session, notice, now)


def _event(subject: Subject, row: Any, actor: Actor, change: Change, values: dict, now: datetime,
           ctx: RequestContext, created: bool) -> dict:
    if created:  # every tracked field, unset ones too: replaying the chain must give the whole row
        changes = {f: [None, values.get(f, getattr(row, f))] for f in subject.tracked}
    else:
        changes = {f: [getattr(row, f), values[f]] for f in subject.tracked
                   if f in values and values[f] != getattr(row, f)}
    to_state = values.get("state", row.state)
    return event_row(
        chain=subject.chain(row.id), seq=row.audit_seq + 1, prev_hash=row.audit_head, at=now, actor=actor,
        ctx=ctx, action=change.action, entity=subject.entity, entity_id=row.id,
        nomination_id=row.id if subject is NOMINATION else change.nomination_id,
        from_state=None if created else row.state, to_state=to_state, reason=change.reason,
        payload=change.payload, on_behalf_of=change.on_behalf_of or actor.on_behalf_of,
        org_id=_home_org(subject, row, values) if actor.is_system else actor.org_id,
        changes=changes or None)


def _home_org(subject: Subject, row: Any, values: dict) -> int | None:
    """The org a system action is filed under: where a nomination waits, else the row's own org."""
    if subject is NOMINATION:
        return values.get("holder_org_id", row.holder_org_id) or row.unit_id
    return row.org_id


def _deadline(subject: Subject, row: Any, values: dict, due: Due, now: datetime) -> dict:
    """The sweep's row: remind first when the reminder is still ahead, else escalate at the due date."""
    waiting = due.remind_at is not None and due.remind_at > now
    return {"subject": subject.entity, "subject_id": row.id, "version": values.get("version", row.version),
            "state": values.get("state", row.state), "due_at": due.due_at, "remind_at": due.remind_at,
            "stage": "remind" if waiting else "escalate1", "next_at": due.remind_at if waiting else due.due_at}


@contextmanager
def batched(session: Session) -> Iterator[None]:
    """Collect the moves and notices of the block; write them in one statement each at its end."""
    with gc_pause.paused(), writes.batched(session), notify.buffered(session):
        yield
