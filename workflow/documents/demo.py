"""The demo's paper settings: its own organisations do not refuse incomplete dossiers, so that
the demo's scenarios (and clients that submit bare nominations) keep working."""
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.models import OrgUnit, PaperSettings


def paper_defaults(s: Session, now: datetime) -> int:
    """Settings for every organisation that has none yet: refuse nothing. Returns how many."""
    have = set(s.execute(select(PaperSettings.org_id)).scalars())
    added = 0
    for org_id in s.execute(select(OrgUnit.id).order_by(OrgUnit.id)).scalars():
        if org_id not in have:
            s.add(PaperSettings(org_id=org_id, block_on_submit=False, block_on_send=False, updated_at=now))
            added += 1
    s.flush()
    return added
