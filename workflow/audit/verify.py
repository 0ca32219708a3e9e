"""Is the audit log (nhật ký) intact? `verify` checks every chain, the heads kept on rows and
the latest signed checkpoint, and names the first problem by event id.

Chain design (workflow/audit.py, docs/audit.md): one hash chain per nomination, dossier,
obligation, plan, username (failed logins) and kind of administrative entity, so writers on
different things never wait for each other. Each event's hash covers its content and the
previous event's hash. Three anchors catch what a chain alone cannot:
- the head (`audit_seq`, `audit_head`) kept on nomination / dossier / obligation rows
  catches a deleted or forged last event of those chains;
- a periodic checkpoint (`write_checkpoint`) stores every chain's head, signed with
  HMAC-SHA256 under a key kept outside the database: events up to it cannot be altered,
  removed or re-hashed without the heads or the signature giving it away;
- each checkpoint is itself an event of the chain "audit:checkpoint", so deleting the
  latest checkpoint row is noticed.

Events stream ordered by (chain, seq) in batches within one read snapshot: memory is one
batch plus the latest checkpoint's heads (one entry per chain), never the whole log.
"""
import hmac
import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import String, cast, func, literal, select
from sqlalchemy.orm import Session

from workflow.audit.chain import (  # the checkpoint API is re-exported beside verify
    CHECKPOINT_CHAIN, HASHED_FIELDS, ROW_CHAINS, CheckpointInfo, checkpoint_digest, compute_hash,
    sign, signing_key, write_checkpoint,
)
from workflow.audit.anchors import read_anchors
from workflow.audit.replay import replay
from workflow.kernel.db import Database
from workflow.models import AuditCheckpoint, AuditEvent

__all__ = ["CheckpointInfo", "CheckpointPolicy", "Problem", "VerifyResult", "signing_key", "verify",
           "write_checkpoint"]
STREAM_BATCH = 5000
KEEP_PROBLEMS = 50
# When one event has several problems, the most telling one is named.
KIND_RANK = {"inserted": 0, "deleted": 1, "reordered": 2, "altered": 3, "row": 4, "overdue": 5}
EVENT_COLUMNS = ("id", "hash") + HASHED_FIELDS + ("changes",)
ROW_NAMES = {"n": ("hồ sơ", "nomination"), "d": ("tờ trình", "dossier"), "o": ("nghĩa vụ báo cáo", "obligation")}


@dataclass(frozen=True)
class Problem:
    """One thing wrong: `kind` altered | inserted | deleted | reordered | row | overdue (a
    checkpoint that should exist does not). `event_id` is the
    event at fault (None when it is gone); `position` orders problems by event id."""
    kind: str
    chain: str | None
    seq: int | None
    event_id: int | None
    position: float
    message_vi: str
    message_en: str

    def key(self) -> tuple:
        return (self.position, KIND_RANK.get(self.kind, 9), self.chain or "", self.seq or 0)

    def to_dict(self) -> dict:
        d = asdict(self)
        d.pop("position")
        return d


def _event(kind: str, e, vi: str, en: str) -> Problem:
    return Problem(kind, e.chain, e.seq, e.id, e.id, f"Sự kiện #{e.id} ({e.chain} số {e.seq}): {vi}",
                   f"event #{e.id} ({e.chain} seq {e.seq}): {en}")


def _gone(chain: str, first: int, last: int, position: float, vi: str, en: str) -> Problem:
    seqs = f"{first}" if first == last else f"{first}–{last}"
    return Problem("deleted", chain, first, None, position, f"{chain} thiếu sự kiện số {seqs}: {vi}",
                   f"{chain} is missing seq {seqs}: {en}")


