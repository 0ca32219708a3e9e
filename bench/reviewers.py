"""Reviewers: 50 reviewers acting at once on shared inboxes, against gunicorn and PostgreSQL.

A throw-away database (PostgreSQL by default) gets the demo and `--n` nominations waiting in the
five reviewing inboxes of the demo: the unit heads of VTC and of the province's office, the
ministry (Bộ TT&TT), the province (UBND tỉnh Thái Nguyên) and the centre (Ban TĐKT Trung
ương). gunicorn serves the app (`--workers`, gthread `--threads`). Each reviewer logs in with
its own token for one of the demo's reviewing accounts; the ten or so of one inbox collide on
the same nominations. For `--seconds` every reviewer loops: GET /inbox (first page), pick one
of the most urgent, POST approve (or return, with a reason) with the version it read.

Then it checks what the issue asks: no 5xx and no dropped connection; every refused action a
clean 409 with the API's error body; the audit log replayed per nomination (from the state it
was generated in, each event leaving from where the previous one arrived) ends in the state
the nomination has, with one event per accepted action and none for a refused one; the hash
chains verify. Prints req/s, actions/s, 409s, p50/p95 and ends with one JSON line; exits 1 when
a check fails.

    python -m bench reviewers [--seconds 60] [--reviewers 50] [--n 20000] [--db URL]
                              [--workers 2] [--threads 8]
"""
import argparse
import http.client
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta, UTC

from sqlalchemy import func, insert, select

from bench.common import PASSWORD, emit, machine, scratch_database
from bench.load import get_token, wait_ready
from bench.web import free_port, stop

# The demo's reviewing accounts and how many reviewers act through each (50 in all).
# Accounts of one org and step share one inbox: bo.chuyenvien and bo.lanhdao see the same
# nominations, as do the province's and the centre's reviewer and leader.
ACCOUNTS = (("vtc.thutruong", 10), ("tinh.thutruong", 8), ("bo.chuyenvien", 8), ("bo.lanhdao", 4),
            ("tinh.chuyenvien", 6), ("tinh.lanhdao", 3), ("tw.chuyenvien", 7), ("tw.lanhdao", 4))
# Where the generated nominations wait: (state, level, holder org, unit orgs, share of --n).
INBOXES = (("unit_review", "unit", "VTC", ("VTC",), 0.22), ("unit_review", "unit", "VPDBQH-TN", ("VPDBQH-TN",), 0.18),
           ("ministry_review", "ministry", "BTTTT", ("VTC", "CBC"), 0.22),
           ("ministry_review", "ministry", "UBND-TN", ("VPDBQH-TN",), 0.18),
           ("central_review", "central", "TW", ("VTC", "CBC", "VPDBQH-TN"), 0.20))
REASONS = ("Đề nghị bổ sung báo cáo thành tích có xác nhận của cấp trên",
           "Thiếu biên bản họp Hội đồng Thi đua - Khen thưởng", "Tóm tắt thành tích chưa rõ số liệu")
APPROVE_SHARE = 0.85   # when both are offered, approve this often, otherwise return
PICK_FROM = 5          # a reviewer picks one of the first five (most urgent) of the inbox
ERROR_CODES_409 = {"conflict", "invalid_transition"}


