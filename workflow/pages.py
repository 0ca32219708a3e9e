"""Read models of the web pages (màn hình): what one page shows, read in one transaction.

Every function checks visibility here, like the other services: a page never learns about a
nomination, plan or unit its user may not see.
"""
import hashlib
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import defer

from states.lifecycle import DRAFT, STATES, TERMINAL_STATES
from states.routes import UNIT_OFFICER
from workflow.documents import completeness
from workflow.access.policy import INBOX_STATES, is_editable_draft
from workflow.access.visibility import can_see, nomination_clause as visibility_clause
from workflow.access.actors import Actor
from workflow.kernel.db import Database
from workflow.errors import Forbidden, NotFound
from workflow.models import Attachment, AuditEvent, AwardType, Dossier, Nomination, Plan, User
from workflow.orgs.tree import OrgTree, org_tree
from workflow.dossiers import core as dossier_core
from workflow.access.loading import load_actor
from workflow.dossiers.views import DossierView, nominee_rows, related_of, row_commands
from workflow.dossiers.service import summary as dossier_summary
# The inbox rules and the cursor and filter checks are the nominations service's own: reused
# so the page and GET /api/v1/inbox agree on what waits for whom and what a valid filter is.
from workflow.nominations.queries import audit_view, inbox_rows, load_visible, view_of
from workflow.plans.service import accepting
from workflow.calendar.timelimits import calendar_for, working_days_left
from workflow.views import AuditEventView, NominationView
from workflow.workbench import delegation, service as workbench_service

# Actions one form can apply to many nominations at once (no per-item input needed beyond a
# shared reason or decision).
BULK_ACTIONS = ("approve", "submit", "resubmit", "decide", "return", "reject")


@dataclass
class SessionUser:
    id: int
    username: str
    full_name: str
    role: str
    org_id: int
    org_name: str
    stamp: str  # changes when the password changes or the account is deactivated


@dataclass
class InboxRow:
    view: NominationView
    plan_number: str
    days_left: int | None

    @property
    def escalated(self) -> bool:
        return self.view.escalation_level > 0


@dataclass
class InboxPage:
    rows: list[InboxRow]
    next_cursor: str | None
    bulk_actions: list[str] = field(default_factory=list)


@dataclass
class NominationPage:
    view: NominationView
    plan: dict
    award: dict
    events: list[AuditEventView]
    documents: list[dict]
    days_left: int | None
    editable: bool


def session_user(db: Database, user_id: int, stamp: str | None = None) -> SessionUser | None:
    """The user of a login session, or None when the account is gone or disabled, or when
    `stamp` is given and no longer matches (password reset since the login)."""
    with db.read() as s:
        user = s.get(User, user_id) if 0 < user_id < 2**62 else None
        if user is None or not user.active:
            return None
        node = org_tree(s).get(user.org_id)
        found = SessionUser(user.id, user.username, user.full_name, user.role, user.org_id,
                            node.name if node else "", _stamp(user))
    return found if stamp is None or stamp == found.stamp else None


def _stamp(user: User) -> str:
    return hashlib.sha256(f"{user.password_hash}|{user.active}".encode()).hexdigest()[:16]


def filter_options(db: Database, actor_id: int, *, now: datetime) -> dict:
    """Plans, award types and units a user may filter by (only what they may see)."""
    with db.read() as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        plans = [{"id": p.id, "number": p.number, "title": p.title,
                  "accepting": accepting(p, now)}
                 for p in s.execute(select(Plan).order_by(Plan.id.desc())).scalars()
                 if can_see(actor, tree, p)]
        awards = [{"code": a.code, "name_vi": a.name_vi, "name_en": a.name_en, "active": a.active}
                  for a in s.execute(select(AwardType).order_by(AwardType.name_vi)).scalars()]
        return {"plans": plans, "awards": awards, "units": _units(actor, tree), "states": list(STATES),
                "inbox_states": list(INBOX_STATES.get(actor.role, ()))}


def _units(actor: Actor, tree: OrgTree) -> list[dict]:
    if actor.org_id not in tree.nodes:
        return []
    scope = tree.nodes if actor.is_admin else tree.subtree_ids(actor.org_id)
    return sorted(({"id": n.id, "name": n.name} for n in (tree.nodes[i] for i in scope)
                   if n.level == "unit" and n.open), key=lambda u: u["name"])


