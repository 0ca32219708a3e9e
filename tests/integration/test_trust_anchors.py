"""An insider with write access to the database tries to make the audit log lie (H2, M1).

The checkpoints are anchored outside the database (an append-only file, and e-mail to the
auditors); the tamperer can rewrite every table, not the anchor file kept elsewhere.
"""
import json
import shutil
import subprocess
import sys
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from scheduler.jobs import SweepJob
from workflow.audit import anchors
from workflow.audit.verify import CheckpointPolicy, verify
from workflow.config import Settings
from workflow.models import AuditCheckpoint, AuditEvent, Nomination, OutboxMessage
from workflow.notices.outbox import deliver

from tests.conftest import NOW
from tests.integration.test_audit_verify import drop_guards, event, rehash, tamper
from tests.integration.test_outbox import smtp  # noqa: F401  (fixture)
from tests.scenarios import FULL_VOTE, act, draft

KEY_SECRET = "trust-anchor-test-key"


@pytest.fixture
def settings(db, tmp_path):
    return Settings(database_url=db.url, secret_key=KEY_SECRET, instance_path=tmp_path)


@pytest.fixture
def key(settings):
    from workflow.audit.chain import signing_key
    return signing_key(settings)


def anchored(db, settings, now=NOW):
    info = anchors.checkpoint_now(db, settings, now)
    assert info is not None
    return info


def check(db, key, settings, **kw):
    return verify(db, key, anchor_file=anchors.anchor_path(settings), policy=CheckpointPolicy(), **kw)


def last_event_id(db):
    with db.read() as s:
        return s.execute(select(func.max(AuditEvent.id))).scalar() or 0


def events_after(db, event_id):
    with db.read() as s:
        return s.execute(select(func.count()).select_from(AuditEvent).where(AuditEvent.id > event_id)).scalar()


def submitted(db, users, plan, name):
    n = draft(db, users, plan, name=name).id
    act(db, users, "vtc.canbo", n, "submit")
    return n


def test_deleting_every_checkpoint_and_rehashing_an_old_event_is_caught_by_the_anchor_file(
        db, users, open_plan, settings, key):
    n = submitted(db, users, open_plan, "Nguyễn Văn An")
    first = anchored(db, settings)
    assert check(db, key, settings).ok
    line = json.loads(anchors.anchor_path(settings).read_text().splitlines()[0])
    assert line["checkpoint"] == first.id and line["digest"] == first.digest

    # The tamperer drops the guards, deletes every checkpoint and its chain, and rewrites the
    # submission's reason with a freshly computed plain SHA-256 (the chain's last event).
    drop_guards(db)
    tamper(db, "DELETE FROM audit_checkpoints")
    tamper(db, "DELETE FROM audit_events WHERE chain = 'audit:checkpoint'")
    last = event(db, f"n:{n}", 2)
    digest = rehash(db, last.id, reason="Nộp theo chỉ đạo miệng")
    tamper(db, "UPDATE nominations SET audit_head = :h WHERE id = :id", h=digest, id=n)
    assert verify(db, key).ok  # without the anchors the database alone still looks intact

    result = check(db, key, settings)
    assert not result.ok
    assert any(p.kind == "deleted" and f"checkpoint #{first.id} (anchor file line 1)" in p.message_en
               and "missing from the database" in p.message_en for p in result.problems)


def test_a_re_signed_checkpoint_that_differs_from_its_anchor_fails(db, users, open_plan, settings, key):
    submitted(db, users, open_plan, "Trần Thị Bình")
    cp = anchored(db, settings)
    drop_guards(db)
    tamper(db, "UPDATE audit_checkpoints SET digest = :d, signature = :s WHERE id = :id",
           d="0" * 64, s="1" * 64, id=cp.id)
    result = check(db, key, settings)
    assert not result.ok
    assert any(p.kind == "altered" and "differs from the anchored copy" in p.message_en for p in result.problems)


def test_an_unreadable_anchor_line_is_reported(db, users, open_plan, settings, key):
    submitted(db, users, open_plan, "Lê Văn Cường")
    anchored(db, settings)
    with open(anchors.anchor_path(settings), "a") as f:
        f.write("{not json\n")
    result = check(db, key, settings)
    assert not result.ok and "line 2 is unreadable" in result.first.message_en


def test_events_without_the_checkpoints_that_should_exist_fail(db, users, open_plan, settings, key):
    """No anchor file at hand, every checkpoint deleted: three hours of events with no
    checkpoint cannot be how the scheduler left them."""
    submitted(db, users, open_plan, "Phạm Thị Dung")
    later = draft(db, users, open_plan, name="Hoàng Văn Em", now=NOW + timedelta(hours=3)).id
    result = verify(db, key, policy=CheckpointPolicy(every_events=1000, every_minutes=60))
    assert not result.ok and result.first.kind == "overdue"
    assert "without any checkpoint" in result.first.message_en and "60 minutes" in result.first.message_en
    assert result.gap["events"] > 0 and result.gap["after_checkpoint"] is None
    # once a checkpoint covers them, the rule is met
    anchored(db, settings, NOW + timedelta(hours=3))
    assert check(db, key, settings).ok
    assert later


