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

from sqlalchemy import String, cast, func, literal, select
from sqlalchemy.orm import Session

from workflow.audit.chain import (  # the checkpoint API is re-exported beside verify
    CHECKPOINT_CHAIN, HASHED_FIELDS, ROW_CHAINS, CheckpointInfo, checkpoint_digest, compute_hash,
    sign, signing_key, write_checkpoint,
)
from workflow.audit.replay import replay
from workflow.kernel.db import Database
from workflow.models import AuditCheckpoint, AuditEvent

__all__ = ["CheckpointInfo", "Problem", "VerifyResult", "signing_key", "verify", "write_checkpoint"]
STREAM_BATCH = 5000
KEEP_PROBLEMS = 50
# When one event has several problems, the most telling one is named.
KIND_RANK = {"inserted": 0, "deleted": 1, "reordered": 2, "altered": 3, "row": 4}
EVENT_COLUMNS = ("id", "hash") + HASHED_FIELDS + ("changes",)
ROW_NAMES = {"n": ("hồ sơ", "nomination"), "d": ("tờ trình", "dossier"), "o": ("nghĩa vụ báo cáo", "obligation")}


@dataclass(frozen=True)
class Problem:
    """One thing wrong: `kind` altered | inserted | deleted | reordered. `event_id` is the
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
    and each chain against the checkpoint's heads."""

    def __init__(self, findings: Findings, heads: dict, checkpoint_id: int | None):
        self.f, self.heads, self.cp = findings, heads, checkpoint_id
        self.events = self.chains = 0
        self.prev, self.prev_ok = None, True
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
        head = self.heads.get(e.chain)
        if head and e.seq == head[0] and e.hash != head[1]:
            self.f.add(_event("altered", e, f"khác với điểm kiểm tra #{self.cp} (chuỗi đã bị viết lại)",
                              f"differs from checkpoint #{self.cp} (the chain was rewritten)"))
        return ok

    def _end_chain(self, last) -> None:
        head = self.heads.pop(last.chain, None)
        if head and last.seq < head[0]:
            self.f.add(_gone(last.chain, last.seq + 1, head[0], last.id + 0.5,
                             f"điểm kiểm tra #{self.cp} ghi chuỗi dài tới số {head[0]}",
                             f"checkpoint #{self.cp} recorded the chain up to seq {head[0]}"))

    def finish(self) -> None:
        if self.prev is not None:
            self._end_chain(self.prev)
        for chain, (seq, _) in sorted(self.heads.items()):
            self.f.add(_gone(chain, 1, seq, math.inf, f"cả chuỗi đã bị xoá (điểm kiểm tra #{self.cp})",
                             f"the whole chain was deleted (checkpoint #{self.cp})"))


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

    def to_dict(self) -> dict:
        return {"ok": self.ok, "events": self.events, "chains": self.chains,
                "checkpoint": self.checkpoint, "problems_count": self.problems_count,
                "first_problem": self.first.to_dict() if self.first else None,
                "problems": [p.to_dict() for p in self.problems], "seconds": round(self.seconds, 3)}


def _latest_checkpoint(s: Session, key: bytes | None, findings: Findings):
    """(the newest checkpoint or None, its heads when it is genuine, else {})."""
    cp = s.execute(select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1)).scalar()
    if cp is None:
        return None, {}
    digest = checkpoint_digest(cp.created_at, cp.last_event_id, cp.events_count, cp.heads)
    if digest != cp.digest or (key is not None and not hmac.compare_digest(sign(key, digest), cp.signature)):
        findings.add(Problem("altered", CHECKPOINT_CHAIN, None, None, math.inf,
                             f"Điểm kiểm tra #{cp.id}: chữ ký hoặc nội dung không khớp",
                             f"checkpoint #{cp.id}: its signature or content does not match"))
        return cp, {}
    return cp, dict(cp.heads)


def _checkpoint_info(cp, key) -> dict | None:
    if cp is None:
        return None
    return {"id": cp.id, "created_at": cp.created_at.isoformat(), "digest": cp.digest,
            "chains": len(cp.heads), "events_count": cp.events_count, "signature_checked": key is not None}


def verify(db: Database, key: bytes | None, *, progress: Callable[[int], None] | None = None,
           batch: int = STREAM_BATCH) -> VerifyResult:
    """Verify the whole log; `key` None skips the signature check. `progress(events_so_far)`
    is called after each batch."""
    started = time.monotonic()
    findings = Findings()
    with db.read() as s:
        if db.dialect == "postgresql":  # one snapshot for every read below
            s.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        cp, heads = _latest_checkpoint(s, key, findings)
        walker = ChainWalker(findings, heads, cp.id if cp else None)
        q = (select(*[getattr(AuditEvent, c) for c in EVENT_COLUMNS])
             .order_by(AuditEvent.chain, AuditEvent.seq, AuditEvent.id).execution_options(yield_per=batch))
        for part in s.execute(q).partitions():
            for e in part:
                walker.feed(e)
            if progress:
                progress(walker.events)
        walker.finish()
        check_row_heads(s, findings)
        check_rows(s, findings)
        check_checkpoint_event(walker.checkpoint_event, cp, findings)
        info = _checkpoint_info(cp, key)
    return VerifyResult(findings.count == 0, walker.events, walker.chains, info, findings.count,
                        findings.first(), findings.smallest(), time.monotonic() - started)
