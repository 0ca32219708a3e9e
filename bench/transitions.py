"""Transition throughput: nominations driven through the full central route, one command per
step (submit → vote → approve → approve → decide), each committed with its audit event and
deadline row — against the floor: bare conditional UPDATEs plus audit INSERTs with SQLAlchemy
Core, one commit each, on the same database with the same settings.

    python -m bench transitions [--n 20000] [--db URL]
"""
import time

from sqlalchemy import insert, select, update

from bench.common import arguments, NOW, emit, machine, scratch_database
from workflow.kernel.db import WRITE_OPTION
from workflow.models import AuditEvent, Nomination, Plan, User
from workflow.nominations import actions

STEPS = [
    ("vtc.canbo", "submit", {}),
    ("vtc.hoidong", "vote", {"votes": {"members": 9, "present": 9, "yes": 9, "no": 0}}),
    ("vtc.thutruong", "approve", {}),
    ("bo.chuyenvien", "approve", {}),
    ("tw.lanhdao", "decide", {"decision": {"number": "1234/QĐ-TTg", "date": "2026-11-23"}}),
]


def seed_drafts(db, n: int) -> tuple[list[int], dict[str, int]]:
    """n drafts of VTC for the Prime Minister's award, inserted in bulk (not timed)."""
    with db.write() as s:
        users = {u.username: u for u in s.execute(select(User)).scalars()}
        plan = s.execute(select(Plan).where(Plan.title.like("Kế hoạch thi đua, khen thưởng năm %"))).scalar_one()
        unit = users["vtc.canbo"].org_id
        first = (s.execute(select(Nomination.id).order_by(Nomination.id.desc()).limit(1)).scalar() or 0) + 1
        rows = [dict(id=first + i, plan_id=plan.id, award_code="bang_khen_thu_tuong", unit_id=unit,
                     nominee_kind="individual", nominee_name=f"Cán bộ {i}", nominee_key=f"cán bộ {i}",
                     achievements="Hoàn thành xuất sắc nhiệm vụ", state="draft", version=1, route="central",
                     definition_version=1, level="unit", holder_org_id=unit, escalation_level=0,
                     created_at=NOW, updated_at=NOW, audit_seq=0) for i in range(n)]
        for k in range(0, n, 5000):
            s.execute(insert(Nomination), rows[k:k + 5000])
    return [first + i for i in range(n)], {u: users[u].id for u in users}


def run_engine(db, ids: list[int], users: dict[str, int]) -> float:
    t = time.perf_counter()
    for i, nid in enumerate(ids, start=1):
        for username, action, body in STEPS:
            if action == "decide":  # one decision number per decision a year (NĐ 30/2020 Art. 15)
                body = {"decision": {**body["decision"], "number": f"{i}/QĐ-TTg"}}
            actions.perform(db, users[username], nid, action, body, now=NOW)
    return time.perf_counter() - t


def run_floor(db, ids: list[int]) -> float:
    """The same number of commands, each one conditional UPDATE + one audit INSERT + commit."""
    engine = db.engine.execution_options(**{WRITE_OPTION: True})
    t = time.perf_counter()
    for nid in ids:
        for step, (username, action, _) in enumerate(STEPS):
            with engine.begin() as conn:
                conn.execute(update(Nomination).where(Nomination.id == nid, Nomination.version == 100 + step)
                             .values(version=101 + step, state=action))
                conn.execute(insert(AuditEvent).values(
                    chain=f"floor:{nid}", seq=step + 1, at=NOW, actor=username, role="bench", action=action,
                    entity="nomination", entity_id=nid, nomination_id=nid, hash="0" * 64))
    return time.perf_counter() - t


def main(argv=None) -> dict:
    args = arguments("transitions", __doc__, 20000, "nominations").parse_args(argv)
    with scratch_database(args.db) as db:
        ids, users = seed_drafts(db, args.n)
        engine_s = run_engine(db, ids, users)
        with db.write() as s:  # the floor starts from rows in a known version
            s.execute(update(Nomination).where(Nomination.id.in_(ids)).values(version=100))
        floor_s = run_floor(db, ids)
        dialect = db.dialect
    steps = args.n * len(STEPS)
    figures = {"db": dialect, "n": args.n, "steps": steps,
               "steps_per_s": round(steps / engine_s, 1), "floor_steps_per_s": round(steps / floor_s, 1),
               "ratio": round(floor_s / engine_s, 3), "machine": machine()}
    print(f"transitions on {dialect}: engine {figures['steps_per_s']} steps/s, floor "
          f"{figures['floor_steps_per_s']} steps/s, ratio {figures['ratio']:.0%}")
    return emit("transitions", figures)


if __name__ == "__main__":
    main()