def seed(db, n: int, now: datetime, seed_value: int = 7) -> dict[int, str]:
    """n nominations for the Prime Minister's award spread over the inboxes: {id: state}."""
    from workflow.models import Nomination, OrgUnit, Plan
    rnd = random.Random(seed_value)
    with db.write() as s:
        orgs = dict(s.execute(select(OrgUnit.code, OrgUnit.id)).all())
        plan = s.execute(select(Plan.id).where(Plan.title.like("Kế hoạch thi đua, khen thưởng năm %"))).scalar_one()
        rows = []
        for state, level, holder, units, share in INBOXES:
            for _ in range(int(n * share)):
                i = len(rows)
                rows.append(dict(
                    plan_id=plan, award_code="bang_khen_thu_tuong", unit_id=orgs[rnd.choice(units)],
                    nominee_kind="individual", nominee_name=f"Cán bộ thi đua {i + 1}", nominee_key=f"reviewers-{i}",
                    nominee_title="Chuyên viên", achievements="Hoàn thành xuất sắc nhiệm vụ hai năm liên tục",
                    state=state, version=1, route="central", definition_version=1, level=level,
                    holder_org_id=orgs[holder],
                    due_at=now + timedelta(days=rnd.randint(1, 20), minutes=rnd.randint(0, 1440)),
                    escalation_level=0, submitted_at=now - timedelta(days=10), created_at=now - timedelta(days=12),
                    updated_at=now - timedelta(days=10), audit_seq=0))
        for k in range(0, len(rows), 5000):
            s.execute(insert(Nomination), rows[k:k + 5000])
    _record_creation(db, now)
    with db.read() as s:
        return dict(s.execute(select(Nomination.id, Nomination.state).where(
            Nomination.nominee_key.like("reviewers-%"))).all())


def _record_creation(db, now: datetime) -> None:
    """Each seeded row's history starts with its creation event, as a row the product wrote would:
    `audit verify` replays every chain against its row and fails on a row without history."""
    from workflow.access.actors import NO_CONTEXT, SYSTEM_ACTOR
    from workflow.kernel.transition import batched
    from workflow.models import Nomination
    from workflow.nominations.transitions import record
    with db.write() as s:
        noms = s.execute(select(Nomination).where(Nomination.nominee_key.like("reviewers-%"),
                                                  Nomination.audit_seq == 0)).scalars().all()
        for k in range(0, len(noms), 500):
            with batched(s):
                for nom in noms[k:k + 500]:
                    record(s, nom, SYSTEM_ACTOR, "create", now, NO_CONTEXT, bump=False, created=True,
                           payload={"seeded": "bench.reviewers"})


@dataclass
class Tally:
    """What the reviewers saw, shared by their threads."""
    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: Counter = field(default_factory=Counter)       # ("GET inbox" | action, status)
    latencies: list = field(default_factory=list)            # seconds, every request
    action_latencies: list = field(default_factory=list)
    accepted: Counter = field(default_factory=Counter)       # (nomination id, action, username)
    refused: Counter = field(default_factory=Counter)        # 409 error codes
    bad_bodies: list = field(default_factory=list)           # 409s without the API's error body
    unexpected: list = field(default_factory=list)           # anything but 200 / 409
    empty_inbox: int = 0

    def record(self, kind: str, status, seconds: float) -> None:
        with self.lock:
            self.statuses[(kind, status)] += 1
            self.latencies.append(seconds)
            if kind != "GET inbox":
                self.action_latencies.append(seconds)


