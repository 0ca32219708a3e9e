"""An audit event's hash never changes with the code that computes it: every event already
written must still verify. The value below was computed by the implementation that wrote the
first chains (canonical JSON, `default=str` for moments)."""
from datetime import UTC, date, datetime, timedelta, timezone

from workflow.audit.chain import compute_hash

NOW = datetime(2026, 11, 23, 2, 0, 0, 123456, tzinfo=UTC)
HANOI = timezone(timedelta(hours=7))


def _event(**changes) -> dict:
    return dict(chain="n:123", seq=3, at=NOW, actor_id=5, actor="vtc.thutruong", role="unit_head", org_id=3,
                on_behalf_of=None, action="approve", entity="nomination", entity_id=123, nomination_id=123,
                from_state="unit_review", to_state="ministry_review", reason="Đủ điều kiện",
                payload={"ngày": date(2026, 1, 2), "n": 1.5}, request_id=None, client_ip=None, prev_hash="a" * 64,
                changes=changes or None)


def test_the_hash_of_an_event_with_moments_in_its_changes_is_the_one_written_before():
    event = _event(state=["unit_review", "ministry_review"], version=[2, 3], due_at=[NOW, NOW + timedelta(days=3)],
                   decided_on=[None, date(2026, 11, 20)], complete_at=[datetime(2026, 1, 1, tzinfo=HANOI), None])
    assert compute_hash(event) == "5b96157361fec96bef224810a3ce36e8baa495176c74626e945b9a732cecb9c0"


def test_one_instant_written_in_two_zones_is_hashed_as_written():
    """17:00 UTC and 00:00 the next day in Hà Nội are the same instant but different text: each
    event's hash follows its own text, whichever was hashed first."""
    utc = _event(due_at=[None, datetime(2025, 12, 31, 17, 0, tzinfo=UTC)])
    hanoi = _event(due_at=[None, datetime(2026, 1, 1, 0, 0, tzinfo=HANOI)])
    first, second = compute_hash(utc), compute_hash(hanoi)
    assert first != second
    assert (compute_hash(hanoi), compute_hash(utc)) == (second, first)
