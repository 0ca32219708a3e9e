"""Yearly commendation statistics of an organisation's subtree (thống kê thi đua, khen thưởng).

Offices report their commendation figures to the Ministry of Home Affairs each year on the forms
of the statistical reporting regime of the Home Affairs sector: Thông tư 02/2023/TT-BNV of
23/3/2023 (in force from 10/5/2023), Biểu 0601–0605.N/BNV-TĐKT, received by 15 December; Thông
tư 18/2025/TT-BNV of 08/10/2025 now regulates the same regime and its forms were not read here
(shared/domain.md; `workflow/workbench/stat_forms.py` says what is confirmed and what is modelled).

This module counts, for a year and the units under an org that the caller may see (the same rule
as the nominations list, `nomination_clause`): the nominations submitted in the period, the
awards decided in the period (individuals and collectives apart), by award type, by unit and by
state. `stat_forms` lays the awarded ones out on the circular's forms.

The period is either the calendar year (`calendar`, the default: 01/01–31/12) or the commendation
statistics period of the circular (`report`: 01/12 of the year before to 30/11 of the year, as the
Hưng Yên Department of Home Affairs summarises TT 02/2023/TT-BNV — cần đối chiếu văn bản gốc).
Days are in Asia/Ho_Chi_Minh: "submitted" by the nomination's first submission time, "awarded"
by its decision's date.
"""
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, select

from states.lifecycle import AWARDED
from workflow import validation as v
from workflow.access.loading import load_actor
from workflow.access.visibility import nomination_clause
from workflow.errors import NotFound
from workflow.kernel.db import Database
from states.plans import DRAFT as PLAN_DRAFT
from workflow.models import AwardType, Decision, Nomination, Plan
from workflow.orgs.tree import OrgTree, org_tree

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PERIODS = ("calendar", "report")
DOWNLOADS = ("json", "xlsx", "forms")  # what the page offers to keep (the API says the same)


@dataclass(frozen=True)
class StatRow:
    key: str          # award code, or unit id as text
    name: str
    submitted: int
    awarded: int
    awarded_individuals: int
    awarded_collectives: int


@dataclass(frozen=True)
class StateCount:
    state: str
    count: int        # nominations submitted in the period, by where they are now


@dataclass(frozen=True)
class AwardFact:
    """So many awards decided in the period sharing these traits (the forms' raw material)."""
    award_code: str
    award_kind: str        # the catalogue's loại hình: thuong_xuyen, cong_trang, doi_ngoai...
    nominee_kind: str      # individual | collective
    plan_kind: str         # the plan's kind: annual | thematic | ad_hoc
    via: str               # kind of the org above the unit that submits to the Prime Minister
    count: int


@dataclass(frozen=True)
class PlanFact:
    """A campaign (phong trào thi đua: a plan) issued in the period by an org of the subtree."""
    issuer_kind: str       # central | ministry | province | department | commune | unit
    kind: str              # annual | thematic | ad_hoc
    months: int | None     # its duration, when the plan gives its period


@dataclass(frozen=True)
class Statistics:
    year: int
    org_id: int
    org_name: str
    by_award: list[StatRow]
    by_unit: list[StatRow]
    totals: StatRow
    period: str = "calendar"
    date_from: date | None = None       # first day of the period
    date_until: date | None = None      # last day of the period
    by_state: list[StateCount] = field(default_factory=list)


@dataclass(frozen=True)
class FormsData:
    """What the circular's forms are filled from."""
    stats: Statistics
    receiver: str                      # đơn vị nhận báo cáo
    awards: list[AwardFact]
    plans: list[PlanFact]
    names: dict[str, str]              # award code -> Vietnamese name
    subjects: dict[str, str]           # award code -> individual | collective | both


def period_days(year: int, period: str) -> tuple[date, date]:
    """First and last day of the period (see the module's docstring)."""
    if period == "report":
        return date(year - 1, 12, 1), date(year, 11, 30)
    return date(year, 1, 1), date(year, 12, 31)


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    return datetime.combine(first, time(), VN), datetime.combine(last + timedelta(days=1), time(), VN)