class Reviewer(threading.Thread):
    """One person at one account: read the inbox, act on one of its first items, again."""

    def __init__(self, port: int, username: str, token: str, stop_at: float, tally: Tally, rnd: random.Random):
        super().__init__(daemon=True)
        self.port, self.username, self.stop_at, self.tally, self.rnd = port, username, stop_at, tally, rnd
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.conn = None

    def request(self, kind: str, method: str, path: str, body: dict | None = None):
        t = time.perf_counter()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=self.headers)
            resp = self.conn.getresponse()
            raw = resp.read()
            status = resp.status
            if resp.will_close:
                self.conn.close()
                self.conn = None
        except (OSError, http.client.HTTPException) as e:
            self.tally.record(kind, "connection error", time.perf_counter() - t)
            with self.tally.lock:
                self.tally.unexpected.append((kind, path, f"{type(e).__name__}: {e}"))
            if self.conn is not None:
                self.conn.close()
            self.conn = None
            return None, None
        self.tally.record(kind, status, time.perf_counter() - t)
        try:
            return status, json.loads(raw) if raw else None
        except ValueError:
            return status, raw[:200]

    def run(self):
        while time.monotonic() < self.stop_at:
            status, page = self.request("GET inbox", "GET", "/api/v1/inbox?limit=10")
            if status != 200:
                if status is not None:
                    with self.tally.lock:
                        self.tally.unexpected.append(("GET inbox", status, str(page)[:300]))
                continue
            items = page["items"]
            if not items:
                with self.tally.lock:
                    self.tally.empty_inbox += 1
                time.sleep(0.05)
                continue
            item = self.rnd.choice(items[:PICK_FROM])
            action = self.choose(item["actions"])
            if action is None:
                continue
            body = {"version": item["version"]}
            if action == "return":
                body["reason"] = self.rnd.choice(REASONS)
            status, answer = self.request(action, "POST", f"/api/v1/nominations/{item['id']}/{action}", body)
            self.judge(item["id"], action, status, answer)
        if self.conn is not None:
            self.conn.close()

    def choose(self, offered: list[str]) -> str | None:
        if "approve" in offered and ("return" not in offered or self.rnd.random() < APPROVE_SHARE):
            return "approve"
        return "return" if "return" in offered else None

    def judge(self, nid: int, action: str, status, answer) -> None:
        with self.tally.lock:
            if status == 200:
                self.tally.accepted[(nid, action, self.username)] += 1
            elif status == 409:
                error = answer.get("error") if isinstance(answer, dict) else None
                code = error.get("code") if isinstance(error, dict) else None
                if code in ERROR_CODES_409 and isinstance(error.get("message"), str) and error["message"]:
                    self.tally.refused[code] += 1
                else:
                    self.tally.bad_bodies.append(answer)
            elif status is not None:
                self.tally.unexpected.append((action, status, str(answer)[:300]))


def run_reviewers(port: int, seconds: float, reviewers: int, seed_value: int = 11) -> tuple[Tally, float]:
    """Log every reviewer in (its own token), release them together, wait for the end."""
    spread = _spread(reviewers)

    def logins(username: str, count: int) -> list[str]:
        # One account's logins one after another: parallel attempts on one (username, address)
        # are what the login throttle holds back (issue 13, M5), even with the right password.
        return [get_token(port, username, PASSWORD) for _ in range(count)]

    with ThreadPoolExecutor(8) as pool:  # each reviewer its own login (Argon2 takes a while)
        tokens = list(pool.map(lambda uc: logins(*uc), spread))
    people = [(username, token) for (username, _), mine in zip(spread, tokens) for token in mine]
    tally = Tally()
    stop_at = time.monotonic() + seconds
    started = time.perf_counter()
    threads = [Reviewer(port, u, tok, stop_at, tally, random.Random(seed_value * 1000 + i))
               for i, (u, tok) in enumerate(people)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 120)
    return tally, time.perf_counter() - started


def _spread(reviewers: int) -> list[tuple[str, int]]:
    """The accounts' shares of `reviewers` (50 gives ACCOUNTS exactly)."""
    total = sum(c for _, c in ACCOUNTS)
    counts = [(u, max(1, round(c * reviewers / total))) for u, c in ACCOUNTS]
    extra = reviewers - sum(c for _, c in counts)
    counts[0] = (counts[0][0], max(1, counts[0][1] + extra))
    return counts


