"""A lifecycle compiled once into a shared `transitions` machine that is never bound to a row:
it answers where an action leads; the database write is the transition (workflow/kernel)."""
from collections.abc import Iterable

from transitions import Machine


class SharedMachine:
    """States and transitions (dicts as `transitions` takes them) of one lifecycle."""

    def __init__(self, states: Iterable[str], transitions: Iterable[dict], initial: str) -> None:
        self.machine = Machine(model=None, states=list(states), transitions=[dict(t) for t in transitions],
                               initial=initial, auto_transitions=False)

    def next_state(self, state: str, action: str) -> str | None:
        """Where `action` leads from `state`, or None when it is not allowed."""
        if action not in self.machine.events:
            return None
        for t in self.machine.get_transitions(trigger=action, source=state):
            return t.dest or state
        return None

    def actions_from(self, state: str) -> list[str]:
        return self.machine.get_triggers(state)
