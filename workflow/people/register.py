"""Use cases of the register (hồ sơ thành tích): create, read, record history, discipline, ratings,
and find or create the record of a nomination's nominee.

Visible by the rules of nominations (workflow/access/visibility.py): the records of a unit and
the units below it; the administrator sees all. Unit staff and reviewers of the subtree record
history, discipline and ratings; every change is an audit event on the chain "person:<id>".
"""
import hashlib
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from states.lifecycle import AWARDED
from states.routes import ADMIN, CENTRAL_REVIEWER, MINISTRY_REVIEWER, UNIT_HEAD, UNIT_OFFICER
from workflow import validation as v
from workflow.access.actors import NO_CONTEXT, Actor, RequestContext
from workflow.access.loading import load_actor
from workflow.audit import chain as audit
from workflow.calendar.workdays import local_date
from workflow.errors import Conflict, Forbidden, InvalidInput, NotFound
from workflow.kernel.db import Database
from workflow.kernel.uow import flush, unit_of_work
from workflow.models import (
    AwardType, Decision, Nomination, Person, PersonDiscipline, PersonRating, PersonRecord, Plan,
)
from workflow.orgs.tree import OrgTree, org_tree
from workflow.people import identity, matching
from workflow.people.errors import Duplicate
from workflow.people.views import HistoryEntry, PersonDetail, PersonSummary

EDITORS = frozenset({UNIT_OFFICER, UNIT_HEAD, MINISTRY_REVIEWER, CENTRAL_REVIEWER, ADMIN})
RATINGS = {"htxs": ("Hoàn thành xuất sắc nhiệm vụ", "Completed duties with excellence"),
           "ht_tot": ("Hoàn thành tốt nhiệm vụ", "Completed duties well"),
           "ht": ("Hoàn thành nhiệm vụ", "Completed duties"),
           "khong_ht": ("Không hoàn thành nhiệm vụ", "Did not complete duties")}
BASES = ("cong_trang", "dot_xuat", "chuyen_de")
FIRST_YEAR = 1945  # the first awards of the Democratic Republic (Sắc lệnh 1945–1947)


# --- who sees and edits -----------------------------------------------------------------------

def can_see(actor: Actor, tree: OrgTree, person: Person) -> bool:
    if actor.is_admin or actor.is_system:
        return True
    return actor.org_id in tree.nodes and tree.is_within(person.org_id, actor.org_id)


def can_edit(actor: Actor, tree: OrgTree, person: Person) -> bool:
    return actor.role in EDITORS and can_see(actor, tree, person)


def load_visible(s: Session, actor: Actor, tree: OrgTree, person_id) -> Person:
    person = s.get(Person, person_id) if isinstance(person_id, int) and 0 < person_id < 2**62 else None
    if person is None or not can_see(actor, tree, person):
        raise NotFound(f"Không tìm thấy hồ sơ cá nhân/tập thể #{person_id}", f"Person #{person_id} not found")
    return person


def _editable(s: Session, actor: Actor, tree: OrgTree, person_id) -> Person:
    person = load_visible(s, actor, tree, person_id)
    if not can_edit(actor, tree, person):
        raise Forbidden("Bạn không được cập nhật hồ sơ này", "You may not update this record")
    return person


def org_of(tree: OrgTree, org_id: int | None) -> dict:
    node = tree.get(org_id)
    return {"id": org_id, "name": node.name if node else None}


def summary(tree: OrgTree, p: Person) -> PersonSummary:
    return PersonSummary(p.id, p.kind, p.name, p.birth_date, org_of(tree, p.org_id), p.id_number, p.position)


def _event(s: Session, actor: Actor, ctx: RequestContext, now: datetime, person: Person, action: str,
           payload: dict) -> None:
    audit.append(s, f"person:{person.id}", at=now, actor=actor, ctx=ctx, action=action, entity="person",
                 entity_id=person.id, payload=payload)


