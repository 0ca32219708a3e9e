"""The papers' use cases: list a dossier's papers, generate one (Word or PDF), bundle a dossier
for the next level's electronic system, generate a decision with its list and its certificates,
sign a decision (ký số) and keep the signed file.

Reading is authorised like the rows it is drawn from (a dossier or decision the caller may see);
the content is gathered in one read transaction and rendered after it, so no lock is held while
Typst or python-docx work.
"""
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from states.routes import ADMIN, LEADERS
from workflow.access.actors import NO_CONTEXT, RequestContext
from workflow.access.loading import load_actor
from workflow.audit.chain import append
from workflow.audit.replay import DECISION_PREFIX
from workflow.decisions import service as decisions
from workflow.documents import completeness, content, layout as certificate_layout, pdf, signing, trust, \
    verification
from workflow.dossiers import core
from workflow.dossiers.attachments import _owned_by as attachments_of
from workflow.errors import Conflict, Forbidden, InvalidInput, NotFound
from workflow.kernel.db import Database
from workflow.kernel.uow import flush, unit_of_work
from workflow.models import Attachment, Decision, Dossier, OrgUnit, PaperSettings, SignedPaper
from workflow.nominations.queries import load_visible
from workflow.orgs.tree import org_tree

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
ZIP = "application/zip"
CONTENT_TYPES = {"docx": DOCX, "pdf": PDF}
DOSSIER_PAPERS = {
    "to-trinh": ("Tờ trình đề nghị khen thưởng", content.to_trinh),
    "danh-sach": ("Danh sách đề nghị khen thưởng", content.danh_sach),
    "bien-ban": ("Biên bản họp Hội đồng Thi đua - Khen thưởng", content.bien_ban),
}
SIGNED_KIND = "quyet-dinh"


@dataclass(frozen=True)
class PaperInfo:
    """One paper a dossier or decision offers: its kind, title and the formats it comes in."""
    kind: str
    title: str
    formats: tuple[str, ...]


@dataclass(frozen=True)
class Download:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class SignedView:
    """A signed decision (quyết định đã ký số)."""
    decision_id: int
    signer: str
    signed_at: datetime
    sha256: str
    size: int
    signature: dict | None


def _format(fmt: object) -> str:
    if fmt not in CONTENT_TYPES:
        raise NotFound("Không có định dạng này; dùng .docx hoặc .pdf", "No such format; use .docx or .pdf")
    return str(fmt)


def render(kind: str, data: dict, fmt: str, overrides: Path | None = None) -> bytes:
    return pdf.render(kind, data, overrides) if fmt == "pdf" else pdf.render_docx(kind, data, overrides)


# --- a dossier's papers --------------------------------------------------------------------

def dossier_papers(db: Database, actor_id: int, dossier_id: int) -> list[PaperInfo]:
    """The papers of a dossier: tờ trình and danh sách always, the biên bản once a council voted."""
    with db.read() as s:
        actor = load_actor(s, actor_id)
        d = core.load(s, actor, org_tree(s), dossier_id)
        voted = bool(content.dossier_votes(s, d))
    return [PaperInfo(kind, title, ("docx", "pdf")) for kind, (title, _fn) in DOSSIER_PAPERS.items()
            if kind != "bien-ban" or voted]


def _dossier_content(s, actor_id: int, dossier_id: int, kind: str, now: datetime) -> tuple[Dossier, dict]:
    actor = load_actor(s, actor_id)
    tree = org_tree(s)
    d = core.load(s, actor, tree, dossier_id)
    if kind not in DOSSIER_PAPERS:
        raise NotFound(f"Không có văn bản '{kind}'", f"No paper '{kind}'")
    data = DOSSIER_PAPERS[kind][1](s, tree, d, now)
    if data is None:
        raise NotFound(f"Hồ sơ {d.number} chưa có biên bản: Hội đồng chưa bỏ phiếu",
                       f"Dossier {d.number} has no minutes yet: the council has not voted")
    return d, data