def test_too_many_events_after_the_last_checkpoint_fail(db, users, open_plan, settings, key):
    anchored(db, settings)
    policy = CheckpointPolicy(every_events=1, every_minutes=60, grace_minutes=10)
    submitted(db, users, open_plan, "Vũ Văn Giang")
    # a burst (one bulk command) waits for the next sweep's checkpoint: not yet a problem
    assert verify(db, key, anchor_file=anchors.anchor_path(settings), policy=policy).ok
    later = NOW + timedelta(minutes=15)
    act(db, users, "vtc.canbo", draft(db, users, open_plan, name="Đặng Thị Hạnh", now=later).id, "submit", now=later)
    result = verify(db, key, anchor_file=anchors.anchor_path(settings), policy=policy)
    assert not result.ok and result.first.kind == "overdue" and "a checkpoint is due every 1 events" in \
        result.first.message_en


def test_a_tail_cut_with_its_row_rolled_back_fails_once_a_checkpoint_covers_it(db, users, open_plan,
                                                                              settings, key):
    n = draft(db, users, open_plan, name="Bùi Văn Khánh").id
    with db.read() as s:
        before = s.get(Nomination, n)
        row_before = (before.state, before.version, before.level, before.holder_org_id, before.due_at,
                      before.submitted_at, before.audit_seq, before.audit_head, before.updated_at)
    act(db, users, "vtc.canbo", n, "submit")
    act(db, users, "vtc.hoidong", n, "vote", votes=FULL_VOTE)
    cp = anchored(db, settings)
    result = check(db, key, settings)
    assert result.ok and result.gap["events"] == 0

    # Cut the two events from the tail and put the row back as it was before them.
    drop_guards(db)
    tamper(db, "DELETE FROM council_votes WHERE nomination_id = :id", id=n)
    tamper(db, "DELETE FROM audit_events WHERE chain = :c AND seq > :s", c=f"n:{n}", s=row_before[6])
    tamper(db, "DELETE FROM deadlines WHERE subject = 'nomination' AND subject_id = :id", id=n)
    tamper(db, "UPDATE nominations SET state = :st, version = :v, level = :lv, holder_org_id = :h, due_at = :d, "
               "submitted_at = :sa, audit_seq = :seq, audit_head = :head, updated_at = :u WHERE id = :id",
           st=row_before[0], v=row_before[1], lv=row_before[2], h=row_before[3], d=row_before[4],
           sa=row_before[5], seq=row_before[6], head=row_before[7], u=row_before[8], id=n)
    result = check(db, key, settings)
    assert not result.ok
    assert any(p.kind == "deleted" and p.chain == f"n:{n}" and f"checkpoint #{cp.id}" in p.message_en
               for p in result.problems)


def test_the_gap_after_the_last_checkpoint_is_reported_and_checked_alone_in_since_mode(
        db, users, open_plan, settings, key):
    anchored(db, settings)
    before = last_event_id(db)
    n = submitted(db, users, open_plan, "Đỗ Thị Lan")
    written = events_after(db, before)
    assert written == 3  # the new person's in the register, the draft's, the submit's
    full = check(db, key, settings)
    assert full.ok and full.gap["events"] == written and full.gap["after_checkpoint"] is not None
    quick = check(db, key, settings, since_checkpoint=True)
    assert quick.ok and quick.mode == "since-checkpoint" and quick.events == 1 + written  # and the checkpoint's

    # A forger rewrites the submission after the checkpoint (hash recomputed, row head moved):
    # the events after the checkpoint still have to continue the signed heads and each other.
    drop_guards(db)
    created = event(db, f"n:{n}", 1)
    digest = rehash(db, created.id, reason="Đổi lý do")
    quick = check(db, key, settings, since_checkpoint=True)
    assert not quick.ok and quick.first.event_id == created.id and "does not match the link" in quick.first.message_en
    assert digest


