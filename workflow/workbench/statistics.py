"""Yearly commendation statistics of an organisation's subtree (thống kê thi đua, khen thưởng).

Offices report their commendation figures to the Ministry of Home Affairs each year (Thông tư
02/2023/TT-BNV, Biểu 0601–0605.N/BNV-TĐKT, received by 15/12 — shared/domain.md). This module
counts, for a year and the units under an org, per award type and per unit: the nominations
submitted that year, and the awards decided that year (individuals and collectives apart).
The workbook carries those counts; it does not reproduce the official forms' exact layout.

A year is the calendar year in Asia/Ho_Chi_Minh: "submitted" by the nomination's first
submission time, "awarded" by its decision's date.
"""
import io
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, select

from states.lifecycle import AWARDED
from workflow import validation as v
from workflow.access.loading import load_actor
from workflow.access.visibility import nomination_clause
from workflow.errors import NotFound
from workflow.kernel.db import Database
from workflow.models import AwardType, Decision, Nomination
from workflow.orgs.tree import org_tree

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class StatRow:
    key: str          # award code, or unit id as text
    name: str
    submitted: int
    awarded: int
    awarded_individuals: int
    awarded_collectives: int


@dataclass(frozen=True)
class Statistics:
    year: int
    org_id: int
    org_name: str
    by_award: list[StatRow]
    by_unit: list[StatRow]
    totals: StatRow


def _bounds(year: int) -> tuple[datetime, datetime]:
    return (datetime.combine(date(year, 1, 1), time(), VN), datetime.combine(date(year + 1, 1, 1), time(), VN))


def statistics(db: Database, actor_id: int, *, year, org_id=None) -> Statistics:
    """The year's figures for the units under `org_id` (default: the caller's org) that the
    caller may see."""
    year = v.integer(year, "year", minimum=2000, maximum=2100)
    with db.read() as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        org_id = v.integer(org_id, "org_id", minimum=1, maximum=2**31 - 1, required=False) or actor.org_id
        if org_id not in tree.nodes or not (actor.is_admin or (actor.org_id is not None
                                                               and tree.is_within(org_id, actor.org_id))):
            raise NotFound(f"Không tìm thấy đơn vị #{org_id}", f"Organisation #{org_id} not found")
        units = sorted(tree.subtree_ids(org_id))
        start, end = _bounds(year)
        decided_in_year = and_(Decision.decided_on >= date(year, 1, 1), Decision.decided_on < date(year + 1, 1, 1))
        awarded = and_(Nomination.state == AWARDED, decided_in_year)
        cols = (
            func.sum(case((and_(Nomination.submitted_at >= start, Nomination.submitted_at < end), 1), else_=0)),
            func.sum(case((awarded, 1), else_=0)),
            func.sum(case((and_(awarded, Nomination.nominee_kind == "individual"), 1), else_=0)),
            func.sum(case((and_(awarded, Nomination.nominee_kind != "individual"), 1), else_=0)),
        )
        base = (select().select_from(Nomination).outerjoin(Decision, Decision.id == Nomination.decision_id)
                .where(Nomination.unit_id.in_(units), nomination_clause(actor, tree)))
        names = dict(s.execute(select(AwardType.code, AwardType.name_vi)).all())
        by_award = [StatRow(code, names.get(code, code), *(int(x or 0) for x in counts))
                    for code, *counts in s.execute(base.add_columns(Nomination.award_code, *cols)
                                                   .group_by(Nomination.award_code)).all()]
        by_unit = [StatRow(str(uid), tree.nodes[uid].name if uid in tree.nodes else str(uid),
                           *(int(x or 0) for x in counts))
                   for uid, *counts in s.execute(base.add_columns(Nomination.unit_id, *cols)
                                                 .group_by(Nomination.unit_id)).all()]
        keep = [r for r in by_award if r.submitted or r.awarded]
        totals = StatRow("", "Tổng cộng", *(sum(getattr(r, f) for r in keep) for f in
                                           ("submitted", "awarded", "awarded_individuals", "awarded_collectives")))
        return Statistics(year, org_id, tree.nodes[org_id].name, sorted(keep, key=lambda r: r.name),
                          sorted((r for r in by_unit if r.submitted or r.awarded), key=lambda r: r.name), totals)


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
