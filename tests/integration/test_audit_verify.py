"""An inspector checks that nobody altered the record, even someone who dropped the triggers
and edited the audit tables with plain SQL."""
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from workflow.audit import chain as audit
from workflow.access.actors import NO_CONTEXT
from workflow.audit.chain import HASHED_FIELDS, compute_hash, event_fields, signing_key, write_checkpoint
from workflow.audit.verify import verify
from workflow.errors import Unauthenticated
from workflow.models import AuditCheckpoint, AuditEvent, Nomination
from workflow.auth import service as auth

from tests.conftest import NOW
from tests.scenarios import FULL_VOTE, act, draft

KEY = b"audit-test-key"
RETURN_REASON = "Bổ sung báo cáo thành tích có xác nhận của Thủ trưởng đơn vị"


@pytest.fixture
def log(db, users, open_plan):
    """VTC's nomination of Nguyễn Văn An, returned once by the ministry and resubmitted; a
    second nomination just submitted; a failed login at the ministry; then a checkpoint."""
    a = draft(db, users, open_plan, name="Nguyễn Văn An").id
    act(db, users, "vtc.canbo", a, "submit")
    act(db, users, "vtc.hoidong", a, "vote", votes=FULL_VOTE)
    act(db, users, "vtc.thutruong", a, "approve")
    act(db, users, "bo.chuyenvien", a, "return", reason=RETURN_REASON)
    act(db, users, "vtc.canbo", a, "resubmit")
    b = draft(db, users, open_plan, name="Trần Thị Bình").id
    act(db, users, "vtc.canbo", b, "submit")
    with pytest.raises(Unauthenticated):
        auth.check_password(db, "bo.lanhdao", "mật khẩu sai", now=NOW)
    with db.write() as s:
        assert write_checkpoint(s, NOW, KEY) is not None
    return {"a": a, "b": b}


def event(db, chain: str, seq: int) -> AuditEvent:
    with db.read() as s:
        return s.execute(select(AuditEvent).where(AuditEvent.chain == chain, AuditEvent.seq == seq)).scalar_one()


def drop_guards(db) -> None:
    """What a tamperer with database access does first."""
    statements = {
        "sqlite": ["DROP TRIGGER audit_events_no_update", "DROP TRIGGER audit_events_no_delete",
                   "DROP TRIGGER audit_checkpoints_no_update", "DROP TRIGGER audit_checkpoints_no_delete"],
        "postgresql": ["DROP TRIGGER audit_events_no_change ON audit_events",
                       "DROP TRIGGER audit_checkpoints_no_change ON audit_checkpoints"],
    }[db.dialect]
    with db.engine.begin() as c:
        for sql in statements:
            c.exec_driver_sql(sql)


def tamper(db, sql: str, **params) -> None:
    with db.engine.begin() as c:
        c.execute(text(sql), params)


def first_problem(db):
    result = verify(db, KEY)
    assert not result.ok and result.problems_count >= 1
    return result.first


def rehash(db, ev_id: int, **changes) -> str:
    """Change an event AND recompute its hash, as a careful forger would."""
    with db.read() as s:
        ev = s.get(AuditEvent, ev_id)
        fields = event_fields(ev) | changes
    digest = compute_hash(fields)
    sets = ", ".join(f"{k} = :{k}" for k in changes)
    tamper(db, f"UPDATE audit_events SET {sets}, hash = :h WHERE id = :id", h=digest, id=ev_id, **changes)
    return digest


def test_the_untouched_log_verifies_intact(db, log):
    result = verify(db, KEY)
    with db.read() as s:
        total = s.execute(select(AuditEvent.id)).all()
    assert result.ok and result.problems_count == 0 and result.first is None
    assert result.events == len(total) and result.checkpoint["signature_checked"]
    assert {f"n:{log['a']}", f"n:{log['b']}", "auth:bo.lanhdao"} <= set(_chains(db))


def _chains(db):
    with db.read() as s:
        return s.execute(select(AuditEvent.chain).distinct()).scalars().all()


def test_the_database_refuses_to_update_or_delete_events_while_the_triggers_are_in_place(db, log):
    target = event(db, f"n:{log['a']}", 5)
    statements = [f"UPDATE audit_events SET reason = 'đã sửa' WHERE id = {target.id}",
                  f"DELETE FROM audit_events WHERE id = {target.id}",
                  "UPDATE audit_checkpoints SET digest = 'x'", "DELETE FROM audit_checkpoints"]
    if db.dialect == "postgresql":
        statements += ["TRUNCATE audit_events", "TRUNCATE audit_checkpoints"]
    for sql in statements:
        with pytest.raises(DBAPIError, match="append-only"):
            tamper(db, sql)
    assert event(db, f"n:{log['a']}", 5).reason == RETURN_REASON
    assert verify(db, KEY).ok