# --- creating -------------------------------------------------------------------------------

def _candidates_json(tree: OrgTree, found: list[Person]) -> list[dict]:
    return [{"id": p.id, "name": p.name, "birth_date": p.birth_date.isoformat() if p.birth_date else None,
             "org": org_of(tree, p.org_id)} for p in found]


def new_person(s: Session, actor: Actor, tree: OrgTree, fields: dict, org_id: int, now: datetime,
               ctx: RequestContext, *, confirm_distinct: bool = False, via: str = "register") -> Person:
    """Create a record inside the caller's transaction; a likely duplicate is refused with its
    candidates unless the caller confirmed the person is distinct."""
    found = matching.candidates(s, fields, org_id)
    same_id = [p for p in found if fields.get("id_number") and p.id_number == fields["id_number"]]
    if same_id:  # one identity number is one person, whatever is confirmed
        raise Duplicate(f"Số định danh {fields['id_number']} đã có trong hồ sơ #{same_id[0].id}",
                        f"Identity number {fields['id_number']} already belongs to record #{same_id[0].id}",
                        _candidates_json(tree, same_id), field="id_number")
    if found and not confirm_distinct:
        raise Duplicate(
            f"Có thể trùng với {len(found)} hồ sơ đã có; hãy chọn đúng người hoặc xác nhận là người khác",
            f"Possibly the same as {len(found)} existing record(s); pick one or confirm the person is distinct",
            _candidates_json(tree, found))
    person = Person(org_id=org_id, created_by=actor.user_id, created_at=now, **fields)
    s.add(person)
    flush(s)
    _event(s, actor, ctx, now, person, "person_create",
           {"name": person.name, "kind": person.kind, "org_id": org_id, "via": via,
            "confirmed_distinct_from": [p.id for p in found] or None})
    return person


def _org_for(actor: Actor, tree: OrgTree, raw) -> int:
    org_id = v.integer(raw, "org_id", minimum=1, maximum=v.MAX_ID, required=False) or actor.org_id
    if org_id is None or tree.get(org_id) is None:
        raise InvalidInput(f"Không có đơn vị #{org_id}", f"No org unit #{org_id}", field="org_id")
    if not actor.is_admin and not (actor.org_id in tree.nodes and tree.is_within(org_id, actor.org_id)):
        raise Forbidden("Chỉ lập hồ sơ cho đơn vị mình hoặc đơn vị cấp dưới",
                        "Records can only be made for your unit or the units below it")
    return org_id


def create_person(db: Database, actor_id: int, body: dict, *, now: datetime,
                  ctx: RequestContext = NO_CONTEXT) -> PersonDetail:
    confirm = body.get("confirm_distinct", False)
    if not isinstance(confirm, bool):
        raise InvalidInput("confirm_distinct phải là true/false", "confirm_distinct must be true or false",
                           field="confirm_distinct")
    fields = identity.fields(body, local_date(now))
    with unit_of_work(db) as s:
        actor, tree = load_actor(s, actor_id), org_tree(s)
        if actor.role not in EDITORS:
            raise Forbidden("Bạn không được lập hồ sơ cá nhân/tập thể", "You may not create records")
        person = new_person(s, actor, tree, fields, _org_for(actor, tree, body.get("org_id")), now, ctx,
                            confirm_distinct=confirm)
        return _detail(s, actor, tree, person)


# --- a nomination's nominee -----------------------------------------------------------------------

def nominee_from_record(s: Session, actor: Actor, tree: OrgTree, nominee) -> dict:
    """`{"person_id": 7}` completed with the record's kind and name (what was typed wins)."""
    if not isinstance(nominee, dict) or nominee.get("person_id") is None:
        return nominee
    person = load_visible(s, actor, tree, v.integer(nominee["person_id"], "nominee.person_id", minimum=1,
                                                    maximum=v.MAX_ID))
    return {"kind": person.kind, "name": person.name, "title": person.position, **nominee}


