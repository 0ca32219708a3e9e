"""The rows the audit log proves: each chain replayed into its row, compared field by field.

Every change of a nomination, dossier or report obligation is written with an event recording
the old and new value of each tracked field it changed (workflow/kernel/subjects.py); a decision
is recorded once on its own chain "q:<id>" (workflow/decisions/records.py). Folding a chain's
`changes` from its first event gives what the row must hold now. A row edited behind the
application's back (an award set in SQL, a nominee renamed, a decision's number changed), a row
with no history at all, or a decision no chain recorded, is named with the field that differs.

Chains written before events recorded their changes (databases from before the kernel) cannot be
replayed; they are counted as `unproven`, not as problems. A deleted row (a draft removed for
retention) leaves its chain behind, which is allowed.

Memory: one chain's fold and one row at a time — events and rows are read in the same order
(row id, then seq) and merged.
"""
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.kernel.subjects import SUBJECTS, Subject
from workflow.models import AuditEvent, Decision

BATCH = 5000
DECISION_PREFIX = "q"
DECISION_FIELDS = ("number", "decided_on", "signer", "on_behalf_of", "org_id")
NAMES = {"n": ("hồ sơ", "nomination"), "d": ("tờ trình", "dossier"), "o": ("báo cáo", "report obligation"),
         DECISION_PREFIX: ("quyết định", "decision")}


@dataclass(frozen=True)
class RowProblem:
    """A row that its chain does not prove: `field` differs (or the row has no history)."""
    chain: str
    row_id: int
    field: str | None
    expected: Any
    found: Any
    message_vi: str
    message_en: str
    position: float = math.inf


@dataclass
class ReplayResult:
    rows: int = 0        # rows compared with their chain
    unproven: int = 0    # chains from before events recorded their changes


def _plain(value: Any) -> Any:
    """A row's value as an event's JSON holds it."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _folds(s: Session, prefix: str, entity: str) -> Iterator[tuple[int, dict | None, int]]:
    """(row id, the fold of its chain's changes or None when unprovable, first event id), by row id."""
    q = (select(AuditEvent.entity_id, AuditEvent.seq, AuditEvent.id, AuditEvent.changes)
         .where(AuditEvent.chain >= f"{prefix}:", AuditEvent.chain < f"{prefix};", AuditEvent.entity == entity)
         .order_by(AuditEvent.entity_id, AuditEvent.seq).execution_options(yield_per=BATCH))
    fold: dict = {}
    current, first_id, provable = None, 0, True
    for row_id, seq, event_id, changes in s.execute(q):
        if row_id != current:
            if current is not None:
                yield current, fold if provable else None, first_id
            current, fold, first_id, provable = row_id, {}, event_id, seq == 1 and changes is not None
        for name, (_old, new) in (changes or {}).items():
            fold[name] = new
    if current is not None:
        yield current, fold if provable else None, first_id


def _rows(s: Session, model: Any, names: tuple[str, ...]) -> Iterator[Any]:
    cols = [model.id, *(getattr(model, n) for n in names)]
    yield from s.execute(select(*cols).order_by(model.id).execution_options(yield_per=BATCH))


def _compare(prefix: str, row: Any, fold: dict, names: tuple[str, ...], position: float) -> RowProblem | None:
    vi, en = NAMES[prefix]
    for name in names:
        if name not in fold:
            continue
        found = _plain(getattr(row, name))
        if found != fold[name]:
            return RowProblem(f"{prefix}:{row.id}", row.id, name, fold[name], found,
                              f"{vi} #{row.id}: trường {name} là {found!r}, nhật ký ghi {fold[name]!r}",
                              f"{en} #{row.id}: {name} is {found!r}, the audit log records {fold[name]!r}", position)
    return None


def _merge(s: Session, prefix: str, entity: str, model: Any, names: tuple[str, ...], result: ReplayResult
           ) -> Iterator[RowProblem]:
    folds = _folds(s, prefix, entity)
    pending = next(folds, None)
    vi, en = NAMES[prefix]
    for row in _rows(s, model, names):
        while pending is not None and pending[0] < row.id:  # a chain whose row was deleted
            pending = next(folds, None)
        if pending is None or pending[0] != row.id:
            yield RowProblem(f"{prefix}:{row.id}", row.id, None, None, None,
                             f"{vi} #{row.id} không có lịch sử trong nhật ký (được ghi thẳng vào cơ sở dữ liệu)",
                             f"{en} #{row.id} has no history in the audit log (written straight into the database)")
            continue
        _, fold, first_id = pending
        pending = next(folds, None)
        if fold is None:
            result.unproven += 1
            continue
        result.rows += 1
        problem = _compare(prefix, row, fold, names, first_id)
        if problem:
            yield problem


def replay(s: Session, result: ReplayResult | None = None) -> Iterator[RowProblem]:
    """Every row the chains do not prove, nominations, dossiers, obligations and decisions."""
    result = result if result is not None else ReplayResult()
    subject: Subject
    for subject in SUBJECTS.values():
        yield from _merge(s, subject.prefix, subject.entity, subject.model, subject.tracked, result)
    yield from _merge(s, DECISION_PREFIX, "decision", Decision, DECISION_FIELDS, result)
