"""/decisions (quyết định khen thưởng): the list, one decision with what it awarded, and the
deciding leader's decision form, posted from a dossier page with the nominees ticked in its
table (decisions.create_decision, as POST /api/v1/decisions calls it; all or nothing)."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from workflow.errors import DomainError
from workflow.decisions import service as decisions
from web.runtime import runtime
from web.ui import bp, forms
from web.ui.dossiers_view import ask_first, picked, refused, rows_command, source_dossier


@bp.get("/decisions")
def decisions_list():
    return render_template("decisions/list.html", items=decisions.list_decisions(runtime().db, forms.user_id()))


@bp.get("/decisions/<int:decision_id>")
def decision(decision_id: int):
    return render_template("decisions/detail.html",
                           decision=decisions.get_decision(runtime().db, forms.user_id(), decision_id))


@bp.post("/decisions")
def decide():
    """One decision (number, date, signer) awarding every ticked nominee of a dossier."""
    dossier_id = source_dossier()
    try:
        fields = {"number": forms.text("decision.number"), "date": forms.day("decision.date"),
                  "signer": forms.text("decision.signer"), "on_behalf_of": forms.text("decision.on_behalf_of")}
        if dossier_id is not None and fields["number"] and fields["date"]:
            asked = ask_first(dossier_id, "decide_rows", ids=picked(dossier_id, "decide"))
            if asked is not None:
                return asked
        out = rows_command("decide", decisions.create_decision, **fields)
    except DomainError as err:
        if dossier_id is None:
            raise
        return refused(err, dossier_id, "rows", prefix="decision.")
    flash(_("Đã ghi quyết định %(number)s: khen thưởng %(n)s người/tập thể.", number=out.number,
            n=out.awarded), "success")
    return redirect(url_for("ui.decision", decision_id=out.id), 303)
