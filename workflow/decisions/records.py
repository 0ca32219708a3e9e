"""Recording a decision (quyết định khen thưởng) that nominations are decided under.

One number, one decision of the deciding org: the first command that names it records it
(number, date, signer, and on whose behalf a deputy signs "KT."); later commands naming the same
number and date add their nominations to it.
"""
import re
from typing import Any
from datetime import date, datetime

from sqlalchemy import Table, bindparam, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, make_transient_to_detached

from workflow import validation as v
from workflow.access.actors import Actor, RequestContext
from workflow.audit.chain import append, event_row
from workflow.kernel.writes import EVENTS, insert_now
from workflow.calendar.workdays import local_date
from workflow.decisions import numbering
from workflow.errors import Conflict, InvalidInput
from workflow.models import Decision
from workflow.kernel.db import core

# "1234/QĐ-TTg", "15/QĐ-BTTTT"; ND 30/2020 Art. 15 numbers with the kind and the issuer's symbol.
DECISION_NUMBER = re.compile(r"\d{1,6}[A-Za-z]?/Q[ĐD]-[A-Za-zĐđ0-9]+(?:[-.][A-Za-zĐđ0-9]+)*")
# The decisions this transaction recorded, by id: held here because the session keeps only weak
# references, and the command reads them again (its next nominee, the view it answers with).
_THIS_COMMAND = "decisions_recorded"


def parse_number(value: object, field: str) -> str:
    number = v.text(value, field, max_len=80)
    if not DECISION_NUMBER.fullmatch(number):
        raise InvalidInput(f"Số quyết định '{number}' không đúng dạng, ví dụ 1234/QĐ-BTTTT",
                           f"Decision number '{number}' is malformed; e.g. 1234/QĐ-BTTTT", field=field)
    return number


def parse_date(value: object, field: str, now: datetime) -> date:
    day = v.iso_date(value, field)
    if day > local_date(now):
        raise InvalidInput("Ngày quyết định không được sau hôm nay", "The decision date is in the future", field=field)
    return day


# Built once: every decide reads it. One number per (org, year, number, symbol) (NĐ 30/2020 Art. 15).
_NUMBERED = select(Decision.id).where(
    Decision.org_id == bindparam("org_id"), Decision.year == bindparam("year"), Decision.seq == bindparam("seq"),
    Decision.symbol == bindparam("symbol"))


def decision_for(s: Session, actor: Actor, body: object, submitted: list[date], now: datetime,
                 ctx: RequestContext, *, decider: str | None = None, proposed_by: str | None = None) -> Decision:
    """Record the decision in the actor's org that a `decide` names, or — only when the caller says
    `add_to_existing` — add to one recorded earlier and not yet issued.

    Numbers restart each year (NĐ 30/2020 Art. 15): "123/QĐ-BTTTT" of 2027 is not the one of 2026.
    A number already used this year is refused naming the decision that holds it; it never
    silently takes the new nominees onto a decision someone else signed."""
    if not isinstance(body, dict):
        raise InvalidInput("Thiếu số và ngày quyết định", "Missing decision number and date", field="decision")
    number = parse_number(body.get("number"), "decision.number")
    day = parse_date(body.get("date"), "decision.date", now)
    if submitted and day < max(submitted):
        raise InvalidInput("Ngày quyết định trước ngày trình hồ sơ", "The decision predates the submission",
                           field="decision.date")
    signer = v.text(body.get("signer"), "decision.signer", required=False, max_len=200) or actor.full_name
    behalf = v.text(body.get("on_behalf_of"), "decision.on_behalf_of", required=False, max_len=200)
    numbered = numbering.fields(number, day)
    found_id = core(s, _NUMBERED, {"org_id": actor.org_id, **numbered}).scalar_one_or_none()
    found = s.get(Decision, found_id) if found_id is not None else None  # rare: most numbers are new
    if found:
        if found.id in s.info.setdefault(_THIS_COMMAND, {}):
            return found  # the same command deciding its next nominee
        _may_add_to(found, body, day)
        return found
    values = dict(number=number, decided_on=day, org_id=actor.org_id, signer=signer, on_behalf_of=behalf,
                  created_by=actor.user_id, created_at=now, decider=decider, proposed_by=proposed_by,
                  issued=body.get("issued", True) is not False,
                  follow_up_by=follow_up_by(s, day) if proposed_by else None, **numbered)
    try:
        if s.get_bind().dialect.name == "postgresql":
            with s.begin_nested():  # a clash must leave the rest of a bulk command usable
                new_id = _insert(s, values)
        else:  # SQLite writers hold the lock from BEGIN IMMEDIATE: nobody records it in between
            new_id = _insert(s, values)
    except IntegrityError:
        # Another command recorded this number first (PostgreSQL waits on the unique index, then
        # refuses the second): the first wins, the others are told which number clashed.
        raise Conflict(f"Số quyết định {number} năm {day.year} vừa được ghi bởi một thao tác khác; "
                       "hãy chọn số khác", f"Decision number {number} of {day.year} was just recorded by "
                       "another command; choose another number", field="decision.number") from None
    # The row as written, in the session without a flush of its own (the INSERT above is Core:
    # one statement instead of the ORM's unit of work); columns not given load on first use.
    d = Decision(id=new_id, **values)
    make_transient_to_detached(d)
    s.add(d)
    s.info.setdefault(_THIS_COMMAND, {})[d.id] = d
    record_decision(s, d, actor, now, ctx, fresh=True)
    return d