def _scope(s, actor_id: int, year, org_id, period):
    year = v.integer(year, "year", minimum=2000, maximum=2100)
    period = v.choice(period or "calendar", "period", PERIODS)
    actor = load_actor(s, actor_id)
    tree = org_tree(s)
    org_id = v.integer(org_id, "org_id", minimum=1, maximum=2**31 - 1, required=False) or actor.org_id
    if org_id not in tree.nodes or not (actor.is_admin or (actor.org_id is not None
                                                           and tree.is_within(org_id, actor.org_id))):
        raise NotFound(f"Không tìm thấy đơn vị #{org_id}", f"Organisation #{org_id} not found")
    return year, period, actor, tree, org_id


def _base(actor, tree: OrgTree, org_id: int):
    units = sorted(tree.subtree_ids(org_id))
    return (select().select_from(Nomination).outerjoin(Decision, Decision.id == Nomination.decision_id)
            .where(Nomination.unit_id.in_(units), nomination_clause(actor, tree)))


def _awarded(first: date, last: date):
    return and_(Nomination.state == AWARDED, Decision.decided_on >= first, Decision.decided_on <= last)


def _collect(s, actor, tree: OrgTree, year: int, org_id: int, period: str) -> Statistics:
    first, last = period_days(year, period)
    start, end = _bounds(first, last)
    submitted = and_(Nomination.submitted_at >= start, Nomination.submitted_at < end)
    awarded = _awarded(first, last)
    cols = (
        func.sum(case((submitted, 1), else_=0)),
        func.sum(case((awarded, 1), else_=0)),
        func.sum(case((and_(awarded, Nomination.nominee_kind == "individual"), 1), else_=0)),
        func.sum(case((and_(awarded, Nomination.nominee_kind != "individual"), 1), else_=0)),
    )
    base = _base(actor, tree, org_id)
    names = dict(s.execute(select(AwardType.code, AwardType.name_vi)).all())
    by_award = [StatRow(code, names.get(code, code), *(int(x or 0) for x in counts))
                for code, *counts in s.execute(base.add_columns(Nomination.award_code, *cols)
                                               .group_by(Nomination.award_code)).all()]
    by_unit = [StatRow(str(uid), tree.nodes[uid].name if uid in tree.nodes else str(uid),
                       *(int(x or 0) for x in counts))
               for uid, *counts in s.execute(base.add_columns(Nomination.unit_id, *cols)
                                             .group_by(Nomination.unit_id)).all()]
    by_state = [StateCount(st, int(n)) for st, n in s.execute(
        base.add_columns(Nomination.state, func.count()).where(submitted).group_by(Nomination.state)
        .order_by(Nomination.state)).all()]
    keep = [r for r in by_award if r.submitted or r.awarded]
    totals = StatRow("", "Tổng cộng", *(sum(getattr(r, f) for r in keep) for f in
                                       ("submitted", "awarded", "awarded_individuals", "awarded_collectives")))
    return Statistics(year, org_id, tree.nodes[org_id].name, sorted(keep, key=lambda r: r.name),
                      sorted((r for r in by_unit if r.submitted or r.awarded), key=lambda r: r.name), totals,
                      period, first, last, by_state)


def statistics(db: Database, actor_id: int, *, year, org_id=None, period=None) -> Statistics:
    """The period's figures for the units under `org_id` (default: the caller's org) that the
    caller may see."""
    with db.read() as s:
        year, period, actor, tree, org_id = _scope(s, actor_id, year, org_id, period)
        return _collect(s, actor, tree, year, org_id, period)


def _via(tree: OrgTree, unit_id: int) -> str:
    """The ministry or province a unit's nominations reach the Prime Minister through (0602.N,
    "chia theo đơn vị ban hành tờ trình"), by the kind of the nearest org of that level."""
    for node in reversed(tree.ancestors(unit_id)) if unit_id in tree.nodes else ():
        if node.kind in ("ministry", "province"):
            return node.kind
    return ""


def _months(p_start: date | None, p_end: date | None) -> int | None:
    if not p_start or not p_end or p_end < p_start:
        return None
    return (p_end.year - p_start.year) * 12 + p_end.month - p_start.month + (1 if p_end.day >= p_start.day else 0)


