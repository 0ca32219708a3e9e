"""The dossier's Excel list: template, import (all rows checked before any is written), export.

An import is one transaction: every row is validated first (empty name, unknown award code,
wrong kind, award not offered by the plan, duplicate in the file or against the plan's live
nominations, text too long, another unit); any wrong row refuses the whole file with
`details=[{"row", "column", "message"}]` and nothing is written.
"""
import hashlib
import re
from datetime import date, datetime

from sqlalchemy import select

from states.lifecycle import state_names
from states.dossiers import DOSSIER_STATE_NAMES
from workflow import validation as v
from workflow.dossiers import excel as xl
from workflow.access.actors import NO_CONTEXT, RequestContext
from workflow.kernel.db import Database
from workflow.dossiers.excel import HEADERS, ExcelError
from workflow.errors import DomainError, InvalidInput
from workflow.models import AwardType, Decision, Dossier, Nomination, Person, Plan
from workflow.orgs.tree import org_tree
from workflow.dossiers import core
from workflow.kernel.uow import flush, unit_of_work
from workflow.access.loading import load_actor
from workflow.dossiers.service import attach, require_builder, summary, MAX_MEMBERS
from workflow.nominations.drafting import INACTIVE, MAX_ACHIEVEMENTS, MAX_NAME, check_plan_for_unit, new_nomination
from workflow.plans.lookup import load_plan
from workflow.calendar.workdays import local_date
from workflow.people.identity import nominee_identity
from workflow.views import ImportOutcome

KINDS = {"cá nhân": "individual", "tập thể": "collective", "individual": "individual",
         "collective": "collective"}
LEVEL_NAMES = {"unit": "Cơ sở", "ministry": "Bộ, ngành, tỉnh", "central": "Trung ương"}
COLUMN_ORDER = {c.key: i for i, c in enumerate(xl.COLUMNS)}


def template_xlsx(db: Database, actor_id: int, *, plan_id=None) -> bytes:
    """The empty list; with `plan_id`, the award sheet lists only what that plan offers."""
    with db.read() as s:
        actor = load_actor(s, actor_id)
        codes = None
        if plan_id is not None:
            codes = load_plan(s, actor, org_tree(s), plan_id).award_codes
        awards = s.execute(select(AwardType).where(AwardType.active.is_(True)).order_by(AwardType.code)).scalars()
        return xl.template([{"code": a.code, "name_vi": a.name_vi, "subject": a.subject,
                             "deciding_level": LEVEL_NAMES.get(a.deciding_level, a.deciding_level)}
                            for a in awards if codes is None or a.code in codes])


def _error(row: int, key: str, vi: str, en: str) -> dict:
    return {"row": row, "column": HEADERS[key], "field": key, "message": vi, "message_en": en}


