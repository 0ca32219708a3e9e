"""The award catalogue as the API shows it."""
from sqlalchemy import select

from states.routes import ROUTES
from workflow.catalogue.awards import CATALOGUE
from workflow.kernel.db import Database
from workflow.models import AwardType


def sync_catalogue(s) -> int:
    """Insert award types missing from the database; the administrator's edits are kept."""
    have = set(s.execute(select(AwardType.code)).scalars())
    added = 0
    for a in CATALOGUE:
        if a.code not in have:
            s.add(AwardType(code=a.code, name_vi=a.name_vi, name_en=a.name_en, subject=a.subject,
                            route=a.route, deciding_level=a.deciding_level,
                            vote_threshold=a.vote_threshold, quorum=a.quorum,
                            required_documents=list(a.required_documents), legal_note=a.legal_note,
                            active=True))
            added += 1
    return added


def award_dict(a: AwardType) -> dict:
    route = ROUTES[a.route]
    return {
        "code": a.code, "name_vi": a.name_vi, "name_en": a.name_en, "subject": a.subject,
        "route": [s.level for s in route.steps], "route_code": a.route,
        "steps": [{"state": s.state, "level": s.level, "kind": s.kind,
                   "time_limit_working_days": s.time_limit_days} for s in route.steps],
        "deciding_level": a.deciding_level, "vote_threshold": a.vote_threshold, "quorum": round(a.quorum, 4),
        "required_documents": a.required_documents, "legal_note": a.legal_note, "active": a.active,
    }


def list_award_types(db: Database) -> list[dict]:
    with db.read() as s:
        return [award_dict(a) for a in s.execute(select(AwardType).order_by(AwardType.code)).scalars()]