def test_an_edited_reason_is_found_and_named(db, log):
    drop_guards(db)
    target = event(db, f"n:{log['a']}", 5)
    tamper(db, "UPDATE audit_events SET reason = 'Hồ sơ đầy đủ' WHERE id = :id", id=target.id)
    p = first_problem(db)
    assert (p.kind, p.event_id, p.chain, p.seq) == ("altered", target.id, f"n:{log['a']}", 5)
    assert f"#{target.id}" in p.message_en and f"#{target.id}" in p.message_vi


def test_an_edit_with_a_recomputed_hash_is_caught_by_the_next_events_link(db, log):
    drop_guards(db)
    target = event(db, f"n:{log['a']}", 3)
    rehash(db, target.id, actor="bo.lanhdao")
    p = first_problem(db)
    assert (p.kind, p.event_id, p.seq) == ("altered", target.id, 3)


def test_a_deleted_event_in_the_middle_of_a_chain_is_named_by_its_place(db, log):
    drop_guards(db)
    gone = event(db, f"n:{log['a']}", 4)
    tamper(db, "DELETE FROM audit_events WHERE id = :id", id=gone.id)
    p = first_problem(db)
    assert (p.kind, p.chain, p.seq, p.event_id) == ("deleted", f"n:{log['a']}", 4, None)


def test_a_deleted_last_event_of_a_nomination_is_caught_by_the_head_on_its_row(db, users, log):
    act(db, users, "vtc.hoidong", log["b"], "vote", votes=FULL_VOTE)  # after the checkpoint
    drop_guards(db)
    gone = event(db, f"n:{log['b']}", 3)
    tamper(db, "DELETE FROM audit_events WHERE id = :id", id=gone.id)
    p = first_problem(db)
    assert (p.kind, p.chain, p.seq, p.event_id) == ("deleted", f"n:{log['b']}", 3, None)
    assert f"nomination #{log['b']} records seq 3" in p.message_en


def test_a_deleted_last_event_of_a_chain_without_a_row_is_caught_by_the_checkpoint(db, log):
    drop_guards(db)
    gone = event(db, "auth:bo.lanhdao", 1)
    tamper(db, "DELETE FROM audit_events WHERE id = :id", id=gone.id)
    result = verify(db, KEY)
    assert not result.ok
    assert (result.first.kind, result.first.chain, result.first.seq) == ("deleted", "auth:bo.lanhdao", 1)
    assert "whole chain" in result.first.message_en


def test_a_forged_approval_appended_with_a_valid_hash_is_caught_by_the_head_on_the_row(db, log):
    drop_guards(db)
    tail = event(db, f"n:{log['b']}", 2)
    forged = {k: getattr(tail, k) for k in HASHED_FIELDS} | {
        "seq": 3, "prev_hash": tail.hash, "action": "approve", "actor": "vtc.thutruong", "role": "unit_head",
        "from_state": "council_review", "to_state": "ministry_review", "payload": None}
    forged["hash"] = compute_hash(forged)
    with db.write() as s:  # plain INSERT through the ORM: the triggers allow inserts
        s.add(AuditEvent(**forged))
    with db.read() as s:
        forged_id = s.execute(select(AuditEvent.id).where(AuditEvent.hash == forged["hash"])).scalar_one()
    p = first_problem(db)
    assert (p.kind, p.event_id, p.seq) == ("inserted", forged_id, 3)


def test_swapped_sequence_numbers_are_reported_as_reordered(db, log):
    drop_guards(db)
    chain = f"n:{log['a']}"
    two, three = event(db, chain, 2), event(db, chain, 3)
    tamper(db, "UPDATE audit_events SET seq = -1 WHERE id = :id", id=two.id)
    tamper(db, "UPDATE audit_events SET seq = 2 WHERE id = :id", id=three.id)
    tamper(db, "UPDATE audit_events SET seq = 3 WHERE id = :id", id=two.id)
    p = first_problem(db)
    assert (p.kind, p.event_id, p.chain) == ("reordered", two.id, chain)


def test_a_chain_rewritten_end_to_end_with_its_row_head_is_caught_by_the_signed_checkpoint(db, log):
    drop_guards(db)
    chain = f"n:{log['a']}"
    for seq in (5, 6):  # soften the return's reason, then re-link everything after it
        ev = event(db, chain, seq)
        prev = rehash(db, ev.id, prev_hash=event(db, chain, seq - 1).hash,
                      **({"reason": "Đề nghị xem lại"} if seq == 5 else {}))
    tamper(db, "UPDATE nominations SET audit_head = :h WHERE id = :id", h=prev, id=log["a"])
    p = first_problem(db)
    assert (p.kind, p.event_id, p.seq) == ("altered", event(db, chain, 6).id, 6)
    assert "checkpoint" in p.message_en