class Findings:
    """How many problems, and the first few by event id (bounded)."""

    def __init__(self, keep: int = KEEP_PROBLEMS):
        self.keep = keep
        self.count = 0
        self._items: dict[tuple, Problem] = {}

    def add(self, p: Problem) -> None:
        ident = (p.kind, p.chain, p.seq, p.event_id)
        if ident in self._items:
            return
        self.count += 1
        self._items[ident] = p
        if len(self._items) > 2 * self.keep:
            self._items = {(q.kind, q.chain, q.seq, q.event_id): q for q in self.smallest()}

    def smallest(self) -> list[Problem]:
        return sorted(self._items.values(), key=Problem.key)[:self.keep]

    def first(self) -> Problem | None:
        items = self.smallest()
        return items[0] if items else None


class ChainWalker:
    """Checks events fed in (chain, seq, id) order: hashes, links, seq, insertion order,
    and each chain against the checkpoint's heads (the latest checkpoint, and the latest
    anchored one when it is older: `more` is a list of (heads, checkpoint id))."""

    def __init__(self, findings: Findings, heads: dict, checkpoint_id: int | None,
                 more: list[tuple[dict, int]] | None = None):
        self.f, self.heads, self.cp = findings, heads, checkpoint_id
        self.more = [(dict(h), cp) for h, cp in (more or [])]
        self.events = self.chains = 0
        self.prev: Any = None
        self.prev_ok = True
        self.checkpoint_event = None

    def feed(self, e) -> None:
        self.events += 1
        if self.prev is not None and e.chain != self.prev.chain:
            self._end_chain(self.prev)
            self.prev = None
        if self.prev is None:
            self.chains += 1
        ok = self._check(e, self.prev)
        if e.chain == CHECKPOINT_CHAIN:
            self.checkpoint_event = e
        self.prev, self.prev_ok = e, ok

    def _check(self, e, p) -> bool:
        ok = compute_hash(dict(zip(EVENT_COLUMNS[2:], e[2:]))) == e.hash  # e: EVENT_COLUMNS in order
        expected = p.seq + 1 if p is not None else 1
        if p is not None and e.seq == p.seq:
            self.f.add(_event("inserted", e, f"trùng số thứ tự với sự kiện #{p.id}",
                              f"a second event with the seq of event #{p.id}"))
        elif e.seq > expected:
            self.f.add(_gone(e.chain, expected, e.seq - 1, p.id + 0.5 if p is not None else e.id - 0.5,
                             f"đã bị xoá (trước sự kiện #{e.id})", f"deleted (before event #{e.id})"))
        if p is not None and e.id < p.id:
            self.f.add(_event("reordered", e, f"đứng sau sự kiện #{p.id} được ghi sau nó",
                              f"comes after event #{p.id}, which was written later (seq rewritten)"))
        if not ok:
            self.f.add(_event("altered", e, "nội dung không khớp mã băm", "content does not match its hash"))
        elif p is not None and self.prev_ok and e.seq == p.seq + 1 and e.prev_hash != p.hash:
            self.f.add(_event("altered", p, f"không khớp liên kết ghi ở sự kiện #{e.id} (đã sửa và tính lại "
                              "mã băm, hoặc một sự kiện giữa hai sự kiện đã bị xoá)",
                              f"does not match the link recorded in event #{e.id} (altered and "
                              "re-hashed, or an event between them was removed)"))
        elif p is None and e.seq == 1 and e.prev_hash is not None:
            self.f.add(_event("altered", e, "sự kiện đầu chuỗi lại trỏ tới sự kiện trước",
                              "the first event of its chain links to an earlier one"))
        for heads, cp in self._all():
            head = heads.get(e.chain)
            if head and e.seq == head[0] and e.hash != head[1]:
                self.f.add(_event("altered", e, f"khác với điểm kiểm tra #{cp} (chuỗi đã bị viết lại)",
                                  f"differs from checkpoint #{cp} (the chain was rewritten)"))
        return ok

    def _all(self) -> list[tuple[dict, int | None]]:
        return [(self.heads, self.cp), *self.more]

    def _end_chain(self, last) -> None:
        for heads, cp in self._all():
            head = heads.pop(last.chain, None)
            if head and last.seq < head[0]:
                self.f.add(_gone(last.chain, last.seq + 1, head[0], last.id + 0.5,
                                 f"điểm kiểm tra #{cp} ghi chuỗi dài tới số {head[0]}",
                                 f"checkpoint #{cp} recorded the chain up to seq {head[0]}"))

    def finish(self) -> None:
        if self.prev is not None:
            self._end_chain(self.prev)
        for heads, cp in self._all():
            for chain, (seq, _) in sorted(heads.items()):
                self.f.add(_gone(chain, 1, seq, math.inf, f"cả chuỗi đã bị xoá (điểm kiểm tra #{cp})",
                                 f"the whole chain was deleted (checkpoint #{cp})"))


