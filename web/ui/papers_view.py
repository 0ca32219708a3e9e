"""Pages for the papers (văn bản): a dossier's papers and its checklist of missing documents, a
decision's papers with the signing form, the certificate layout with its preview; the downloads
are the same services as the API's (docs/api.md, "Papers")."""
import io

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from web.runtime import runtime
from web.ui import bp, confirm, forms
from web.ui.i18n import current_lang
from web.uploads import send_download
from workflow.documents import service as papers
from workflow.errors import DomainError
from workflow.decisions import service as decisions
from workflow.dossiers import service as dossiers


def _overrides():
    return runtime().settings.papers_dir


def _send(d: papers.Download):
    return send_download(d.filename, d.data, d.content_type)


@bp.get("/dossiers/<int:dossier_id>/papers")
def dossier_papers(dossier_id: int):
    rt = runtime()
    uid = forms.user_id()
    return render_template("papers/dossier.html", d=dossiers.get_dossier(rt.db, uid, dossier_id, now=rt.now()),
                           items=papers.dossier_papers(rt.db, uid, dossier_id),
                           checklist=papers.dossier_checklist(rt.db, uid, dossier_id))


@bp.get("/dossiers/<int:dossier_id>/papers/<kind>.<fmt>")
def dossier_paper(dossier_id: int, kind: str, fmt: str):
    rt = runtime()
    return _send(papers.dossier_paper(rt.db, forms.user_id(), dossier_id, kind, fmt, now=rt.now(),
                                      overrides=_overrides()))


@bp.get("/dossiers/<int:dossier_id>/papers/bundle.zip")
def dossier_bundle(dossier_id: int):
    rt = runtime()
    return _send(papers.dossier_bundle(rt.db, forms.user_id(), dossier_id, now=rt.now(), overrides=_overrides()))


@bp.get("/decisions/<int:decision_id>/papers")
def decision_papers(decision_id: int):
    rt = runtime()
    return render_template("papers/decision.html",
                           decision=decisions.get_decision(rt.db, forms.user_id(), decision_id),
                           signed=papers.signed_state(rt.db, forms.user_id(), decision_id))


@bp.get("/decisions/<int:decision_id>/papers/document.<fmt>")
def decision_paper(decision_id: int, fmt: str):
    return _send(papers.decision_paper(runtime().db, forms.user_id(), decision_id, fmt, overrides=_overrides()))


@bp.get("/decisions/<int:decision_id>/papers/certificates.pdf")
def decision_certificates(decision_id: int):
    return _send(papers.certificates(runtime().db, forms.user_id(), decision_id, overrides=_overrides()))


@bp.post("/decisions/<int:decision_id>/papers/sign")
def decision_sign(decision_id: int):
    rt = runtime()
    if not confirm.confirmed():
        d = decisions.get_decision(rt.db, forms.user_id(), decision_id)
        return confirm.ask(confirm.sentence("sign_decision", number=d.number),
                           back=url_for("ui.decision_papers", decision_id=decision_id))
    try:
        out = papers.sign_decision(rt.db, forms.user_id(), decision_id, instance=rt.settings.instance_path,
                                   now=rt.now(), overrides=_overrides(), ctx=forms.ctx())
    except DomainError as err:
        flash(err.message(current_lang()), "error")
    else:
        flash(_("Đã ký số quyết định; người ký: %(signer)s.", signer=out.signer), "success")
    return redirect(url_for("ui.decision_papers", decision_id=decision_id), 303)


@bp.route("/papers/certificate-layout", methods=["GET", "POST"])
def certificate_layout():
    """The org's certificate blank: each field's position (mm) and size, with a gridded preview."""
    rt = runtime()
    uid = forms.user_id()
    if request.method == "POST":
        fields: dict = {}
        for key, value in request.form.items():
            name, _dot, attr = key.partition(".")
            if attr in ("x", "y", "width", "size") and value.strip():
                fields.setdefault(name, {})[attr] = int(value) if value.strip().isdigit() else value
        try:
            papers.save_layout(rt.db, uid, {"fields": fields}, now=rt.now())
        except DomainError as err:
            flash(err.message(current_lang()), "error")
        else:
            flash(_("Đã lưu bố cục bằng khen."), "success")
        return redirect(url_for("ui.certificate_layout"), 303)
    labels = {"authority": _("Thẩm quyền"), "kind": _("Loại (Bằng khen, Giấy khen)"), "award": _("Hình thức"),
              "recipient": _("Người được khen"), "detail": _("Chức vụ, đơn vị"), "reason": _("Thành tích"),
              "place_date": _("Địa danh, ngày tháng"), "kt": _("Ký thay (KT.)"), "signer_title": _("Chức vụ người ký"),
              "signer": _("Người ký"), "decision": _("Số, ngày quyết định"), "register": _("Số sổ vàng")}
    return render_template("papers/layout.html", layout=papers.get_layout(rt.db, uid), labels=labels)


@bp.get("/papers/certificate-layout/preview.png")
def certificate_preview():
    d = papers.layout_preview(runtime().db, forms.user_id(), fmt="png")
    resp = send_file(io.BytesIO(d.data), mimetype="image/png")
    resp.headers["Cache-Control"] = "private, no-store"
    return resp
