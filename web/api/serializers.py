"""The JSON of the API: how the services' frozen dataclasses are written (shared/API.md).

The services in `workflow/` return plain data and decide nothing about JSON; every field name,
nesting and date format the API promises is written here, in one place.
"""
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from typing import Any

from workflow.catalogue.service import AwardTypeView
from workflow.dossiers.views import DossierView
from workflow.views import (
    AuditEventView, BulkResult, DecisionDetail, DecisionView, ImportOutcome, ListChange, NominationView, Page,
    ReviewOutcome, UserView,
)


def iso(value: Any) -> Any:
    """Dates and times as ISO 8601 (times with their offset); everything else as it is."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def plain(obj: Any) -> Any:
    """A dataclass (or list / dict of them) as JSON values, field by field."""
    if is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: plain(getattr(obj, f.name)) for f in fields(obj)}
    if isinstance(obj, list | tuple):
        return [plain(x) for x in obj]
    if isinstance(obj, dict):
        return {k: plain(v) for k, v in obj.items()}
    return iso(obj)


def award_type(a: AwardTypeView) -> dict:
    """An award type at its current version; `required_documents` and `legal_note` are the names
    the first release used for `documents` and `legal_basis`."""
    return {"code": a.code, "name_vi": a.name_vi, "name_en": a.name_en, "subject": a.subject, "kind": a.kind,
            "decider": a.decider, "version": a.version, "active": a.active, "steps": [dict(s) for s in a.steps],
            "route": list(a.route), "route_code": a.route_code, "deciding_level": a.deciding_level,
            "vote_threshold": a.vote_threshold, "quorum": a.quorum, "documents": list(a.documents),
            "required_documents": list(a.documents), "legal_basis": a.legal_basis, "legal_note": a.legal_basis}


def decision(d: DecisionView | None) -> dict | None:
    if d is None:
        return None
    return {"id": d.id, "number": d.number, "date": iso(d.date), "signer": d.signer,
            "on_behalf_of": d.on_behalf_of, "org_id": d.org_id}


_NOMINATION_SKIP = frozenset({"decision", "nominee", "unit_name"})


def nomination(v: NominationView) -> dict:
    # Field by field: a generic deep copy dominated the inbox's time.
    out = {f: iso(getattr(v, f)) for f in v.__dataclass_fields__ if f not in _NOMINATION_SKIP}
    out["nominee"] = dict(v.nominee)
    out["decision"] = decision(v.decision)
    out["unit"] = {"id": v.unit_id, "name": v.unit_name}
    return out


def page(p: Page, item=None) -> dict:
    item = item or nomination
    return {"items": [item(i) for i in p.items], "next_cursor": p.next_cursor}


def statistics(st) -> dict:
    """Yearly figures (workflow.workbench.statistics.Statistics)."""
    return plain(st)


def comment(c) -> dict:
    """A comment of a nomination's or dossier's thread (workflow.workbench.comments.CommentView)."""
    return {f.name: iso(getattr(c, f.name)) for f in fields(c)}


def list_page(p) -> dict:
    """A workbench list page (workflow.workbench.listing.ListPage of Rows)."""
    return {"items": [nomination(r.view) for r in p.items], "total": p.total, "page": p.page, "pages": p.pages,
            "per_page": p.per_page, "sort": p.sort, "counts": p.state_counts, "bulk_actions": p.common_actions,
            "next_cursor": None, **({"total_capped": True} if p.capped else {})}


def audit_event(e: AuditEventView) -> dict:
    return {f.name: iso(getattr(e, f.name)) for f in fields(e)}


def bulk_result(r: BulkResult) -> dict:
    return {k: v for k, v in plain(r).items() if v is not None or k == "ok"}


def user(u: UserView) -> dict:
    return {"id": u.id, "username": u.username, "full_name": u.full_name, "email": u.email, "role": u.role,
            "roles": list(u.roles) or [u.role], "org": {"id": u.org_id, "name": u.org_name, "level": u.org_level}}


def me(u: UserView, prefs: Any) -> dict:
    """GET/PATCH /me: the user and their own settings (workflow/auth/account.AccountView)."""
    return {**user(u), "language": prefs.language, "notify_email": prefs.notify_email,
            "notify_digest": prefs.notify_digest}


def dossier(d: DossierView) -> dict:
    out = plain(d)
    for k in ("nominations", "related", "waiting"):
        if out[k] is None:
            del out[k]
    return out


def list_change(c: ListChange) -> dict:
    """A change of a dossier's list: the dossier and the nominations added or removed."""
    out: dict[str, Any] = {"dossier": dossier(c.dossier)}
    if c.removed is not None:
        out["nomination"] = nomination(c.removed)
    else:
        out["nominations"] = [nomination(n) for n in c.added]
    return out


def import_outcome(o: ImportOutcome) -> dict:
    return {"dossier": dossier(o.dossier), "imported": o.imported, "nomination_ids": list(o.nomination_ids)}


def review_outcome(r: ReviewOutcome) -> dict:
    return {"dossier": dossier(r.dossier), "results": plain(r.results), "succeeded": r.succeeded,
            "failed": r.failed}


def decision_detail(d: DecisionDetail) -> dict:
    out = {"id": d.id, "number": d.number, "date": iso(d.date), "signer": d.signer,
           "on_behalf_of": d.on_behalf_of, "org": dict(d.org), "created_at": iso(d.created_at),
           "awarded": d.awarded, "year": d.year, "issued": d.issued}
    if d.decider:
        out["decider"] = d.decider
    if d.proposed_by:
        out["proposed_by"] = d.proposed_by
    if d.follow_up_by:
        out["follow_up_by"] = iso(d.follow_up_by)
    if d.nominations is not None:
        out["nominations"] = plain(d.nominations)
    return out


def public_posting(p) -> dict:
    """A posted nominee (công khai) for the public: nothing beyond what the law has published."""
    return {"nominee": {"name": p.nominee, "kind": p.nominee_kind}, "unit": p.unit,
            "award": {"code": p.award_code, "name": p.award, "name_en": p.award_en},
            "posted_from": iso(p.posted_from), "posted_until": iso(p.posted_until),
            "posted_by": p.posted_by, "comments_to": p.comments_to}