def auto_key(unit_id: int, kind: str, name_key: str, ident: dict) -> str:
    """What makes a record made for a typed nominee unique (people.auto_key): parallel nominations
    of one new name in one unit race for one record, and the losers get a 409."""
    parts = (str(unit_id), kind, name_key, str(ident.get("birth_date") or ""), ident.get("id_number") or "")
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def link_nominee(s: Session, actor: Actor, tree: OrgTree, nominee: dict, fields: dict, unit_id: int | None,
                 now: datetime, ctx: RequestContext) -> Person:
    """The record a nomination names: `nominee.person_id` when given, else the one record of that
    name in the unit, else a new one. Several namesakes in the unit: the caller must choose."""
    raw_id = nominee.get("person_id")
    if raw_id is not None:
        person = load_visible(s, actor, tree, v.integer(raw_id, "nominee.person_id", minimum=1, maximum=v.MAX_ID))
        if person.kind != fields["nominee_kind"]:
            raise InvalidInput("Loại đối tượng không khớp hồ sơ cá nhân/tập thể",
                               "The nominee's kind does not match the record", field="nominee.kind")
        return person
    key = fields["nominee_key"]
    assert unit_id is not None, "a nomination belongs to a unit"
    ident = identity.nominee_identity(nominee, local_date(now)) if fields["nominee_kind"] == "individual" else {}
    if ident.get("id_number"):
        known = s.execute(select(Person).where(Person.id_number == ident["id_number"])).scalar_one_or_none()
        if known is not None:  # one identity number, one person
            if not can_see(actor, tree, known) or known.kind != fields["nominee_kind"]:
                raise Conflict(f"Số định danh {ident['id_number']} đã thuộc một hồ sơ khác",
                               f"Identity number {ident['id_number']} belongs to another record",
                               field="nominee.id_number")
            return known
    same = [p for p in s.execute(select(Person).where(
        Person.org_id == unit_id, Person.search_key == identity.keys(key)["search_key"], Person.name_key == key,
        Person.kind == fields["nominee_kind"]).order_by(Person.id).limit(matching.MAX_CANDIDATES)).scalars()
        if not matching.surely_distinct(p, ident)]
    if len(same) == 1:
        return same[0]
    if len(same) > 1:
        raise Duplicate(f"Đơn vị có {len(same)} người cùng tên '{fields['nominee_name']}'; hãy chọn đúng người "
                        "(nominee.person_id)",
                        f"The unit has {len(same)} people named '{fields['nominee_name']}'; choose one "
                        "(nominee.person_id)", _candidates_json(tree, list(same)), field="nominee.person_id")
    name = fields["nominee_name"]
    data = {"kind": fields["nominee_kind"], "name": name, **identity.keys(name),
            "position": fields.get("nominee_title"), **ident}
    person = Person(org_id=unit_id, created_by=actor.user_id, created_at=now,
                    auto_key=auto_key(unit_id, fields["nominee_kind"], key, ident), **data)
    s.add(person)
    flush(s)
    _event(s, actor, ctx, now, person, "person_create", {"name": name, "kind": person.kind, "org_id": unit_id,
                                                          "via": "nomination"})
    return person


# --- reading ---------------------------------------------------------------------------------

def history_of(s: Session, person_id: int) -> list[HistoryEntry]:
    """Imported records and the product's own decisions, oldest first."""
    return histories_of(s, {person_id}).get(person_id, [])


