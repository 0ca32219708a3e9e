"""Compile each route once into a `transitions` machine shared by all nominations.

The machine holds no model: a nomination is a database row, not a Python object with
state. The machine answers "may this action happen from this state, and where does it
lead?"; the database write is the real transition (DESIGN.md §4 rule 2).
"""
from collections.abc import Mapping
from functools import cache

from transitions import Machine

from states.lifecycle import (
    ACTION_NAMES, AWARDED, DRAFT, EXPIRED, REJECTED, RETURNED, STATES, WITHDRAWN, state_names,
)
from states.routes import ROUTES, Route

VOTE_PASSED = "vote_passed"
# Who is nominated (name, kind, award) changed since the council voted: the council votes again.
NOMINEE_CHANGED = "nominee_changed"


def returned_from(state: str) -> str:
    """Name of the fact "this nomination was returned by the step in `state`" (kept for the record)."""
    return f"returned_from_{state}"


def return_target(route: Route, i: int) -> str:
    """Where a return from step `i` goes: from the unit, or from the first level above it, back to
    the unit's officer (`returned`); from a higher level, to the level below that submitted it —
    a return from the centre lands at the ministry or province, not at the drafting unit."""
    steps = route.steps
    level = steps[i].org_level
    below = next((s.org_level for s in reversed(steps[:i]) if s.org_level != level), None)
    if level == "unit" or below in (None, "unit"):
        return RETURNED
    at_level = [s for s in steps if s.org_level == below]
    return next((s.state for s in at_level if s.kind in ("review", "decide")), at_level[0].state)


def _resubmit(route: Route) -> list[dict]:
    """The unit's officer sends a returned nomination back: to its unit head to sign again, or —
    when who is nominated changed since the council voted — to the council."""
    head = next((s.state for s in route.steps if s.org_level == "unit" and s.kind != "vote"), route.steps[0].state)
    council = next((s.state for s in route.steps if s.org_level == "unit" and s.kind == "vote"), None)
    if council is None:
        return [{"trigger": "resubmit", "source": RETURNED, "dest": head}]
    return [{"trigger": "resubmit", "source": RETURNED, "dest": council, "conditions": [NOMINEE_CHANGED]},
            {"trigger": "resubmit", "source": RETURNED, "dest": head, "unless": [NOMINEE_CHANGED]}]


def _definition(route: Route) -> list[dict]:
    steps = route.steps
    first = steps[0].state
    review = [s.state for s in steps]
    ts: list[dict] = [
        {"trigger": "submit", "source": DRAFT, "dest": first},
        {"trigger": "withdraw", "source": [DRAFT, RETURNED, *review], "dest": WITHDRAWN},
        {"trigger": "expire", "source": DRAFT, "dest": EXPIRED},
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
        else:
            ts.append({"trigger": "decide", "source": step.state, "dest": AWARDED})
        ts.append({"trigger": "return", "source": step.state, "dest": return_target(route, i)})
        ts.append({"trigger": "reject", "source": step.state, "dest": REJECTED})
    ts += _resubmit(route)
    # The system reminds and escalates a nomination waiting at a step; it stays there.
    ts.append({"trigger": "escalate", "source": review, "dest": None})
    return ts


class RouteMachine:
    """A compiled route: one `transitions.Machine`, shared, never bound to a nomination."""

    def __init__(self, route: Route):
        self.route = route
        self.machine = Machine(
            model=None, states=list(dict.fromkeys([*STATES, *route.states])), transitions=_definition(route),
            initial=DRAFT, auto_transitions=False,
        )
        self._transitions: dict[tuple[str, str], tuple] = {}

    def next_state(self, state: str, action: str, facts: Mapping[str, bool] = {}) -> str | None:
        """The state `action` leads to from `state`, or None when it is not allowed."""
        for conditions, dest in self._candidates(state, action):
            for name, wanted in conditions:  # a loop, not all(...): this runs for every item of a bulk move
                if bool(facts.get(name)) != wanted:
                    break
            else:
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


def mermaid(route_code: str, current: str | None = None, lang: str = "vi", *, numbered: bool = False) -> str:
    """A mermaid state diagram of a route, with `current` highlighted. `numbered`: the states' ids
    are s1, s2, ... (for a page people read: no internal code shows), else their codes (the API)."""
    rm = machine_for(route_code)
    idx = 0 if lang == "vi" else 1
    edges = rm.edges()
    used = [s for s in dict.fromkeys([*STATES, *rm.route.states]) if any(s in (a, c) for a, _, c in edges)]
    ids = {s: (f"s{i}" if numbered else s) for i, s in enumerate(used, start=1)}
    lines = ["stateDiagram-v2", "    direction LR", f"    [*] --> {ids.get(DRAFT, DRAFT)}"]
    for s in used:
        lines.append(f'    state "{(state_names(s) or (s, s))[idx]}" as {ids[s]}')
    seen = set()
    for src, action, dest in edges:
        if action == "escalate" or (src, action, dest) in seen:
            continue
        seen.add((src, action, dest))
        lines.append(f"    {ids[src]} --> {ids[dest]}: {ACTION_NAMES[action][idx]}")
    for s in (AWARDED, REJECTED, WITHDRAWN, EXPIRED):
        if s in used:
            lines.append(f"    {ids[s]} --> [*]")
    if current in used:
        lines.append("    classDef current fill:#fde68a,stroke:#b45309,stroke-width:3px")
        lines.append(f"    class {ids[current]} current")
    return "\n".join(lines) + "\n"