def dossier_paper(db: Database, actor_id: int, dossier_id: int, kind: str, fmt: str, *, now: datetime,
                  overrides: Path | None = None) -> Download:
    """One paper of a dossier as .docx or .pdf."""
    fmt = _format(fmt)
    with db.read() as s:
        _d, data = _dossier_content(s, actor_id, dossier_id, kind, now)
    return Download(f"{data['filename']}.{fmt}", CONTENT_TYPES[fmt], render(kind, data, fmt, overrides))


def dossier_bundle(db: Database, actor_id: int, dossier_id: int, *, now: datetime,
                   overrides: Path | None = None) -> Download:
    """One ZIP for the next level's electronic system (QĐ 311/QĐ-BNV, QĐ 637/QĐ-BNV 2025: dossiers go
    as Word and PDF files): every paper in both formats, the attachments, and `manifest.json`
    naming the dossier, its nominees and each file with its SHA-256."""
    with db.read() as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        d = core.load(s, actor, tree, dossier_id)
        papers = {kind: fn(s, tree, d, now) for kind, (_t, fn) in DOSSIER_PAPERS.items()}
        people = content._dossier_people(s, tree, d)
        attached = s.execute(select(Attachment).where(attachments_of(d)).order_by(Attachment.id)).scalars().all()
        files = [(f"dinh-kem/{a.id}-{a.filename}", a.data, a.doc_type, a.owner_id if a.owner_type == "nomination"
                  else None) for a in attached]
        org = tree.get(d.org_id)
        header = {"id": d.id, "number": d.number, "title": d.title, "state": d.state,
                  "org": org.name if org else None, "submitted_at": d.submitted_at.isoformat() if d.submitted_at
                  else None}
    out = io.BytesIO()
    manifest: dict = {"dossier": header, "generated_at": now.isoformat(),
                      "nominees": [{"id": p.id, "kind": p.kind, "name": p.name, "title": p.title, "unit": p.unit,
                                    "award_type": p.award_code, "award_name": p.award_name} for p in people],
                      "documents": []}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for kind, data in papers.items():
            if data is None:
                continue
            for fmt in ("docx", "pdf"):
                body = render(kind, data, fmt, overrides)
                name = f"{data['filename']}.{fmt}"
                z.writestr(name, body)
                manifest["documents"].append({"file": name, "kind": kind, "format": fmt, "size": len(body),
                                              "sha256": hashlib.sha256(body).hexdigest()})
        for name, body, doc_type, nomination_id in files:
            z.writestr(name, body)
            manifest["documents"].append({"file": name, "kind": "attachment", "doc_type": doc_type,
                                          "nomination_id": nomination_id, "size": len(body),
                                          "sha256": hashlib.sha256(body).hexdigest()})
        z.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    return Download(f"ho-so-{content._slug(d.number)}.zip", ZIP, out.getvalue())


# --- the decision, its list and its certificates ----------------------------------------------

def _decision(s, actor_id: int, decision_id: int) -> Decision:
    d = s.get(Decision, decision_id)
    if d is None:
        raise NotFound(f"Không tìm thấy quyết định #{decision_id}", f"Decision #{decision_id} not found")
    return d


def decision_paper(db: Database, actor_id: int, decision_id: int, fmt: str, *,
                   overrides: Path | None = None) -> Download:
    """The decision with its list (danh sách kèm theo); once signed, the PDF is the signed file."""
    fmt = _format(fmt)
    decisions.get_decision(db, actor_id, decision_id)  # NotFound unless the caller may see it
    with db.read() as s:
        dec = _decision(s, actor_id, decision_id)
        signed = s.execute(select(SignedPaper).where(SignedPaper.decision_id == dec.id,
                                                     SignedPaper.kind == SIGNED_KIND)).scalar_one_or_none()
        data = content.quyet_dinh(s, org_tree(s), dec)
        if fmt == "pdf" and signed is not None:
            return Download(f"{data['filename']}-da-ky.pdf", PDF, signed.data)
    return Download(f"{data['filename']}.{fmt}", CONTENT_TYPES[fmt], render(SIGNED_KIND, data, fmt, overrides))


