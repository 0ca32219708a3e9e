"""Recording a decision (quyết định khen thưởng) that nominations are decided under.

One number, one decision of the deciding org: the first command that names it records it
(number, date, signer, and on whose behalf a deputy signs "KT."); later commands naming the same
number and date add their nominations to it.
"""
import re
from datetime import date, datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from workflow import validation as v
from workflow.access.actors import Actor, RequestContext
from workflow.audit.chain import append
from workflow.calendar.workdays import local_date
from workflow.errors import Conflict, InvalidInput
from workflow.kernel.uow import flush
from workflow.models import Decision

# "1234/QĐ-TTg", "15/QĐ-BTTTT"; ND 30/2020 Art. 15 numbers with the kind and the issuer's symbol.
DECISION_NUMBER = re.compile(r"\d{1,6}[A-Za-z]?/Q[ĐD]-[A-Za-zĐđ0-9]+(?:[-.][A-Za-zĐđ0-9]+)*")
_BY_NUMBER = select(Decision).where(Decision.org_id == bindparam("org_id"), Decision.number == bindparam("number"))


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


def decision_for(s: Session, actor: Actor, body: object, submitted: list[date], now: datetime,
                 ctx: RequestContext) -> Decision:
    """Find or record the decision in the actor's org that a `decide` names."""
    if not isinstance(body, dict):
        raise InvalidInput("Thiếu số và ngày quyết định", "Missing decision number and date", field="decision")
    number = parse_number(body.get("number"), "decision.number")
    day = parse_date(body.get("date"), "decision.date", now)
    if submitted and day < max(submitted):
        raise InvalidInput("Ngày quyết định trước ngày trình hồ sơ", "The decision predates the submission",
                           field="decision.date")
    signer = v.text(body.get("signer"), "decision.signer", required=False, max_len=200) or actor.full_name
    behalf = v.text(body.get("on_behalf_of"), "decision.on_behalf_of", required=False, max_len=200)
    found = s.execute(_BY_NUMBER, {"org_id": actor.org_id, "number": number}).scalar_one_or_none()
    if found:
        if found.decided_on != day:
            raise Conflict(f"Quyết định {number} đã ghi với ngày {found.decided_on:%d/%m/%Y}",
                           f"Decision {number} is already recorded dated {found.decided_on}",
                           field="decision.date")
        return found
    d = Decision(number=number, decided_on=day, org_id=actor.org_id, signer=signer,
                 on_behalf_of=behalf, created_by=actor.user_id, created_at=now)
    s.add(d)
    flush(s)
    record_decision(s, d, actor, now, ctx)
    return d


def record_decision(s: Session, d: Decision, actor: Actor, now: datetime, ctx: RequestContext) -> None:
    """The decision's own chain "q:<id>": what it says, so `audit verify` proves its row. Who it
    awards is proven by each nomination's chain (its `decision_id`)."""
    fields = {"number": d.number, "decided_on": d.decided_on.isoformat(), "signer": d.signer,
              "on_behalf_of": d.on_behalf_of, "org_id": d.org_id}
    append(s, f"q:{d.id}", at=now, actor=actor, ctx=ctx, action="decision_create", entity="decision",
           entity_id=d.id, payload=fields, changes={k: [None, v] for k, v in fields.items()})
