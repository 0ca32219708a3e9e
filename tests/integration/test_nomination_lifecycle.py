"""A nomination travels its award's route, moved only by the people the rules name."""
import pytest
from sqlalchemy import select

from states.lifecycle import USER_ACTIONS
from workflow.errors import Forbidden, InvalidTransition, NotFound
from workflow.models import AuditEvent, Deadline, Nomination
from workflow.nominations import queries as nominations

from tests.conftest import NOW, snapshot
from tests.scenarios import DECISION, FULL_VOTE, act, draft


def test_a_unit_award_is_decided_by_the_unit_head_after_the_council_vote(db, users, open_plan):
    n = draft(db, users, open_plan, award="chien_si_thi_dua_co_so")
    assert (n.state, n.level, n.version) == ("draft", "unit", 1)
    n = act(db, users, "vtc.canbo", n.id, "submit", version=1)
    assert (n.state, n.level) == ("council_review", "council")
    n = act(db, users, "vtc.hoidong", n.id, "vote", votes={"members": 10, "present": 9, "yes": 8, "no": 1})
    assert (n.state, n.level) == ("unit_review", "unit")
    n = act(db, users, "vtc.thutruong", n.id, "decide",
            decision={"number": "15/QĐ-VTC", "date": "2026-11-23"})
    assert (n.state, n.level, n.decision.number) == ("awarded", None, "15/QĐ-VTC")


def test_a_ministry_award_goes_up_to_the_minister_who_decides(db, users, open_plan):
    n = draft(db, users, open_plan, award="bang_khen_bo")
    act(db, users, "vtc.canbo", n.id, "submit")
    act(db, users, "vtc.hoidong", n.id, "vote", votes=FULL_VOTE)
    n = act(db, users, "vtc.thutruong", n.id, "approve")
    assert n.state == "ministry_review"
    # The Vụ TĐKT's reviewer appraises and recommends: the approve forwards to the minister with
    # the appraisal note (it no longer has only return / reject).
    assert set(nominations.get_nomination(db, users["bo.chuyenvien"], n.id, now=NOW).actions) == {
        "approve", "return", "reject"}
    n = act(db, users, "bo.chuyenvien", n.id, "approve", appraisal="Đủ tiêu chuẩn theo Điều 72; đề nghị tặng")
    assert n.state == "ministry_decision"
    history = nominations.history(db, users["bo.lanhdao"], n.id)
    assert history[-1].payload["appraisal"]["note"] == "Đủ tiêu chuẩn theo Điều 72; đề nghị tặng"
    n = act(db, users, "bo.lanhdao", n.id, "decide", decision={"number": "88/QĐ-BTTTT", "date": "2026-11-23"})
    assert n.state == "awarded"


def test_a_prime_minister_award_passes_every_level_and_is_decided_at_the_centre(db, users, open_plan):
    n = draft(db, users, open_plan)
    for user, action, body, state in [
        ("vtc.canbo", "submit", {}, "council_review"),
        ("vtc.hoidong", "vote", {"votes": FULL_VOTE}, "unit_review"),
        ("vtc.thutruong", "approve", {}, "ministry_review"),
        ("bo.chuyenvien", "approve", {}, "ministry_council"),
        ("bo.hoidong", "vote", {"votes": FULL_VOTE}, "ministry_decision"),
        ("bo.lanhdao", "approve", {}, "central_review"),
        ("tw.chuyenvien", "approve", {}, "central_decision"),
        ("tw.lanhdao", "decide", {"decision": DECISION}, "awarded"),
    ]:
        n = act(db, users, user, n.id, action, **body)
        assert n.state == state
    history = nominations.history(db, users["kiemtra"], n.id)
    assert [(e.action, e.from_state, e.to_state, e.actor, e.role) for e in history] == [
        ("create", None, "draft", "vtc.canbo", "unit_officer"),
        ("submit", "draft", "council_review", "vtc.canbo", "unit_officer"),
        ("vote", "council_review", "unit_review", "vtc.hoidong", "council_secretary"),
        ("approve", "unit_review", "ministry_review", "vtc.thutruong", "unit_head"),
        ("approve", "ministry_review", "ministry_council", "bo.chuyenvien", "ministry_reviewer"),
        ("vote", "ministry_council", "ministry_decision", "bo.hoidong", "council_secretary"),
        ("approve", "ministry_decision", "central_review", "bo.lanhdao", "ministry_leader"),
        ("approve", "central_review", "central_decision", "tw.chuyenvien", "central_reviewer"),
        ("decide", "central_decision", "awarded", "tw.lanhdao", "central_leader"),
    ]
    assert all(e.at == NOW and e.org_id is not None for e in history)
    assert history[-1].payload["decision"]["number"] == "1234/QĐ-TTg"
    # The Prime Minister decides, on the central office's proposal (Law Art. 71; NĐ 98 Art. 32).
    assert history[-1].payload["decision"]["decider"] == "Thủ tướng Chính phủ"
    assert history[-1].payload["decision"]["proposed_by"] == "Ban Thi đua - Khen thưởng Trung ương"
    assert n.version == 9


