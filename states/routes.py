"""Routes (luồng xét duyệt) as data: the ordered steps a nomination of an award travels.

An award type (workflow/catalogue) lists its steps as rules — at which level of the tree,
what kind of step, how many working days, and for a vote its threshold and quorum. A
nomination's route is those rules laid over the nominee's place in the tree (`resolve`): a
level the nominee's unit does not have is skipped, a department-level org (Sở, Tổng cục, Cục,
Tổng công ty; or a commune above a unit) between the unit and the ministry or province is
passed even when the rules do not name it (Luật TĐKT 2022 Art. 80 gives its head powers of its
own), and the step that decides falls to the nominee's own head when its level is missing.

Kinds of step: `vote` (a council's ballot, threshold and quorum over all its members), `review`
(appraisal: forward, return, reject), `posting` (the public-posting window before a council
meets, Law Art. 84(5)), `decide` (the decider signs: decides, or signs the submission upward).
State names: the unit council's vote is `council_review`, the unit head's step `unit_review`;
elsewhere `<level>_council`, `<level>_review`, `<level>_posting` and `<level>_decision`.

The three routes of the first release (`unit`, `ministry`, `central`) stay registered by those
codes for nominations made under them.
"""
import hashlib
import json
from dataclasses import dataclass, field
from fractions import Fraction

from states.lifecycle import CENTRAL_REVIEW, COUNCIL_REVIEW, MINISTRY_REVIEW, STATES, UNIT_REVIEW

# Roles (vai trò). Names are stable identifiers used in the database and the API.
UNIT_OFFICER = "unit_officer"
COUNCIL_SECRETARY = "council_secretary"
UNIT_HEAD = "unit_head"
MINISTRY_REVIEWER = "ministry_reviewer"
MINISTRY_LEADER = "ministry_leader"
CENTRAL_REVIEWER = "central_reviewer"
CENTRAL_LEADER = "central_leader"
AUDITOR = "auditor"
ADMIN = "admin"
SYSTEM = "system"

ROLES = (
    ADMIN, UNIT_OFFICER, COUNCIL_SECRETARY, UNIT_HEAD, MINISTRY_REVIEWER, MINISTRY_LEADER,
    CENTRAL_REVIEWER, CENTRAL_LEADER, AUDITOR,
)

# Levels of the tree a step can sit at, lowest first. `department` also stands for a commune
# above the nominee's unit; `ministry` for a ministry, central body or province (bộ, ngành, tỉnh).
STEP_LEVELS = ("unit", "department", "ministry", "central")
STEP_KINDS = ("vote", "review", "posting", "decide")
MAJORITY = Fraction(1, 2)  # "quá nửa": strictly more than half of all members
TWO_THIRDS = Fraction(2, 3)

# Who acts at a step, by its level and kind.
ACTORS: dict[tuple[str, str], tuple[str, ...]] = {
    ("unit", "vote"): (COUNCIL_SECRETARY,), ("unit", "review"): (UNIT_HEAD,), ("unit", "decide"): (UNIT_HEAD,),
    ("unit", "posting"): (COUNCIL_SECRETARY,),
    ("department", "vote"): (COUNCIL_SECRETARY,), ("department", "review"): (UNIT_HEAD,),
    ("department", "decide"): (UNIT_HEAD,), ("department", "posting"): (COUNCIL_SECRETARY,),
    ("ministry", "vote"): (COUNCIL_SECRETARY,), ("ministry", "review"): (MINISTRY_REVIEWER, MINISTRY_LEADER),
    # The council's secretary (the standing body's TĐKT office) posts the list and, once the
    # window has run, puts it before the council (Law Art. 84(5)).
    ("ministry", "posting"): (COUNCIL_SECRETARY,), ("ministry", "decide"): (MINISTRY_LEADER,),
    ("central", "vote"): (COUNCIL_SECRETARY,), ("central", "review"): (CENTRAL_REVIEWER, CENTRAL_LEADER),
    ("central", "posting"): (COUNCIL_SECRETARY,), ("central", "decide"): (CENTRAL_LEADER,),
}
# Who decides when a step is the deciding one.
LEADERS = {"unit": (UNIT_HEAD,), "department": (UNIT_HEAD,), "ministry": (MINISTRY_LEADER,),
           "central": (CENTRAL_LEADER,)}