def test_the_scheduler_checkpoints_every_n_events_anchors_them_and_mails_the_auditors(
        db, users, open_plan, settings, smtp):
    # Submitting a new person's nomination writes three events (the person in the register, the
    # draft, the submit): a checkpoint is due every four.
    settings = settings.with_(checkpoint_events=4, checkpoint_minutes=60, smtp_url=smtp.url,
                              audit_mail="luu-tru@example.vn")
    now = [NOW]
    job = SweepJob(db, settings, "test-scheduler", lambda: now[0], threading.Event())
    job.run_once()  # the first sweep signs at once
    with db.read() as s:
        assert s.execute(select(func.count()).select_from(AuditCheckpoint)).scalar() == 1
    before = last_event_id(db)
    submitted(db, users, open_plan, "Ngô Văn Minh")
    assert events_after(db, before) == 3  # fewer than four
    now[0] += timedelta(minutes=1)
    job.run_once()
    with db.read() as s:
        assert s.execute(select(func.count()).select_from(AuditCheckpoint)).scalar() == 1
    submitted(db, users, open_plan, "Lý Thị Nga")
    assert events_after(db, before) == 6  # six events since: more than four
    now[0] += timedelta(minutes=1)
    job.run_once()
    with db.read() as s:
        assert s.execute(select(func.count()).select_from(AuditCheckpoint)).scalar() == 2
        mails = list(s.execute(select(OutboxMessage).where(OutboxMessage.dedup_key.like("audit-checkpoint:%"))
                               .order_by(OutboxMessage.id)).scalars())
    lines = anchors.anchor_path(settings).read_text().splitlines()
    assert len(lines) == 2 and [json.loads(x)["checkpoint"] for x in lines] == sorted(
        json.loads(x)["checkpoint"] for x in lines)
    assert {m.recipient for m in mails} == {"kiemtra@example.vn", "luu-tru@example.vn"}
    deliver(db, smtp.url, now=now[0])
    [mail] = [m for m in smtp.to("kiemtra@example.vn") if "#2" in m["Subject"]]
    assert json.loads(lines[1])["digest"] in mail.get_content()
    # an hour of the scheduler's clock later, one more even with few events
    submitted(db, users, open_plan, "Tạ Văn Oanh")
    now[0] += timedelta(minutes=61)
    job.run_once()
    assert len(anchors.anchor_path(settings).read_text().splitlines()) == 3


def test_verify_on_the_command_line_reads_the_anchor_file_of_the_instance(sqlite_db, users, open_plan, tmp_path):
    env = {"KHENTHUONG_DATABASE_URL": sqlite_db.url, "KHENTHUONG_SECRET_KEY": KEY_SECRET,
           "KHENTHUONG_INSTANCE": str(tmp_path), "PATH": "/usr/bin:/bin"}

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "web.cli", "audit", *args], env=env, capture_output=True,
                              text=True, timeout=300)

    submitted(sqlite_db, users, open_plan, "Mai Văn Phúc")
    r = cli("checkpoint")
    assert r.returncode == 0 and "audit-anchors.jsonl" in r.stdout, r.stderr
    assert (tmp_path / "audit-anchors.jsonl").exists()
    r = cli("verify", "--quiet")
    assert r.returncode == 0 and "Every event is covered by a checkpoint" in r.stdout, r.stdout + r.stderr
    kept_elsewhere = tmp_path / "copy-on-another-disk.jsonl"
    shutil.copy(tmp_path / "audit-anchors.jsonl", kept_elsewhere)
    drop_guards(sqlite_db)
    tamper(sqlite_db, "DELETE FROM audit_checkpoints")
    tamper(sqlite_db, "DELETE FROM audit_events WHERE chain = 'audit:checkpoint'")
    r = cli("verify", "--quiet")
    assert r.returncode == 1 and "missing from the database" in r.stdout
    (tmp_path / "audit-anchors.jsonl").unlink()  # the local file gone too: the copy still tells
    r = cli("verify", "--quiet", "--anchors", str(kept_elsewhere), "--json")
    assert r.returncode == 1 and json.loads(r.stdout)["anchors"] == 1
    r = cli("verify", "--since-checkpoint", "--quiet", "--anchors", str(kept_elsewhere))
    assert r.returncode == 1
    with sqlite_db.read() as s:
        assert s.execute(select(func.count()).select_from(AuditEvent)).scalar() > 0


def test_checkpoints_after_the_first_store_what_moved_and_a_removed_one_breaks_their_chain(
        db, users, open_plan, settings, key):
    first = anchored(db, settings)
    submitted(db, users, open_plan, "Cao Văn Quang")
    second = anchored(db, settings)
    submitted(db, users, open_plan, "Cao Thị Quỳnh")
    third = anchored(db, settings)
    with db.read() as s:
        rows = {c.id: c for c in s.execute(select(AuditCheckpoint)).scalars()}
    assert rows[second.id].prev_digest == first.digest and rows[third.id].prev_digest == second.digest
    assert len(rows[third.id].heads) < len(rows[first.id].heads)  # only the chains that moved
    assert verify(db, key).ok
    drop_guards(db)
    tamper(db, "DELETE FROM audit_checkpoints WHERE id = :id", id=second.id)
    result = verify(db, key)  # even without the anchor file
    assert not result.ok and any(f"the checkpoint before checkpoint #{third.id} was deleted" in p.message_en
                                 for p in result.problems)