def inbox_page(db: Database, actor_id: int, *, now: datetime, state=None, plan_id=None,
               award_type=None, unit_id=None, cursor: str | None = None, limit: int = 50) -> InboxPage:
    """What waits for the user, most urgent first, with working days left: the rows and the
    keyset paging of `nominations.inbox_rows`, so the page and GET /api/v1/inbox agree."""
    with db.read() as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        rows, nxt = inbox_rows(s, actor, now=now, state=state, plan_id=plan_id, award_type=award_type,
                               unit_id=unit_id, cursor=cursor, limit=limit)
        page_rows = _rows(s, actor, tree, rows, now)
        return InboxPage(page_rows, nxt, _bulk_actions(page_rows))


def _rows(s, actor: Actor, tree: OrgTree, noms: list[Nomination], now: datetime) -> list[InboxRow]:
    cal = calendar_for(s)
    plan_ids = {n.plan_id for n in noms}
    numbers = dict(s.execute(select(Plan.id, Plan.number).where(Plan.id.in_(plan_ids))).all()) if noms else {}
    return [InboxRow(view_of(s, actor, tree, n, now), numbers.get(n.plan_id, ""),
                     working_days_left(cal, n.due_at, now)) for n in noms]


def _bulk_actions(rows: list[InboxRow]) -> list[str]:
    """Bulk actions offered: those some row on the page allows (each item is re-checked)."""
    allowed = {a for r in rows for a in r.view.actions}
    return [a for a in BULK_ACTIONS if a in allowed]


def nominee_names(db: Database, actor_id: int, ids: list[int]) -> dict[int, str]:
    """Nominee names of those of `ids` the user may see (for a bulk result page)."""
    with db.read() as s:
        actor = load_actor(s, actor_id)
        q = select(Nomination.id, Nomination.nominee_name).where(
            Nomination.id.in_(ids[:10000]), visibility_clause(actor, org_tree(s)))
        return dict(s.execute(q).all())


def nomination_page(db: Database, actor_id: int, nomination_id: int, *, now: datetime) -> NominationPage:
    """A nomination with its plan, award, timeline (audit log) and documents."""
    with db.read() as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        nom = load_visible(s, actor, tree, nomination_id)
        plan = s.get(Plan, nom.plan_id)
        award = s.get(AwardType, nom.award_code)
        events = s.execute(select(AuditEvent).where(AuditEvent.nomination_id == nom.id)
                           .order_by(AuditEvent.id)).scalars().all()
        # A stand-in under a running delegation sees the leader's actions (ủy quyền, "KT.").
        acting = delegation.page_actor(s, actor, nom, now)
        view = view_of(s, acting, tree, nom, now, detail=True)
        return NominationPage(
            view=view,
            plan={"id": plan.id, "number": plan.number, "title": plan.title},
            award={"code": award.code, "name_vi": view.award_name, "name_en": view.award_name_en,
                   "required_documents": completeness.required_documents(s, nom),
                   # attached or generated by the product (tờ trình in a dossier, minutes after a vote)
                   "present_documents": sorted(completeness.present_documents(s, nom)),
                   "vote_threshold": award.vote_threshold, "quorum": award.quorum},
            events=[audit_view(e) for e in events],
            documents=[_doc(a) for a in _attachments(s, actor, tree, nom)],
            days_left=working_days_left(calendar_for(s), nom.due_at, now),
            editable=is_editable_draft(actor, nom))


def _attachments(s, actor: Actor, tree: OrgTree, nom: Nomination) -> list[Attachment]:
    """The nomination's documents, and its dossier's when that dossier is the user's to see."""
    owners = [and_(Attachment.owner_type == "nomination", Attachment.owner_id == nom.id)]
    dossier = s.get(Dossier, nom.dossier_id) if nom.dossier_id else None
    if dossier and (actor.is_admin or (actor.org_id in tree.nodes
                                       and tree.is_within(dossier.org_id, actor.org_id))):
        owners.append(and_(Attachment.owner_type == "dossier", Attachment.owner_id == dossier.id))
    # The content is loaded only when one document is downloaded.
    q = select(Attachment).options(defer(Attachment.data)).where(or_(*owners)).order_by(Attachment.id)
    return list(s.execute(q).scalars())


def _doc(a: Attachment) -> dict:
    return {"id": a.id, "owner": a.owner_type, "doc_type": a.doc_type, "filename": a.filename,
            "size": a.size, "uploaded_at": a.uploaded_at}


def document(db: Database, actor_id: int, nomination_id: int, attachment_id: int) -> dict:
    """One document of a nomination the user may see (same rule as the page that lists it)."""
    with db.read() as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        nom = load_visible(s, actor, tree, nomination_id)
        att = next((a for a in _attachments(s, actor, tree, nom) if a.id == attachment_id), None)
        if att is None:
            raise NotFound(f"Không tìm thấy tài liệu #{attachment_id}", f"Document #{attachment_id} not found")
        return {"filename": att.filename, "content_type": att.content_type, "data": att.data}