def test_the_province_route_runs_through_the_provincial_office(db, users, open_plan):
    n = draft(db, users, open_plan, officer="tinh.canbo", award="bang_khen_bo")
    act(db, users, "tinh.canbo", n.id, "submit")
    act(db, users, "tinh.hoidong", n.id, "vote", votes=FULL_VOTE)
    act(db, users, "tinh.thutruong", n.id, "approve")
    act(db, users, "tinh.chuyenvien", n.id, "approve", appraisal="Sở Nội vụ thẩm định: đủ điều kiện")
    with pytest.raises(NotFound):  # the ministry knows nothing of the province's nominations
        act(db, users, "bo.lanhdao", n.id, "decide", decision={"number": "1/QĐ-BTTTT", "date": "2026-11-23"})
    n = act(db, users, "tinh.lanhdao", n.id, "decide", decision={"number": "2150/QĐ-UBND", "date": "2026-11-23"})
    assert n.state == "awarded"


def test_a_return_goes_back_to_the_unit_and_its_head_signs_the_resubmission_again(db, users, open_plan):
    """The unit head who signed the original tờ trình signs the supplemented one before it goes up
    again: a resubmission no longer skips the unit's level."""
    n = draft(db, users, open_plan)
    for user, action, body in [("vtc.canbo", "submit", {}), ("vtc.hoidong", "vote", {"votes": FULL_VOTE}),
                               ("vtc.thutruong", "approve", {})]:
        act(db, users, user, n.id, action, **body)
    n = act(db, users, "bo.chuyenvien", n.id, "return", reason="Bổ sung báo cáo thành tích có xác nhận")
    assert (n.state, n.level, n.returned_from) == ("returned", "unit", "ministry_review")
    n = act(db, users, "vtc.canbo", n.id, "resubmit")
    assert (n.state, n.returned_from) == ("unit_review", None)
    events = nominations.history(db, users["vtc.canbo"], n.id)
    assert events[-2].reason == "Bổ sung báo cáo thành tích có xác nhận"
    n = act(db, users, "vtc.thutruong", n.id, "approve")
    assert n.state == "ministry_review"


def test_return_and_reject_need_a_reason(db, users, open_plan):
    n = draft(db, users, open_plan)
    act(db, users, "vtc.canbo", n.id, "submit")
    act(db, users, "vtc.hoidong", n.id, "vote", votes=FULL_VOTE)
    before = snapshot(db, n.id)
    for action in ("return", "reject"):
        for reason in (None, "", "   "):
            with pytest.raises(Exception) as e:
                act(db, users, "vtc.thutruong", n.id, action, reason=reason)
            assert getattr(e.value, "field", None) == "reason"
    assert snapshot(db, n.id) == before
    n = act(db, users, "vtc.thutruong", n.id, "reject", reason="Chưa đủ tiêu chuẩn")
    assert n.state == "rejected"


def test_the_unit_may_withdraw_before_a_decision_but_not_after(db, users, open_plan):
    n = draft(db, users, open_plan)
    act(db, users, "vtc.canbo", n.id, "submit")
    n = act(db, users, "vtc.canbo", n.id, "withdraw", reason="Cá nhân xin rút")
    assert n.state == "withdrawn"
    m = draft(db, users, open_plan, name="Trần Thị Bình", award="giay_khen")
    act(db, users, "vtc.canbo", m.id, "submit")
    act(db, users, "vtc.hoidong", m.id, "vote", votes=FULL_VOTE)
    act(db, users, "vtc.thutruong", m.id, "decide", decision={"number": "16/QĐ-VTC", "date": "2026-11-23"})
    with pytest.raises(InvalidTransition):
        act(db, users, "vtc.canbo", m.id, "withdraw")


