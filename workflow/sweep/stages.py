"""The stages a deadline row passes through, as data, and when each falls due.

remind (N working days before the due date) → escalate1 (at the due date: level 1, the
step's leader) → escalate2 (N working days after the due date: level 2, the leader one level
up) → done. A row whose subject moved on is `retired`. Each stage fires at most once: the
sweep moves `stage`/`next_at` on by compare-and-set in the transaction that does the work.
"""
from dataclasses import dataclass
from functools import lru_cache
from datetime import datetime

from workflow.calendar.workdays import WorkCalendar, end_of_day_utc, local_date

NEXT_STAGE = {"remind": "escalate1", "escalate1": "escalate2", "escalate2": "done"}
ESCALATION_LEVEL = {"escalate1": 1, "escalate2": 2}
RETIRED = "retired"


@dataclass(frozen=True)
class Policy:
    """How the sweep reminds and escalates; built from the settings."""
    remind_days_before: int = 3
    escalate2_after_days: int = 5     # ngày làm việc after the due date
    batch_size: int = 200             # rows per transaction (SQLite holds its write lock that long)
    retry_after_seconds: int = 600    # a row that failed waits this long before the next try

    @classmethod
    def from_settings(cls, settings) -> "Policy":
        return cls(remind_days_before=getattr(settings, "remind_days_before", cls.remind_days_before),
                   escalate2_after_days=getattr(settings, "escalate2_after_days", cls.escalate2_after_days))


@lru_cache(maxsize=4096)
def level2_at(cal: WorkCalendar, due_at: datetime, days_after: int) -> datetime:
    """The end of the N-th working day after the due date (many rows share a due date)."""
    return end_of_day_utc(cal.add_working_days(local_date(due_at), days_after))


def next_fire(stage: str, due_at: datetime, cal: WorkCalendar, policy: Policy) -> datetime | None:
    """When a row that has just entered `stage` falls due (None: never again)."""
    if stage == "escalate1":
        return due_at
    if stage == "escalate2":
        return level2_at(cal, due_at, policy.escalate2_after_days)
    return None
