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


# The ministry's (or the province's) council secretary, by the prefix of its other people.
COUNCIL_OF = {"bo": "bo.hoidong", "tinh": "ubnd.hoidong"}


def actor_at(state: str, *, unit: str = "vtc", ministry: str = "bo") -> tuple[str, str]:
    """(user, action) that moves a nomination of VTC (or the province unit) forward from `state`
    when that step is not the last: the law's people at each step of the route."""
    return {
        "draft": (f"{unit}.canbo", "submit"),
        "council_review": (f"{unit}.hoidong", "vote"),
        "unit_review": (f"{unit}.thutruong", "approve"),
        "ministry_review": (f"{ministry}.chuyenvien", "approve"),
        "ministry_posting": (COUNCIL_OF[ministry], "approve"),
        "ministry_council": (COUNCIL_OF[ministry], "vote"),
        "ministry_decision": (f"{ministry}.lanhdao", "approve"),
        "central_review": ("tw.chuyenvien", "approve"),
    }[state]


def drive_to(db, users, nomination_id, state, *, unit="vtc", ministry="bo", now=NOW):
    """Move a fresh draft of VTC (or the province unit) along its route until `state`."""
    from workflow.nominations import queries
    view = queries.get_nomination(db, users["admin"], nomination_id, now=now)
    for _ in range(12):
        if view.state == state:
            return view
        user, action = actor_at(view.state, unit=unit, ministry=ministry)
        view = act(db, users, user, nomination_id, action, now=now,
                   **({"votes": FULL_VOTE} if action == "vote" else {}))
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
