"""The lifecycle of a plan obligation (nghĩa vụ báo cáo theo kế hoạch) as data.

A `report` milestone of a plan obliges each participating unit to report by then. The unit's
officer submits the report; the plan's owner accepts it or returns it with a reason; a returned
report is submitted again. The system reminds and escalates an obligation still waiting for
its report; it stays where it is. Compiled once into a shared `transitions` machine, like the
routes (DESIGN.md §4 rule 2): the machine answers, the database write is the transition.
"""
from functools import cache

from states.shared import SharedMachine

from states.routes import (
    ADMIN, CENTRAL_LEADER, CENTRAL_REVIEWER, MINISTRY_LEADER, MINISTRY_REVIEWER, UNIT_OFFICER,
)

PENDING = "pending"
SUBMITTED = "submitted"
ACCEPTED = "accepted"
RETURNED = "returned"
# An amendment of the issued plan removed the milestone or the unit: nothing is owed any more.
CANCELLED = "cancelled"
OBLIGATION_STATES = (PENDING, SUBMITTED, ACCEPTED, RETURNED, CANCELLED)
# States in which the unit still owes its report: reminded, escalated, shown as missing when late.
AWAITING_REPORT = (PENDING, RETURNED)

OBLIGATION_TRANSITIONS = (
    {"trigger": "submit", "source": [PENDING, RETURNED], "dest": SUBMITTED},
    {"trigger": "accept", "source": SUBMITTED, "dest": ACCEPTED},
    {"trigger": "return", "source": SUBMITTED, "dest": RETURNED},
    {"trigger": "escalate", "source": list(AWAITING_REPORT), "dest": None},
    # An amendment of the plan (workflow/plans/amend.py): a report still owed is due on the
    # milestone's new date, or no longer owed; a report already made stays as it is.
    {"trigger": "reschedule", "source": list(AWAITING_REPORT), "dest": None},
    {"trigger": "cancel", "source": list(AWAITING_REPORT), "dest": CANCELLED},
    # A later amendment owes the same report again (same milestone, unit and due date).
    {"trigger": "reinstate", "source": CANCELLED, "dest": PENDING},
)
USER_OBLIGATION_ACTIONS = ("submit", "accept", "return")

# Who may do what: the unit's officer reports; the plan's owner (its issuer's reviewers and
# leaders, or the administrator) accepts or returns.
SUBMITTERS = (UNIT_OFFICER,)
OWNER_ROLES = (MINISTRY_REVIEWER, MINISTRY_LEADER, CENTRAL_REVIEWER, CENTRAL_LEADER)
OWNERS = (*OWNER_ROLES, ADMIN)

# A report returned after its milestone gets this many working days to come back before the
# system treats it as overdue again.
RESUBMIT_WORKING_DAYS = 5

OBLIGATION_STATE_NAMES = {
    PENDING: ("Chưa báo cáo", "Pending"),
    SUBMITTED: ("Đã gửi báo cáo", "Submitted"),
    ACCEPTED: ("Đã chấp nhận", "Accepted"),
    RETURNED: ("Trả lại bổ sung", "Returned"),
    CANCELLED: ("Không còn phải báo cáo (kế hoạch sửa đổi)", "No longer owed (plan amended)"),
}
OBLIGATION_ACTION_NAMES = {
    "submit": ("Gửi báo cáo", "Submit report"),
    "accept": ("Chấp nhận báo cáo", "Accept report"),
    "return": ("Trả lại báo cáo", "Return report"),
    "escalate": ("Nhắc, chuyển cấp (tự động)", "Escalate (system)"),
    "reschedule": ("Đổi hạn báo cáo (kế hoạch sửa đổi)", "Due date moved (plan amended)"),
    "cancel": ("Hủy nghĩa vụ báo cáo (kế hoạch sửa đổi)", "Report no longer owed (plan amended)"),
    "reinstate": ("Giao lại báo cáo (kế hoạch sửa đổi)", "Report owed again (plan amended)"),
}


class ObligationMachine(SharedMachine):
    """The compiled obligation lifecycle; shared, never bound to a row."""

    def __init__(self) -> None:
        super().__init__(OBLIGATION_STATES, OBLIGATION_TRANSITIONS, PENDING)


@cache
def obligation_machine() -> ObligationMachine:
    return ObligationMachine()
