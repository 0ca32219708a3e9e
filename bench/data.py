"""Fast, seeded generation of many nominations for the benchmarks (bulk Core inserts)."""
import random
from datetime import timedelta

from sqlalchemy import insert, select

from bench.common import NOW
from workflow.models import Nomination, OrgUnit, Plan

CHUNK = 10_000
# Where generated nominations wait: (state, level, holder) with holder "unit" | "ministry" | "central".
PLACES = [
    ("draft", "unit", "unit"), ("council_review", "council", "unit"), ("unit_review", "unit", "unit"),
    ("ministry_review", "ministry", "ministry"), ("central_review", "central", "central"),
    ("awarded", None, None), ("rejected", None, None), ("returned", "unit", "unit"),
]
WEIGHTS = [10, 10, 10, 25, 15, 20, 5, 5]


def generate(db, n: int, *, seed: int = 42, overdue: int = 0) -> dict:
    """n nominations spread over the demo's units and states; `overdue` of them at the ministry
    are past due. Returns the ids range and the counts per state."""
    rnd = random.Random(seed)
    with db.write() as s:
        orgs = {o.code: o for o in s.execute(select(OrgUnit)).scalars()}
        plan_id = s.execute(select(Plan.id).where(Plan.title.like("Kế hoạch thi đua, khen thưởng năm %"))).scalar_one()
        first = (s.execute(select(Nomination.id).order_by(Nomination.id.desc()).limit(1)).scalar() or 0) + 1
        # each unit with the org above it today (VTC and Cục Báo chí: Bộ KH&CN since the 2025 merger)
        units = [(orgs[code].id, orgs[code].parent_id) for code in ("VTC", "CBC", "VPDBQH-TN")]
        central = orgs["TW"].id
        counts: dict[str, int] = {}
        rows = []
        for i in range(n):
            unit, ministry = units[i % 3]
            state, level, holder = (("ministry_review", "ministry", "ministry") if i < overdue
                                    else rnd.choices(PLACES, WEIGHTS)[0])
            due = NOW - timedelta(days=1 + i % 5) if i < overdue else NOW + timedelta(days=rnd.randint(1, 60),
                                                                                    minutes=rnd.randint(0, 1440))
            counts[state] = counts.get(state, 0) + 1
            rows.append(dict(
                id=first + i, plan_id=plan_id, award_code="bang_khen_thu_tuong", unit_id=unit,
                nominee_kind="individual", nominee_name=f"Cán bộ {i}", nominee_key=f"cán bộ {i}",
                achievements="Hoàn thành xuất sắc nhiệm vụ", state=state, version=1, route="central",
                definition_version=1, level=level,
                holder_org_id={"unit": unit, "ministry": ministry, "central": central, None: None}[holder],
                due_at=None if holder is None or state == "returned" else due, escalation_level=0,
                submitted_at=None if state == "draft" else NOW - timedelta(days=30),
                created_at=NOW, updated_at=NOW, audit_seq=0))
            if len(rows) == CHUNK:
                s.execute(insert(Nomination), rows)
                rows = []
        if rows:
            s.execute(insert(Nomination), rows)
    return {"first_id": first, "last_id": first + n - 1, "counts": counts}
