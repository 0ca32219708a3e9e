"""Settings from the environment (KHENTHUONG_*) with explicit overrides for tests."""
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any


def default_instance_path() -> Path:
    return Path(os.environ.get("KHENTHUONG_INSTANCE", Path.cwd() / "instance")).resolve()


@dataclass(frozen=True)
class Settings:
    database_url: str = ""
    secret_key: str | None = None
    smtp_url: str | None = None
    sweep_seconds: int = 60
    instance_path: Path = field(default_factory=default_instance_path)
    token_ttl_hours: int = 12
    # "trước ngày X": True reads it as "by X − 1" (strictly before); see workflow/deadlines.py.
    strict_before: bool = True
    # Second escalation (to the next level up) this many working days after a due date.
    escalate2_after_days: int = 5
    # A signed audit checkpoint over every chain's head at most this often (minutes), or sooner
    # once this many events were written since the last one.
    checkpoint_minutes: int = 60
    checkpoint_events: int = 1000
    # Append-only file of the checkpoints' digests (default <instance>/audit-anchors.jsonl) and
    # extra addresses each checkpoint is mailed to (besides the auditors'), comma-separated.
    audit_anchor_path: Path | None = None
    audit_mail: str | None = None
    # Reminders go out this many working days before a step's or a report's due date.
    remind_days_before: int = 3
    # The site's address as users reach it: e-mails link to items under it (KHENTHUONG_BASE_URL).
    base_url: str = "http://localhost:5000"

    @property
    def papers_dir(self) -> Path:
        """An office's own paper templates (README, "Papers"): `<instance>/papers/`."""
        return Path(self.instance_path) / "papers"

    def with_(self, **kw) -> "Settings":
        return replace(self, **kw)


def load_settings(overrides: Mapping | None = None) -> Settings:
    env = os.environ
    instance = Path(env.get("KHENTHUONG_INSTANCE", Path.cwd() / "instance")).resolve()
    values: dict[str, Any] = {
        "database_url": env.get("KHENTHUONG_DATABASE_URL") or f"sqlite:///{instance / 'khenthuong.db'}",
        "secret_key": env.get("KHENTHUONG_SECRET_KEY"),
        "smtp_url": env.get("KHENTHUONG_SMTP_URL"),
        "sweep_seconds": int(env.get("KHENTHUONG_SWEEP_SECONDS", "60")),
        "escalate2_after_days": int(env.get("KHENTHUONG_ESCALATE2_DAYS", "5")),
        "checkpoint_minutes": int(env.get("KHENTHUONG_CHECKPOINT_MINUTES", "60")),
        "checkpoint_events": int(env.get("KHENTHUONG_CHECKPOINT_EVENTS", "1000")),
        "audit_anchor_path": Path(env["KHENTHUONG_AUDIT_ANCHORS"]) if env.get("KHENTHUONG_AUDIT_ANCHORS") else None,
        "audit_mail": env.get("KHENTHUONG_AUDIT_MAIL"),
        "remind_days_before": int(env.get("KHENTHUONG_REMIND_DAYS", "3")),
        "base_url": env.get("KHENTHUONG_BASE_URL") or "http://localhost:5000",
        "instance_path": instance,
    }
    values.update({k: v for k, v in (overrides or {}).items() if k in Settings.__dataclass_fields__})
    # A folder given as text (an app factory's config, `tempfile.mkdtemp()`) is a Path like the
    # environment's: the papers' and anchors' paths are joined onto it.
    for key in ("instance_path", "audit_anchor_path"):
        if values.get(key) is not None and not isinstance(values[key], Path):
            values[key] = Path(values[key])
    return Settings(**values)
