"""Reading the audit log (tra cứu nhật ký): filters, keyset pages, exports, verification.

Who sees what: the administrator everything; an auditor (thanh tra, kiểm tra) every event
recorded by someone of their org subtree or about a nomination of a unit in it; everyone
else only the events of nominations they may see (workflow/access.py).
Exports stream rows oldest first (the order a chain is read in) in bounded memory.
"""
import base64
import csv
import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields
from datetime import datetime, time, timedelta, UTC

from sqlalchemy import String, exists, false, or_, select, true, type_coerce

from states.lifecycle import STATES
from states.routes import AUDITOR
from workflow import validation as v
from workflow.access.visibility import nomination_clause as visibility_clause
from workflow.access.actors import Actor
from workflow.audit.verify import VerifyResult, verify
from workflow.kernel.db import Database
from workflow.errors import Forbidden, InvalidInput
from workflow.models import AuditEvent, Nomination
from workflow.orgs.tree import OrgTree, org_tree
from workflow.access.loading import load_actor
from workflow.views import AuditEventView, Page
from workflow.audit.xlsx_stream import XlsxStream, column_widths
from workflow.calendar.workdays import TZ

MAX_PAGE = 500
EXPORT_BATCH = 2000
COLUMNS = tuple(f.name for f in fields(AuditEventView))  # the columns an event is listed with


@dataclass(frozen=True)
class AuditFilter:
    """Validated filters; build it with `parse_filter` from plain (string) values."""
    nomination_id: int | None = None
    actor: str | None = None
    action: str | None = None
    org_id: int | None = None
    state: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    q: str | None = None


@dataclass(frozen=True)
class AuditEntry(AuditEventView):
    """One event as listed and exported: the history's fields plus the org's name."""
    org_name: str | None = None


# --- input ---------------------------------------------------------------------------------