class TailWalker(ChainWalker):
    """`--since-checkpoint`: only the events after a checkpoint. Each chain's first new event
    must continue the head the checkpoint signed (seq + 1, linked to its hash); the rest is
    checked as in a full walk. The last new event of each row-backed chain is kept to compare
    with its row."""

    def __init__(self, findings: Findings, heads: dict, checkpoint_id: int | None, after_id: int):
        super().__init__(findings, {}, checkpoint_id)
        self.base, self.after_id = heads, after_id
        self.tails: dict[str, tuple[int, str, int]] = {}

    def feed(self, e) -> None:
        self.events += 1
        if self.prev is not None and e.chain != self.prev.chain:
            self.prev = None
        if self.prev is None:
            self.chains += 1
            head = self.base.get(e.chain)
            if head:  # the signed head stands in for the event before the first new one
                self.prev = _Head(e.chain, head[0], head[1], self.after_id)
                self.prev_ok = True
        ok = self._check(e, self.prev)
        if e.chain == CHECKPOINT_CHAIN:
            self.checkpoint_event = e
        if e.chain.partition(":")[0] in ROW_CHAINS:
            self.tails[e.chain] = (e.seq, e.hash, e.id)
        self.prev, self.prev_ok = e, ok

    def finish(self) -> None:
        pass


@dataclass(frozen=True)
class _Head:
    chain: str
    seq: int
    hash: str
    id: int


def _event_at(s: Session, chain: str, seq: int):
    """The event of `chain` at `seq`, or the next one after it."""
    return s.execute(select(AuditEvent.id, AuditEvent.chain, AuditEvent.seq)
                     .where(AuditEvent.chain == chain, AuditEvent.seq >= seq)
                     .order_by(AuditEvent.seq, AuditEvent.id).limit(1)).first()


def _row_problem(s: Session, prefix: str, row) -> Problem | None:
    chain, (vi, en) = f"{prefix}:{row.id}", ROW_NAMES[prefix]
    rseq, tseq = row.audit_seq or 0, row.tail_seq or 0
    if tseq > rseq:
        e = _event_at(s, chain, rseq + 1)
        return _event("inserted", e, f"nằm sau sự kiện cuối mà {vi} #{row.id} ghi nhận (số {rseq})",
                      f"is beyond the last event {en} #{row.id} records (seq {rseq})")
    if tseq < rseq:
        before = _event_at(s, chain, tseq) if tseq else None
        return _gone(chain, tseq + 1, rseq, before.id + 0.5 if before else math.inf,
                     f"{vi} #{row.id} ghi chuỗi dài tới số {rseq}", f"{en} #{row.id} records seq {rseq}")
    if rseq and row.head_hash != row.audit_head:
        e = _event_at(s, chain, rseq)
        return _event("altered", e, f"mã băm khác với mã {vi} #{row.id} ghi nhận",
                      f"its hash differs from the head {en} #{row.id} records")
    return None