# Who may do what on a Prime Minister's award of VTC, state by state (written from the rules,
# not from the code): anything else is refused and changes nothing.
ALLOWED = {
    "draft": {("vtc.canbo", "submit"), ("vtc.canbo", "withdraw")},
    "council_review": {("vtc.hoidong", "vote"), ("vtc.canbo", "withdraw")},
    "unit_review": {("vtc.thutruong", a) for a in ("approve", "return", "reject")} | {("vtc.canbo", "withdraw")},
    "ministry_review": {(u, a) for u in ("bo.chuyenvien", "bo.lanhdao") for a in ("approve", "return", "reject")}
    | {("vtc.canbo", "withdraw")},
    # The ministry's council (Hội đồng TĐKT Bộ) records its ballot (Law Art. 84(2): its minutes).
    "ministry_council": {("bo.hoidong", "vote"), ("vtc.canbo", "withdraw")},
    # The minister signs the tờ trình to the centre, or sends it back down.
    "ministry_decision": {("bo.lanhdao", a) for a in ("approve", "return", "reject")} | {("vtc.canbo", "withdraw")},
    "central_review": {(u, a) for u in ("tw.chuyenvien", "tw.lanhdao") for a in ("approve", "return", "reject")}
    | {("vtc.canbo", "withdraw")},
    "central_decision": {("tw.lanhdao", "decide"), ("tw.lanhdao", "return"), ("tw.lanhdao", "reject"),
                         ("vtc.canbo", "withdraw")},
    "awarded": set(),
}
PATH = [("vtc.canbo", "submit", {}), ("vtc.hoidong", "vote", {"votes": FULL_VOTE}),
        ("vtc.thutruong", "approve", {}), ("bo.chuyenvien", "approve", {}),
        ("bo.hoidong", "vote", {"votes": FULL_VOTE}), ("bo.lanhdao", "approve", {}),
        ("tw.chuyenvien", "approve", {}), ("tw.lanhdao", "decide", {"decision": DECISION})]


def test_at_every_step_only_the_right_people_may_act_and_everything_else_changes_nothing(db, users, open_plan):
    n = draft(db, users, open_plan)
    bodies = {"vote": {"votes": FULL_VOTE}, "decide": {"decision": DECISION}, "return": {"reason": "x"},
              "reject": {"reason": "x"}}
    for step in range(len(PATH) + 1):
        state = nominations.get_nomination(db, users["admin"], n.id, now=NOW).state
        allowed = ALLOWED[state]
        for username, uid in users.items():
            try:
                view = nominations.get_nomination(db, uid, n.id, now=NOW)
            except NotFound:
                assert not any(u == username for u, _ in allowed)
                continue
            assert set(view.actions) == {a for u, a in allowed if u == username}, (state, username)
            for action in USER_ACTIONS:
                if (username, action) in allowed:
                    continue
                before = snapshot(db, n.id)
                with pytest.raises((Forbidden, InvalidTransition, NotFound)):
                    act(db, users, username, n.id, action, **bodies.get(action, {}))
                assert snapshot(db, n.id) == before, (state, username, action)
        if step < len(PATH):
            user, action, body = PATH[step]
            act(db, users, user, n.id, action, **body)
    assert state == "awarded"


def test_every_state_change_has_exactly_one_audit_event_and_a_deadline_at_each_review_step(db, users, open_plan):
    n = draft(db, users, open_plan)
    for user, action, body in PATH:
        act(db, users, user, n.id, action, **body)
    with db.read() as s:
        events = s.execute(select(AuditEvent).where(AuditEvent.nomination_id == n.id)
                           .order_by(AuditEvent.seq)).scalars().all()
        nom = s.get(Nomination, n.id)
        deadlines = s.execute(select(Deadline).where(Deadline.subject_id == n.id)
                              .order_by(Deadline.id)).scalars().all()
    assert [e.seq for e in events] == list(range(1, 10))
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    assert nom.audit_head == events[-1].hash and nom.version == 9
    assert [(d.state, d.version) for d in deadlines] == [
        ("council_review", 2), ("unit_review", 3), ("ministry_review", 4), ("ministry_council", 5),
        ("ministry_decision", 6), ("central_review", 7), ("central_decision", 8)]


def test_stale_version_is_a_conflict_and_changes_nothing(db, users, open_plan):
    from workflow.errors import Conflict
    n = draft(db, users, open_plan)
    act(db, users, "vtc.canbo", n.id, "submit", version=1)
    before = snapshot(db, n.id)
    with pytest.raises(Conflict):
        act(db, users, "vtc.hoidong", n.id, "vote", version=1, votes=FULL_VOTE)
    assert snapshot(db, n.id) == before


def test_the_legal_basis_in_force_on_submission_is_recorded(db, users, open_plan):
    n = draft(db, users, open_plan)
    n = act(db, users, "vtc.canbo", n.id, "submit")
    assert "152/2025/NĐ-CP" in n.legal_basis


def test_a_plan_whose_window_closed_takes_no_new_nominations(db, users):
    from workflow.errors import InvalidInput
    from workflow.models import Plan
    with db.read() as s:
        seed = s.execute(select(Plan.id).where(Plan.number == "186/KH-UBND")).scalar_one()
    with pytest.raises(InvalidInput) as e:
        draft(db, users, seed, officer="tinh.canbo", award="giay_khen")
    assert e.value.field == "plan_id"