def drafting_options(db: Database, actor_id: int, *, now: datetime) -> dict:
    """Plans open to the officer's unit and the active award types, for the draft form."""
    with db.read() as s:
        actor = load_actor(s, actor_id)
        if actor.role != UNIT_OFFICER:
            raise Forbidden("Chỉ cán bộ TĐKT đơn vị được lập hồ sơ đề nghị",
                            "Only a unit commendation officer may draft nominations")
        tree = org_tree(s)
        plans = [{"id": p.id, "number": p.number, "title": p.title, "award_codes": p.award_codes}
                 for p in s.execute(select(Plan).order_by(Plan.id.desc())).scalars()
                 if accepting(p, now) and tree.is_within(actor.org_id, p.issuer_org_id)]
        awards = [{"code": a.code, "name_vi": a.name_vi, "name_en": a.name_en, "subject": a.subject}
                  for a in s.execute(select(AwardType).where(AwardType.active.is_(True))
                                     .order_by(AwardType.name_vi)).scalars()]
        return {"plans": plans, "awards": awards}


def draft_for_edit(db: Database, actor_id: int, nomination_id: int, *, now: datetime) -> NominationView:
    """A draft (or returned nomination) the officer may edit now; Forbidden otherwise."""
    with db.read() as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        nom = load_visible(s, actor, tree, nomination_id)
        if not is_editable_draft(actor, nom):
            raise Forbidden("Chỉ sửa được hồ sơ dự thảo hoặc bị trả lại của đơn vị mình",
                            "Only drafts or returned nominations of your unit can be edited")
        return view_of(s, actor, tree, nom, now)


# --- dossiers (hồ sơ / tờ trình) ---------------------------------------------------------

@dataclass
class DossierPage:
    view: DossierView  # with `nominations` (the nominee table) and `related`
    commands: dict[int, list[str]]  # nominee id → multi-row commands it can take now
    awards: dict[str, dict]  # the awards on the list: names, vote threshold, quorum
    free_drafts: list[dict]  # the unit's drafts of the plan in no dossier, while the list is open


def dossier_page(db: Database, actor_id: int, dossier_id: int, *, now: datetime) -> DossierPage:
    """A dossier the user may see, its nominee table and what each row can take now."""
    with db.read() as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        d = dossier_core.load(s, actor, tree, dossier_id)
        noms = dossier_core.members(s, d)
        view = replace(dossier_summary(s, actor, tree, d), nominations=nominee_rows(s, actor, tree, d, noms, now),
                       related=related_of(s, actor, tree, d))
        codes = {n.award_code for n in noms}
        awards = {a.code: {"name_vi": a.name_vi, "name_en": a.name_en, "vote_threshold": a.vote_threshold,
                           "quorum": a.quorum}
                  for a in s.execute(select(AwardType).where(AwardType.code.in_(codes))).scalars()} if codes else {}
        free = []
        if "add" in view.actions:
            free = [{"id": n.id, "name": n.nominee_name, "award_type": n.award_code}
                    for n in s.execute(select(Nomination).where(
                        Nomination.unit_id == d.org_id, Nomination.plan_id == d.plan_id,
                        Nomination.state == DRAFT, Nomination.dossier_id.is_(None))
                        .order_by(Nomination.id).limit(200)).scalars()]
        # A stand-in (ủy quyền) is offered the delegating leader's commands too ("KT." recorded).
        return DossierPage(view, workbench_service.row_commands_of(s, actor, d, noms, now), awards, free)


def aggregation_sources(db: Database, actor_id: int, *, now: datetime, plan_id: int | None = None,
                        limit: int = 100) -> list[DossierView]:
    """The dossiers whose nominees the user can take into an outgoing dossier of their org now
    (the `aggregate` row command), each with just those nominees in `nominations`."""
    with db.read() as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        q = (select(Nomination.dossier_id).distinct()
             .where(Nomination.holder_org_id == actor.org_id, Nomination.dossier_id.is_not(None),
                    Nomination.state.not_in(TERMINAL_STATES)))
        if plan_id is not None:
            q = q.where(Nomination.plan_id == plan_id)
        out = []
        for did in sorted(s.execute(q).scalars()):
            d = s.get(Dossier, did)
            if not can_see(actor, tree, d):
                continue
            here = dossier_core.members(s, d, here_only=True)
            commands = row_commands(actor, d, here)
            picked = [n for n in here if "aggregate" in commands.get(n.id, ())]
            if picked:
                out.append(replace(dossier_summary(s, actor, tree, d),
                                   nominations=nominee_rows(s, actor, tree, d, picked, now)))
            if len(out) >= limit:
                break
        return out
