"""Crash safety: `kill -9` in the middle of the work, then restart.

The bulk approval goes to a real gunicorn (two workers) on a real SQLite file or PostgreSQL
database; the sweep is run by the scheduler inside `khenthuong serve`; e-mail is sent by
`khenthuong scheduler tick` to a real SMTP server. Each process is killed with SIGKILL to its
whole process group while it is inside a write transaction, then started again. Afterwards
every nomination is either fully moved (state, version, its new audit events chained to the
previous head, its deadline row, its notices and e-mail rows) or untouched (none of these),
`khenthuong audit verify` finds the log intact, and every e-mail arrives.

What "no e-mail is sent twice" can mean: the outbox marks a message sent in its own
transaction right after the SMTP server accepted it, so a sender killed between the server's
"250 OK" and that commit sends the message again when it restarts (at-least-once; no SMTP
client can know whether a server it lost kept the message). The test kills the sender in
exactly that window and shows the bound: only the one message in flight arrives twice, with
the same Message-ID (receiving mail systems drop such a copy), every other message exactly once.
"""
import json
import re
import sys
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta, UTC

import requests
from sqlalchemy import func, select

from scheduler.lease import current
from workflow.models import AuditEvent, Deadline, Nomination, Notification, OrgUnit, OutboxMessage, User

from tests.conftest import NOW
from tests.crash_support import (
    Gunicorn, InFlight, PlugPullingSmtp, Serve, audit_verify, env_for, khenthuong, kill9, queue_at_unit_head, spawn,
    wait_for, writer_busy)
from tests.integration.test_outbox import smtp  # noqa: F401  (the real SMTP server fixture)

BULK = 5000
OVERDUE = 1000


# --- what the database says --------------------------------------------------------------

def high_water(db) -> dict:
    """The last row id of every table a command or a sweep appends to."""
    with db.read() as s:
        return {m: s.execute(select(func.coalesce(func.max(m.id), 0))).scalar_one()
                for m in (AuditEvent, Notification, OutboxMessage)}


def new_events(db, since: dict, action: str) -> int:
    with db.read() as s:
        return s.execute(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.id > since[AuditEvent], AuditEvent.action == action)).scalar_one()


def whole_or_untouched(db, before: dict, since: dict, *, steps: list[tuple], to_state: str) -> tuple[set, set]:
    """Split the nominations into (moved, untouched) and prove each is one or the other.

    `steps`: the (action, escalation level) events one unit of work writes per nomination.
    Moved: version + len(steps), exactly those new audit events, chained to the head it had
    (seq + 1, prev_hash = old head) and ending at its head now, leading to `to_state`, a
    deadline row for the new version, notices of each new version. Untouched: version, head and
    chain as before, no event, deadline row or notice written for it.
    """
    ids = list(before)
    with db.read() as s:
        rows = {n.id: n for n in s.execute(select(Nomination).where(Nomination.id.in_(ids))).scalars()}
        events = defaultdict(list)
        for e in s.execute(select(AuditEvent).where(AuditEvent.id > since[AuditEvent], AuditEvent.nomination_id.in_(ids))
                           .order_by(AuditEvent.id)).scalars():
            events[e.nomination_id].append(e)
        deadlines = defaultdict(list)
        for d in s.execute(select(Deadline).where(Deadline.subject == "nomination", Deadline.subject_id.in_(ids))
                           ).scalars():
            deadlines[d.subject_id].append(d)
        notices = defaultdict(set)
        for nid, key in s.execute(select(Notification.nomination_id, Notification.dedup_key).where(
                Notification.id > since[Notification], Notification.nomination_id.in_(ids))):
            notices[nid].add(int(re.search(r":v(\d+)(:|$)", key).group(1)))
    moved, untouched, broken = set(), set(), []
    for nid, was in before.items():
        n, evs = rows[nid], events.get(nid, [])
        if n.version == was.version + len(steps):
            heads = [was.audit_head] + [e.hash for e in evs]
            states = [was.state] + [e.to_state for e in evs]
            ok = ([(e.action, (e.payload or {}).get("level")) for e in evs] == steps
                  and [e.seq for e in evs] == list(range(was.audit_seq + 1, was.audit_seq + 1 + len(steps)))
                  and [e.prev_hash for e in evs] == heads[:-1] and [e.from_state for e in evs] == states[:-1]
                  and n.state == states[-1] == to_state and (n.audit_seq, n.audit_head) == (evs[-1].seq, heads[-1])
                  and any(d.version == n.version and d.state == n.state for d in deadlines[nid])
                  and notices[nid] == set(range(was.version + 1, n.version + 1)))
            (moved.add(nid) if ok else broken.append((nid, "moved, but not whole", n.state, n.version, len(evs))))
        elif n.version == was.version:
            ok = (not evs and not notices[nid] and n.state == was.state
                  and (n.audit_seq, n.audit_head) == (was.audit_seq, was.audit_head)
                  and all(d.version <= was.version for d in deadlines[nid]))
            (untouched.add(nid) if ok else broken.append((nid, "touched", n.state, n.version, len(evs))))
        else:
            broken.append((nid, "half moved", n.state, n.version, len(evs)))
    assert not broken, f"{len(broken)} nomination(s) neither whole nor untouched, e.g. {broken[:5]}"
    return moved, untouched