def check(db, seeded: dict[int, str], tally: Tally, signing_key: bytes | None) -> list[str]:
    """Everything that must hold after the run; a list of what does not."""
    from workflow.audit.verify import verify
    from workflow.models import AuditEvent, Nomination
    problems = []
    fives = {k: v for k, v in tally.statuses.items() if isinstance(k[1], int) and k[1] >= 500}
    if fives:
        problems.append(f"5xx answers: {fives}")
    if tally.unexpected:
        problems.append(f"{len(tally.unexpected)} answers neither 200 nor a clean 409, e.g. {tally.unexpected[:3]}")
    if tally.bad_bodies:
        problems.append(f"{len(tally.bad_bodies)} 409s without the API's error body, e.g. {tally.bad_bodies[:3]}")
    with db.read() as s:
        rows = {r.id: r for r in s.execute(select(Nomination.id, Nomination.state, Nomination.version,
                                                  Nomination.audit_seq).where(Nomination.id.in_(list(seeded))))}
        events = defaultdict(list)
        for e in s.execute(select(AuditEvent.nomination_id, AuditEvent.seq, AuditEvent.action, AuditEvent.actor,
                                  AuditEvent.from_state, AuditEvent.to_state)
                           .where(AuditEvent.chain.like("n:%"), AuditEvent.seq > 1)  # 1: the seeded creation
                           .order_by(AuditEvent.nomination_id, AuditEvent.seq)):
            events[e.nomination_id].append(e)
    replay_errors = []
    for nid, start_state in seeded.items():
        state, evs, row = start_state, events.get(nid, []), rows[nid]
        for e in evs:
            if e.from_state != state:
                replay_errors.append(f"#{nid}: event {e.seq} ({e.action}) leaves {e.from_state}, was {state}")
            state = e.to_state
        if state != row.state or row.version != 1 + len(evs) or row.audit_seq != 1 + len(evs):
            replay_errors.append(f"#{nid}: replayed {state} v{1 + len(evs)} seq {1 + len(evs)}, "
                                 f"row {row.state} v{row.version} seq {row.audit_seq}")
    if replay_errors:
        problems.append(f"{len(replay_errors)} nominations disagree with their audit log, e.g. {replay_errors[:3]}")
    logged = Counter((nid, e.action, e.actor) for nid, evs in events.items() if nid in seeded for e in evs)
    if logged != tally.accepted:
        missing, extra = tally.accepted - logged, logged - tally.accepted
        problems.append(f"accepted actions and audit events differ: {sum(missing.values())} accepted without "
                        f"an event (e.g. {list(missing)[:3]}), {sum(extra.values())} events without an accepted "
                        f"answer (e.g. {list(extra)[:3]})")
    result = verify(db, signing_key)
    if not result.ok:
        problems.append(f"audit verify: {result.first.kind} {result.first.message_en}")
    return problems


def _pct(samples: list[float], p: float) -> float | None:
    if not samples:
        return None
    s = sorted(samples)
    return round(s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))] * 1000, 1)


def figures_of(tally: Tally, elapsed: float) -> dict:
    statuses = Counter()
    for (_, status), count in tally.statuses.items():
        statuses[str(status)] += count
    requests_ = sum(tally.statuses.values())
    actions = sum(v for (kind, _), v in tally.statuses.items() if kind != "GET inbox")
    accepted = sum(tally.accepted.values())
    return {
        "seconds": round(elapsed, 1), "requests": requests_, "requests_per_s": round(requests_ / elapsed, 1),
        "actions": actions, "accepted": accepted, "actions_per_s": round(accepted / elapsed, 1),
        "attempts_per_s": round(actions / elapsed, 1),
        "conflicts_409": sum(tally.refused.values()), "conflict_codes": dict(tally.refused),
        "errors_5xx": sum(v for k, v in statuses.items() if k.isdigit() and int(k) >= 500),
        "connection_errors": statuses.get("connection error", 0), "statuses": dict(statuses),
        "by_action": {f"{k} {s}": v for (k, s), v in sorted(tally.statuses.items(), key=str)},
        "empty_inbox_reads": tally.empty_inbox,
        "p50_ms": _pct(tally.latencies, 50), "p95_ms": _pct(tally.latencies, 95),
        "action_p50_ms": _pct(tally.action_latencies, 50), "action_p95_ms": _pct(tally.action_latencies, 95),
    }