# The `level` a nomination reports while it waits at a step.
REPORTED_LEVEL = {"unit": "unit", "department": "department", "ministry": "ministry", "central": "central"}
SUFFIX = {"vote": "council", "review": "review", "posting": "posting", "decide": "decision"}
DEFAULT_DEPARTMENT_DAYS = 10


@dataclass(frozen=True)
class StepRule:
    """One step of an award's route as the catalogue writes it, before it meets a tree."""
    level: str
    kind: str
    time_limit_days: int
    threshold: Fraction | None = None   # a vote's share of ALL council members
    quorum: Fraction | None = None      # a vote's share of members present (written votes count)

    def to_data(self) -> dict:
        out: dict = {"level": self.level, "kind": self.kind, "time_limit_days": self.time_limit_days}
        if self.kind == "vote":
            out["threshold"] = str(self.threshold or MAJORITY)
            out["quorum"] = str(self.quorum or TWO_THIRDS)
        return out

    @classmethod
    def from_data(cls, d: dict) -> "StepRule":
        vote = d["kind"] == "vote"
        return cls(d["level"], d["kind"], int(d["time_limit_days"]),
                   Fraction(d.get("threshold") or MAJORITY) if vote else None,
                   Fraction(d.get("quorum") or TWO_THIRDS) if vote else None)


@dataclass(frozen=True)
class Step:
    """One review step: where it waits, who acts, how long they have (working days)."""

    state: str
    level: str            # reported: council | unit | department | ministry | central
    org_level: str        # the org whose people act: unit | department | ministry | central
    kind: str             # vote | review | posting | decide
    time_limit_days: int  # ngày làm việc
    reviewers: tuple[str, ...]   # may approve (forward), return, reject; at a vote: record the ballot
    deciders: tuple[str, ...] = ()  # may decide, when this step is the deciding one
    threshold: Fraction | None = None
    quorum: Fraction | None = None


@dataclass(frozen=True)
class Route:
    code: str
    name_vi: str
    name_en: str
    steps: tuple[Step, ...]
    version: int = 1
    deciding_level: str = field(init=False)
    _by_state: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "deciding_level", self.steps[-1].org_level)
        object.__setattr__(self, "_by_state", {s.state: s for s in self.steps})

    @property
    def states(self) -> tuple[str, ...]:
        return tuple(s.state for s in self.steps)

    def step(self, state: str) -> Step | None:
        return self._by_state.get(state)

    def index(self, state: str) -> int:
        return self.states.index(state)


def state_of(level: str, kind: str) -> str:
    if level == "unit":
        return COUNCIL_REVIEW if kind == "vote" else UNIT_REVIEW
    return f"{level}_{SUFFIX[kind]}"


# Every state a nomination of any route can be in: the lifecycle's and each step's (a list filter
# by `ministry_council` or `central_council` is a state like any other).
ALL_STATES: tuple[str, ...] = tuple(dict.fromkeys((*STATES, *(state_of(level, kind) for level in STEP_LEVELS
                                                              for kind in STEP_KINDS))))


def _step(rule: StepRule, last: bool) -> Step:
    actors = ACTORS[(rule.level, rule.kind)]
    deciders = LEADERS[rule.level] if last and rule.kind in ("review", "decide") else ()
    level = "council" if (rule.level, rule.kind) == ("unit", "vote") else REPORTED_LEVEL[rule.level]
    return Step(state_of(rule.level, rule.kind), level, rule.level, rule.kind, rule.time_limit_days, actors,
                deciders, rule.threshold, rule.quorum)


