"""Public posting (công khai) before a council meets.

Law Art. 84(5) and NĐ 98/2023 Art. 46(2) (NĐ 152/2025 Art. 44(2) as reported; domain.md §5):
whoever proposes a Huân chương, a danh hiệu vinh dự Nhà nước (and, as TT 12/2019/TT-BNV had it,
a CSTĐ toàn quốc) publishes the list on its media at least 10 working days before its council
meets, and takes comments in that window. Any route with a `posting` step does the same.

A nomination entering a `<level>_posting` step is posted from that day for the step's working
days (never fewer than 10), counted as the Civil Code counts periods (BLDS 2015 Art. 147–148:
from the next day; a last day off moves to the next working day). The council of that level
may vote only once the window has ended.
"""
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from states.labels import cap, nominee_ref
from states.lifecycle import EXPIRED, REJECTED, WITHDRAWN
from states.routes import ROUTES, Step
from workflow.calendar.timelimits import calendar_for
from workflow.calendar.workdays import local_date
from workflow.errors import InvalidTransition
from workflow.kernel.db import Database
from workflow.models import AwardType, Nomination, Posting
from workflow.orgs.tree import org_tree

MIN_POSTING_DAYS = 10  # Law Art. 84(5): "ít nhất 10 ngày làm việc"
POSTINGS = Posting.__table__


def window(s: Session, step: Step, now: datetime) -> tuple[date, date]:
    """(posted from, posted until) for a nomination posted at `now` at `step`."""
    cal = calendar_for(s)
    start = local_date(now)
    until = cal.period_end(cal.add_working_days(start, max(step.time_limit_days, MIN_POSTING_DAYS)))
    return start, until


def posting_row(s: Session, nom: Nomination, step: Step, holder_org_id: int | None, now: datetime) -> dict:
    start, until = window(s, step, now)
    return {"nomination_id": nom.id, "org_id": holder_org_id or nom.unit_id, "state": step.state,
            "posted_from": start, "posted_until": until, "created_at": now}


def posting_step_before(nom: Nomination) -> Step | None:
    """The posting step of the level whose council `nom` waits at, if its route has one."""
    route = ROUTES[nom.route]
    step = route.step(nom.state)
    if step is None or step.kind != "vote":
        return None
    return next((p for p in route.steps if p.kind == "posting" and p.org_level == step.org_level), None)


def check_window(s: Session, nom: Nomination, now: datetime) -> None:
    """Refuse the council's vote before the posting window of its level has ended."""
    posting = posting_step_before(nom)
    if posting is None:
        return
    row = s.execute(select(Posting).where(Posting.nomination_id == nom.id, Posting.state == posting.state)
                    .order_by(Posting.id.desc()).limit(1)).scalar_one_or_none()
    if row is None:
        vi, en = nominee_ref(nom.nominee_name)
        raise InvalidTransition(
            f"{cap(vi)} chưa được công khai; Hội đồng chỉ xét sau ít nhất {MIN_POSTING_DAYS} ngày làm việc "
            "công khai (Luật TĐKT 2022 Điều 84 khoản 5)",
            f"{cap(en)} was never posted; the council votes only after {MIN_POSTING_DAYS} working days "
            "of public posting (Law Art. 84(5))")
    if local_date(now) <= row.posted_until:
        first = calendar_for(s).add_working_days(row.posted_until, 1)
        raise InvalidTransition(
            f"Danh sách đang công khai từ {row.posted_from:%d/%m/%Y} đến hết ngày {row.posted_until:%d/%m/%Y}; "
            f"Hội đồng chỉ bỏ phiếu từ ngày {first:%d/%m/%Y} (Luật TĐKT 2022 Điều 84 khoản 5: công khai ít nhất "
            f"{MIN_POSTING_DAYS} ngày làm việc trước khi Hội đồng họp)",
            f"The list is posted from {row.posted_from:%d/%m/%Y} until the end of {row.posted_until:%d/%m/%Y}; "
            f"the council may vote from {first:%d/%m/%Y} (Law Art. 84(5): at least {MIN_POSTING_DAYS} working "
            "days of posting before the council meets)", field="state")


@dataclass(frozen=True)
class PublicPosting:
    """One posted nominee as the public sees it (no login): who, where from, for what, the window,
    and where to send comments."""
    nominee: str
    nominee_kind: str
    unit: str | None
    award_code: str
    award: str
    award_en: str
    posted_from: date
    posted_until: date
    posted_by: str | None
    comments_to: str | None


def public_postings(db: Database, *, now: datetime, limit: int = 500) -> list[PublicPosting]:
    """Nominees whose posting window is open today (or opens later), newest first; a nomination
    withdrawn or rejected since is no longer posted."""
    today = local_date(now)
    with db.read() as s:
        tree = org_tree(s)
        rows = s.execute(
            select(Posting, Nomination, AwardType)
            .join(Nomination, Nomination.id == Posting.nomination_id)
            .join(AwardType, AwardType.code == Nomination.award_code)
            .where(Posting.posted_until >= today, Nomination.state.not_in((WITHDRAWN, REJECTED, EXPIRED)))
            .order_by(Posting.posted_from.desc(), Posting.id.desc()).limit(limit)).all()
        out = []
        for p, nom, award in rows:
            unit, org = tree.get(nom.unit_id), tree.get(p.org_id)
            out.append(PublicPosting(nom.nominee_name, nom.nominee_kind, unit.name if unit else None, award.code,
                                     award.name_vi, award.name_en, p.posted_from, p.posted_until,
                                     org.name if org else None, org.email if org else None))
        return out
