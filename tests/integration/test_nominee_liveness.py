"""A nominee is free for a new nomination once the old one ends — rejected, withdrawn or expired —
and not before; the database keeps the `live` flag that the uniqueness indexes read (0021)."""
import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError

from workflow.errors import Conflict
from workflow.models import Nomination

from tests.scenarios import FULL_VOTE, act, draft


def _live(db, nomination_id: int) -> bool:
    with db.read() as s:
        return bool(s.execute(select(Nomination.live).where(Nomination.id == nomination_id)).scalar_one())


def test_a_withdrawn_nomination_frees_its_nominee_and_a_moving_one_does_not(db, users, open_plan):
    first = draft(db, users, open_plan, name="Lê Thị Hồng Nhung")
    with pytest.raises(Conflict):
        draft(db, users, open_plan, name="Lê Thị Hồng Nhung")
    act(db, users, "vtc.canbo", first.id, "submit")
    act(db, users, "vtc.hoidong", first.id, "vote", votes=FULL_VOTE)
    assert _live(db, first.id)  # moving along the route: still the nominee's one live nomination
    with pytest.raises(Conflict):
        draft(db, users, open_plan, name="Lê Thị Hồng Nhung")
    act(db, users, "vtc.thutruong", first.id, "reject", reason="Chưa đủ tiêu chuẩn")
    assert not _live(db, first.id)
    second = draft(db, users, open_plan, name="Lê Thị Hồng Nhung")
    assert second.id != first.id and _live(db, second.id)
    act(db, users, "vtc.canbo", second.id, "withdraw", reason="Cá nhân xin rút")
    assert not _live(db, second.id)
    third = draft(db, users, open_plan, name="Lê Thị Hồng Nhung")
    assert _live(db, third.id)


def test_the_database_keeps_the_flag_for_writes_behind_the_application(db, users, open_plan):
    """A hand-written fix (an UPDATE or INSERT in SQL) cannot leave the flag wrong."""
    ended = draft(db, users, open_plan, name="Phạm Quốc Bảo")
    with db.write() as s:
        s.execute(update(Nomination).where(Nomination.id == ended.id).values(state="expired"))
    assert not _live(db, ended.id)
    alive = draft(db, users, open_plan, name="Phạm Quốc Bảo")
    # Bringing the ended one back while another is live breaks the one-live-nomination rule.
    with pytest.raises(IntegrityError), db.write() as s:
        s.execute(update(Nomination).where(Nomination.id == ended.id).values(state="draft"))
    assert not _live(db, ended.id)
    with db.write() as s:
        s.execute(update(Nomination).where(Nomination.id == alive.id).values(state="withdrawn"))
        s.execute(update(Nomination).where(Nomination.id == ended.id).values(state="draft"))
    assert _live(db, ended.id) and not _live(db, alive.id)
    with db.write() as s:  # a row inserted already ended is not live
        s.execute(text("INSERT INTO nominations (plan_id, award_code, unit_id, nominee_kind, nominee_name, "
                       "nominee_key, achievements, state, version, route, definition_version, escalation_level, "
                       "created_at, updated_at, audit_seq) SELECT plan_id, award_code, unit_id, nominee_kind, "
                       "nominee_name, nominee_key, achievements, 'rejected', 1, route, definition_version, 0, "
                       "created_at, updated_at, 0 FROM nominations WHERE id = :id"), {"id": ended.id})
        new_id = s.execute(select(Nomination.id).order_by(Nomination.id.desc()).limit(1)).scalar_one()
    assert not _live(db, new_id)
