"""Completeness of a nomination's dossier (thành phần hồ sơ) before it is submitted or sent on.

The documents each award type requires are catalogue data (Luật TĐKT 2022 Điều 84; NĐ 152/2025
Mẫu 01 for the tờ trình; domain.md §4). A document is present when it is attached to the
nomination or to a dossier that carried it; the papers the product generates count as present:
the tờ trình and its list (văn bản đề nghị kèm danh sách) once the nomination travels in a
dossier, the council's minutes (biên bản) once its council voted.

Whether missing documents refuse the command is each organisation's setting (paper_settings):
by default a submission within the unit is not refused and a sending to another organisation
is; the demo's own organisations refuse neither, so clients that submit bare nominations keep
working.
"""
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from states.routes import ROUTES
from workflow.catalogue.awards import DOCUMENT_NAMES
from workflow.errors import InvalidInput
from workflow.catalogue.routing import definition
from workflow.kernel.db import core
from workflow.models import Attachment, AwardType, CouncilVote, DossierNomination, Nomination, \
    PaperSettings

GENERATED_WITH_DOSSIER = ("to_trinh", "van_ban_de_nghi")
GENERATED_WITH_VOTE = ("bien_ban_binh_xet", "bien_ban_xet_khen_thuong")
SUBMIT, SEND = "submit", "send"


def required_documents(s: Session, nom: Nomination) -> list[str]:
    """The documents of the award type's version the nomination was made under."""
    stored = definition(s, nom.award_code, nom.definition_version)
    if stored is not None and "documents" in stored:
        return list(stored.get("documents") or [])
    award = s.get(AwardType, nom.award_code)
    return list(award.required_documents or []) if award else []


def present_documents(s: Session, nom: Nomination) -> set[str]:
    dossiers = list(s.execute(select(DossierNomination.dossier_id)
                              .where(DossierNomination.nomination_id == nom.id)).scalars())
    owners = (Attachment.owner_type == "nomination") & (Attachment.owner_id == nom.id)
    if dossiers:
        owners = owners | ((Attachment.owner_type == "dossier") & Attachment.owner_id.in_(dossiers))
    present = set(s.execute(select(Attachment.doc_type).where(owners)).scalars())
    if dossiers or nom.dossier_id:
        present.update(GENERATED_WITH_DOSSIER)
    if s.execute(select(CouncilVote.id).where(CouncilVote.nomination_id == nom.id).limit(1)).first():
        present.update(GENERATED_WITH_VOTE)
    return present


def document(code: str) -> dict:
    """A required document as the API and pages name it: a stable code, its Vietnamese and English name."""
    vi, en = DOCUMENT_NAMES.get(code, (code, code))
    return {"code": code, "name": vi, "name_en": en}


def missing_documents(s: Session, nom: Nomination) -> list[dict]:
    """[{code, name, name_en}] of the required documents not yet present, in the catalogue's order."""
    present = present_documents(s, nom)
    return [document(c) for c in required_documents(s, nom) if c not in present]


def is_send(nom: Nomination) -> bool:
    """An approval that hands the nomination to another organisation's level (unit → ministry...)."""
    try:
        route = ROUTES[nom.route]
    except KeyError:
        return False
    if nom.state not in route.states:
        return False
    i = route.index(nom.state)
    return i + 1 < len(route.steps) and route.steps[i + 1].org_level != route.steps[i].org_level


_PAPERS = PaperSettings.__table__
_BLOCKING = select(_PAPERS.c.block_on_submit, _PAPERS.c.block_on_send).where(_PAPERS.c.org_id == bindparam("org_id"))


def _blocking(s: Session, org_id: int | None) -> tuple[bool, bool]:
    """(refuse at submit, refuse at sending) of the organisation, read once per session: a bulk
    approval asks it for every nomination of its chunk (no row: refuse only when sending)."""
    cache = s.info.setdefault("paper_blocking", {})
    if org_id not in cache:
        row = core(s, _BLOCKING, {"org_id": org_id}).first() if org_id is not None else None
        cache[org_id] = (bool(row[0]), bool(row[1])) if row else (False, True)
    return cache[org_id]


def check(s: Session, org_id: int | None, nom: Nomination, moment: str) -> None:
    """Refuse (422 naming the missing documents) when the organisation's setting says so."""
    if moment == SEND and not is_send(nom):
        return
    block_on_submit, block_on_send = _blocking(s, org_id)
    block = block_on_submit if moment == SUBMIT else block_on_send
    if not block:
        return
    missing = missing_documents(s, nom)
    if missing:
        names = ", ".join(m["name"] for m in missing)
        raise InvalidInput(f"Hồ sơ của {nom.nominee_name} còn thiếu: {names}",
                           f"The dossier of {nom.nominee_name} lacks: {', '.join(m['name_en'] for m in missing)}",
                           field="missing_documents", details=missing)
