"""The lifecycle of a plan (kế hoạch thi đua, khen thưởng) as data.

A plan is drafted (dự thảo: edited freely, nothing owed, seen only by its issuer's staff), then
issued (ban hành: its participants and report obligations are created then), and finally
closed (kết thúc: no more nominations). Compiled once into a shared `transitions` machine, like
the routes and the obligations: the machine answers, the database write is the transition.
"""
from functools import cache

from states.shared import SharedMachine

DRAFT = "draft"
ISSUED = "issued"
CLOSED = "closed"
PLAN_STATES = (DRAFT, ISSUED, CLOSED)

PLAN_TRANSITIONS = (
    {"trigger": "edit", "source": DRAFT, "dest": None},
    {"trigger": "issue", "source": DRAFT, "dest": ISSUED},
    {"trigger": "close", "source": ISSUED, "dest": CLOSED},
    # An issued plan amended with a reason: a new version, its obligations adjusted.
    {"trigger": "amend", "source": ISSUED, "dest": None},
)
PLAN_ACTIONS = ("edit", "issue", "amend", "close")

PLAN_STATE_NAMES = {
    DRAFT: ("Dự thảo", "Draft"),
    ISSUED: ("Đã ban hành", "Issued"),
    CLOSED: ("Đã kết thúc", "Closed"),
}
PLAN_ACTION_NAMES = {
    "create": ("Lập kế hoạch", "Plan created"),
    "plan_create": ("Ban hành kế hoạch", "Plan issued"),
    "plan_draft": ("Lưu dự thảo kế hoạch", "Plan draft saved"),
    "edit": ("Sửa dự thảo kế hoạch", "Plan draft edited"),
    "issue": ("Ban hành kế hoạch", "Plan issued"),
    "close": ("Kết thúc kế hoạch", "Plan closed"),
    "amend": ("Sửa đổi kế hoạch", "Plan amended"),
}


class PlanMachine(SharedMachine):
    """The compiled plan lifecycle; shared, never bound to a row."""

    def __init__(self) -> None:
        super().__init__(PLAN_STATES, PLAN_TRANSITIONS, DRAFT)

    def actions_from(self, state: str) -> list[str]:
        return [a for a in PLAN_ACTIONS if self.next_state(state, a) is not None]


@cache
def plan_machine() -> PlanMachine:
    return PlanMachine()
