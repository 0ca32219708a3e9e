"""What a running app holds: settings, the database, the clock."""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, UTC

from flask import current_app

from workflow.config import Settings
from workflow.kernel.db import Database


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class Runtime:
    settings: Settings
    db: Database
    clock: Callable[[], datetime] = system_clock

    def now(self) -> datetime:
        return self.clock()


def runtime() -> Runtime:
    return current_app.extensions["khenthuong"]
