"""/admin/trust-roots (chứng thư gốc tin cậy): the root certificates the administrator trusts
for verifying digital signatures; add one from a PEM or DER file, remove one after a
confirmation page. Every change goes through workflow/documents/trust.py, which refuses anyone
but the administrator and audits it in the same transaction."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from web.runtime import runtime
from web.ui import bp, forms
from web.ui.i18n import current_lang
from web.uploads import read_file
from workflow.documents import trust
from workflow.errors import Conflict, DomainError, InvalidInput


def _page(error: str | None = None, values=None, status: int = 200):
    rt = runtime()
    roots = trust.list_roots(rt.db, forms.user_id())
    return render_template("admin/trust_roots.html", roots=roots, error=error, values=values or {},
                           now=rt.now()), status


@bp.route("/admin/trust-roots", methods=["GET", "POST"])
def admin_trust_roots():
    if request.method == "GET":
        return _page()
    rt = runtime()
    try:
        _name, data = read_file(1024 * 1024)
        root = trust.add_root(rt.db, forms.user_id(), data, now=rt.now(), name=forms.text("name"), ctx=forms.ctx())
    except (InvalidInput, Conflict) as err:
        return _page(err.message(current_lang()), request.form, 422 if isinstance(err, InvalidInput) else 409)
    flash(_("Đã thêm chứng thư gốc tin cậy %(name)s.", name=root.name), "success")
    return redirect(url_for("ui.admin_trust_roots"), 303)


@bp.route("/admin/trust-roots/<int:root_id>/remove", methods=["GET", "POST"])
def admin_trust_root_remove(root_id: int):
    """A confirmation page (GET), then the removal (POST)."""
    rt = runtime()
    if request.method == "GET":
        return render_template("admin/trust_root_remove.html", root=trust.get_root(rt.db, forms.user_id(), root_id))
    try:
        root = trust.remove_root(rt.db, forms.user_id(), root_id, now=rt.now(), ctx=forms.ctx())
    except DomainError as err:
        flash(err.message(current_lang()), "error")
        return redirect(url_for("ui.admin_trust_roots"), 303)
    flash(_("Đã gỡ chứng thư gốc %(name)s: chữ ký số chỉ dựa vào nó không còn được tin cậy.", name=root.name),
          "success")
    return redirect(url_for("ui.admin_trust_roots"), 303)
