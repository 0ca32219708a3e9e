"""Assigning a dossier to a specialist of the receiving office (phân công xử lý hồ sơ).

The head of the Vụ/Ban (or a reviewer of that office) names who handles a tờ trình that came
in; it then shows in that person's inbox ("giao cho tôi"). The assignment is a change of the
dossier written by the kernel with its audit event (who assigned whom, when), like any other.
"""
from datetime import datetime

from sqlalchemy import select

from states.dossiers import RECEIVED, SUBMITTED
from states.routes import CENTRAL_LEADER, CENTRAL_REVIEWER, MINISTRY_LEADER, MINISTRY_REVIEWER
from workflow import validation as v
from workflow.access.actors import NO_CONTEXT, Actor, RequestContext
from workflow.access.loading import load_actor
from workflow.dossiers import core
from workflow.dossiers.service import summary
from workflow.dossiers.views import DossierView
from workflow.errors import Forbidden, InvalidInput, InvalidTransition
from workflow.kernel.db import Database
from workflow.kernel.uow import flush, unit_of_work
from workflow.models import Dossier, User
from workflow.orgs.tree import org_tree

ASSIGNERS = (MINISTRY_LEADER, MINISTRY_REVIEWER, CENTRAL_LEADER, CENTRAL_REVIEWER)
SPECIALISTS = (MINISTRY_REVIEWER, CENTRAL_REVIEWER)
OPEN_STATES = (SUBMITTED, RECEIVED)


def may_assign(actor: Actor, d: Dossier) -> bool:
    """The receiving office's leader or reviewer, while the dossier is with that office."""
    return actor.role in ASSIGNERS and actor.org_id == d.addressed_org_id and d.state in OPEN_STATES


def assign_dossier(db: Database, actor_id: int, dossier_id: int, body: dict, *, now: datetime,
                   ctx: RequestContext = NO_CONTEXT) -> DossierView:
    """Assign the dossier to `user_id` (a specialist of the receiving office), or take the
    assignment back with `user_id` null. `version`: the dossier's as the caller saw it."""
    if not isinstance(body, dict):
        raise InvalidInput("Nội dung phải là đối tượng JSON", "The body must be a JSON object")
    if "user_id" not in body:
        raise InvalidInput("Thiếu trường bắt buộc: user_id", "Missing required field: user_id", field="user_id")
    # users.id is a 32-bit column: a larger number names nobody (and PostgreSQL would refuse it)
    user_id = v.integer(body.get("user_id"), "user_id", minimum=1, maximum=2**31 - 1, required=False)
    with unit_of_work(db) as s:
        actor, tree, d = core.open_current(s, actor_id, dossier_id, body.get("version"))
        if actor.role not in ASSIGNERS or actor.org_id != d.addressed_org_id:
            raise Forbidden("Chỉ lãnh đạo hoặc chuyên viên của cơ quan nhận hồ sơ được phân công xử lý",
                            "Only a leader or reviewer of the receiving office may assign the dossier")
        if d.state not in OPEN_STATES:
            raise InvalidTransition(f"Hồ sơ {d.number} không còn chờ cơ quan bạn xử lý",
                                    f"Dossier {d.number} no longer waits for your office")
        assignee = s.get(User, user_id) if user_id is not None else None
        if user_id is not None and (assignee is None or not assignee.active or assignee.org_id != d.addressed_org_id
                                    or assignee.role not in SPECIALISTS):
            raise InvalidInput("Chỉ giao được cho chuyên viên đang làm việc tại cơ quan nhận hồ sơ",
                               "A dossier can be assigned only to an active reviewer of the receiving office",
                               field="user_id")
        if d.assignee_id != user_id:
            core.record(s, d, actor, "assign", now, ctx, values={"assignee_id": user_id},
                        payload={"assignee_id": user_id, "assignee": assignee.full_name if assignee else None})
            flush(s)
        return summary(s, actor, tree, d)


def specialists(db: Database, actor_id: int, dossier_id: int) -> list[dict]:
    """Whom the user may assign the dossier to now (empty when they may not assign it)."""
    with db.read() as s:
        actor = load_actor(s, actor_id)
        d = core.load(s, actor, org_tree(s), dossier_id)
        if not may_assign(actor, d):
            return []
        return [{"id": u.id, "name": u.full_name, "username": u.username} for u in s.execute(
            select(User).where(User.org_id == d.addressed_org_id, User.active.is_(True),
                               User.role.in_(SPECIALISTS)).order_by(User.full_name)).scalars()]