def lay_over(rules: tuple[StepRule, ...], levels: frozenset[str]) -> tuple[StepRule, ...]:
    """The rules as they apply to a nominee whose unit has `levels` above it (and itself: unit)."""
    out: list[StepRule] = []
    for rule in rules:
        if rule.level in levels:
            out.append(rule)
        elif rule.kind == "decide":  # the decider's level is missing: the nominee's own head decides
            out.append(StepRule("unit", "decide", rule.time_limit_days))
    if "department" in levels and not any(r.level == "department" for r in out):
        above = next((i for i, r in enumerate(out) if r.level in ("ministry", "central")), None)
        if above is not None:  # the Sở, Cục or commune between the unit and the ministry is passed
            out.insert(above, StepRule("department", "review", DEFAULT_DEPARTMENT_DAYS))
    merged: list[StepRule] = []
    for rule in out:  # the same people reviewing then deciding is one step (the unit head signs once)
        prev = merged[-1] if merged else None
        if prev and prev.level == rule.level and {prev.kind, rule.kind} == {"review", "decide"} \
                and ACTORS[(prev.level, prev.kind)] == ACTORS[(rule.level, rule.kind)]:
            merged[-1] = StepRule(rule.level, "decide", max(prev.time_limit_days, rule.time_limit_days))
            continue
        merged.append(rule)
    return tuple(merged)


def digest(rules: tuple[StepRule, ...]) -> str:
    raw = json.dumps([r.to_data() for r in rules], sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()[:8]


def route_key(code: str, version: int, levels: frozenset[str], rules: tuple[StepRule, ...]) -> str:
    """A route's name: award, definition version, the levels of the nominee's tree, and a digest of
    the rules, so two databases defining one code differently never share a compiled machine."""
    shape = "".join(level[0] for level in STEP_LEVELS if level in levels)
    return f"{code}@{version}/{shape}#{digest(rules)}"


def resolve(code: str, version: int, name_vi: str, name_en: str, rules: tuple[StepRule, ...],
            levels: frozenset[str]) -> Route:
    """The route of a nominee whose tree has `levels`, registered under its key."""
    laid = lay_over(rules, levels)
    steps = tuple(_step(r, i == len(laid) - 1) for i, r in enumerate(laid))
    key = route_key(code, version, levels, rules)
    route = ROUTES.get(key)
    if route is None:
        route = ROUTES.setdefault(key, Route(key, name_vi, name_en, steps, version))
    return route


# --- the routes of the first release ---------------------------------------------------------

COUNCIL = Step(COUNCIL_REVIEW, "council", "unit", "vote", 10, (COUNCIL_SECRETARY,))
UNIT_DECIDES = Step(UNIT_REVIEW, "unit", "unit", "review", 5, (UNIT_HEAD,), (UNIT_HEAD,))
UNIT_FORWARDS = Step(UNIT_REVIEW, "unit", "unit", "review", 5, (UNIT_HEAD,))
MINISTRY_DECIDES = Step(
    MINISTRY_REVIEW, "ministry", "ministry", "review", 20,
    (MINISTRY_REVIEWER, MINISTRY_LEADER), (MINISTRY_LEADER,),
)
MINISTRY_FORWARDS = Step(
    MINISTRY_REVIEW, "ministry", "ministry", "review", 20, (MINISTRY_REVIEWER, MINISTRY_LEADER),
)
# Ban TĐKT Trung ương appraises within 20 working days of a complete dossier (domain.md §5).
CENTRAL_DECIDES = Step(
    CENTRAL_REVIEW, "central", "central", "review", 20,
    (CENTRAL_REVIEWER, CENTRAL_LEADER), (CENTRAL_LEADER,),
)

# Every compiled route by its key; resolved routes join as nominations need them.
ROUTES: dict[str, Route] = {
    r.code: r
    for r in (
        Route("unit", "Cấp cơ sở quyết định", "Decided by the unit head",
              (COUNCIL, UNIT_DECIDES)),
        Route("ministry", "Bộ, ngành, tỉnh quyết định", "Decided by the minister / provincial chairman",
              (COUNCIL, UNIT_FORWARDS, MINISTRY_DECIDES)),
        Route("central", "Thủ tướng / Chủ tịch nước quyết định",
              "Decided by the Prime Minister / President",
              (COUNCIL, UNIT_FORWARDS, MINISTRY_FORWARDS, CENTRAL_DECIDES)),
    )
}
LEGACY_ROUTES = frozenset(ROUTES)