def histories_of(s: Session, person_ids: set[int]) -> dict[int, list[HistoryEntry]]:
    """`history_of` for many records at once (a tờ trình's page): three queries, whatever the count."""
    names = s.info.get("people_award_names")
    if names is None:  # once per transaction: a bulk submit reads many histories
        names = s.info["people_award_names"] = dict(s.execute(select(AwardType.code, AwardType.name_vi)).all())
    out: dict[int, list[HistoryEntry]] = {}
    if not person_ids:
        return out
    ids = sorted(person_ids)
    for r in s.execute(select(PersonRecord).where(PersonRecord.person_id.in_(ids))).scalars():
        out.setdefault(r.person_id, []).append(HistoryEntry(
            r.year, r.award_code, names.get(r.award_code or "", r.title), r.decision_number, r.decision_date,
            r.source, r.kind, r.basis, r.title, None, r.id, r.used_for))
    own = s.execute(select(Nomination.id, Nomination.person_id, Nomination.award_code, Nomination.plan_id,
                           Decision.number, Decision.decided_on)
                    .join(Decision, Decision.id == Nomination.decision_id)
                    .where(Nomination.person_id.in_(ids), Nomination.state == AWARDED)).all()
    kinds = dict(s.execute(select(Plan.id, Plan.kind).where(Plan.id.in_({o.plan_id for o in own})))
                 .all()) if own else {}
    for o in own:
        basis = PLAN_BASIS.get(kinds.get(o.plan_id) or "", "cong_trang")
        out.setdefault(o.person_id, []).append(HistoryEntry(
            o.decided_on.year, o.award_code, names.get(o.award_code), o.number, o.decided_on, "decision", "award",
            basis, None, o.id))
    for entries in out.values():
        entries.sort(key=lambda h: (h.year, h.decision_date or date.min, h.kind))
    return out


# Awards of a thematic campaign (chuyên đề) or an ad hoc plan (đột xuất) are not công trạng.
PLAN_BASIS = {"thematic": "chuyen_de", "ad_hoc": "dot_xuat"}


def discipline_of(s: Session, person_id: int) -> list[dict]:
    return disciplines_of(s, {person_id}).get(person_id, [])


def disciplines_of(s: Session, person_ids: set[int]) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {}
    if not person_ids:
        return out
    rows = s.execute(select(PersonDiscipline).where(PersonDiscipline.person_id.in_(sorted(person_ids)))
                     .order_by(PersonDiscipline.starts_on, PersonDiscipline.id)).scalars()
    for d in rows:
        out.setdefault(d.person_id, []).append({"id": d.id, "from": d.starts_on, "to": d.ends_on, "reason": d.reason})
    return out


def ratings_of(s: Session, person_id: int) -> list[dict]:
    rows = s.execute(select(PersonRating).where(PersonRating.person_id == person_id)
                     .order_by(PersonRating.year)).scalars()
    return [{"year": r.year, "rating": r.rating, "label": RATINGS[r.rating][0], "label_en": RATINGS[r.rating][1]}
            for r in rows]


def _detail(s: Session, actor: Actor, tree: OrgTree, p: Person) -> PersonDetail:
    from workflow.access.visibility import can_see as can_see_nomination
    noms = s.execute(select(Nomination).where(Nomination.person_id == p.id).order_by(Nomination.id)).scalars()
    nominations = [{"id": n.id, "award_type": n.award_code, "state": n.state, "plan_id": n.plan_id,
                    "unit": org_of(tree, n.unit_id)} for n in noms if can_see_nomination(actor, tree, n)]
    return PersonDetail(p.id, p.kind, p.name, p.birth_date, p.gender, p.id_number, p.position, p.collective_kind,
                        org_of(tree, p.org_id), p.created_at, history_of(s, p.id), discipline_of(s, p.id),
                        ratings_of(s, p.id), nominations, can_edit(actor, tree, p))


def get_person(db: Database, actor_id: int, person_id: int) -> PersonDetail:
    with db.read() as s:
        actor, tree = load_actor(s, actor_id), org_tree(s)
        return _detail(s, actor, tree, load_visible(s, actor, tree, person_id))


# --- recording -------------------------------------------------------------------------------

