"""Compile each route once into a `transitions` machine shared by all nominations.

The machine holds no model: a nomination is a database row, not a Python object with
state. The machine answers "may this action happen from this state, and where does it
lead?"; the database write is the real transition (DESIGN.md §4 rule 2).
"""
from collections.abc import Mapping
from functools import cache

from transitions import Machine

from states.lifecycle import (
    ACTION_NAMES, AWARDED, DRAFT, EXPIRED, REJECTED, RETURNED, STATE_NAMES, STATES, WITHDRAWN,
)
from states.routes import ROUTES, Route

VOTE_PASSED = "vote_passed"


def returned_from(state: str) -> str:
    """Name of the fact "this nomination was returned by the step in `state`"."""
    return f"returned_from_{state}"


def _definition(route: Route) -> list[dict]:
    steps = route.steps
    first, last = steps[0].state, steps[-1].state
    review = [s.state for s in steps]
    ts: list[dict] = [
        {"trigger": "submit", "source": DRAFT, "dest": first},
        {"trigger": "withdraw", "source": [DRAFT, RETURNED, *review], "dest": WITHDRAWN},
        {"trigger": "expire", "source": DRAFT, "dest": EXPIRED},
        {"trigger": "decide", "source": last, "dest": AWARDED},
    ]
    for i, step in enumerate(steps):
        nxt = steps[i + 1].state if i + 1 < len(steps) else None
        if step.kind == "vote":
            # A council vote below the threshold rejects (domain.md §3).
            ts.append({"trigger": "vote", "source": step.state, "dest": nxt or AWARDED,
                       "conditions": [VOTE_PASSED]})
            ts.append({"trigger": "vote", "source": step.state, "dest": REJECTED,
                       "unless": [VOTE_PASSED]})
            continue
        if nxt:
            ts.append({"trigger": "approve", "source": step.state, "dest": nxt})
        ts.append({"trigger": "return", "source": step.state, "dest": RETURNED})
        ts.append({"trigger": "reject", "source": step.state, "dest": REJECTED})
        ts.append({"trigger": "resubmit", "source": RETURNED, "dest": step.state,
                   "conditions": [returned_from(step.state)]})
    # The system reminds and escalates a nomination waiting at a step; it stays there.
    ts.append({"trigger": "escalate", "source": review, "dest": None})
    return ts


class RouteMachine:
    """A compiled route: one `transitions.Machine`, shared, never bound to a nomination."""

    def __init__(self, route: Route):
        self.route = route
        self.machine = Machine(
            model=None, states=list(STATES), transitions=_definition(route),
            initial=DRAFT, auto_transitions=False,
        )
        self._transitions: dict[tuple[str, str], tuple] = {}

    def next_state(self, state: str, action: str, facts: Mapping[str, bool] = {}) -> str | None:
        """The state `action` leads to from `state`, or None when it is not allowed."""
        for conditions, dest in self._candidates(state, action):
            if all(bool(facts.get(name)) == wanted for name, wanted in conditions):
                return dest
        return None

    def _candidates(self, state: str, action: str) -> tuple:
        """The transitions of `action` from `state` as ((condition, wanted)..., dest), read
        from the machine once (the machine never changes; this runs on every command)."""
        key = (state, action)
        found = self._transitions.get(key)
        if found is None:
            ts = self.machine.get_transitions(trigger=action, source=state) if action in self.machine.events else []
            found = self._transitions[key] = tuple(
                (tuple((c.func, c.target) for c in t.conditions), t.dest or state) for t in ts)
        return found

    def actions_from(self, state: str) -> list[str]:
        """Actions defined from `state`, whatever the facts."""
        return self.machine.get_triggers(state)

    def edges(self) -> list[tuple[str, str, str]]:
        """(source, action, dest) for every transition, in definition order."""
        out = []
        for name, event in self.machine.events.items():
            for source, trans in event.transitions.items():
                for t in trans:
                    out.append((source, name, t.dest or source))
        return out


@cache
def machine_for(route_code: str) -> RouteMachine:
    """The shared machine of a route, compiled on first use."""
    return RouteMachine(ROUTES[route_code])


def mermaid(route_code: str, current: str | None = None, lang: str = "vi") -> str:
    """A mermaid state diagram of a route, with `current` highlighted."""
    rm = machine_for(route_code)
    idx = 0 if lang == "vi" else 1
    edges = rm.edges()
    used = [s for s in STATES if any(s in (a, c) for a, _, c in edges)]
    lines = ["stateDiagram-v2", "    direction LR", f"    [*] --> {DRAFT}"]
    for s in used:
        lines.append(f'    state "{STATE_NAMES[s][idx]}" as {s}')
    seen = set()
    for src, action, dest in edges:
        if action == "escalate" or (src, action, dest) in seen:
            continue
        seen.add((src, action, dest))
        lines.append(f"    {src} --> {dest}: {ACTION_NAMES[action][idx]}")
    for s in (AWARDED, REJECTED, WITHDRAWN, EXPIRED):
        if s in used:
            lines.append(f"    {s} --> [*]")
    if current in used:
        lines.append("    classDef current fill:#fde68a,stroke:#b45309,stroke-width:3px")
        lines.append(f"    class {current} current")
    return "\n".join(lines) + "\n"