def check_row_heads(s: Session, findings: Findings) -> None:
    """Each nomination / dossier / obligation row's head must be its chain's last event."""
    for prefix, model in ROW_CHAINS.items():
        chain = literal(f"{prefix}:") + cast(model.id, String)
        tail = select(func.max(AuditEvent.seq)).where(AuditEvent.chain == chain).scalar_subquery()
        head = (select(AuditEvent.hash).where(AuditEvent.chain == chain, AuditEvent.seq == model.audit_seq)
                .limit(1).scalar_subquery())
        q = select(model.id, model.audit_seq, model.audit_head, tail.label("tail_seq"), head.label("head_hash"))
        for row in s.execute(q.execution_options(yield_per=STREAM_BATCH)):
            problem = _row_problem(s, prefix, row)
            if problem:
                findings.add(problem)


def check_rows(s: Session, findings: Findings) -> None:
    """Each nomination / dossier / obligation / decision row must be what its chain says."""
    for p in replay(s):  # after every chain problem: a broken chain explains a row that differs
        findings.add(Problem("row", p.chain, None, None, math.inf, p.message_vi, p.message_en))


def check_checkpoint_event(ev, cp, findings: Findings) -> None:
    """The newest "audit:checkpoint" event and the newest checkpoint row must agree."""
    recorded = ev.entity_id if ev is not None else None
    latest = cp.id if cp is not None else None
    if recorded == latest and (ev is None or (ev.payload or {}).get("digest") == cp.digest):
        return
    if recorded is not None and (latest is None or recorded > latest):
        findings.add(Problem("deleted", CHECKPOINT_CHAIN, ev.seq, None, ev.id + 0.5,
                             f"Điểm kiểm tra #{recorded} (ghi ở sự kiện #{ev.id}) đã bị xoá",
                             f"checkpoint #{recorded} (recorded by event #{ev.id}) was deleted"))
    elif recorded == latest:
        findings.add(_event("altered", ev, f"điểm kiểm tra #{latest} đã bị sửa",
                            f"checkpoint #{latest} was altered"))
    else:
        findings.add(Problem("deleted", CHECKPOINT_CHAIN, None, None, math.inf,
                             f"Sự kiện ghi điểm kiểm tra #{latest} đã bị xoá",
                             f"the event recording checkpoint #{latest} was deleted"))


@dataclass
class VerifyResult:
    ok: bool
    events: int
    chains: int
    checkpoint: dict | None
    problems_count: int
    first: Problem | None
    problems: list[Problem]
    seconds: float
    # Events written after the latest checkpoint: not yet covered by any signature or anchor.
    gap: dict | None = None
    anchors: int | None = None       # lines read from the anchor file (None: no file given)
    mode: str = "full"               # full | since-checkpoint

    def to_dict(self) -> dict:
        return {"ok": self.ok, "mode": self.mode, "events": self.events, "chains": self.chains,
                "checkpoint": self.checkpoint, "anchors": self.anchors, "gap": self.gap,
                "problems_count": self.problems_count,
                "first_problem": self.first.to_dict() if self.first else None,
                "problems": [p.to_dict() for p in self.problems], "seconds": round(self.seconds, 3)}


def _genuine(cp, key: bytes | None) -> bool:
    digest = checkpoint_digest(cp.created_at, cp.last_event_id, cp.events_count, cp.heads, cp.prev_digest)
    return digest == cp.digest and (key is None or hmac.compare_digest(sign(key, digest), cp.signature))


