"""The hot path's statements run straight on the driver (workflow/kernel/prepared.py): what they
write and read is what SQLAlchemy's own execution writes and reads, and a refused write is the
same exception, so a lost race is still a conflict — on both databases."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from workflow.kernel import prepared
from workflow.kernel.uow import unit_of_work
from workflow.errors import Conflict
from workflow.models import AuditEvent, Deadline, Nomination

from tests.scenarios import draft

AT = datetime(2026, 12, 5, 16, 59, 59, 123456, tzinfo=UTC)
EVENTS = AuditEvent.__table__
_INSERT = insert(EVENTS)
_LAST = (select(EVENTS.c.id, EVENTS.c.at, EVENTS.c.payload, EVENTS.c.reason)
         .where(EVENTS.c.chain == bindparam("chain")).order_by(EVENTS.c.id.desc()).limit(1))


def _event(chain: str, seq: int, **kw) -> dict:
    return dict(chain=chain, seq=seq, at=AT, actor="vtc.canbo", role="unit_officer", action="submit",
                entity="nomination", entity_id=None, reason="Lý do: “đủ điều kiện”, ổn", hash="a" * 64,
                payload={"số": 45, "danh sách": ["Nguyễn Văn An", None], "ok": True}, **kw)


def test_a_row_written_directly_reads_back_as_sqlalchemy_wrote_it(db):
    with db.write() as s:
        conn = s.connection()
        assert prepared.execute(conn, _INSERT, _event("t:direct", 1)) == 1
        conn.execute(_INSERT, _event("t:core", 1))
    with db.read() as s:
        direct, core = (s.execute(select(AuditEvent).where(AuditEvent.chain == c)).scalar_one()
                        for c in ("t:direct", "t:core"))
        assert (direct.at, direct.payload, direct.reason) == (core.at, core.payload, core.reason)
        assert direct.at == AT and direct.payload["danh sách"] == ["Nguyễn Văn An", None]
        conn = s.connection()
        fast = prepared.select_rows(conn, _LAST, {"chain": "t:direct"})
        slow = conn.execute(_LAST, {"chain": "t:direct"}).one()
        assert tuple(fast.one()) == tuple(slow) and fast.one().at == AT  # LIMIT 1 travels with the call
        assert fast.one().payload == {"số": 45, "danh sách": ["Nguyễn Văn An", None], "ok": True}
        assert prepared.select_rows(conn, _LAST, {"chain": "t:none"}).first() is None


def test_many_rows_of_two_shapes_are_all_written(db):
    rows = [_event("t:many", i) for i in range(1, 6)] + [_event("t:many", 6, nomination_id=None)]
    with db.write() as s:
        prepared.execute_many(s.connection(), _INSERT, rows)
    with db.read() as s:
        seqs = s.execute(select(AuditEvent.seq).where(AuditEvent.chain == "t:many")
                         .order_by(AuditEvent.seq)).scalars().all()
    assert seqs == [1, 2, 3, 4, 5, 6]


def test_a_duplicate_is_sqlalchemys_integrity_error_and_the_unit_of_work_a_conflict(db):
    with db.write() as s:
        prepared.execute(s.connection(), _INSERT, _event("t:dup", 1))
    with pytest.raises(IntegrityError), db.write() as s:
        prepared.execute(s.connection(), _INSERT, _event("t:dup", 1))
    with pytest.raises(Conflict), unit_of_work(db) as s:
        prepared.execute_many(s.connection(), _INSERT, [_event("t:dup", 2), _event("t:dup", 1)])
    with db.read() as s:  # the refused transaction left nothing behind, not even seq 2
        assert s.execute(select(AuditEvent.seq).where(AuditEvent.chain == "t:dup")).scalars().all() == [1]


def test_a_conditional_update_counts_only_the_row_it_moved(db, users, open_plan):
    nom = draft(db, users, open_plan)
    nom_id, version = nom.id, nom.version
    stmt = (update(Nomination.__table__).where(Nomination.__table__.c.id == bindparam("w_id"),
                                               Nomination.__table__.c.version == bindparam("w_version"))
            .values(version=bindparam("v_version"), updated_at=bindparam("v_updated_at")))
    later = AT + timedelta(days=1)
    with db.write() as s:
        params = {"w_id": nom_id, "w_version": version, "v_version": version + 1, "v_updated_at": later}
        assert prepared.execute(s.connection(), stmt, params) == 1
        assert prepared.execute(s.connection(), stmt, params) == 0  # the version moved: nothing matches
    with db.read() as s:
        row = s.execute(select(Nomination.version, Nomination.updated_at).where(Nomination.id == nom_id)).one()
    assert tuple(row) == (version + 1, later)


def test_a_statement_with_python_defaults_takes_sqlalchemys_path(db):
    """Deadline.subject has a Python-side default: left out, SQLAlchemy must fill it in."""
    row = {"subject_id": 1, "version": 1, "state": "draft", "due_at": AT, "stage": "escalate1", "next_at": AT}
    with db.write() as s:
        prepared.execute(s.connection(), insert(Deadline.__table__), row)
    with db.read() as s:
        assert s.execute(select(Deadline.subject).where(Deadline.next_at == AT)).scalar_one() == "nomination"


def test_a_move_and_its_event_go_together_and_a_stale_move_leaves_neither(db, users, open_plan):
    """On PostgreSQL the UPDATE and its INSERTs travel in one pipeline: the event is sent before
    the UPDATE's count is known, so a stale UPDATE must take the event down with it."""
    from workflow.kernel.uow import Stale
    from workflow.kernel.writes import _update
    nom = draft(db, users, open_plan)
    stmt = _update(Nomination.__table__, ("updated_at", "version"))
    later = AT + timedelta(days=2)

    def move(version: int, seq: int) -> None:
        with unit_of_work(db) as s:
            counts = prepared.execute_each(s.connection(), [
                (stmt, {"w_id": nom.id, "w_version": version, "v_version": version + 1, "v_updated_at": later}),
                (_INSERT, _event("t:pipeline", seq))])
            if counts[0] != 1:
                raise Stale()
            assert counts == [1, 1]

    move(nom.version, 1)
    with pytest.raises(Conflict):
        move(nom.version, 2)  # the version moved on: nothing matches
    with db.read() as s:
        assert s.execute(select(AuditEvent.seq).where(AuditEvent.chain == "t:pipeline")).scalars().all() == [1]
        assert s.execute(select(Nomination.version).where(Nomination.id == nom.id)).scalar_one() == nom.version + 1
