"""/delegations (ủy quyền): a leader names a stand-in for a period; both see the delegations.
/notifications (thông báo): the bell in the header with the unread count, the list, mark read."""
from datetime import datetime

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l

from states.routes import CENTRAL_LEADER, MINISTRY_LEADER, UNIT_HEAD
from workflow.errors import DomainError
from workflow.notices import service as notices
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


# --- notifications (thông báo): the bell in the header and the page --------------------------

@bp.app_context_processor
def _bell() -> dict:
    from flask_login import current_user
    if not current_user.is_authenticated or request.endpoint in (None, "static"):
        return {}
    return {"notice_count": notices.unread_count(runtime().db, current_user.id)}


@bp.get("/notifications")
def notifications():
    rt = runtime()
    page = notices.list_notifications(rt.db, forms.user_id(), cursor=forms.arg_text("cursor"))
    for n in page["items"]:  # shown dd/mm/yyyy hh:mm in Vietnam time
        n["created_at"] = datetime.fromisoformat(n["created_at"])
    return render_template("notifications.html", page=page)


@bp.post("/notifications/read")
def notifications_read():
    """Mark one (`id`) or all of mine read."""
    rt, uid = runtime(), forms.user_id()
    one = forms.integer("id")
    if one is not None:
        notices.mark_read(rt.db, uid, one, now=rt.now())
    else:
        notices.mark_all_read(rt.db, uid, now=rt.now())
    return redirect(url_for("ui.notifications"), 303)