def outbox_since(db, since: dict) -> list[OutboxMessage]:
    with db.read() as s:
        return list(s.execute(select(OutboxMessage).where(OutboxMessage.id > since[OutboxMessage])
                              .order_by(OutboxMessage.id)).scalars())


def all_outbox(db) -> list[OutboxMessage]:
    with db.read() as s:
        return list(s.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars())


def emails_of(db, org_code: str, roles: tuple[str, ...]) -> set[str]:
    with db.read() as s:
        return set(s.execute(select(User.email).join(OrgUnit, OrgUnit.id == User.org_id)
                             .where(OrgUnit.code == org_code, User.role.in_(roles))).scalars())


def assert_intact(env) -> None:
    r = audit_verify(env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "intact" in r.stdout


class KillingMoment:
    """When to pull the plug on a bulk approval: "after a commit" while the next chunk is being
    written, "writing" when the writer has been busy for `patience` seconds without committing
    anything (a bulk that commits only at its end), "answered" when it is too late."""

    def __init__(self, db, since: dict, request: InFlight, patience: float = 3.0):
        self.db, self.since, self.request, self.patience = db, since, request, patience
        self.busy_since: float | None = None

    def __call__(self) -> str | None:
        if self.request.done.is_set():
            return "answered"
        if not writer_busy(self.db):
            self.busy_since = None
            return None
        self.busy_since = self.busy_since or time.monotonic()
        if new_events(self.db, self.since, "approve"):
            return "after a commit"
        return "writing" if time.monotonic() - self.busy_since > self.patience else None


# --- kill -9 during a bulk approval of 5,000 ----------------------------------------------

def test_kill_9_during_a_bulk_approval_of_5000_leaves_each_nomination_whole_or_untouched(db, tmp_path, smtp):
    # 5,000 nominations of VTC, voted by the council, wait for the unit head's signature.
    started = min(datetime.now(UTC), NOW) - timedelta(hours=1)  # before the server's clock
    before = queue_at_unit_head(db, BULK, now=started)
    env = env_for(db.url, tmp_path)
    checkpoint = khenthuong(env, "audit", "checkpoint")
    assert checkpoint.returncode == 0, checkpoint.stderr
    since = high_water(db)

    # The unit head approves all 5,000 in one request; the server dies under it.
    server = Gunicorn(env, tmp_path / "gunicorn-1.log").start()
    head = {"Authorization": f"Bearer {server.token('vtc.thutruong')}"}
    request = InFlight("POST", f"{server.url}/api/v1/nominations/bulk/approve", json={"ids": list(before)},
                       headers=head)
    # Killed inside a write transaction: once some nominations are committed while the next
    # ones are being written (or, should the bulk commit only at its end, while it writes).
    moment = wait_for(KillingMoment(db, since, request), 180, "the bulk approval to be at work", 0.005)
    status = server.kill9()
    request.wait()
    assert moment != "answered", (
        f"the bulk approval answered {request.response.status_code} before the kill: the kill came too late")
    assert request.response is None and isinstance(request.error, requests.ConnectionError) and status == -9

    moved, untouched = whole_or_untouched(db, before, since, steps=[("approve", None)], to_state="ministry_review")
    print(f"\nkilled {moment}: after the crash {len(moved)} moved, {len(untouched)} untouched ({db.dialect})")
    assert len(moved) < BULK and len(moved) + len(untouched) == BULK
    assert moved or moment != "after a commit"  # what was committed survived the crash
    assert_intact(env)
    # The ministry's reviewer and leader get one digest e-mail for the day's arrivals; nothing
    # else was queued by the half-done request. (Bộ TT&TT merged into Bộ KH&CN in the demo from
    # 01/03/2025: the ministry's people belong to BKHCN.)
    ministry = emails_of(db, "BKHCN", ("ministry_reviewer", "ministry_leader"))
    assert len(ministry) == 2
    queued = outbox_since(db, since)
    assert sorted(m.recipient for m in queued) == (sorted(ministry) if moved else [])
    assert all(m.dedup_key.startswith("digest:") and ":ministry_review:" in m.dedup_key for m in queued)

    # Restart. The untouched ones still wait in the unit head's inbox; the moved ones do not.
    server = Gunicorn(env, tmp_path / "gunicorn-2.log").start()
    try:
        head = {"Authorization": f"Bearer {server.token('vtc.thutruong')}"}
        for nid in sorted(moved)[:1]:
            assert requests.get(f"{server.url}/api/v1/nominations/{nid}", headers=head,
                                timeout=30).json()["state"] == "ministry_review"
        view = requests.get(f"{server.url}/api/v1/nominations/{min(untouched)}", headers=head, timeout=30).json()
        assert view["state"] == "unit_review" and "approve" in view["actions"]
        # The unit head sends the same bulk approval again: the rest goes through, the moved
        # ones are refused one by one, nothing is approved twice.
        r = requests.post(f"{server.url}/api/v1/nominations/bulk/approve", json={"ids": list(before)},
                          headers=head, timeout=600)
        assert r.status_code == 200, r.text
        body = r.json()
        assert (body["succeeded"], body["failed"]) == (len(untouched), len(moved))
        assert {x["id"] for x in body["results"] if x["ok"]} == untouched
        refused = [x for x in body["results"] if not x["ok"]]
        assert {x["id"] for x in refused} == moved
        assert {x["error"]["code"] for x in refused} <= {"invalid_transition", "forbidden", "conflict"}
    finally:
        server.stop()
    all_moved, none_left = whole_or_untouched(db, before, since, steps=[("approve", None)], to_state="ministry_review")
    assert all_moved == set(before) and not none_left
    assert_intact(env)
    assert sorted(m.recipient for m in outbox_since(db, since)) == sorted(ministry)  # still one digest each

    # The outbox is sent, twice over: each e-mail arrives once.
    # (The demo's own notices are dated at the suite's fixed NOW and wait for that day.)
    mail_env = env_for(db.url, tmp_path, KHENTHUONG_SMTP_URL=smtp.url)
    ticked = datetime.now(UTC)
    for _ in range(2):
        r = khenthuong(mail_env, "scheduler", "tick", "--apply")
        assert r.returncode == 0, r.stdout + r.stderr
    rows = [m for m in all_outbox(db) if m.created_at <= ticked]
    assert rows and all(m.sent_at is not None for m in rows)
    assert smtp.keys() == Counter({m.dedup_key: 1 for m in rows})
    assert {m["To"] for m in smtp.messages} >= ministry


# --- kill -9 during a sweep, then during the e-mail it sends -------------------------------

def test_kill_9_during_a_sweep_then_during_its_email_escalates_and_mails_each_once(db, tmp_path):
    # 1,000 nominations reached the unit head six weeks ago and nobody acted: each is past
    # both escalation levels (the unit head: 5 working days; the ministry's leader 5 more).
    long_ago = min(datetime.now(UTC), NOW) - timedelta(days=45)
    before = queue_at_unit_head(db, OVERDUE, now=long_ago)
    env = env_for(db.url, tmp_path, KHENTHUONG_SWEEP_SECONDS=1)
    assert khenthuong(env, "audit", "checkpoint").returncode == 0
    since = high_water(db)
    both_levels = [("escalate", 1), ("escalate", 2)]

    # `khenthuong serve` starts its scheduler, which sweeps at once; the server dies mid-sweep.
    server = Serve(env, tmp_path / "serve-1.log").launch()
    wait_for(lambda: server.proc.poll() is not None or (new_events(db, since, "escalate") and writer_busy(db)),
             120, "the sweep to commit its first escalations", 0.005)
    assert server.kill9() == -9, f"the server was not running when killed: {server.log()}"
    escalated, untouched = whole_or_untouched(db, before, since, steps=both_levels, to_state="unit_review")
    print(f"\nserver killed during a sweep's write transaction: {len(escalated)} escalated (both levels), "
          f"{len(untouched)} untouched ({db.dialect})")
    assert 0 < len(escalated) < OVERDUE
    unit_head, minister = "vtc.thutruong@example.vn", "bo.lanhdao@example.vn"

    def mail_for(ids):
        return {f"n:{nid}:esc1:v{before[nid].version + 1}:{unit_head}" for nid in ids} | {
            f"n:{nid}:esc2:v{before[nid].version + 2}:{minister}" for nid in ids}

    assert {m.dedup_key for m in outbox_since(db, since)} == mail_for(escalated)  # none for the rest
    assert_intact(env)

    # Restarted, the server's scheduler takes the dead one's lease once it lapses and does
    # exactly the rest; a rehearsal tick afterwards finds nothing to do.
    server = Serve(env, tmp_path / "serve-2.log").start()
    try:
        wait_for(lambda: new_events(db, since, "escalate") >= 2 * OVERDUE and (current(db) or {}).get("holder")
                 and f":{server.serving_pid()}:" in current(db)["holder"] and current(db)["last_sweep_at"], 120,
                 "the restarted scheduler to finish the sweep")
    finally:
        server.stop()
    assert current(db)["holder"] is None  # stopped cleanly, it gave the lease up
    r = khenthuong(env, "scheduler", "tick", "--json")
    assert r.returncode == 0 and (_report(r)["escalated"], _report(r)["failed"]) == (0, 0), r.stdout + r.stderr
    everyone, _ = whole_or_untouched(db, before, since, steps=both_levels, to_state="unit_review")
    assert everyone == set(before)
    with db.read() as s:
        levels = Counter(s.execute(select(Nomination.escalation_level).where(Nomination.id.in_(list(before))))
                         .scalars())
        stages = Counter(s.execute(select(Deadline.stage).where(
            Deadline.subject == "nomination", Deadline.subject_id.in_(list(before)),
            Deadline.state == "unit_review")).scalars())
    assert levels == {2: OVERDUE} and stages == {"done": OVERDUE}
    assert {m.dedup_key for m in outbox_since(db, since)} == mail_for(before)
    assert_intact(env)

    # The e-mail, killed twice: first right after the SMTP server accepted a message (before
    # the sender could mark it sent), then while handing over another (before the server took
    # it). Each restart comes after the dead sender's claims have lapsed (5 minutes).
    start = datetime.now(UTC)
    due_mail = {m.dedup_key for m in all_outbox(db) if m.next_attempt_at is not None and m.next_attempt_at <= start}
    assert len(due_mail) >= 2 * OVERDUE
    sink = PlugPullingSmtp().start()
    mail_env = env_for(db.url, tmp_path, KHENTHUONG_SMTP_URL=sink.url)
    try:
        sink.arm(len(due_mail) // 3, "accepted")
        send(mail_env, sink, start, tmp_path / "mail-1.log", killed=True)
        accepted_unmarked = sink.killed_key
        marked = {m.dedup_key for m in all_outbox(db) if m.sent_at is not None}
        assert len(marked) == len(due_mail) // 3 - 1 and accepted_unmarked not in marked

        sink.arm(sink.recipients + len(due_mail) // 3, "before")
        send(mail_env, sink, start + timedelta(minutes=6), tmp_path / "mail-2.log", killed=True)
        with db.read() as s:
            unmarked = {m.dedup_key for m in s.execute(select(OutboxMessage).where(
                OutboxMessage.sent_at.is_(None), OutboxMessage.dedup_key.in_(due_mail))).scalars()}
        handed_over = {k for k in unmarked if k.endswith(f":{sink.killed_recipient}")}
        # Of what is not marked sent, only the first kill's message has arrived.
        assert handed_over and set(sink.keys()) & unmarked <= {accepted_unmarked}

        r = send(mail_env, sink, start + timedelta(minutes=12), tmp_path / "mail-3.log")
        assert r["mail"] == {"sent": len(unmarked), "failed": 0}
        r = send(mail_env, sink, start + timedelta(minutes=13), tmp_path / "mail-4.log")
        assert r["mail"] == {"sent": 0, "failed": 0}
        with db.read() as s:
            assert not s.execute(select(OutboxMessage.id).where(OutboxMessage.sent_at.is_(None),
                                                                OutboxMessage.dedup_key.in_(due_mail))).first()
        received = sink.keys()
        # Nothing lost, including the message the second kill interrupted...
        assert set(received) == due_mail
        # ...and nothing twice but the one the server had accepted when the sender died, whose
        # copy is the same e-mail with the same Message-ID (mail systems drop it).
        assert +(received - Counter(due_mail)) <= Counter({accepted_unmarked: 1})
        copies = [m for m in sink.messages if m["X-Khenthuong-Key"] == accepted_unmarked]
        assert len({(m["Message-ID"], m.get_content()) for m in copies}) == 1
        assert len({m["Message-ID"] for m in sink.messages}) == len(due_mail)
        print(f"e-mail: {len(due_mail)} messages, sender killed twice; {sum(received.values())} deliveries, "
              f"{len(due_mail)} distinct Message-IDs")
    finally:
        sink.stop()
    assert_intact(env)


def send(env: dict, sink: PlugPullingSmtp, now: datetime, log_path, *, killed: bool = False) -> dict | None:
    """`khenthuong scheduler tick --now NOW` sending the outbox; killed by the SMTP server if armed."""
    sender = spawn([sys.executable, "-m", "web.cli", "scheduler", "tick", "--apply", "--now", now.isoformat(), "--json"], env,
                   log_path)
    sink.aim(sender)
    code = sender.wait(timeout=240)
    if killed:
        assert code == -9, f"the sender was not killed while sending (exit {code})"
        kill9(sender)
        return None
    assert code == 0, open(log_path).read()[-2000:]
    with open(log_path) as f:
        return json.loads(f.read().strip().splitlines()[-1])


def _report(r) -> dict:
    return json.loads(r.stdout)