def certificates(db: Database, actor_id: int, decision_id: int, *, grid: bool = False,
                 overrides: Path | None = None) -> Download:
    """Every awardee's certificate, one page each, placed as the deciding org's blanks need."""
    decisions.get_decision(db, actor_id, decision_id)
    with db.read() as s:
        dec = _decision(s, actor_id, decision_id)
        settings = s.get(PaperSettings, dec.org_id)
        data = content.certificates(s, org_tree(s), dec, certificate_layout.merged(
            settings.certificate_layout if settings else None, grid=grid))
    return Download(f"{data['filename']}.pdf", PDF, pdf.render("certificates", data, overrides))


def _may_sign(actor, dec: Decision) -> None:
    """The decider of the decision's org, or a deputy signing "KT." (a leader of that org)."""
    tree_level_roles = {r for roles in LEADERS.values() for r in roles}
    if actor.role not in tree_level_roles or actor.org_id != dec.org_id:
        raise Forbidden("Chỉ người có thẩm quyền của cơ quan ra quyết định được ký số",
                        "Only the deciding organisation's leader may sign the decision")


def sign_decision(db: Database, actor_id: int, decision_id: int, *, instance: Path, now: datetime,
                  signed_pdf: bytes | None = None, overrides: Path | None = None,
                  ctx: RequestContext = NO_CONTEXT) -> SignedView:
    """Sign the decision's PDF (ký số, PAdES) with the organisation's certificate and keep it; or, for
    deferred signing, keep `signed_pdf` — the same paper signed elsewhere (USB token, remote
    service) — when its signature is valid, intact, covers the whole file and is trusted.
    Recorded on the decision's chain "q:<id>"."""
    decisions.get_decision(db, actor_id, decision_id)
    with db.read() as s:
        actor = load_actor(s, actor_id)
        dec = _decision(s, actor_id, decision_id)
        _may_sign(actor, dec)
        org = s.get(OrgUnit, dec.org_id)
        assert org is not None
        data = content.quyet_dinh(s, org_tree(s), dec)
        roots = verification.roots(s)
    if signed_pdf is None:
        signer_name = data["signatures"][0]["name"] or actor.full_name
        cred, demo_root = signing.credential_for(instance, org.code, org.name, signer_name)
        data["signatures"][0]["stamp"] = signing.stamp(signer_name, org.name, now)
        body = signing.sign_pdf(pdf.render(SIGNED_KIND, data, overrides), cred, signer=signer_name, org=org.name)
        if demo_root is not None and demo_root not in roots:
            roots.append(demo_root)
    else:
        # Deferred signing: the file must be the prepared paper with signatures appended
        # (an incremental update), so what was signed is the decision as the product wrote it.
        body, demo_root = bytes(signed_pdf), None
        if not body.startswith(pdf.render(SIGNED_KIND, data, overrides)):
            raise InvalidInput("Tệp đã ký không phải là bản quyết định do hệ thống lập (GET document.pdf)",
                               "The signed file is not the decision as prepared (GET document.pdf)", field="file")
    verified = signing.verify_pdf(body, roots)
    if not verified or not verified["valid"] or not verified["trusted"]:
        raise InvalidInput("Tệp không có chữ ký số hợp lệ, toàn vẹn và tin cậy", "The file carries no valid, "
                           "intact and trusted signature", field="file", details=[verified or {}])
    with unit_of_work(db) as s:
        actor = load_actor(s, actor_id)
        if demo_root is not None:
            trust.trust_demo_root(s, demo_root, now)
        if s.execute(select(SignedPaper.id).where(SignedPaper.decision_id == decision_id,
                                                  SignedPaper.kind == SIGNED_KIND)).first():
            raise Conflict("Quyết định đã được ký số", "The decision is already signed")
        row = SignedPaper(decision_id=decision_id, kind=SIGNED_KIND, data=body, sha256=signing.sha256(body),
                          size=len(body), signer=verified["signer"] or actor.full_name, signed_by=actor.user_id,
                          signed_at=now)
        s.add(row)
        flush(s)
        append(s, f"{DECISION_PREFIX}:{decision_id}", at=now, actor=actor, ctx=ctx, action="decision_sign",
               entity="decision", entity_id=decision_id,
               payload={"sha256": row.sha256, "size": row.size, "signer": row.signer,
                        "deferred": signed_pdf is not None})
        return SignedView(decision_id, row.signer, now, row.sha256, row.size, verified)


