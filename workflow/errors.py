"""One hierarchy of domain errors, each with a Vietnamese and an English message.

The web layer maps them to HTTP status codes in one place (web/errors.py).
"""


class DomainError(Exception):
    code = "error"

    def __init__(self, message_vi: str, message_en: str | None = None, *, field: str | None = None,
                 details: list | None = None):
        super().__init__(message_en or message_vi)
        self.message_vi = message_vi
        self.message_en = message_en or message_vi
        self.field = field
        self.details = details

    def message(self, lang: str = "vi") -> str:
        return self.message_en if lang == "en" else self.message_vi


class NotFound(DomainError):
    """What does not exist, or what the actor may not even know exists."""
    code = "not_found"


class Forbidden(DomainError):
    """The actor sees it but may not do this."""
    code = "forbidden"


class InvalidTransition(DomainError):
    """The action is not allowed from the current state."""
    code = "invalid_transition"


class Conflict(DomainError):
    """Someone else changed it first (stale version), or it would duplicate something."""
    code = "conflict"


class InvalidInput(DomainError):
    """Bad input; `field` names the offending field."""
    code = "invalid_input"


class Unauthenticated(DomainError):
    code = "unauthenticated"


class RateLimited(DomainError):
    """Too many failed attempts; try again later."""
    code = "rate_limited"


class Unavailable(DomainError):
    """The database cannot be written now (disk full, read-only file, lost connection):
    nothing was changed; try again later."""
    code = "unavailable"
