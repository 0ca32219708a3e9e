"""What one sweep did, as plain data (printed by `scheduler tick --json`, kept for /healthz)."""
from dataclasses import dataclass, field

COUNTS = ("reminded", "escalated", "expired", "retired", "skipped_reminders", "lost", "failed")


@dataclass
class SweepReport:
    now: str
    reminded: int = 0
    escalated: int = 0
    expired: int = 0
    retired: int = 0
    skipped_reminders: int = 0   # reminders whose due date had already passed (downtime)
    lost: int = 0                # rows another sweep claimed first
    failed: int = 0
    plans_closed: int = 0        # plans whose drafts have all been expired
    events: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    duration_ms: float = 0.0
    mail: dict | None = None
    digests: dict | None = None  # daily digests written (workflow/notices/digest.py)
    dry_run: bool = False        # a rehearsal: counted, then rolled back (scheduler tick)

    def count(self, what: str, **event) -> None:
        setattr(self, what, getattr(self, what) + 1)
        if event:
            self.events.append(event)

    def summary(self) -> dict:
        """The counts only (kept in the lease row; small whatever the sweep did)."""
        out = {"now": self.now, **{k: getattr(self, k) for k in COUNTS},
               "plans_closed": self.plans_closed, "duration_ms": round(self.duration_ms, 2)}
        if self.mail is not None:
            out["mail"] = self.mail
        if self.digests is not None:
            out["digests"] = self.digests
        if self.dry_run:
            out["dry_run"] = True
        return out

    def to_dict(self) -> dict:
        return {**self.summary(), "events": self.events, "errors": self.errors}