def trusted_roots(s) -> list[str]:
    return verification.roots(s)


# --- certificate layout (per organisation) --------------------------------------------------

def get_layout(db: Database, actor_id: int) -> dict:
    with db.read() as s:
        actor = load_actor(s, actor_id)
        settings = s.get(PaperSettings, actor.org_id)
        return certificate_layout.merged(settings.certificate_layout if settings else None)


def save_layout(db: Database, actor_id: int, raw: object, *, now: datetime) -> dict:
    """An organisation's leader or officer saves where its blanks put each field."""
    layout = certificate_layout.parse(raw)
    with unit_of_work(db) as s:
        actor = load_actor(s, actor_id)
        if actor.role in ("auditor", "system") or actor.org_id is None:
            raise Forbidden("Không được sửa bố cục bằng khen", "You may not change the certificate layout")
        settings = s.get(PaperSettings, actor.org_id)
        if settings is None:
            settings = PaperSettings(org_id=actor.org_id, block_on_submit=False, block_on_send=True, updated_at=now)
            s.add(settings)
        settings.certificate_layout = layout
        settings.updated_at = now
        flush(s)
        return certificate_layout.merged(layout)


def layout_preview(db: Database, actor_id: int, raw: object | None = None, *, fmt: str = "pdf") -> Download:
    """A sample certificate on the organisation's layout (or `raw`, unsaved) with a 10 mm grid."""
    with db.read() as s:
        actor = load_actor(s, actor_id)
        settings = s.get(PaperSettings, actor.org_id)
        saved = certificate_layout.parse(raw) if raw is not None else (settings.certificate_layout if settings
                                                                        else None)
    sample = {"authority": "BỘ TRƯỞNG BỘ THÔNG TIN VÀ TRUYỀN THÔNG", "kind": "BẰNG KHEN",
              "award": "Bằng khen của Bộ trưởng", "recipient": "Bà Nguyễn Thị Ánh Tuyết",
              "detail": "Phóng viên, Tổng công ty Truyền thông đa phương tiện (VTC)",
              "reason": "Đã có thành tích xuất sắc trong thực hiện nhiệm vụ", "place_date":
              "Hà Nội, ngày 05 tháng 12 năm 2026", "kt": "KT. BỘ TRƯỞNG", "signer_title": "THỨ TRƯỞNG",
              "signer": "Phạm Đức Long", "decision": "Quyết định số 15/QĐ-BTTTT ngày 05 tháng 12 năm 2026",
              "register": "Số sổ vàng: 0001/BTTTT"}
    data = {"layout": certificate_layout.merged(saved, grid=True), "pages": [sample]}
    if fmt == "png":
        return Download("mau-bang-khen.png", "image/png", pdf.render("certificates", data, fmt="png"))
    return Download("mau-bang-khen.pdf", PDF, pdf.render("certificates", data))


def signed_state(db: Database, actor_id: int, decision_id: int) -> SignedView | None:
    """The decision's signature, if it was signed (for its page)."""
    decisions.get_decision(db, actor_id, decision_id)
    with db.read() as s:
        row = s.execute(select(SignedPaper).where(SignedPaper.decision_id == decision_id,
                                                  SignedPaper.kind == SIGNED_KIND)).scalar_one_or_none()
        if row is None:
            return None
        return SignedView(decision_id, row.signer, row.signed_at, row.sha256, row.size,
                          signing.verify_pdf(row.data, trusted_roots(s)))