class _Checker:
    """Validates the rows of one file against the catalogue, the plan and the unit."""

    def __init__(self, s, d: Dossier, plan: Plan, unit, today: date):
        self.plan, self.unit, self.today = plan, unit, today
        self.awards = {a.code: a for a in s.execute(select(AwardType)).scalars()}
        self.by_name = {xl.header_key(a.name_vi): a for a in self.awards.values()}
        self.live = {(c, k): i for i, c, k in s.execute(
            select(Nomination.id, Nomination.award_code, Nomination.nominee_key).where(
                Nomination.plan_id == plan.id, Nomination.unit_id == d.org_id,
                Nomination.state.not_in(INACTIVE)))}
        self.seen: dict[tuple[str, str], int] = {}
        self.unit_keys = {xl.header_key(unit.name), xl.header_key(unit.code)}

    def text(self, row, key, value, errors, *, required, max_len, multiline=False):
        try:
            return v.text(value, HEADERS[key], required=required, max_len=max_len, multiline=multiline)
        except InvalidInput as e:
            errors.append(_error(row.row, key, e.message_vi, e.message_en))
            return None

    def award(self, row, value, errors):
        if value is None:
            errors.append(_error(row.row, "award_type", "Thiếu mã hình thức khen thưởng", "Missing award code"))
            return None
        a = self.awards.get(value.strip()) or self.awards.get(value.strip().lower()) \
            or self.by_name.get(xl.header_key(value))
        if a is None or not a.active:
            errors.append(_error(row.row, "award_type", f"Không có hình thức khen thưởng mã '{value}'",
                                 f"Unknown award code '{value}'"))
            return None
        if self.plan.award_codes is not None and a.code not in self.plan.award_codes:
            errors.append(_error(row.row, "award_type", f"Kế hoạch {self.plan.number} không có hình thức "
                                 f"'{a.name_vi}'", f"Plan {self.plan.number} does not offer '{a.name_en}'"))
            return None
        return a

    def kind(self, row, value, award, errors):
        kind = KINDS.get(xl.header_key(value)) if value else None
        if kind is None:
            errors.append(_error(row.row, "kind", "Ghi 'Cá nhân' hoặc 'Tập thể'",
                                 "Write 'Cá nhân' (individual) or 'Tập thể' (collective)"))
        elif award is not None and award.subject not in ("both", kind):
            errors.append(_error(row.row, "kind", f"'{award.name_vi}' không dành cho {KIND_NAMES[kind]}",
                                 f"'{award.name_en}' is not for a {kind}"))
        return kind

    def check(self, row, errors) -> dict | None:
        before = len(errors)
        val = row.values
        name = self.text(row, "name", val.get("name"), errors, required=True, max_len=MAX_NAME)
        title = self.text(row, "title", val.get("title"), errors, required=False, max_len=MAX_NAME)
        unit = self.text(row, "unit", val.get("unit"), errors, required=False, max_len=300)
        if unit and xl.header_key(unit) not in self.unit_keys:
            errors.append(_error(row.row, "unit", f"Đơn vị '{unit}' không phải đơn vị lập hồ sơ ({self.unit.name})",
                                 f"Unit '{unit}' is not the dossier's unit ({self.unit.name})"))
        award = self.award(row, val.get("award_type"), errors)
        kind = self.kind(row, val.get("kind"), award, errors)
        text = self.text(row, "achievements", val.get("achievements"), errors, required=True,
                         max_len=MAX_ACHIEVEMENTS, multiline=True)
        if name and award:
            self._duplicate(row, award, v.name_key(name), errors)
        ident = self.identity(row, val, errors)
        if len(errors) > before:
            return None
        return {"row": row.row, "award_type": award.code, "achievements": text,
                "nominee": {"kind": kind, "name": name, "title": title, **ident}}

    def identity(self, row, val, errors) -> dict:
        """Birth date, gender and identity number (optional columns), as the register takes them."""
        raw = {"birth_date": dmy_to_iso(val.get("birth_date")), "gender": GENDERS.get(
            xl.header_key(val["gender"]), val["gender"]) if val.get("gender") else None,
               "id_number": val.get("id_number")}
        try:
            return nominee_identity({k: x for k, x in raw.items() if x}, self.today, prefix="")
        except InvalidInput as e:
            errors.append(_error(row.row, e.field or "id_number", e.message_vi, e.message_en))
            return {}

    def _duplicate(self, row, award, key, errors):
        if (award.code, key) in self.seen:
            first = self.seen[(award.code, key)]
            errors.append(_error(row.row, "name", f"Trùng với dòng {first} (cùng người, cùng hình thức)",
                                 f"Duplicates row {first} (same nominee and award)"))
        elif (award.code, key) in self.live:
            nid = self.live[(award.code, key)]
            errors.append(_error(row.row, "name", f"Đã có hồ sơ #{nid} đề nghị cùng người, cùng hình thức "
                                 "trong kế hoạch này", f"Nomination #{nid} already proposes this nominee "
                                 "for this award in this plan"))
        else:
            self.seen[(award.code, key)] = row.row


KIND_NAMES = {"individual": "cá nhân", "collective": "tập thể"}
GENDERS = {"nam": "male", "nữ": "female", "khác": "other"}


def dmy_to_iso(value: str | None) -> str | None:
    """"20/12/1985" (as officers type it) → "1985-12-20"; a date cell is already ISO."""
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", (value or "").strip())
    return f"{int(m[3]):04d}-{int(m[2]):02d}-{int(m[1]):02d}" if m else value


def _read(data: bytes):
    if not isinstance(data, (bytes, bytearray)) or not data:
        raise InvalidInput("Thiếu tệp Excel", "Missing Excel file", field="file")
    try:
        return xl.read_list(bytes(data))
    except ExcelError as e:
        raise InvalidInput(e.message_vi, e.message_en, field="file") from None


