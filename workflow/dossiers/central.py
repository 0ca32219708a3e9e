"""The receiving level's own staff take a tờ trình in: the centre records the receipt of a
ministry's or province's aggregate dossier, whether it is complete, and the appraisal's pauses
(NĐ 98/2023 Art. 32; workflow/nominations/central.py holds the clock of each nomination)."""
from datetime import datetime

from states.dossiers import SUBMITTED
from states.routes import CENTRAL_LEADER, CENTRAL_REVIEWER, ROUTES
from workflow import validation as v
from workflow.access.actors import NO_CONTEXT, RequestContext
from workflow.dossiers import core
from workflow.dossiers.service import summary
from workflow.errors import Forbidden, InvalidTransition
from workflow.kernel.db import Database
from workflow.kernel.uow import each, flush, refuse, unit_of_work
from workflow.nominations import central


def _staff(actor, d) -> None:
    if actor.role not in (CENTRAL_REVIEWER, CENTRAL_LEADER) or actor.org_id != d.addressed_org_id:
        raise Forbidden("Chỉ cán bộ của cơ quan nhận tờ trình ghi tiếp nhận",
                        "Only the staff of the receiving organisation record its receipt")


def _at_appraisal(s, d) -> list:
    return [n for n in core.members(s, d, here_only=True, lock=True)
            if central.is_central_appraisal(ROUTES[n.route].step(n.state))]


def receive_dossier(db: Database, actor_id: int, dossier_id: int, body: dict | None = None, *, now: datetime,
                    ctx: RequestContext = NO_CONTEXT):
    """The receiving staff record the tờ trình as received; `complete: true` also starts the
    20-working-day appraisal of its nominations (otherwise they have 5 working days to be
    returned as incomplete)."""
    body = body if isinstance(body, dict) else {}
    complete = body.get("complete") is True
    with unit_of_work(db) as s:
        actor, tree, d = core.open_current(s, actor_id, dossier_id, body.get("version"))
        _staff(actor, d)
        if d.state != SUBMITTED:
            raise InvalidTransition(f"Tờ trình {d.number} không chờ tiếp nhận", f"Dossier {d.number} awaits no receipt")
        here = _at_appraisal(s, d)
        core.move(s, d, actor, "receive", now, ctx,
                  payload={"received_by": actor.full_name, "complete": complete, "nominations": len(here)})
        if complete:
            _, errors = each(s, here, lambda n: central.clock_in(s, actor, tree, n, "complete", now, ctx),
                             key=lambda n: n.id)
            refuse(errors, f"Không tiếp nhận được tờ trình {d.number}", f"Cannot receive dossier {d.number}")
        flush(s)
        return summary(s, actor, tree, d)


def appraisal_dossier(db: Database, actor_id: int, dossier_id: int, body: dict | None = None, *,
                      now: datetime, ctx: RequestContext = NO_CONTEXT):
    """`event`: complete (the dossier is complete: 20 working days from today), consult (paused
    while other bodies give opinions), resume (10 working days from the last opinion) — for every
    nomination of the tờ trình at the central appraisal, all or nothing."""
    body = body if isinstance(body, dict) else {}
    event = v.choice(body.get("event"), "event", central.EVENTS)
    reason = core.parse_reason(body, required=False)
    with unit_of_work(db) as s:
        actor, tree, d = core.open_current(s, actor_id, dossier_id, body.get("version"))
        _staff(actor, d)
        here = _at_appraisal(s, d)
        if not here:
            raise InvalidTransition(f"Tờ trình {d.number} không còn ai đang thẩm định",
                                    f"Nobody on dossier {d.number} is under central appraisal")
        _, errors = each(s, here, lambda n: central.clock_in(s, actor, tree, n, event, now, ctx, reason),
                         key=lambda n: n.id)
        refuse(errors, "Không ghi được tiến trình thẩm định", "Cannot record the appraisal")
        core.record(s, d, actor, f"appraisal_{event}", now, ctx, reason=reason, payload={"nominations": len(here)})
        flush(s)
        return summary(s, actor, tree, d)
