"""Sweeping due deadline rows: read, act, claim; a batch at a time, a row at a time on trouble.

A batch is one transaction: its rows are read (and locked on PostgreSQL), each is walked
through the stages due now (after downtime, several, in order), its effects go through the
engine, and all rows are claimed by compare-and-set at the end; notices are written in two
statements. If anything in the batch fails, it is rolled back whole and done again row by row,
each row in a savepoint: a failing row is rolled back alone, logged, reported and set aside
for a while; a row another sweep took first is simply left to it.
"""
import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select

from workflow.kernel.transition import batched
from workflow.kernel.db import Database
from workflow.models import Nomination, Obligation
from workflow.orgs.tree import org_tree
from workflow.sweep import claims, effects
from workflow.sweep.claims import DueRow, LostRace
from workflow.sweep.effects import Ctx
from workflow.sweep.report import SweepReport
from workflow.sweep.stages import ESCALATION_LEVEL, NEXT_STAGE, RETIRED, Policy, next_fire
from workflow.calendar.timelimits import calendar_for

log = logging.getLogger(__name__)
Events = list[tuple[str, dict]]


def sweep_deadlines(db: Database, now: datetime, policy: Policy, worker: str, report: SweepReport,
                    keep_going: Callable[[], bool]) -> None:
    if not claims.any_due(db, now):
        return
    while keep_going():
        try:
            done = _batch(db, now, policy, worker, report)
        except Exception:  # a bad row or a lost race: again, one row at a time
            log.info("sweep batch rolled back; retrying row by row", exc_info=True)
            done = _batch_row_by_row(db, now, policy, worker, report)
        if done < policy.batch_size:
            break


def _context(s, rows: list[DueRow], now: datetime, policy: Policy, worker: str) -> Ctx:
    subjects: dict = {}
    for model, kind in ((Nomination, "nomination"), (Obligation, "obligation")):
        ids = [r.subject_id for r in rows if r.subject == kind]
        if ids:  # held here: the session keeps only weak references
            subjects.update(((kind, o.id), o) for o in s.execute(select(model).where(model.id.in_(ids))).scalars())
    return Ctx(s, org_tree(s), calendar_for(s), now, policy, worker, subjects)


def _batch(db: Database, now: datetime, policy: Policy, worker: str, report: SweepReport) -> int:
    events: Events = []
    with db.write() as s:
        rows = claims.due_rows(s, now, policy.batch_size)
        if not rows:
            return 0
        c = _context(s, rows, now, policy, worker)
        outcomes = []
        with batched(s):
            for row in rows:
                done, outcome = walk(c, row)
                events += done
                outcomes.append(outcome)
        claims.finish(s, outcomes)
    _tally(report, events)
    return len(rows)


def _batch_row_by_row(db: Database, now: datetime, policy: Policy, worker: str, report: SweepReport) -> int:
    with db.write() as s:
        rows = claims.due_rows(s, now, policy.batch_size)
        c = _context(s, rows, now, policy, worker)
        for row in rows:
            try:
                with s.begin_nested():
                    done, outcome = walk(c, row)
                    claims.finish(s, [outcome])
            except LostRace:
                report.count("lost")
            except Exception as e:  # one bad row must not stop the sweep
                log.exception("deadline %s (%s #%s) failed", row.id, row.subject, row.subject_id)
                claims.back_off(s, row.id, now, policy.retry_after_seconds, worker)
                report.count("failed")
                report.errors.append({"deadline": row.id, "subject": row.subject, "id": row.subject_id,
                                      "error": f"{type(e).__name__}: {e}"[:500]})
            else:
                _tally(report, done)
    return len(rows)


def _tally(report: SweepReport, events: Events) -> None:
    for what, event in events:
        report.count(what, **event)


def walk(c: Ctx, read: DueRow) -> tuple[Events, dict]:
    """Fire every stage of the row that is due now, in order; return what happened and the
    row's new stage (claimed afterwards by compare-and-set)."""
    subject = effects.load(c, read)
    if not effects.is_current(subject, read):  # the subject moved on: this row never fires
        return [("retired", {})], claims.outcome(read, RETIRED, None, read.version, c.now, c.worker)
    done: Events = []
    base = {"deadline": read.id, "subject": read.subject, "id": read.subject_id}
    row = read
    while row.next_at is not None and row.next_at <= c.now and row.stage in NEXT_STAGE:
        stage, nxt = row.stage, NEXT_STAGE[row.stage]
        version = row.version
        if stage == "remind" and c.now < row.due_at:
            effects.remind(c, subject, row)
            done.append(("reminded", {**base, "action": "remind"}))
        elif stage == "remind":
            done.append(("skipped_reminders", {}))  # the due date passed while no sweep ran
        else:
            version = effects.escalate(c, subject, row, ESCALATION_LEVEL[stage])
            done.append(("escalated", {**base, "action": "escalate", "level": ESCALATION_LEVEL[stage]}))
        row = row._replace(stage=nxt, next_at=next_fire(nxt, row.due_at, c.cal, c.policy), version=version)
    return done, claims.outcome(read, row.stage, row.next_at, row.version, c.now, c.worker)
