"""The kinds of rows that move through a lifecycle, and what of them the audit chain proves.

Each subject (nomination, dossier, plan obligation) is a row with `id`, `state`, `version` and
the head of its own audit chain (`audit_seq`, `audit_head`). Every change of one of its
*tracked* fields is written by the kernel together with an audit event that records the old
and new value (`changes`); `audit verify` replays a chain's changes and compares the result
with the row, so a row edited behind the application's back is caught.
"""
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import Table

from workflow.models import Dossier, Nomination, Obligation


@dataclass(frozen=True)
class Subject:
    """A lifecycle's row: its model, its chain prefix, and the fields its chain proves."""
    model: type
    prefix: str          # chain "n:42" for nomination 42
    entity: str          # audit_events.entity
    tracked: tuple[str, ...]

    def chain(self, row_id: int) -> str:
        return f"{self.prefix}:{row_id}"

    @property
    def table(self) -> Table:
        return self.model.__table__  # type: ignore[attr-defined]

    @cached_property
    def stamped(self) -> bool:
        """The row keeps when it last changed (`updated_at`)."""
        return "updated_at" in self.table.c


NOMINATION = Subject(
    Nomination, "n", "nomination",
    ("state", "version", "level", "holder_org_id", "decision_id", "dossier_id", "award_code", "unit_id",
     "plan_id", "nominee_kind", "nominee_name", "nominee_title", "route", "definition_version"))
DOSSIER = Subject(Dossier, "d", "dossier", ("state", "version", "number", "kind", "org_id", "plan_id"))
OBLIGATION = Subject(Obligation, "o", "obligation", ("state", "version", "org_id", "plan_id", "milestone_id"))

SUBJECTS: dict[str, Subject] = {s.prefix: s for s in (NOMINATION, DOSSIER, OBLIGATION)}


def subject_of(row: object) -> Subject:
    for s in SUBJECTS.values():
        if isinstance(row, s.model):
            return s
    raise TypeError(f"{type(row).__name__} has no lifecycle")