def _positive(value, field: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.isdigit() and len(value) <= 18:
        value = int(value)
    return v.integer(value, field, minimum=1, maximum=2**62)


def _moment(value, field: str, *, end: bool) -> datetime | None:
    """ISO 8601 with offset; without one it is Hà Nội time; a bare date is the whole day."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        day = v.iso_date(value.strip(), field)
        start = datetime.combine(day + timedelta(days=1 if end else 0), time(), TZ)
        return (start - timedelta(microseconds=1) if end else start).astimezone(UTC)
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise InvalidInput(f"Trường {field} phải là thời điểm ISO 8601 (vd. 2026-11-23T09:00+07:00)",
                               f"Field {field} must be an ISO 8601 time (e.g. 2026-11-23T09:00+07:00)",
                               field=field) from None
    if not isinstance(value, datetime):
        raise InvalidInput(f"Trường {field} phải là thời điểm", f"Field {field} must be a time", field=field)
    return (value if value.tzinfo else value.replace(tzinfo=TZ)).astimezone(UTC)


def parse_filter(params: Mapping | AuditFilter | None) -> AuditFilter:
    """Validate filters given as plain values (query string, CLI options, or a dict)."""
    if isinstance(params, AuditFilter):
        return params
    params = {k: val for k, val in (params or {}).items() if val not in (None, "")}
    unknown = set(params) - {f.name for f in fields(AuditFilter)}
    if unknown:
        name = sorted(unknown)[0]
        raise InvalidInput(f"Không có bộ lọc {name}", f"Unknown filter {name}", field=name)
    f = AuditFilter(
        nomination_id=_positive(params.get("nomination_id"), "nomination_id"),
        actor=v.text(params.get("actor"), "actor", required=False, max_len=80),
        action=v.text(params.get("action"), "action", required=False, max_len=40),
        org_id=_positive(params.get("org_id"), "org_id"),
        state=v.choice(params.get("state"), "state", STATES, required=False),
        since=_moment(params.get("since"), "since", end=False),
        until=_moment(params.get("until"), "until", end=True),
        q=v.text(params.get("q"), "q", required=False, max_len=200))
    if f.since and f.until and f.since > f.until:
        raise InvalidInput("Thời điểm bắt đầu sau thời điểm kết thúc", "since is after until", field="since")
    return f


def _like(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, with % and _ taken literally."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


# --- the query -----------------------------------------------------------------------------

def _about_nominations(*where):
    """The event concerns a nomination matching `where`. EXISTS, not IN (subquery): a page of
    50 events then costs 50 primary-key lookups instead of listing every such nomination."""
    return exists().where(Nomination.id == AuditEvent.nomination_id, *where)


def _in_subtree(sub: frozenset[int]):
    """Recorded by someone of the subtree, or about a nomination of a unit in it."""
    ids = sorted(sub)
    return or_(AuditEvent.org_id.in_(ids), _about_nominations(Nomination.unit_id.in_(ids)))


def visible_events(actor: Actor, tree: OrgTree):
    """The WHERE clause of the events `actor` may read."""
    if actor.is_admin or actor.is_system:
        return true()
    if actor.org_id not in tree.nodes:
        return false()
    if actor.role == AUDITOR:
        return _in_subtree(tree.subtree_ids(actor.org_id))
    return _about_nominations(visibility_clause(actor, tree))


def _conditions(f: AuditFilter, tree: OrgTree) -> list:
    out = []
    if f.nomination_id is not None:
        out.append(AuditEvent.nomination_id == f.nomination_id)
    if f.actor is not None:
        out.append(AuditEvent.actor == f.actor)
    if f.action is not None:
        out.append(AuditEvent.action == f.action)
    if f.org_id is not None:
        if f.org_id not in tree.nodes:
            raise InvalidInput(f"Không có đơn vị #{f.org_id}", f"No org unit #{f.org_id}", field="org_id")
        out.append(_in_subtree(tree.subtree_ids(f.org_id)))
    if f.state is not None:
        out.append(or_(AuditEvent.from_state == f.state, AuditEvent.to_state == f.state))
    if f.since is not None:
        out.append(AuditEvent.at >= f.since)
    if f.until is not None:
        out.append(AuditEvent.at <= f.until)
    if f.q is not None:
        out.append(AuditEvent.reason.ilike(_like(f.q), escape="\\"))
    return out


def _query(db: Database, actor_id: int | None, filters, columns=None):
    """(validated select of the visible, filtered events, the org tree); raises before any
    row is read, so an export never starts with a bad filter."""
    f = parse_filter(filters)
    with db.read() as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
    q = select(*(columns or [getattr(AuditEvent, c) for c in COLUMNS])).where(visible_events(actor, tree),
                                                                  *_conditions(f, tree))
    return q, tree


def _entry(row, tree: OrgTree) -> AuditEntry:
    node = tree.get(row.org_id)
    return AuditEntry(*row, node.name if node else None)  # the row holds COLUMNS in field order


def _cursor(value: str | None) -> int | None:
    if not value:
        return None
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        if raw.isdigit() and len(raw) <= 18:
            return int(raw)
    except ValueError:
        pass
    raise InvalidInput("Con trỏ phân trang không hợp lệ", "Invalid cursor", field="cursor")


def query_audit(db: Database, actor_id: int | None, filters=None, cursor: str | None = None,
                limit: int = 50) -> Page:
    """Events the caller may see, newest first, keyset-paged by id."""
    limit = v.integer(limit, "limit", minimum=1, maximum=MAX_PAGE)
    before = _cursor(cursor)
    q, tree = _query(db, actor_id, filters)
    if before is not None:
        q = q.where(AuditEvent.id < before)
    with db.read() as s:
        rows = s.execute(q.order_by(AuditEvent.id.desc()).limit(limit + 1)).all()
    items = [_entry(r, tree) for r in rows[:limit]]
    nxt = None
    if len(rows) > limit:
        nxt = base64.urlsafe_b64encode(str(items[-1].id).encode()).decode().rstrip("=")
    return Page(items, nxt)


def verify_log(db: Database, actor_id: int, key: bytes | None, settings=None) -> VerifyResult:
    """Kiểm tra tính toàn vẹn: for auditors and the administrator. With `settings`, the
    installation's anchor file and checkpoint policy apply."""
    with db.read() as s:
        actor = load_actor(s, actor_id)
    if not (actor.is_admin or actor.role == AUDITOR):
        raise Forbidden("Chỉ kiểm tra viên và quản trị viên được kiểm tra nhật ký",
                        "Only auditors and the administrator may verify the audit log")
    if settings is None:
        return verify(db, key)
    from workflow.audit.anchors import anchor_path
    from workflow.audit.verify import CheckpointPolicy
    return verify(db, key, anchor_file=anchor_path(settings), policy=CheckpointPolicy.from_settings(settings))


# --- exports -------------------------------------------------------------------------------

LABELS = ("Mã sự kiện / Event id", "Thời điểm UTC / Time UTC", "Giờ Việt Nam / Hanoi time",
          "Người thực hiện / Actor", "Vai trò / Role", "Mã đơn vị / Org id", "Đơn vị / Org",
          "Thay mặt (KT.) / On behalf of", "Hành động / Action", "Đối tượng / Entity",
          "Mã đối tượng / Entity id", "Hồ sơ / Nomination", "Từ trạng thái / From state",
          "Đến trạng thái / To state", "Lý do / Reason", "Dữ liệu / Payload", "Mã yêu cầu / Request id",
          "Địa chỉ IP / Client IP", "Chuỗi / Chain", "Số thứ tự / Seq", "Mã băm trước / Previous hash",
          "Mã băm / Hash")
FORMULA_START = frozenset("=+-@\t\r")
CSV_FLUSH_ROWS = 1000
SHEET_ROWS = 1_000_000  # a sheet holds 1,048,576 rows; start a new one well before


_PAYLOAD = json.JSONEncoder(ensure_ascii=False, sort_keys=True)  # readable Vietnamese, stable key order
_decode = json.JSONDecoder().decode
_UNSAFE = ("actor", "role", "org_name", "on_behalf_of", "reason", "payload", "request_id", "client_ip")
# Raw values for the hot columns: the export formats them itself instead of paying SQLAlchemy's
# per-row processors (datetime parsing, JSON decoding) and an AuditEntry per row.
_RAW = {"at": type_coerce(AuditEvent.at, String), "payload": type_coerce(AuditEvent.payload, String)}


def _export_rows(db: Database, actor_id: int | None, filters, *, for_csv: bool) -> Iterator[list]:
    """The export's rows (the cells of LABELS), oldest first, read in batches; filters are
    checked now, rows read as the iterator is consumed. For CSV, free-text cells are made
    formula-safe (an XLSX cell written as text is never a formula)."""
    q, tree = _query(db, actor_id, filters, [_RAW.get(c, getattr(AuditEvent, c)) for c in COLUMNS])
    q = q.order_by(AuditEvent.id).execution_options(yield_per=EXPORT_BATCH)
    names: dict[int | None, str | None] = {}
    at_i, payload_i, org_i = COLUMNS.index("at"), COLUMNS.index("payload"), COLUMNS.index("org_id")
    unsafe = [i for i, c in enumerate((*COLUMNS, "org_name")) if c in _UNSAFE] if for_csv else []
    seven = timedelta(hours=7)  # Asia/Ho_Chi_Minh has kept +07:00 since 1975

    def org_name(org_id: int | None) -> str | None:
        if org_id not in names:
            node = tree.get(org_id)
            names[org_id] = node.name if node else None
        return names[org_id]

    def rows() -> Iterator[list]:
        with db.read() as s:
            for part in s.connection().execute(q).partitions():
                for row in part:
                    cells = [*row, org_name(row[org_i])]
                    at = cells[at_i]
                    if at.__class__ is str:
                        at = datetime.fromisoformat(at)
                    if at.tzinfo is not None:
                        at = at.astimezone(UTC).replace(tzinfo=None)
                    payload = cells[payload_i]
                    if payload is not None:
                        cells[payload_i] = _PAYLOAD.encode(_decode(payload) if payload.__class__ is str else payload)
                    for i in unsafe:
                        value = cells[i]
                        if value and value.__class__ is str and value[0] in FORMULA_START:
                            cells[i] = "'" + value
                    cells[at_i:at_i + 1] = [at.isoformat() + "+00:00", (at + seven).isoformat(" ", "seconds")]
                    yield _ordered(cells)
    return rows()


# The export's column order (LABELS) from the query's (COLUMNS + org_name, with `at` as two cells).
_EXPORT_ORDER = ("id", "at", "at_hanoi", "actor", "role", "org_id", "org_name", "on_behalf_of", "action",
                 "entity", "entity_id", "nomination_id", "from_state", "to_state", "reason", "payload",
                 "request_id", "client_ip", "chain", "seq", "prev_hash", "hash")
_QUERY_ORDER = tuple(c for name in (*COLUMNS, "org_name") for c in ((name, "at_hanoi") if name == "at" else (name,)))
_PICK = [_QUERY_ORDER.index(c) for c in _EXPORT_ORDER]


def _ordered(cells: list) -> list:
    return [cells[i] for i in _PICK]


def export_csv(db: Database, actor_id: int | None, filters=None) -> Iterator[bytes]:
    """CSV chunks, UTF-8 with a BOM so spreadsheet programs keep the Vietnamese intact."""
    rows = _export_rows(db, actor_id, filters, for_csv=True)

    def chunks() -> Iterator[bytes]:
        buf = io.StringIO("\ufeff")
        buf.seek(0, io.SEEK_END)
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(LABELS)
        batch: list = []
        for row in rows:
            batch.append(row)
            if len(batch) == CSV_FLUSH_ROWS:
                writer.writerows(batch)
                batch.clear()
                yield buf.getvalue().encode("utf-8")
                buf.seek(0)
                buf.truncate()
        writer.writerows(batch)
        yield buf.getvalue().encode("utf-8")
    return chunks()


def export_xlsx(db: Database, actor_id: int | None, filters, stream) -> int:
    """Write the events as an .xlsx workbook to the binary `stream`; returns how many.
    Streamed (workflow/audit/xlsx_stream.py): memory stays flat however many rows; text stays
    text (nothing becomes a formula)."""
    rows = _export_rows(db, actor_id, filters, for_csv=False)
    widths = column_widths({"A": 10, "B": 27, "C": 20, "D": 16, "G": 40, "O": 50, "P": 50})
    with XlsxStream(stream, LABELS, sheet_name="Nhật ký", widths=widths, sheet_rows=SHEET_ROWS) as x:
        return x.rows(rows)