_DECISIONS: Table = Decision.__table__  # type: ignore[assignment]
_INSERT = insert(_DECISIONS).returning(_DECISIONS.c.id)


def _insert(s: Session, values: dict) -> int:
    return core(s, _INSERT, values).scalar_one()


FOLLOW_UP_DAYS = 10  # copies to the submitting level (NĐ 98/2023 Art. 32; QĐ 311/QĐ-BNV 2025)


def follow_up_by(s: Session, day: date) -> date:
    """The last day the central office sends the decision's copies to the submitting level."""
    from workflow.calendar.timelimits import calendar_for
    cal = calendar_for(s)
    return cal.period_end(cal.add_working_days(day, FOLLOW_UP_DAYS))


def _may_add_to(found: Decision, body: dict, day: date) -> None:
    who = f"#{found.id} ngày {found.decided_on:%d/%m/%Y}" + (f", {found.signer} ký" if found.signer else "")
    if body.get("add_to_existing") is not True:
        raise Conflict(f"Số {found.number} năm {found.year} đã dùng cho quyết định {who}; hãy dùng số khác "
                       "(hoặc chọn bổ sung vào quyết định chưa ban hành)",
                       f"Number {found.number} of {found.year} is already decision #{found.id} dated "
                       f"{found.decided_on:%d/%m/%Y}; use another number (or add to a decision not yet issued)",
                       field="decision.number", details=[{"decision_id": found.id}])
    if found.issued:
        raise Conflict(f"Quyết định {found.number} ({who}) đã ban hành; không bổ sung người vào được",
                       f"Decision {found.number} (#{found.id}) is issued; nobody can be added to it",
                       field="decision.number", details=[{"decision_id": found.id}])
    if found.decided_on != day:
        raise Conflict(f"Quyết định {found.number} đã ghi với ngày {found.decided_on:%d/%m/%Y}",
                       f"Decision {found.number} is already recorded dated {found.decided_on}",
                       field="decision.date")


def record_decision(s: Session, d: Decision, actor: Actor, now: datetime, ctx: RequestContext, *,
                    fresh: bool = False) -> None:
    """The decision's own chain "q:<id>": what it says, so `audit verify` proves its row. Who it
    awards is proven by each nomination's chain (its `decision_id`). `fresh`: the row was inserted
    in this transaction, so its chain starts here (no tail to read; a clash would still break the
    unique (chain, seq))."""
    fields = {"number": d.number, "decided_on": d.decided_on.isoformat(), "signer": d.signer,
              "on_behalf_of": d.on_behalf_of, "org_id": d.org_id}
    said = {k: x for k, x in (("decider", d.decider), ("proposed_by", d.proposed_by)) if x}
    chain = f"q:{d.id}"
    event: dict[str, Any] = dict(
        at=now, actor=actor, ctx=ctx, action="decision_create", entity="decision", entity_id=d.id,
        payload={**fields, **said, "issued": d.issued}, changes={k: [None, v] for k, v in fields.items()})
    if fresh:  # written with Core at once: the chain's first event, its row inserted just before
        insert_now(s, EVENTS, event_row(chain=chain, seq=1, prev_hash=None, **event))
    else:
        append(s, chain, **event)
