"""Small steps the scenarios share: who does what on the demo organisation."""
import threading

from workflow.nominations import actions

from workflow.nominations import drafting

from tests.conftest import NOW

# The award each route is exercised with, and the people who move it in VTC's chain.
ROUTE_AWARDS = {"unit": "chien_si_thi_dua_co_so", "ministry": "bang_khen_bo", "central": "bang_khen_thu_tuong"}
FULL_VOTE = {"members": 10, "present": 10, "yes": 10, "no": 0}
DECISION = {"number": "1234/QĐ-TTg", "date": "2026-11-23"}


def draft(db, users, plan_id, *, award="bang_khen_thu_tuong", name="Nguyễn Văn An", officer="vtc.canbo",
          kind="individual", now=NOW):
    return drafting.create_nomination(
        db, users[officer], plan_id=plan_id, award_type=award,
        nominee={"kind": kind, "name": name, "title": "Phóng viên"},
        achievements="Hoàn thành xuất sắc nhiệm vụ năm 2026; sáng kiến cấp cơ sở.", now=now)


def act(db, users, username, nomination_id, action, now=NOW, **body):
    return actions.perform(db, users[username], nomination_id, action, body, now=now)


def drive_to(db, users, nomination_id, state, *, unit="vtc", ministry="bo", now=NOW):
    """Move a fresh draft of VTC (or the province unit) along its route until `state`."""
    steps = [
        ("council_review", f"{unit}.canbo", "submit", {}),
        ("unit_review", f"{unit}.hoidong", "vote", {"votes": FULL_VOTE}),
        ("ministry_review", f"{unit}.thutruong", "approve", {}),
        ("central_review", f"{ministry}.lanhdao", "approve", {}),
    ]
    view = None
    for _target, user, action, body in steps:
        view = act(db, users, user, nomination_id, action, now=now, **body)
        if view.state == state:
            return view
    raise AssertionError(f"never reached {state}: at {view.state if view else None}")


def race(n: int, fn) -> list:
    """Run fn(0..n-1) in n threads released at the same instant; their results in order."""
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        barrier.wait()
        results[i] = fn(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results
