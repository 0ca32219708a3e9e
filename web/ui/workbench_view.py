"""/delegations (ủy quyền): a leader names a stand-in for a period; both see the delegations."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l

from states.routes import CENTRAL_LEADER, MINISTRY_LEADER, UNIT_HEAD
from workflow.errors import DomainError
from workflow.workbench import delegation
from web.errors import status_of
from web.runtime import runtime
from web.ui import bp, forms, nav
from web.ui.i18n import current_lang

nav.add("ui.delegations", _l("Ủy quyền"), (UNIT_HEAD, MINISTRY_LEADER, CENTRAL_LEADER), order=85)


@bp.route("/delegations", methods=["GET", "POST"])
def delegations():
    rt, uid = runtime(), forms.user_id()
    error, status = None, 200
    if request.method == "POST":
        try:
            view = delegation.create_delegation(rt.db, uid, {
                "to_user_id": forms.integer("to_user_id"), "from": forms.day("from"), "until": forms.day("until")},
                now=rt.now(), ctx=forms.ctx())
        except DomainError as err:
            error, status = {"field": err.field, "message": err.message(current_lang())}, status_of(err)
        else:
            flash(_("Đã ủy quyền cho %(name)s ký thay từ %(start)s đến %(end)s.", name=view.to_user["name"],
                    start=view.starts_on.strftime("%d/%m/%Y"), end=view.ends_on.strftime("%d/%m/%Y")), "success")
            return redirect(url_for("ui.delegations"), 303)
    return render_template("delegations.html", items=delegation.list_delegations(rt.db, uid, now=rt.now()),
                           colleagues=delegation.colleagues(rt.db, uid), error=error or {},
                           values=request.form), status