# --- completeness (thành phần hồ sơ) ---------------------------------------------------------

@dataclass(frozen=True)
class Checklist:
    """What a nomination's dossier needs and what it still lacks."""
    nomination_id: int
    nominee: str
    award_type: str
    required: list[dict]
    missing_documents: list[dict]


def _checklist(s, nom) -> Checklist:
    present = completeness.present_documents(s, nom)
    required = [{**completeness.document(c), "present": c in present} for c in completeness.required_documents(s, nom)]
    return Checklist(nom.id, nom.nominee_name, nom.award_code, required, completeness.missing_documents(s, nom))


def nomination_checklist(db: Database, actor_id: int, nomination_id: int) -> Checklist:
    with db.read() as s:
        actor = load_actor(s, actor_id)
        return _checklist(s, load_visible(s, actor, org_tree(s), nomination_id))


def dossier_checklist(db: Database, actor_id: int, dossier_id: int) -> list[Checklist]:
    """Every nominee of a dossier the caller may see, with the documents it still lacks."""
    with db.read() as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        d = core.load(s, actor, tree, dossier_id)
        return [_checklist(s, n) for n in core.members(s, d)]


# --- an organisation's paper settings (administrator) --------------------------------------------

def _settings_view(org_id: int, row: PaperSettings | None, place: str) -> dict:
    return {"org_id": org_id, "place": place,
            "block_on_submit": row.block_on_submit if row else False,
            "block_on_send": row.block_on_send if row else True}


def get_paper_settings(db: Database, actor_id: int, org_id: int) -> dict:
    with db.read() as s:
        if load_actor(s, actor_id).role != ADMIN:
            raise Forbidden("Chỉ quản trị viên", "Administrators only")
        tree = org_tree(s)
        if tree.get(org_id) is None:
            raise NotFound(f"Không có cơ quan #{org_id}", f"No organisation #{org_id}")
        return _settings_view(org_id, s.get(PaperSettings, org_id), content.place_of(s, tree, org_id))


def put_paper_settings(db: Database, actor_id: int, org_id: int, body: object, *, now: datetime,
                       ctx: RequestContext = NO_CONTEXT) -> dict:
    """The administrator sets an organisation's địa danh and whether missing documents refuse a
    submission within the unit (`block_on_submit`) or a sending to another organisation
    (`block_on_send`); recorded in the audit log ("admin:paper_settings")."""
    from workflow import validation as v
    from workflow.audit.chain import admin_event

    if not isinstance(body, dict):
        raise InvalidInput("Nội dung phải là đối tượng JSON", "The body must be a JSON object", field="body")
    flags = {}
    for key in ("block_on_submit", "block_on_send"):
        if key in body:
            if not isinstance(body[key], bool):
                raise InvalidInput(f"{key} phải là true/false", f"{key} must be true or false", field=key)
            flags[key] = body[key]
    place = v.text(body.get("place"), "place", required=False, max_len=100) if "place" in body else None
    with unit_of_work(db) as s:
        actor = load_actor(s, actor_id)
        if actor.role != ADMIN:
            raise Forbidden("Chỉ quản trị viên", "Administrators only")
        tree = org_tree(s)
        if tree.get(org_id) is None:
            raise NotFound(f"Không có cơ quan #{org_id}", f"No organisation #{org_id}")
        row = s.get(PaperSettings, org_id)
        if row is None:
            row = PaperSettings(org_id=org_id, block_on_submit=False, block_on_send=True, updated_at=now)
            s.add(row)
        for key, value in flags.items():
            setattr(row, key, value)
        if "place" in body:
            row.place = place
        row.updated_at = now
        flush(s)
        out = _settings_view(org_id, row, content.place_of(s, tree, org_id))
        admin_event(s, actor, ctx, now, "paper_settings_change", "paper_settings", org_id, payload=out)
        return out