def fold_checkpoints(s: Session, key: bytes | None, findings: Findings, anchored_id: int | None = None):
    """Walk every checkpoint in id order: each must match its digest and signature and link to
    the one before (`prev_digest`); the heads at a checkpoint are the fold of the heads stored
    up to it (a checkpoint without `prev_digest` stores them all).

    Returns (the newest checkpoint or None, the heads at it when it is genuine else {}, the
    heads at `anchored_id` or None). Memory: one checkpoint row plus one entry per chain."""
    heads: dict = {}
    prev = latest = None
    latest_ok, at_anchor = False, None
    cols = (AuditCheckpoint.id, AuditCheckpoint.created_at, AuditCheckpoint.last_event_id,
            AuditCheckpoint.events_count, AuditCheckpoint.heads, AuditCheckpoint.digest,
            AuditCheckpoint.signature, AuditCheckpoint.prev_digest)
    q = select(*cols).order_by(AuditCheckpoint.id).execution_options(yield_per=20)
    for cp in s.execute(q):
        genuine = _genuine(cp, key)
        if not genuine:
            findings.add(Problem("altered", CHECKPOINT_CHAIN, None, None, math.inf,
                                 f"Điểm kiểm tra #{cp.id}: chữ ký hoặc nội dung không khớp",
                                 f"checkpoint #{cp.id}: its signature or content does not match"))
        if cp.prev_digest is not None and cp.prev_digest != (prev.digest if prev else None):
            findings.add(Problem("deleted", CHECKPOINT_CHAIN, None, None, math.inf,
                                 f"Điểm kiểm tra trước điểm #{cp.id} đã bị xoá hoặc sửa",
                                 f"the checkpoint before checkpoint #{cp.id} was deleted or altered"))
        if genuine:
            if cp.prev_digest is None:
                heads = dict(cp.heads)
            else:
                heads.update(cp.heads)
        latest, latest_ok = cp, genuine
        if cp.id == anchored_id:
            at_anchor = dict(heads)
        prev = _Seen(cp.id, cp.digest)
    return latest, (heads if latest_ok else {}), at_anchor


@dataclass(frozen=True)
class _Seen:
    id: int
    digest: str


def _anchor_problem(kind: str, a, vi: str, en: str) -> Problem:
    return Problem(kind, CHECKPOINT_CHAIN, None, None, math.inf,
                   f"Điểm kiểm tra #{a.checkpoint} (dòng {a.line} của tệp neo): {vi}",
                   f"checkpoint #{a.checkpoint} (anchor file line {a.line}): {en}")


def check_anchors(s: Session, anchor_file: Path, key: bytes | None, findings: Findings):
    """Every checkpoint the anchor file names must be in the database exactly as anchored.
    Returns (lines read, the id of the latest checkpoint found as anchored, or None)."""
    anchors, bad = read_anchors(anchor_file)
    for n in bad:
        findings.add(Problem("altered", CHECKPOINT_CHAIN, None, None, math.inf,
                             f"Tệp neo {anchor_file}: dòng {n} không đọc được",
                             f"anchor file {anchor_file}: line {n} is unreadable"))
    if not anchors:
        return len(bad), None
    ids = [a.checkpoint for a in anchors if isinstance(a.checkpoint, int)]
    rows = {r.id: r for r in s.execute(select(
        AuditCheckpoint.id, AuditCheckpoint.created_at, AuditCheckpoint.last_event_id,
        AuditCheckpoint.events_count, AuditCheckpoint.digest, AuditCheckpoint.signature)
        .where(AuditCheckpoint.id.in_(ids)))}
    good = []
    for a in anchors:
        row = rows.get(a.checkpoint)
        if row is None:
            findings.add(_anchor_problem("deleted", a, "không còn trong cơ sở dữ liệu",
                                         "is missing from the database"))
            continue
        same = (row.digest == a.digest and row.signature == a.signature and row.last_event_id == a.last_event_id
                and row.events_count == a.events_count and row.created_at.isoformat() == a.created_at)
        if not same:
            findings.add(_anchor_problem("altered", a, "khác với bản đã neo", "differs from the anchored copy"))
            continue
        good.append(a.checkpoint)
    return len(anchors) + len(bad), (max(good) if good else None)