def _year(value, now: datetime, field: str = "year") -> int:
    this_year = local_date(now).year
    year = v.integer(value, field)
    if not FIRST_YEAR <= year <= this_year:
        raise InvalidInput(f"Năm {year} không hợp lệ: quá trình khen thưởng, xếp loại được ghi từ năm {FIRST_YEAR} "
                           f"đến năm {this_year}",
                           f"Year {year} is not valid: history and ratings are recorded from {FIRST_YEAR} "
                           f"to {this_year}",
                           field=field)
    return year


def _past_date(value, now: datetime, field: str) -> date | None:
    day = v.iso_date(value, field, required=False)
    if day is not None and (day > local_date(now) or day.year < FIRST_YEAR):
        raise InvalidInput(f"Ngày {day:%d/%m/%Y} không hợp lệ (phải từ năm {FIRST_YEAR} đến hôm nay)",
                           f"Date {day.isoformat()} must be between {FIRST_YEAR} and today", field=field)
    return day


def add_record(db: Database, actor_id: int, person_id: int, body: dict, *, now: datetime,
               ctx: RequestContext = NO_CONTEXT) -> HistoryEntry:
    """An earlier award or a recognised initiative (sáng kiến), entered as imported history."""
    kind = v.choice(body.get("kind", "award"), "kind", ("award", "initiative"))
    year = _year(body.get("year"), now)
    number = v.text(body.get("decision_number"), "decision_number", required=kind == "award", max_len=100)
    day = _past_date(body.get("decision_date"), now, "decision_date")
    if day is not None and day.year < year:
        raise InvalidInput("Ngày quyết định trước năm được khen", "The decision date is before the award's year",
                           field="decision_date")
    basis = v.choice(body.get("basis", "cong_trang"), "basis", BASES)
    title = v.text(body.get("title"), "title", required=kind == "initiative", max_len=300)
    with unit_of_work(db) as s:
        actor, tree = load_actor(s, actor_id), org_tree(s)
        person = _editable(s, actor, tree, person_id)
        code = None
        if kind == "award":
            code = v.text(body.get("award_type"), "award_type", max_len=60)
            if s.get(AwardType, code) is None:
                raise InvalidInput(f"Không có hình thức khen thưởng '{code}'", f"Unknown award type '{code}'",
                                   field="award_type")
        used_for = v.text(body.get("used_for"), "used_for", required=False, max_len=60)
        rec = PersonRecord(person_id=person.id, kind=kind, award_code=code, title=title, year=year,
                           decision_number=number, decision_date=day, basis=basis, used_for=used_for,
                           source="imported", created_by=actor.user_id, created_at=now)
        s.add(rec)
        flush(s)
        _event(s, actor, ctx, now, person, "person_history_add",
               {"kind": kind, "award_type": code, "title": title, "year": year, "decision_number": number,
                "decision_date": day.isoformat() if day else None, "basis": basis})
        label = s.get_one(AwardType, code).name_vi if code else title
        return HistoryEntry(year, code, label, number, day, "imported", kind, basis, title,
                            None, rec.id, used_for)


def add_discipline(db: Database, actor_id: int, person_id: int, body: dict, *, now: datetime,
                   ctx: RequestContext = NO_CONTEXT) -> dict:
    """Kỷ luật from `from` to `to` (open while `to` is absent), with its reason."""
    start = v.iso_date(body.get("from"), "from")
    if start.year < FIRST_YEAR or start > local_date(now):
        raise InvalidInput("Ngày bắt đầu kỷ luật không hợp lệ", "The discipline's start date is not valid",
                           field="from")
    end = v.iso_date(body.get("to"), "to", required=False)
    if end is not None and end < start:
        raise InvalidInput("Ngày kết thúc trước ngày bắt đầu", "The end is before the start", field="to")
    reason = v.text(body.get("reason"), "reason", max_len=1000, multiline=True)
    with unit_of_work(db) as s:
        actor, tree = load_actor(s, actor_id), org_tree(s)
        person = _editable(s, actor, tree, person_id)
        row = PersonDiscipline(person_id=person.id, starts_on=start, ends_on=end, reason=reason,
                               created_by=actor.user_id, created_at=now)
        s.add(row)
        flush(s)
        _event(s, actor, ctx, now, person, "person_discipline_add",
               {"from": start.isoformat(), "to": end.isoformat() if end else None, "reason": reason})
        return {"id": row.id, "from": start, "to": end, "reason": reason}


