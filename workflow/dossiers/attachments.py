"""Documents of a dossier by type (tờ trình, biên bản họp Hội đồng, báo cáo thành tích per
nominee, chứng nhận sáng kiến...), stored in the database with their SHA-256.

File names are reduced to a safe base name (no directories, no control or reserved
characters); the type is taken from an allow-list of extensions, never from the client.
"""
import hashlib
import re
import unicodedata
from datetime import datetime

from sqlalchemy import or_, select

from states.dossiers import CLOSED
from states.routes import AUDITOR
from workflow import validation as v
from workflow.access.actors import NO_CONTEXT, RequestContext
from workflow.catalogue.awards import DOCUMENT_NAMES
from workflow.documents.verification import as_read, roots, signature_of
from workflow.kernel.db import Database
from workflow.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from workflow.models import Attachment, Dossier, DossierNomination
from workflow.orgs.tree import org_tree
from workflow.dossiers import core
from workflow.kernel.uow import flush, unit_of_work
from workflow.access.loading import load_actor

MAX_BYTES = 10 * 1024 * 1024
DOC_TYPES = {**DOCUMENT_NAMES, "quyet_dinh": ("Quyết định", "Decision"), "khac": ("Tài liệu khác", "Other")}
CONTENT_TYPES = {
    "pdf": "application/pdf", "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text", "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet", "jpg": "image/jpeg", "jpeg": "image/jpeg",
    "png": "image/png",
}
# Control and reserved characters, and bidi overrides that would disguise the extension.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*\u200e\u200f\u202a-\u202e\u2066-\u2069]')


def safe_filename(name) -> str:
    """The base name only, NFC, without reserved characters; refused when the type is not allowed."""
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput("Thiếu tên tệp", "Missing file name", field="file")
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name))[-1]
    base = _UNSAFE.sub("_", base).strip(" .")
    stem, dot, ext = base.rpartition(".")
    ext = ext.lower()
    if not dot or ext not in CONTENT_TYPES:
        raise InvalidInput(f"Chỉ nhận tệp {', '.join(sorted(CONTENT_TYPES))}",
                           f"Allowed file types: {', '.join(sorted(CONTENT_TYPES))}", field="file")
    stem = stem.strip(" .")[:150] or "tep"
    return f"{stem}.{ext}"


def _view(s, a, trusted_roots: list[str]) -> dict:
    """An attachment as shown; its signature's `trusted` is judged against the roots of now."""
    return {"id": a.id, "doc_type": a.doc_type, "doc_type_name": DOC_TYPES.get(a.doc_type, (a.doc_type,))[0],
            "filename": a.filename, "content_type": a.content_type, "size": a.size, "sha256": a.sha256,
            "nomination_id": a.owner_id if a.owner_type == "nomination" else None,
            "uploaded_at": a.uploaded_at.isoformat(), "signature": as_read(s, a.id, a.signature, trusted_roots)}


def upload(db: Database, actor_id: int, dossier_id: int, *, doc_type, filename, data: bytes,
           nomination_id=None, version=None, now: datetime, ctx: RequestContext = NO_CONTEXT) -> dict:
    """Attach a document to the dossier, or to one of its nominees for per-nominee types;
    `version`: the dossier's, as the caller last saw it."""
    doc_type = v.choice(doc_type, "doc_type", tuple(DOC_TYPES))
    name = safe_filename(filename)
    if not data:
        raise InvalidInput("Tệp rỗng", "The file is empty", field="file")
    if len(data) > MAX_BYTES:
        raise InvalidInput(f"Tệp lớn quá {MAX_BYTES // (1024 * 1024)} MB",
                           f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB", field="file")
    with unit_of_work(db) as s:
        actor, _tree, d = core.open_current(s, actor_id, dossier_id, version)
        if actor.org_id != d.org_id or actor.role == AUDITOR:
            raise Forbidden("Chỉ đơn vị lập hồ sơ được đính kèm tài liệu",
                            "Only the dossier's own org may attach documents")
        if d.state == CLOSED:
            raise InvalidTransition(f"Hồ sơ {d.number} đã kết thúc", f"Dossier {d.number} is closed")
        owner_type, owner_id = "dossier", d.id
        if nomination_id is not None:
            owner_type, owner_id = "nomination", _member(s, d, nomination_id)
        a = Attachment(owner_type=owner_type, owner_id=owner_id, doc_type=doc_type, filename=name,
                       content_type=CONTENT_TYPES[name.rsplit(".", 1)[1]], size=len(data),
                       sha256=hashlib.sha256(data).hexdigest(), data=bytes(data), uploaded_by=actor.user_id,
                       uploaded_at=now, signature=signature_of(s, data))
        s.add(a)
        s.flush()
        core.record(s, d, actor, "attach", now, ctx,
                    nomination_id=owner_id if owner_type == "nomination" else None,
                    payload={"attachment_id": a.id, "doc_type": doc_type, "filename": name, "size": a.size,
                             "sha256": a.sha256})
        flush(s)
        return _view(s, a, roots(s))


def _member(s, d: Dossier, nomination_id) -> int:
    nid = v.integer(nomination_id, "nomination_id", minimum=1, maximum=2**62)
    if s.get(DossierNomination, (d.id, nid)) is None:
        raise InvalidInput(f"Hồ sơ #{nid} không có trong hồ sơ trình {d.number}",
                           f"Nomination #{nid} is not on dossier {d.number}", field="nomination_id")
    return nid


def _owned_by(d: Dossier):
    members = select(DossierNomination.nomination_id).where(DossierNomination.dossier_id == d.id)
    return or_((Attachment.owner_type == "dossier") & (Attachment.owner_id == d.id),
               (Attachment.owner_type == "nomination") & Attachment.owner_id.in_(members))


def list_attachments(db: Database, actor_id: int, dossier_id: int) -> list[dict]:
    with db.read() as s:
        actor = load_actor(s, actor_id)
        d = core.load(s, actor, org_tree(s), dossier_id)
        cols = [c for c in Attachment.__table__.c if c.name != "data"]
        rows = s.execute(select(*cols).where(_owned_by(d)).order_by(Attachment.id)).all()
        trusted = roots(s)
        return [_view(s, r, trusted) for r in rows]  # rows carry every column but the bytes


def download(db: Database, actor_id: int, dossier_id: int, attachment_id: int) -> tuple[str, str, bytes]:
    """(file name, content type, bytes) of a document of a dossier the caller may see."""
    with db.read() as s:
        actor = load_actor(s, actor_id)
        d = core.load(s, actor, org_tree(s), dossier_id)
        a = s.execute(select(Attachment).where(Attachment.id == attachment_id, _owned_by(d))).scalar_one_or_none() \
            if isinstance(attachment_id, int) and 0 < attachment_id < 2**62 else None
        if a is None:
            raise NotFound(f"Không tìm thấy tài liệu #{attachment_id}", f"Attachment #{attachment_id} not found")
        return a.filename, a.content_type, a.data
