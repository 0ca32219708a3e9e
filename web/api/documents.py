"""API endpoints for the papers (văn bản): a dossier's tờ trình, danh sách and biên bản, its
bundle, the decision with its list, the certificates, signing, and the trusted root
certificates the administrator keeps (docs/api.md, "Papers").

Files are served as attachments with their own type, `X-Content-Type-Options: nosniff` and
`Cache-Control: private, no-store` (they hold personal data).
"""

from flask import Blueprint, g, jsonify, request

from web.api.common import authenticated, bool_arg, ctx, json_body
from web.runtime import runtime
from web.uploads import read_file, send_download
from workflow.documents import service as papers, trust
from workflow.dossiers.attachments import MAX_BYTES
from workflow.errors import InvalidInput

bp = Blueprint("api_documents", __name__, url_prefix="/api/v1")


def overrides():
    return runtime().settings.papers_dir


def send(d: papers.Download):
    return send_download(d.filename, d.data, d.content_type)


def paper_info(p: papers.PaperInfo) -> dict:
    return {"kind": p.kind, "title": p.title, "formats": list(p.formats)}


@bp.get("/dossiers/<int:dossier_id>/documents")
@authenticated
def dossier_documents(dossier_id: int):
    return jsonify([paper_info(p) for p in papers.dossier_papers(runtime().db, g.user_id, dossier_id)])


@bp.get("/dossiers/<int:dossier_id>/documents/<kind>.<fmt>")
@authenticated
def dossier_document(dossier_id: int, kind: str, fmt: str):
    rt = runtime()
    return send(papers.dossier_paper(rt.db, g.user_id, dossier_id, kind, fmt, now=rt.now(), overrides=overrides()))


@bp.get("/dossiers/<int:dossier_id>/bundle.zip")
@authenticated
def dossier_bundle(dossier_id: int):
    rt = runtime()
    return send(papers.dossier_bundle(rt.db, g.user_id, dossier_id, now=rt.now(), overrides=overrides()))


@bp.get("/decisions/<int:decision_id>/document.<fmt>")
@authenticated
def decision_document(decision_id: int, fmt: str):
    return send(papers.decision_paper(runtime().db, g.user_id, decision_id, fmt, overrides=overrides()))


@bp.get("/decisions/<int:decision_id>/certificates.pdf")
@authenticated
def decision_certificates(decision_id: int):
    return send(papers.certificates(runtime().db, g.user_id, decision_id, grid=bool_arg("grid"),
                                    overrides=overrides()))


def signed_view(v: papers.SignedView) -> dict:
    return {"decision_id": v.decision_id, "signer": v.signer, "signed_at": v.signed_at.isoformat(),
            "sha256": v.sha256, "size": v.size, "signature": v.signature}


@bp.post("/decisions/<int:decision_id>/sign")
@authenticated
def sign_decision(decision_id: int):
    """Sign with the organisation's certificate; or (deferred signing) a multipart `file`: the
    document signed elsewhere, kept when its signature is valid, intact and trusted."""
    rt = runtime()
    signed = read_file(MAX_BYTES)[1] if request.files else None
    out = papers.sign_decision(rt.db, g.user_id, decision_id, instance=rt.settings.instance_path, now=rt.now(),
                               signed_pdf=signed, overrides=overrides(), ctx=ctx())
    return jsonify(signed_view(out)), 201


def checklist(c: papers.Checklist) -> dict:
    return {"nomination_id": c.nomination_id, "nominee": c.nominee, "award_type": c.award_type,
            "required": c.required, "missing_documents": c.missing_documents}


@bp.get("/nominations/<int:nomination_id>/checklist")
@authenticated
def nomination_checklist(nomination_id: int):
    return jsonify(checklist(papers.nomination_checklist(runtime().db, g.user_id, nomination_id)))


@bp.get("/dossiers/<int:dossier_id>/checklist")
@authenticated
def dossier_checklist(dossier_id: int):
    items = papers.dossier_checklist(runtime().db, g.user_id, dossier_id)
    return jsonify({"items": [checklist(c) for c in items],
                    "missing_documents": sum(len(c.missing_documents) for c in items)})


@bp.get("/me/certificate-layout")
@authenticated
def certificate_layout():
    return jsonify(papers.get_layout(runtime().db, g.user_id))


@bp.put("/me/certificate-layout")
@authenticated
def save_certificate_layout():
    rt = runtime()
    return jsonify(papers.save_layout(rt.db, g.user_id, json_body(), now=rt.now()))


@bp.get("/orgs/<int:org_id>/paper-settings")
@authenticated
def paper_settings(org_id: int):
    return jsonify(papers.get_paper_settings(runtime().db, g.user_id, org_id))


@bp.put("/orgs/<int:org_id>/paper-settings")
@authenticated
def put_paper_settings(org_id: int):
    rt = runtime()
    return jsonify(papers.put_paper_settings(rt.db, g.user_id, org_id, json_body(), now=rt.now(), ctx=ctx()))


# --- trusted roots (administrator) ----------------------------------------------------------------

def trust_root_view(r: trust.TrustRootView) -> dict:
    return {"id": r.id, "name": r.name, "subject": r.subject, "issuer": r.issuer, "sha256": r.sha256,
            "not_before": r.not_before.isoformat() if r.not_before else None,
            "not_after": r.not_after.isoformat() if r.not_after else None,
            "added_by": r.added_by, "added_at": r.added_at.isoformat(), "pem": r.pem}


@bp.get("/trust-roots")
@authenticated
def trust_roots():
    return jsonify({"items": [trust_root_view(r) for r in trust.list_roots(runtime().db, g.user_id)]})


@bp.post("/trust-roots")
@authenticated
def add_trust_root():
    """A CA certificate to trust: multipart `file` (PEM or DER) or JSON {"pem", "name"?}."""
    rt = runtime()
    if request.files or (request.mimetype or "").startswith("multipart/"):
        data = read_file(1024 * 1024)[1]
        name = request.form.get("name")
    else:
        body = json_body()
        data, name = body.get("pem"), body.get("name")
        if not isinstance(data, str):
            raise InvalidInput("Cần trường 'pem': chứng thư dạng PEM", "The field 'pem' (a PEM certificate) is "
                               "required", field="pem")
    root = trust.add_root(rt.db, g.user_id, data, now=rt.now(), name=name if isinstance(name, str) else None,
                          ctx=ctx())
    return jsonify(trust_root_view(root)), 201


@bp.delete("/trust-roots/<int:root_id>")
@authenticated
def remove_trust_root(root_id: int):
    rt = runtime()
    trust.remove_root(rt.db, g.user_id, root_id, now=rt.now(), ctx=ctx())
    return "", 204
