"""The lifecycle of a dossier (hồ sơ / tờ trình) as data, compiled once to a `transitions` machine.

A dossier carries many nominations; each keeps its own route machine. The dossier's state
records the paperwork:

- draft (dự thảo): the unit officer is building the list.
- submitted (đã trình): its nominations were submitted together (to the unit's council, or,
  for an aggregate dossier, straight to the addressed level).
- received (đã tiếp nhận): nothing waits at the submitting org any more and the supported
  nominations reached the addressed level (the unit head forwarded them).
- returned (bị trả lại): the whole dossier was sent back with a reason; its nominations too.
- aggregated (đã tổng hợp): the upper level took nominations into its own outgoing dossier.
- closed (đã kết thúc): every nomination it carried is terminal (awarded, rejected, ...).

`receive`, `aggregate` and `close` follow from the nominations (see `derived_action`); they only
ever move forward, so a single nominee returned later does not pull a received dossier back.
"""
from dataclasses import dataclass
from functools import cache

from transitions import Machine

DRAFT = "draft"
SUBMITTED = "submitted"
RECEIVED = "received"
RETURNED = "returned"
AGGREGATED = "aggregated"
CLOSED = "closed"

DOSSIER_STATES = (DRAFT, SUBMITTED, RECEIVED, RETURNED, AGGREGATED, CLOSED)

# Unit dossiers are built by a unit; aggregate dossiers (tổng hợp) by a ministry or province.
KIND_UNIT = "unit"
KIND_AGGREGATE = "aggregate"

TRANSITIONS = (
    {"trigger": "submit", "source": DRAFT, "dest": SUBMITTED},
    {"trigger": "resubmit", "source": RETURNED, "dest": SUBMITTED},
    {"trigger": "receive", "source": SUBMITTED, "dest": RECEIVED},
    {"trigger": "return", "source": [SUBMITTED, RECEIVED], "dest": RETURNED},
    # More nominations may be taken from an already aggregated dossier: a self-loop, audited.
    {"trigger": "aggregate", "source": [SUBMITTED, RECEIVED, AGGREGATED], "dest": AGGREGATED},
    {"trigger": "close", "source": [SUBMITTED, RECEIVED, RETURNED, AGGREGATED], "dest": CLOSED},
)

# Forward order of the states the nominations drive; `returned` stands aside.
_RANK = {SUBMITTED: 1, RECEIVED: 2, AGGREGATED: 3, CLOSED: 4}

DOSSIER_STATE_NAMES = {
    DRAFT: ("Dự thảo", "Draft"),
    SUBMITTED: ("Đã trình", "Submitted"),
    RECEIVED: ("Đã tiếp nhận", "Received"),
    RETURNED: ("Bị trả lại", "Returned"),
    AGGREGATED: ("Đã tổng hợp", "Aggregated"),
    CLOSED: ("Đã kết thúc", "Closed"),
}


@dataclass(frozen=True)
class MemberSummary:
    """What a dossier's nominations look like now, counted by the caller."""
    total: int            # nominations the dossier carried
    terminal: int         # awarded, rejected, withdrawn or expired
    moved: int            # taken on in another (outgoing) dossier, terminal or not
    at_submitter: int     # live, still held by the submitting org
    at_addressed: int     # live, held by the addressed org


class DossierMachine:
    """One shared machine for every dossier; no dossier is ever bound to it."""

    def __init__(self) -> None:
        self.machine = Machine(model=None, states=list(DOSSIER_STATES), transitions=list(TRANSITIONS),
                               initial=DRAFT, auto_transitions=False)

    def next_state(self, state: str, action: str) -> str | None:
        """The state `action` leads to from `state`, or None when it is not allowed."""
        if action not in self.machine.events:
            return None
        found = self.machine.get_transitions(trigger=action, source=state)
        return found[0].dest if found else None

    def actions_from(self, state: str) -> list[str]:
        return self.machine.get_triggers(state)


@cache
def dossier_machine() -> DossierMachine:
    """The dossier machine, compiled on first use and shared."""
    return DossierMachine()


def derived_action(state: str, m: MemberSummary, *, moved_now: bool = False) -> str | None:
    """The transition the nominations call for, if any; only ever forward.

    `moved_now` marks that nominations were just taken into an outgoing dossier, which is
    recorded even when the dossier was already aggregated (a self-loop).
    """
    if state == DRAFT or m.total == 0:
        return None
    if m.terminal == m.total:
        action, target = "close", CLOSED
    elif state == RETURNED:
        return None  # only the unit's resubmission takes a returned dossier forward
    elif m.moved or moved_now:
        if moved_now:
            return "aggregate"
        action, target = "aggregate", AGGREGATED
    elif m.at_submitter == 0 and m.at_addressed > 0:
        action, target = "receive", RECEIVED
    else:
        return None
    return action if _RANK[target] > _RANK.get(state, 0) else None