def add_rating(db: Database, actor_id: int, person_id: int, body: dict, *, now: datetime,
               ctx: RequestContext = NO_CONTEXT) -> dict:
    """The unit's yearly rating (xếp loại); one per year (a second is a 409)."""
    year = _year(body.get("year"), now)
    rating = v.choice(body.get("rating"), "rating", tuple(RATINGS))
    with unit_of_work(db) as s:
        actor, tree = load_actor(s, actor_id), org_tree(s)
        person = _editable(s, actor, tree, person_id)
        s.add(PersonRating(person_id=person.id, year=year, rating=rating, created_by=actor.user_id,
                           created_at=now))
        flush(s)
        _event(s, actor, ctx, now, person, "person_rating_add", {"year": year, "rating": rating})
        return {"year": year, "rating": rating, "label": RATINGS[rating][0], "label_en": RATINGS[rating][1]}


def award_names(db: Database) -> list[dict]:
    """The catalogue's award types, for the history form."""
    with db.read() as s:
        return [{"code": c, "name_vi": vi, "name_en": en} for c, vi, en in s.execute(
            select(AwardType.code, AwardType.name_vi, AwardType.name_en).order_by(AwardType.name_vi)).all()]


EDITABLE = ("name", "birth_date", "gender", "id_number", "org_id", "position", "collective_kind")


def update_person(db: Database, actor_id: int, person_id: int, body: dict, *, now: datetime,
                  ctx: RequestContext = NO_CONTEXT) -> PersonDetail:
    """Correct a record or move it to another unit (chuyển đơn vị): its history, discipline and
    nominations stay with it. A new identity number already on another record is a 409."""
    unknown = sorted(set(body) - set(EDITABLE))
    if unknown:
        raise InvalidInput(f"Không sửa được trường {unknown[0]}", f"Field {unknown[0]} cannot be changed",
                           field=unknown[0])
    if not body:
        raise InvalidInput("Không có gì để sửa", "Nothing to change", field="body")
    with unit_of_work(db) as s:
        actor, tree = load_actor(s, actor_id), org_tree(s)
        person = _editable(s, actor, tree, person_id)
        current = {"kind": person.kind, "name": person.name, "position": person.position,
                   "birth_date": person.birth_date.isoformat() if person.birth_date else None,
                   "gender": person.gender, "id_number": person.id_number, "collective_kind": person.collective_kind}
        fields = identity.fields({**current, **{k: val for k, val in body.items() if k != "org_id"}},
                                 local_date(now))
        if "org_id" in body:
            fields["org_id"] = _org_for(actor, tree, body["org_id"])
        if fields.get("id_number") and fields["id_number"] != person.id_number:
            other = s.execute(select(Person.id).where(Person.id_number == fields["id_number"])).scalar()
            if other is not None:
                raise Duplicate(f"Số định danh {fields['id_number']} đã có trong hồ sơ #{other}",
                                f"Identity number {fields['id_number']} already belongs to record #{other}",
                                _candidates_json(tree, [s.get_one(Person, other)]), field="id_number")
        changed = {k: [getattr(person, k), val] for k, val in fields.items() if getattr(person, k) != val}
        for k, (_old, new) in changed.items():
            setattr(person, k, new)
        if changed:  # a record an officer has kept is no longer the one made for a typed name
            person.auto_key = None
        flush(s)
        if changed:
            _event(s, actor, ctx, now, person, "person_update",
                   {k: [v_ if not isinstance(v_, date) else v_.isoformat() for v_ in pair]
                    for k, pair in changed.items() if k not in ("name_key", "search_key", "given_key")})
        return _detail(s, actor, tree, person)