def test_a_forged_or_deleted_checkpoint_is_noticed(db, log):
    drop_guards(db)
    tamper(db, "UPDATE audit_checkpoints SET signature = :s", s="0" * 64)
    assert "signature" in first_problem(db).message_en
    tamper(db, "DELETE FROM audit_checkpoints")
    p = first_problem(db)
    assert (p.kind, p.chain) == ("deleted", "audit:checkpoint") and "was deleted" in p.message_en


def test_the_first_problem_is_the_earliest_event_and_every_problem_is_counted(db, log):
    drop_guards(db)
    early, late = event(db, f"n:{log['a']}", 2), event(db, f"n:{log['b']}", 1)
    for ev in (late, early):
        tamper(db, "UPDATE audit_events SET client_ip = '10.0.0.66' WHERE id = :id", id=ev.id)
    result = verify(db, KEY)
    assert result.problems_count == 2 and result.first.event_id == early.id
    assert [p.event_id for p in result.problems] == [early.id, late.id]


def test_a_deleted_drafts_history_stays_and_the_log_is_still_intact(db, users, open_plan):
    n = draft(db, users, open_plan, name="Lê Văn Cường").id
    with db.read() as s:
        before = s.execute(select(AuditEvent.id).where(AuditEvent.nomination_id == n)).scalars().all()
    with db.write() as s:  # retention: no foreign key from the audit log blocks this
        s.delete(s.get(Nomination, n))
    with db.read() as s:
        assert s.get(Nomination, n) is None
        assert s.execute(select(AuditEvent.id).where(AuditEvent.nomination_id == n)).scalars().all() == before
    assert before and verify(db, KEY).ok


def test_a_checkpoint_signs_every_chains_head_and_only_when_something_happened(db, users, log):
    with db.write() as s:
        assert write_checkpoint(s, NOW, KEY) is None
    act(db, users, "vtc.hoidong", log["b"], "vote", votes=FULL_VOTE)
    with db.write() as s:
        info = write_checkpoint(s, NOW, KEY)
    with db.read() as s:
        cp, n = s.get(AuditCheckpoint, info.id), s.get(Nomination, log["b"])
        first = s.get(AuditCheckpoint, info.id - 1)
        assert cp.heads[f"n:{log['b']}"] == [3, n.audit_head]
        # the first stores every head; later ones what moved since, linked to the one before
        assert len(first.heads) == len(_chains(db)) - 1 and first.prev_digest is None  # all but its own chain
        assert set(cp.heads) == {f"n:{log['b']}", "audit:checkpoint"} and cp.prev_digest == first.digest
        assert info.chains == len(cp.heads) and info.id > 1
    result = verify(db, KEY)
    assert result.ok and result.checkpoint["id"] == info.id and result.checkpoint["chains"] == len(_chains(db))


def test_a_dossiers_chain_is_anchored_on_its_row_like_a_nominations(db, users, open_plan):
    from workflow.models import Dossier, OrgUnit
    from workflow.access.loading import load_actor
    with db.write() as s:
        officer = load_actor(s, users["vtc.canbo"])
        vtc = s.execute(select(OrgUnit.id).where(OrgUnit.code == "VTC")).scalar_one()
        d = Dossier(number="45/TTr-VTC", org_id=vtc, plan_id=open_plan, created_at=NOW, audit_seq=0)
        s.add(d)
        s.flush()
        for action in ("dossier_create", "dossier_submit"):  # append() moves the head on the row
            audit.append(s, f"d:{d.id}", at=NOW, actor=officer, ctx=NO_CONTEXT, action=action,
                         entity="dossier", entity_id=d.id)
        dossier_id = d.id
    with db.read() as s:
        assert s.get(Dossier, dossier_id).audit_seq == 2
    assert verify(db, KEY).ok
    drop_guards(db)
    tamper(db, "DELETE FROM audit_events WHERE id = :id", id=event(db, f"d:{dossier_id}", 2).id)
    p = first_problem(db)
    assert (p.kind, p.chain, p.seq) == ("deleted", f"d:{dossier_id}", 2)
    assert f"dossier #{dossier_id} records seq 2" in p.message_en


def test_the_signing_key_comes_from_the_secret_or_a_private_file_in_the_instance_folder(tmp_path):
    from workflow.config import Settings
    assert signing_key(Settings("sqlite://", secret_key="bí mật")) == signing_key(Settings("sqlite://", secret_key="bí mật"))
    assert signing_key(Settings("sqlite://", secret_key="khác")) != signing_key(Settings("sqlite://", secret_key="bí mật"))
    settings = Settings("sqlite://", instance_path=tmp_path / "instance")
    key = signing_key(settings)
    path = tmp_path / "instance" / "secret_key"
    assert path.stat().st_mode & 0o777 == 0o600 and len(path.read_text()) == 64
    assert signing_key(settings) == key and key != path.read_text().encode()  # derived, not the raw secret
