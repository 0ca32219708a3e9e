"""Who is acting, and from which request."""
from dataclasses import dataclass

from states.routes import ADMIN, COUNCIL_SECRETARY, SYSTEM, UNIT_HEAD, UNIT_OFFICER

UNIT_ROLES = frozenset({UNIT_OFFICER, COUNCIL_SECRETARY, UNIT_HEAD})


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    role: str
    org_id: int | None
    full_name: str = ""
    email: str | None = None
    # Set while a stand-in acts for a leader under a delegation ("KT. <leader>"): recorded on
    # every audit event the stand-in writes with the leader's powers (workbench/delegation.py).
    on_behalf_of: str | None = None

    @property
    def is_system(self) -> bool:
        return self.role == SYSTEM

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN


SYSTEM_ACTOR = Actor(None, "system", SYSTEM, None, "Hệ thống")


@dataclass(frozen=True)
class RequestContext:
    request_id: str | None = None
    client_ip: str | None = None


NO_CONTEXT = RequestContext()
