"""Sweeps racing each other: every reminder, escalation and e-mail happens exactly once.

Threads race on each backend; then two real `khenthuong scheduler tick` processes race on one
database, sending their e-mail to one real SMTP server.
"""
import json
import os
import subprocess
import sys
import threading
from collections import Counter

from sqlalchemy import func, select

from workflow.kernel.db import Database
from workflow.models import AuditEvent, Nomination, OutboxMessage
from workflow.notices.outbox import deliver
from workflow.nominations import actions
from workflow.nominations import drafting
from workflow.sweep import Policy, run_sweep

from tests.conftest import NOW
from tests.integration.test_outbox import smtp  # noqa: F401  (the real SMTP server fixture)
from tests.integration.test_sweep import at

AFTER_LEVEL_2 = at("2026-12-16")  # council due 08/12, level 2 after 15/12


def overdue_nominations(db, users, plan_id, n: int) -> dict[int, int]:
    """n nominations of VTC submitted on 23/11 to the council: {id: version}."""
    ids = [drafting.create_nomination(
        db, users["vtc.canbo"], plan_id=plan_id, award_type="bang_khen_bo",
        nominee={"kind": "individual", "name": f"Người thứ {i}"},
        achievements="Hoàn thành xuất sắc nhiệm vụ", now=NOW).id for i in range(n)]
    results = actions.bulk_perform(db, users["vtc.canbo"], "submit", ids, now=NOW)
    assert all(r.ok for r in results)
    return {r.id: r.version for r in results}


def escalations(db) -> Counter:
    with db.read() as s:
        return Counter(s.execute(select(AuditEvent.nomination_id).where(AuditEvent.action == "escalate")).scalars())


def assert_each_happened_once(db, noms: dict[int, int], sink) -> None:
    assert escalations(db) == Counter(dict.fromkeys(noms, 2))
    with db.read() as s:
        versions = dict(s.execute(select(Nomination.id, Nomination.version).where(Nomination.id.in_(noms))).all())
        outbox = s.execute(select(func.count()).select_from(OutboxMessage)).scalar_one()
    assert versions == {nid: v + 2 for nid, v in noms.items()}
    keys = sink.keys()
    assert sum(keys.values()) == outbox and set(keys.values()) == {1}
    # Level 1 mails the council's secretary and the unit head, level 2 the ministry's leader.
    assert len(sink.to("bo.lanhdao@example.vn")) == len(noms)
    assert len([m for m in sink.to("vtc.thutruong@example.vn") if "chuyển cấp lần 1" in m["Subject"]]) == len(noms)


def test_four_sweeps_racing_in_threads_escalate_and_mail_each_once(db, users, open_plan, smtp):
    noms = overdue_nominations(db, users, open_plan, 30)
    barrier = threading.Barrier(4)
    reports = [None] * 4

    def sweep(i):
        own = Database(db.url)  # each its own engine and pool, as a separate process would have
        try:
            barrier.wait()
            reports[i] = run_sweep(own, AFTER_LEVEL_2, policy=Policy(batch_size=4), worker=f"thread-{i}")
            deliver(own, smtp.url, now=AFTER_LEVEL_2, batch=7)
        finally:
            own.dispose()

    threads = [threading.Thread(target=sweep, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=240)
    assert sum(r.escalated for r in reports) == 2 * len(noms)
    assert sum(r.failed for r in reports) == 0
    assert_each_happened_once(db, noms, smtp)


def test_two_tick_processes_on_one_database_escalate_and_mail_each_once(db, users, open_plan, smtp, tmp_path):
    noms = overdue_nominations(db, users, open_plan, 120)
    env = {**os.environ, "KHENTHUONG_DATABASE_URL": db.url, "KHENTHUONG_SMTP_URL": smtp.url,
           "KHENTHUONG_INSTANCE": str(tmp_path)}
    cmd = [sys.executable, "-m", "web.cli", "scheduler", "tick", "--apply", "--now", AFTER_LEVEL_2.isoformat(), "--json"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for _ in range(2)]
    outs = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        outs.append(json.loads(out))
    print("split", [(o["escalated"], o["lost"], o["mail"], o["duration_ms"]) for o in outs])
    assert sum(o["escalated"] for o in outs) == 2 * len(noms)
    assert sum(o["mail"]["sent"] for o in outs) == sum(smtp.keys().values())
    assert_each_happened_once(db, noms, smtp)
