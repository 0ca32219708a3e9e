"""Drafting nominations: create and edit (soạn hồ sơ), by the unit's commendation officer."""
from datetime import datetime

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from states.lifecycle import DRAFT, REJECTED, WITHDRAWN, EXPIRED
from states.routes import UNIT_OFFICER
from states.labels import pick
from states.plans import ISSUED, PLAN_STATE_NAMES
from workflow.plans.lookup import accepting
from workflow import validation as v
from workflow.access.actors import NO_CONTEXT, Actor, RequestContext
from workflow.access.policy import is_editable_draft
from workflow.catalogue.routing import route_for
from workflow.kernel.db import Database
from workflow.kernel.uow import flush
from workflow.nominations.transitions import check_version, record
from workflow.errors import Conflict, Forbidden, InvalidInput
from workflow.models import AwardType, Nomination, Plan
from workflow.orgs.tree import OrgTree, org_tree
from workflow.access.loading import load_actor
from workflow.nominations.queries import load_visible, view_of
from workflow.people.register import link_nominee, nominee_from_record
from workflow.text import search_key
from workflow.views import NominationView

MAX_NAME = 200
MAX_ACHIEVEMENTS = 20000
INACTIVE = (REJECTED, WITHDRAWN, EXPIRED)


plan_accepting = accepting


def check_plan_for_unit(plan: Plan, unit_id: int, tree: OrgTree, now: datetime) -> None:
    if not tree.is_within(unit_id, plan.issuer_org_id):
        raise InvalidInput(f"Kế hoạch {plan.number} không áp dụng cho đơn vị này",
                           f"Plan {plan.number} does not cover this unit", field="plan_id")
    if plan.status != ISSUED:
        raise InvalidInput(f"Kế hoạch {plan.number} {pick(PLAN_STATE_NAMES.get(plan.status), 'vi').lower()}: "
                           "không nhận hồ sơ", f"Plan {plan.number} is {plan.status}: it takes no nominations",
                           field="plan_id")
    if not plan_accepting(plan, now):
        raise InvalidInput(f"Kế hoạch {plan.number} đã hết thời hạn nhận hồ sơ",
                           f"Plan {plan.number} no longer accepts nominations", field="plan_id")


def load_award(s: Session, code, plan: Plan) -> AwardType:
    code = v.text(code, "award_type", max_len=60)
    award = s.get(AwardType, code)
    if award is None or not award.active:
        raise InvalidInput(f"Không có hình thức khen thưởng '{code}'", f"Unknown award type '{code}'",
                           field="award_type")
    if plan.award_codes is not None and code not in plan.award_codes:
        raise InvalidInput(f"Kế hoạch {plan.number} không có hình thức '{award.name_vi}'",
                           f"Plan {plan.number} does not offer '{award.name_en}'", field="award_type")
    return award


def parse_nominee(nominee, award: AwardType) -> dict:
    if not isinstance(nominee, dict):
        raise InvalidInput("Thiếu thông tin người/tập thể được đề nghị", "Missing nominee", field="nominee")
    kind = v.choice(nominee.get("kind"), "nominee.kind", ("individual", "collective"))
    if award.subject != "both" and award.subject != kind:
        raise InvalidInput(
            f"'{award.name_vi}' chỉ dành cho {'cá nhân' if award.subject == 'individual' else 'tập thể'}",
            f"'{award.name_en}' is for {award.subject}s only", field="nominee.kind")
    return {"nominee_kind": kind,
            "nominee_name": v.text(nominee.get("name"), "nominee.name", max_len=MAX_NAME),
            "nominee_title": v.text(nominee.get("title"), "nominee.title", required=False, max_len=MAX_NAME)}


def check_duplicate(s: Session, plan_id: int, award_code: str, key: str, unit_id: int,
                    exclude_id: int | None = None, person_id: int | None = None) -> None:
    """One nominee, one award, one plan: no second live nomination (domain.md §6). The nominee is
    the register's person when linked (two namesakes are two people), else the name."""
    who = (Nomination.person_id == person_id if person_id is not None
           else and_(Nomination.nominee_key == key, Nomination.unit_id == unit_id))
    q = select(Nomination.id).where(
        Nomination.plan_id == plan_id, Nomination.award_code == award_code, who,
        Nomination.state.not_in(INACTIVE))
    if exclude_id is not None:
        q = q.where(Nomination.id != exclude_id)
    dup = s.execute(q.limit(1)).scalar()
    if dup is not None:
        raise Conflict(f"Đã có hồ sơ #{dup} đề nghị cùng người, cùng hình thức trong kế hoạch này",
                       f"Nomination #{dup} already proposes this nominee for this award in this plan",
                       field="nominee.name")