def import_list(db: Database, actor_id: int, dossier_id: int, data: bytes, *, filename: str | None = None,
                version=None, now: datetime, ctx: RequestContext = NO_CONTEXT) -> ImportOutcome:
    """Add every row of the Excel list to a draft dossier, or none of them. `version`: the
    dossier's, as the caller last saw it."""
    sheet = _read(data)
    with unit_of_work(db) as s:
        actor, tree, d = core.open_current(s, actor_id, dossier_id, version)
        require_builder(actor, d)
        plan = s.get(Plan, d.plan_id)
        check_plan_for_unit(plan, d.org_id, tree, now)
        if not sheet.rows and not sheet.errors:
            raise InvalidInput("Danh sách không có dòng nào", "The list has no rows", field="file")
        checker, errors = _Checker(s, d, plan, tree.get(d.org_id), local_date(now)), list(sheet.errors)
        valid = [r for r in (checker.check(row, errors) for row in sheet.rows) if r]
        if errors:
            errors.sort(key=lambda e: (e["row"], COLUMN_ORDER.get(e["field"], 99)))
            raise InvalidInput(f"Danh sách có {len(errors)} lỗi; chưa nhập dòng nào",
                               f"The list has {len(errors)} error(s); nothing was imported",
                               field="file", details=errors)
        added = _write(s, actor, tree, d, valid, now, ctx)
        core.record(s, d, actor, "import", now, ctx,
                    payload={"rows": len(added), "filename": _name(filename),
                             "sha256": hashlib.sha256(bytes(data)).hexdigest()})
        flush(s)
        return ImportOutcome(summary(s, actor, tree, d), imported=len(added), nomination_ids=added)


def _write(s, actor, tree, d: Dossier, rows: list[dict], now, ctx) -> list[int]:
    position = core.next_position(s, d)
    have = position - 1
    if have + len(rows) > MAX_MEMBERS:
        raise InvalidInput(f"Một hồ sơ có tối đa {MAX_MEMBERS} người/tập thể",
                           f"A dossier holds at most {MAX_MEMBERS} nominees", field="file")
    ids = []
    for offset, row in enumerate(rows):
        try:
            nom = new_nomination(s, actor, tree, plan_id=d.plan_id, award_type=row["award_type"],
                                 nominee=row["nominee"], achievements=row["achievements"], now=now,
                                 ctx=ctx, dossier_id=d.id)
        except DomainError as e:  # a nomination created meanwhile by someone else
            raise InvalidInput("Danh sách có lỗi; chưa nhập dòng nào", "Nothing was imported", field="file",
                               details=[_error(row["row"], "name", e.message_vi, e.message_en)]) from None
        attach(s, actor, d, nom, position + offset, now, ctx, new=True)
        ids.append(nom.id)
    return ids


def _name(filename: str | None) -> str | None:
    if not filename:
        return None
    return re.split(r"[\\/]", filename)[-1][:200] or None


def _identity_cells(p: Person | None) -> dict:
    if p is None:
        return {}
    return {"birth_date": p.birth_date.strftime("%d/%m/%Y") if p.birth_date else None,
            "gender": {"male": "Nam", "female": "Nữ", "other": "Khác"}.get(p.gender or ""), "id_number": p.id_number}


def export_list(db: Database, actor_id: int, dossier_id: int) -> tuple[str, bytes]:
    """(file name, workbook) of the list the dossier carried, with each nominee's state."""
    with db.read() as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        d = core.load(s, actor, tree, dossier_id)
        noms = core.members(s, d)
        ids = {n.decision_id for n in noms if n.decision_id}
        decisions = {x.id: x.number for x in s.execute(select(Decision).where(Decision.id.in_(ids))).scalars()} \
            if ids else {}
        award_names = dict(s.execute(select(AwardType.code, AwardType.name_vi)).all())
        people = {p.id: p for p in s.execute(select(Person).where(
            Person.id.in_([n.person_id for n in noms if n.person_id]))).scalars()}
        rows = [{"name": n.nominee_name, "title": n.nominee_title, **_identity_cells(people.get(n.person_id or 0)),
                 "unit": tree.get(n.unit_id).name if tree.get(n.unit_id) else None,
                 "kind": xl.KIND_LABELS[n.nominee_kind], "award_type": n.award_code,
                 "achievements": n.achievements, "state": (state_names(n.state) or (n.state,))[0],
                 "decision": decisions.get(n.decision_id),
                 "award_name": award_names.get(n.award_code, n.award_code)} for n in noms]
        info = {"number": d.number, "org": tree.get(d.org_id).name, "plan": s.get(Plan, d.plan_id).number,
                "state": DOSSIER_STATE_NAMES[d.state][0]}
        safe = re.sub(r"[^\w.-]+", "-", d.number, flags=re.ASCII).strip("-") or str(d.id)
        return f"danh-sach-{safe}.xlsx", xl.export(info, rows)