def default_db() -> str:
    return os.environ.get("KHENTHUONG_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def run(*, db_url: str | None = None, seconds: float = 60, reviewers: int = 50, n: int = 20000, workers: int = 2,
        threads: int = 8, log_path: str | None = None) -> dict:
    """Build the database, serve it with gunicorn, let the reviewers loose, check; the figures
    (with `problems`, empty when every check held)."""
    from workflow.audit.chain import signing_key
    from workflow.config import load_settings
    secret = "bench-reviewers"
    with scratch_database(db_url or default_db()) as db:
        t = time.perf_counter()
        seeded = seed(db, n, datetime.now(UTC))
        setup = time.perf_counter() - t
        env = {**os.environ, "KHENTHUONG_DATABASE_URL": db.url, "KHENTHUONG_SECRET_KEY": secret}
        env.pop("KHENTHUONG_SMTP_URL", None)
        port = free_port()
        cmd = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-k", "gthread", "--threads", str(threads),
               "-b", f"127.0.0.1:{port}", "--timeout", "120", "--keep-alive", "30", "--log-level", "warning",
               "web:create_app()"]
        with tempfile.TemporaryFile() as errors:
            server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=errors,
                                      start_new_session=True)
            try:
                wait_ready(port, timeout=60)
                tally, elapsed = run_reviewers(port, seconds, reviewers)
            finally:
                stop(server)
                errors.seek(0)
                log = errors.read().decode(errors="replace")
        if log_path:
            with open(log_path, "w") as f:
                f.write(log)
        key = signing_key(load_settings({"database_url": db.url, "secret_key": secret}))
        t = time.perf_counter()
        problems = check(db, seeded, tally, key)
        checked = time.perf_counter() - t
        with db.read() as s:
            from workflow.models import Nomination
            states = dict(s.execute(select(Nomination.state, func.count()).where(Nomination.id.in_(list(seeded)))
                                    .group_by(Nomination.state)).all())
        dialect = db.dialect
    figures = {"db": dialect, "n": len(seeded), "reviewers": reviewers, "gunicorn_workers": workers,
               "gunicorn_threads": threads, **figures_of(tally, elapsed), "final_states": states,
               "setup_s": round(setup, 1), "check_s": round(checked, 1), "problems": problems,
               "load_average": round(os.getloadavg()[0], 2), "machine": machine()}
    if "Traceback" in log:
        figures["problems"].append(f"the server logged a traceback: {log[log.index('Traceback'):][:500]}")
    return figures


def report(f: dict) -> None:
    print(f"{f['reviewers']} reviewers, {f['seconds']} s, gunicorn -w {f['gunicorn_workers']} "
          f"--threads {f['gunicorn_threads']} on {f['db']}, {f['n']:,} nominations in 5 shared inboxes")
    print(f"  {f['requests']:,} requests = {f['requests_per_s']} req/s (p50 {f['p50_ms']} ms, p95 {f['p95_ms']} ms)")
    print(f"  {f['actions']:,} actions tried, {f['accepted']:,} accepted = {f['actions_per_s']} actions/s "
          f"(action p50 {f['action_p50_ms']} ms, p95 {f['action_p95_ms']} ms)")
    print(f"  409: {f['conflicts_409']:,} {f['conflict_codes']}; 5xx: {f['errors_5xx']}; "
          f"connection errors: {f['connection_errors']}; empty inbox reads: {f['empty_inbox_reads']}")
    print(f"  statuses: {f['by_action']}")
    print(f"  final states: {f['final_states']}")
    print("  checks: " + ("all held (zero 5xx, clean 409s, state = replayed audit log, one event per accepted "
                          "action, chains verify)" if not f["problems"] else "FAILED"))
    for p in f["problems"]:
        print(f"    - {p}")


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(prog="python -m bench reviewers", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=60, help="how long the reviewers act (default 60)")
    ap.add_argument("--reviewers", type=int, default=50, help="concurrent reviewers (default 50)")
    ap.add_argument("--n", type=int, default=20000, help="nominations waiting in the inboxes (default 20,000)")
    ap.add_argument("--db", help="database URL: a PostgreSQL server (a throw-away database is created on it) "
                                 f"or sqlite:///FILE (default {default_db()})")
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    ap.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker (default 8)")
    args = ap.parse_args(argv)
    figures = run(db_url=args.db, seconds=args.seconds, reviewers=args.reviewers, n=args.n,
                  workers=args.workers, threads=args.threads)
    report(figures)
    emit("reviewers", figures)
    if figures["problems"]:
        sys.exit(1)
    return figures


if __name__ == "__main__":
    main()