def new_nomination(s: Session, actor: Actor, tree: OrgTree, *, plan_id, award_type, nominee,
                   achievements, now: datetime, ctx: RequestContext,
                   dossier_id: int | None = None) -> Nomination:
    """Create a draft in the actor's unit inside the caller's transaction."""
    if actor.role != UNIT_OFFICER:
        raise Forbidden("Chỉ cán bộ TĐKT đơn vị được lập hồ sơ đề nghị",
                        "Only a unit commendation officer may draft nominations")
    plan = s.get(Plan, v.integer(plan_id, "plan_id", minimum=1, maximum=2**62))
    if plan is None:
        raise InvalidInput(f"Không có kế hoạch #{plan_id}", f"No plan #{plan_id}", field="plan_id")
    award = load_award(s, award_type, plan)
    fields = parse_nominee(nominee_from_record(s, actor, tree, nominee), award)
    text = v.text(achievements, "achievements", max_len=MAX_ACHIEVEMENTS, multiline=True)
    check_plan_for_unit(plan, actor.org_id, tree, now)
    key = v.name_key(fields["nominee_name"])
    fields["person_id"] = link_nominee(s, actor, tree, nominee, {**fields, "nominee_key": key}, actor.org_id,
                                       now, ctx).id
    check_duplicate(s, plan.id, award.code, key, actor.org_id, person_id=fields["person_id"])
    route = route_for(s, tree, award, actor.org_id)
    nom = Nomination(
        plan_id=plan.id, award_code=award.code, unit_id=actor.org_id, nominee_key=key,
        achievements=text, state=DRAFT, version=1, route=route.code,
        definition_version=award.version, level="unit", holder_org_id=actor.org_id,
        due_at=plan.submission_closes_at, escalation_level=0, dossier_id=dossier_id,
        created_by=actor.user_id, created_at=now, updated_at=now, audit_seq=0, **fields)
    s.add(nom)
    flush(s)
    record(s, nom, actor, "create", now, ctx, bump=False, created=True,
                  payload={"plan_id": plan.id, "award_type": award.code,
                           "nominee": fields["nominee_name"]})
    return nom


def create_nomination(db: Database, actor_id: int, *, plan_id, award_type, nominee, achievements,
                      now: datetime, ctx: RequestContext = NO_CONTEXT) -> NominationView:
    with db.write() as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        nom = new_nomination(s, actor, tree, plan_id=plan_id, award_type=award_type, nominee=nominee,
                             achievements=achievements, now=now, ctx=ctx)
        s.flush()
        return view_of(s, actor, tree, nom, now)


def edit_nomination(db: Database, actor_id: int, nomination_id: int, *, changes: dict,
                    version=None, now: datetime, ctx: RequestContext = NO_CONTEXT) -> NominationView:
    """Edit a draft (or a returned nomination being supplemented)."""
    if not isinstance(changes, dict) or not changes:
        raise InvalidInput("Không có gì để sửa", "Nothing to change", field="body")
    unknown = set(changes) - {"nominee", "achievements", "award_type"}
    if unknown:
        field = sorted(unknown)[0]
        raise InvalidInput(f"Không sửa được trường {field}", f"Field {field} cannot be edited", field=field)
    with db.write() as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        nom = load_visible(s, actor, tree, nomination_id)
        check_version(nom, v.integer(version, "version", minimum=1, required=False))
        if not is_editable_draft(actor, nom):
            raise Forbidden("Chỉ sửa được hồ sơ dự thảo hoặc bị trả lại của đơn vị mình",
                            "Only drafts or returned nominations of your unit can be edited")
        plan = s.get(Plan, nom.plan_id)
        award = load_award(s, changes.get("award_type", nom.award_code), plan)
        merged = {"kind": nom.nominee_kind, "name": nom.nominee_name, "title": nom.nominee_title}
        if "nominee" in changes:
            if not isinstance(changes["nominee"], dict):
                raise InvalidInput("nominee phải là đối tượng", "nominee must be an object", field="nominee")
            merged = {**merged, "person_id": None, **nominee_from_record(s, actor, tree, changes["nominee"])}
        fields = parse_nominee(merged, award)
        if award.code != nom.award_code and nom.state != DRAFT:
            raise InvalidInput("Không đổi được hình thức khi hồ sơ đã trình",
                               "The award cannot change after submission", field="award_type")
        fields["nominee_key"] = v.name_key(fields["nominee_name"])
        fields["search_key"] = search_key(fields["nominee_name"])
        if "nominee" in changes or nom.person_id is None:
            fields["person_id"] = link_nominee(s, actor, tree, merged, fields, nom.unit_id, now, ctx).id
        check_duplicate(s, plan.id, award.code, fields["nominee_key"], nom.unit_id, exclude_id=nom.id,
                        person_id=fields.get("person_id", nom.person_id))
        if "achievements" in changes:
            fields["achievements"] = v.text(changes["achievements"], "achievements",
                                            max_len=MAX_ACHIEVEMENTS, multiline=True)
        if award.code != nom.award_code:
            fields.update(award_code=award.code, route=route_for(s, tree, award, nom.unit_id).code,
                          definition_version=award.version)
        changed = {k: val for k, val in fields.items() if getattr(nom, k) != val}
        record(s, nom, actor, "edit", now, ctx, values=changed,
               payload={"changed": sorted(k for k in changed if k not in ("nominee_key", "search_key"))})
        return view_of(s, actor, tree, nom, now)
