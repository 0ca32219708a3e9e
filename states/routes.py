"""Routes (luồng xét duyệt) as data: the ordered review steps an award travels.

A route ends at the level whose head decides the award. Every route starts with the council
(Hội đồng Thi đua - Khen thưởng) of the nominee's unit, whose vote is required on the
proposal; the unit head then decides (Giấy khen, LĐTT, CSTĐCS...) or signs it upward.
"""
from dataclasses import dataclass, field

from states.lifecycle import CENTRAL_REVIEW, COUNCIL_REVIEW, MINISTRY_REVIEW, UNIT_REVIEW

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


@dataclass(frozen=True)
class Step:
    """One review step: where it waits, who acts, how long they have (working days)."""

    state: str
    level: str            # council | unit | ministry | central
    org_level: str        # the org whose people act: unit | ministry | central
    kind: str             # review | vote
    time_limit_days: int  # ngày làm việc
    reviewers: tuple[str, ...]   # may approve (forward), return, reject
    deciders: tuple[str, ...] = ()  # may decide, when this step is the deciding one


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
