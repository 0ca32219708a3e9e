"""Where an approve takes a nomination: within the level holding it, or up to the next one.

At a ministry the appraisal's approve forwards to the ministry's council or minister (the same
level: reviewed on any dossier); the minister's approve sends it to the centre, which is done by
signing the ministry's aggregate tờ trình (workflow/dossiers/aggregation.py)."""
from typing import Any

from states import machine_for
from states.routes import ROUTES, Step


def _steps(nom: Any) -> tuple[Step | None, Step | None]:
    route = ROUTES[nom.route]
    step = route.step(nom.state)
    dest = machine_for(nom.route).next_state(nom.state, "approve", {}) if step else None
    return step, (route.step(dest) if dest else None)


def stays_at_level(nom: Any) -> bool:
    """The approve keeps the nomination at the level holding it."""
    step, nxt = _steps(nom)
    return step is not None and nxt is not None and nxt.org_level == step.org_level


def ready_to_send(nom: Any) -> bool:
    """The nomination waits at the step whose approve sends it to the next level above the unit
    (the minister's signature on the tờ trình, after the ministry's council)."""
    step, nxt = _steps(nom)
    return step is not None and nxt is not None and nxt.org_level != step.org_level and step.org_level != "unit"