def measure_gap(s: Session, cp) -> dict:
    """The events after checkpoint `cp` (all events when None), the checkpoints' own excluded:
    how many, and the time from the first of them to the newest event (in the order written)."""
    after = cp.last_event_id if cp is not None else 0
    uncovered = (AuditEvent.id > after, AuditEvent.chain != CHECKPOINT_CHAIN)
    count, first_id = s.execute(select(func.count(), func.min(AuditEvent.id)).where(*uncovered)).one()
    first_at = s.execute(select(AuditEvent.at).where(AuditEvent.id == first_id)).scalar() if first_id else None
    last_at = s.execute(select(AuditEvent.at).order_by(AuditEvent.id.desc()).limit(1)).scalar()
    span = (last_at - first_at).total_seconds() / 60 if first_at and last_at else 0.0
    return {"after_checkpoint": cp.id if cp is not None else None, "after_event_id": after,
            "events": count, "first_at": first_at.isoformat() if first_at else None,
            "span_minutes": round(max(span, 0.0), 1)}


def check_expected_checkpoints(gap: dict, policy: "CheckpointPolicy", findings: Findings) -> None:
    """A checkpoint is written every `every_events` events or `every_minutes` minutes: more
    than twice either without one means checkpoints were removed (or the scheduler never ran).
    The count rule waits `grace_minutes`: one bulk command may write thousands of events
    between two sweeps, and the next sweep signs them."""
    cp = gap["after_checkpoint"]
    since = f"sau điểm kiểm tra #{cp}" if cp else "mà không có điểm kiểm tra nào"
    since_en = f"after checkpoint #{cp}" if cp else "without any checkpoint"
    if gap["events"] > 2 * policy.every_events and gap["span_minutes"] > policy.grace_minutes:
        findings.add(Problem("overdue", CHECKPOINT_CHAIN, None, None, math.inf,
                             f"{gap['events']:,} sự kiện {since}: lẽ ra cứ {policy.every_events:,} sự kiện có "
                             "một điểm kiểm tra (đã bị xoá?)",
                             f"{gap['events']:,} events {since_en}: a checkpoint is due every "
                             f"{policy.every_events:,} events (were checkpoints deleted?)"))
    elif gap["events"] and gap["span_minutes"] > 2 * policy.every_minutes:
        findings.add(Problem("overdue", CHECKPOINT_CHAIN, None, None, math.inf,
                             f"Sự kiện {since} trải dài {gap['span_minutes']:,.0f} phút: lẽ ra cứ "
                             f"{policy.every_minutes} phút có một điểm kiểm tra (đã bị xoá?)",
                             f"events {since_en} span {gap['span_minutes']:,.0f} minutes: a checkpoint is "
                             f"due every {policy.every_minutes} minutes (were checkpoints deleted?)"))