def forms_data(db: Database, actor_id: int, *, year, org_id=None, period="report") -> FormsData:
    """The figures the circular's forms need (`stat_forms.forms_xlsx` writes them); the period is
    the circular's (`report`) unless asked otherwise."""
    with db.read() as s:
        year, period, actor, tree, org_id = _scope(s, actor_id, year, org_id, period)
        stats = _collect(s, actor, tree, year, org_id, period)
        first, last = period_days(year, period)
        kinds = {c: k or "" for c, k in s.execute(select(AwardType.code, AwardType.kind)).all()}
        rows = s.execute(_base(actor, tree, org_id).join(Plan, Plan.id == Nomination.plan_id)
                         .add_columns(Nomination.award_code, Nomination.nominee_kind, Plan.kind,
                                      Nomination.unit_id, func.count())
                         .where(_awarded(first, last))
                         .group_by(Nomination.award_code, Nomination.nominee_kind, Plan.kind,
                                   Nomination.unit_id)).all()
        awards = [AwardFact(code, kinds.get(code, ""), "individual" if nk == "individual" else "collective",
                            pk or "", _via(tree, uid), int(n)) for code, nk, pk, uid, n in rows]
        issuers = sorted(tree.subtree_ids(org_id))
        plans = [PlanFact(tree.nodes[i].kind if i in tree.nodes else "", k or "", _months(ps, pe))
                 for i, k, ps, pe in s.execute(
                     select(Plan.issuer_org_id, Plan.kind, Plan.period_start, Plan.period_end)
                     .where(Plan.issuer_org_id.in_(issuers), Plan.status != PLAN_DRAFT,
                            Plan.issued_on >= first, Plan.issued_on <= last)).all()]
        node = tree.nodes[org_id]
        parent = tree.nodes.get(node.parent_id) if node.parent_id else None
        receiver = parent.name if parent is not None and node.kind not in ("ministry", "province") else "Bộ Nội vụ"
        catalogue = s.execute(select(AwardType.code, AwardType.name_vi, AwardType.subject)).all()
        return FormsData(stats, receiver, awards, plans, {c: n for c, n, _ in catalogue},
                         {c: sub for c, _, sub in catalogue})


HEADER = ["Hình thức khen thưởng / Đơn vị", "Số hồ sơ đề nghị trong năm", "Số được khen thưởng trong năm",
          "Trong đó: cá nhân", "Trong đó: tập thể"]


def statistics_xlsx(stats: Statistics) -> bytes:
    """The figures as a workbook (openpyxl's write-only mode: rows are streamed, not kept)."""
    from openpyxl import Workbook
    wb = Workbook(write_only=True)
    for title, rows in (("Theo hình thức", stats.by_award), ("Theo đơn vị", stats.by_unit)):
        ws = wb.create_sheet(title)
        ws.append([f"THỐNG KÊ THI ĐUA, KHEN THƯỞNG NĂM {stats.year} — {stats.org_name}"])
        ws.append(["Căn cứ: Thông tư 02/2023/TT-BNV (Biểu 0601–0605.N/BNV-TĐKT); số liệu từ hệ thống"])
        ws.append(HEADER)
        for r in rows:
            ws.append([r.name, r.submitted, r.awarded, r.awarded_individuals, r.awarded_collectives])
        t = stats.totals
        ws.append([t.name, t.submitted, t.awarded, t.awarded_individuals, t.awarded_collectives])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class OrgChoice:
    id: int
    name: str
    depth: int          # 0 for the caller's own org (the whole tree's roots for the administrator)


def org_choices(db: Database, actor_id: int) -> list[OrgChoice]:
    """The orgs whose subtree the caller may ask the statistics of, in tree order (open ones)."""
    with db.read() as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        if actor.is_admin:
            nodes = list(tree.nodes.values())
        elif actor.org_id in tree.nodes:
            nodes = [tree.nodes[i] for i in tree.subtree_ids(actor.org_id)]
        else:
            return []
        top = min((n.path.count("/") for n in nodes), default=0)
        return [OrgChoice(n.id, n.name, n.path.count("/") - top) for n in sorted(nodes, key=lambda n: n.path)
                if n.open]