@dataclass(frozen=True)
class CheckpointPolicy:
    every_events: int = 1000
    every_minutes: int = 60
    grace_minutes: int = 10   # sweeps run every minute; ten leave room for a slow one

    @classmethod
    def from_settings(cls, settings) -> "CheckpointPolicy":
        return cls(settings.checkpoint_events, settings.checkpoint_minutes,
                   max(10, 3 * settings.sweep_seconds // 60))


def _checkpoint_info(cp, key, heads: dict) -> dict | None:
    if cp is None:
        return None
    return {"id": cp.id, "created_at": cp.created_at.isoformat(), "digest": cp.digest,
            "chains": len(heads), "events_count": cp.events_count,
            "signature_checked": key is not None}


def _stream(s: Session, q, walker: ChainWalker, progress, batch: int) -> None:
    q = q.order_by(AuditEvent.chain, AuditEvent.seq, AuditEvent.id).execution_options(yield_per=batch)
    for part in s.execute(q).partitions():
        for e in part:
            walker.feed(e)
        if progress:
            progress(walker.events)


def check_tail_rows(s: Session, tails: dict, findings: Findings) -> None:
    """Rows whose chain moved after the checkpoint must hold that chain's last event."""
    by_prefix: dict[str, dict[int, tuple]] = {}
    for chain, tail in tails.items():
        prefix, _, ident = chain.partition(":")
        by_prefix.setdefault(prefix, {})[int(ident)] = tail
    for prefix, wanted in by_prefix.items():
        model: Any = ROW_CHAINS[prefix]
        ids = sorted(wanted)
        for i in range(0, len(ids), 500):
            for row in s.execute(select(model.id, model.audit_seq, model.audit_head)
                                 .where(model.id.in_(ids[i:i + 500]))):
                seq, digest, _ = wanted[row.id]
                if (row.audit_seq, row.audit_head) != (seq, digest):
                    vi, en = ROW_NAMES[prefix]
                    findings.add(Problem("row", f"{prefix}:{row.id}", row.audit_seq, None, math.inf,
                                         f"{vi} #{row.id} ghi đầu chuỗi số {row.audit_seq}, chuỗi dài tới số {seq}",
                                         f"{en} #{row.id} records head seq {row.audit_seq}; "
                                         f"its chain ends at seq {seq}"))


def verify(db: Database, key: bytes | None, *, progress: Callable[[int], None] | None = None,
           batch: int = STREAM_BATCH, anchor_file: Path | None = None, since_checkpoint: bool = False,
           policy: CheckpointPolicy | None = None) -> VerifyResult:
    """Verify the log; `key` None skips the signature check. `progress(events_so_far)` is
    called after each batch.

    `anchor_file`: the append-only file of anchored checkpoints (audit/anchors.py); each one
    must be in the database as anchored. `policy`: how often checkpoints are written; more
    events (or a longer time) than twice that after the last checkpoint fails (`khenthuong
    audit verify` always gives it; None leaves the rule out, for logs written without a
    scheduler).
    `since_checkpoint`: check only the events after the latest anchored checkpoint (the latest
    genuine checkpoint without an anchor file): that they continue the signed heads, their
    hashes and links, and the rows they move. Seconds instead of minutes on a large log;
    run the full verification regularly all the same.
    """
    started = time.monotonic()
    findings = Findings()
    with db.read() as s:
        if db.dialect == "postgresql":  # one snapshot for every read below
            s.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        lines, anchored = (check_anchors(s, anchor_file, key, findings) if anchor_file is not None
                           else (None, None))
        cp, heads, anchored_heads = fold_checkpoints(s, key, findings, anchored)
        signed_chains = dict.fromkeys(heads, True)  # the walk below consumes `heads`
        cols = [getattr(AuditEvent, c) for c in EVENT_COLUMNS]
        if since_checkpoint:
            if anchored_heads is not None:
                base_id, base_heads = anchored, anchored_heads
            else:
                base_id, base_heads = (cp.id, heads) if cp is not None and heads else (None, {})
            after = s.execute(select(AuditCheckpoint.last_event_id).where(AuditCheckpoint.id == base_id)
                              ).scalar() if base_id else 0
            walker: ChainWalker = TailWalker(findings, base_heads, base_id, after or 0)
            _stream(s, select(*cols).where(AuditEvent.id > (after or 0)), walker, progress, batch)
            check_tail_rows(s, walker.tails, findings)  # type: ignore[attr-defined]
            mode = "since-checkpoint"
        else:
            more: list = ([(anchored_heads, anchored)]
                    if anchored_heads is not None and (cp is None or anchored != cp.id) else [])
            walker = ChainWalker(findings, heads, cp.id if cp else None, more)
            _stream(s, select(*cols), walker, progress, batch)
            walker.finish()
            check_row_heads(s, findings)
            check_rows(s, findings)
            mode = "full"
        check_checkpoint_event(walker.checkpoint_event, cp, findings)
        gap = measure_gap(s, cp)
        if policy is not None:
            check_expected_checkpoints(gap, policy, findings)
        info = _checkpoint_info(cp, key, signed_chains)
    return VerifyResult(findings.count == 0, walker.events, walker.chains, info, findings.count,
                        findings.first(), findings.smallest(), time.monotonic() - started,
                        gap=gap, anchors=lines, mode=mode)
