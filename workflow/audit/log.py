"""Reading the audit log (tra cứu nhật ký): filters, keyset pages, exports, verification.

Who sees what: the administrator everything; an auditor (thanh tra, kiểm tra) every event
recorded by someone of their org subtree or about a nomination of a unit in it; everyone
else only the events of nominations they may see (workflow/access.py).
Exports stream rows oldest first (the order a chain is read in) in bounded memory.
"""
import base64
import csv
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from dataclasses import dataclass, fields
from datetime import datetime, time, timedelta, UTC

from sqlalchemy import String, Text, cast, exists, false, func, literal_column, or_, select, true, type_coerce
from sqlalchemy.exc import DBAPIError

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
SHEET_ROWS = 1_000_000  # a sheet holds 1,048,576 rows; start a new one well before


_PAYLOAD = json.JSONEncoder(ensure_ascii=False, sort_keys=True)  # readable Vietnamese, stable key order
_decode = json.JSONDecoder().decode
SEVEN_HOURS = timedelta(hours=7)  # Asia/Ho_Chi_Minh has kept +07:00 since 1975
_CACHE_MAX = 4096  # distinct payloads, orgs or hours remembered per export (memory stays bounded)

# The columns read for an export, in the export's order (LABELS without the Hanoi time and the
# org's name, which are made from `at` and `org_id`). `at` comes as the text SQLite stores
# ('YYYY-MM-DD HH:MM:SS.ffffff', UTC; PostgreSQL formats its timestamptz the same way), the
# payload as its stored JSON text: the export formats both itself, once per distinct value.
_SOURCE = ("id", "at", "actor", "role", "org_id", "on_behalf_of", "action", "entity", "entity_id",
           "nomination_id", "from_state", "to_state", "reason", "payload", "request_id", "client_ip",
           "chain", "seq", "prev_hash", "hash")
_NOT_TEXT = ("id", "at", "org_id", "payload", "seq")
_PG_AT = "'YYYY-MM-DD HH24:MI:SS.US'"  # timestamptz at UTC as SQLite stores it


def _source_columns(dialect: str, *, csv_text: bool) -> list:
    """The select list of `_SOURCE`. With `csv_text` the other cells come as text with '' for
    NULL (what the CSV writes for both), so a row can be written with one format string."""
    cols = []
    for name in _SOURCE:
        col = getattr(AuditEvent, name)
        if name == "at":
            col = (func.to_char(func.timezone(literal_column("'UTC'"), col), literal_column(_PG_AT))
                   if dialect == "postgresql" else type_coerce(col, String))
        elif name == "payload":
            col = cast(col, Text) if dialect == "postgresql" else type_coerce(col, String)
        elif csv_text and name not in _NOT_TEXT:
            col = func.coalesce(col if isinstance(col.type, String) else cast(col, String), literal_column("''"))
        cols.append(col.label(name))
    return cols


def _direct(conn, q) -> tuple[str, Sequence[Any] | Mapping[str, Any]] | None:
    """(SQL, parameters) to run `q` on the DBAPI cursor itself (tuples, no Row objects), or None
    for what this does not handle (then SQLAlchemy runs it)."""
    driver = (conn.dialect.name, conn.dialect.driver)
    if driver not in (("sqlite", "pysqlite"), ("postgresql", "psycopg")):
        return None
    compiled = q.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    processors = getattr(compiled, "_bind_processors", None)  # SQLAlchemy 2's, by bind name
    if processors is None or compiled.escaped_bind_names or any(k not in params for k in processors):
        return None
    for key, process in processors.items():
        params[key] = process(params[key])
    if compiled.positional:
        if conn.dialect.paramstyle != "qmark":
            return None
        return str(compiled), tuple(params[k] for k in compiled.positiontup)
    return (str(compiled), params) if conn.dialect.paramstyle == "pyformat" else None


def _batches(db: Database, q) -> Iterator[Sequence]:
    """The rows of `q` in batches of EXPORT_BATCH, in one read transaction; on PostgreSQL from a
    server-side cursor (memory stays bounded however many rows)."""
    with db.read() as s:
        conn = s.connection()
        direct = _direct(conn, q)
        if direct is None:
            yield from conn.execute(q.execution_options(yield_per=EXPORT_BATCH)).partitions()
            return
        sql, params = direct
        raw = conn.connection.dbapi_connection
        assert raw is not None
        dbapi = conn.dialect.loaded_dbapi
        try:
            cur = raw.cursor(name="kt_audit_export") if conn.dialect.name == "postgresql" else raw.cursor()
            try:
                cur.execute(sql, params)
                while batch := cur.fetchmany(EXPORT_BATCH):
                    yield batch
            finally:
                cur.close()
        except dbapi.Error as e:
            raise DBAPIError.instance(sql, params, e, dbapi.Error, dialect=conn.dialect) from e


def _at_cells(at) -> tuple[str, str]:
    """(ISO UTC, Hà Nội local) of any `at` the database gives: the general, slower way."""
    if at.__class__ is str:
        at = datetime.fromisoformat(at)
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return at.isoformat() + "+00:00", (at + SEVEN_HOURS).isoformat(" ", "seconds")


_MINUTE_SECOND = frozenset(f":{m:02d}:{s:02d}" for m in range(60) for s in range(60))
_HOUR = re.compile(r"\d{4}-\d\d-\d\d \d\d", re.ASCII)


def _hour_cells(prefix: str) -> tuple[str, ...]:
    """'YYYY-MM-DD HH' (UTC) → the UTC cell's 'YYYY-MM-DDTHH' and the Hanoi cell's 'YYYY-MM-DD HH'
    (+7 h moves the date and the hour, never the minutes or seconds); () if it is no such hour."""
    if not _HOUR.fullmatch(prefix):
        return ()
    try:
        hour = datetime.fromisoformat(prefix + ":00:00")
        return hour.isoformat()[:13], (hour + SEVEN_HOURS).isoformat(" ")[:13]
    except (ValueError, OverflowError):
        return ()  # _at_cells says what is wrong with it


def _time_cells():
    """at → (UTC cell, Hanoi cell), as `_at_cells` makes them, memoised per hour: events come in
    time order, so an hour's conversion serves its every event. Only the stored form
    'YYYY-MM-DD HH:MM:SS.ffffff' takes the short way ('.000000' is left out, as isoformat does)."""
    hours: dict[str, tuple[str, ...]] = {}
    minute_second = _MINUTE_SECOND

    def cells(at) -> tuple[str, str]:
        if (at.__class__ is str and len(at) == 26 and at[19] == "." and (ms := at[13:19]) in minute_second
                and (frac := at[19:])[1:].isdigit() and at.isascii()):
            h = hours.get(hour := at[:13])
            if h is None:
                if len(hours) >= _CACHE_MAX:
                    hours.clear()
                h = hours[hour] = _hour_cells(hour)
            if h:
                return f"{h[0]}{ms}{'' if frac == '.000000' else frac}+00:00", h[1] + ms
        return _at_cells(at)
    return cells


def _payload_reader(dialect: str):
    """The payload cell from the stored JSON, as the export has always written it: re-encoded with
    `_PAYLOAD`. SQLite gives the text (or, for a bare number, the number: the column has numeric
    affinity), re-encoded as it is, JSON null as 'null'; PostgreSQL's driver used to decode the JSON
    itself, so there JSON null became an empty cell. Both kept as they were."""
    def value(data):
        return _PAYLOAD.encode(_decode(data) if data.__class__ is str else data)

    if dialect != "postgresql":
        return lambda data: None if data is None else value(data)

    def pg(data):
        data = _decode(data) if data.__class__ is str else data
        return None if data is None else value(data)
    return pg


class _Memo(dict):
    """`fn`, remembered per argument (`memo[key]`); past _CACHE_MAX entries it starts over, so
    memory stays bounded however many distinct values an export meets."""

    def __init__(self, fn) -> None:
        super().__init__()
        self.fn, self.limit = fn, _CACHE_MAX

    def __missing__(self, key):
        if len(self) >= self.limit:
            self.clear()
        value = self[key] = self.fn(key)
        return value


def _org_names(tree: OrgTree):
    return _Memo(lambda org_id: node.name if (node := tree.get(org_id)) else None)


def _export_rows(db: Database, actor_id: int | None, filters) -> Iterator[list]:
    """The export's rows (the cells of LABELS: ints, text or None), oldest first, read in
    batches; filters are checked now, rows read as the iterator is consumed."""
    q, tree = _query(db, actor_id, filters, _source_columns(db.dialect, csv_text=False))
    q = q.order_by(AuditEvent.id)
    times, read_payload, org_name = _time_cells(), _payload_reader(db.dialect), _org_names(tree)
    payload = _Memo(read_payload)  # the stored text's cell (not numbers: 1 and 1.0 are one key)

    def rows() -> Iterator[list]:
        for batch in _batches(db, q):
            for (id_, at, actor, role, org_id, behalf, action, entity, entity_id, nomination_id, from_state,
                 to_state, reason, data, request_id, client_ip, chain, seq, prev_hash, hash_) in batch:
                utc, hanoi = times(at)
                yield [id_, utc, hanoi, actor, role, org_id, org_name[org_id], behalf, action, entity, entity_id,
                       nomination_id, from_state, to_state, reason,
                       payload[data] if data.__class__ is str else read_payload(data), request_id, client_ip,
                       chain, seq, prev_hash, hash_]
    return rows()


class _Sink:
    """A file for csv.writer that hands each record to `write` (a list's append)."""
    __slots__ = ("write",)

    def __init__(self, write) -> None:
        self.write = write


_CELLS = ("id", "at", "at_hanoi", "actor", "role", "org_id", "org_name", "on_behalf_of", "action", "entity",
          "entity_id", "nomination_id", "from_state", "to_state", "reason", "payload", "request_id", "client_ip",
          "chain", "seq", "prev_hash", "hash")  # LABELS' cells
# The free-text cells a spreadsheet could run as a formula (by their index in a row).
_UNSAFE = tuple(_CELLS.index(c) for c in ("actor", "role", "org_name", "on_behalf_of", "reason", "payload",
                                          "request_id", "client_ip"))
_SEPARATORS = len(LABELS) - 1


def export_csv(db: Database, actor_id: int | None, filters=None) -> Iterator[bytes]:
    """CSV chunks, UTF-8 with a BOM so spreadsheet programs keep the Vietnamese intact; one chunk
    per batch of rows read. Free-text cells are made formula-safe (a leading ')."""
    q, tree = _query(db, actor_id, filters, _source_columns(db.dialect, csv_text=True))
    q = q.order_by(AuditEvent.id)
    times, read_payload, org_name = _time_cells(), _payload_reader(db.dialect), _org_names(tree)
    out: list[str] = []
    writer = csv.writer(_Sink(out.append), lineterminator="\r\n")

    def field(value) -> str:
        """One cell as csv.writer writes it (quoted when it must be), formula-safe first."""
        if value and value.__class__ is str and value[0] in FORMULA_START:
            value = "'" + value
        out.clear()
        writer.writerow((value, None))  # "<cell>,\r\n" (a row of one empty cell is written '""')
        return out.pop()[:-3]

    def org(org_id) -> tuple[str, int, int, str | None]:
        name = org_name[org_id]
        cell = field(name)
        return f"{'' if org_id is None else org_id},{cell}", cell.count(","), cell.count('"'), name

    def payload(data) -> tuple[str, int, int]:
        if data is None:
            return "", 0, 0
        cell = field(read_payload(data))
        return cell, cell.count(","), cell.count('"')
    orgs, payloads = _Memo(org), _Memo(payload)  # payloads: the stored texts (1 and 1.0 are one key)
    formula = FORMULA_START

    def slow(cells: list) -> str:
        """The row as csv.writer writes it, the way the export always did."""
        for i in _UNSAFE:
            value = cells[i]
            if value and value.__class__ is str and value[0] in FORMULA_START:
                cells[i] = "'" + value
        out.clear()
        writer.writerow(cells)
        return out.pop()[:-2]

    def chunks() -> Iterator[bytes]:
        writer.writerow(LABELS)
        head = "\ufeff" + out.pop()
        lines: list[str] = []
        for batch in _batches(db, q):
            for (id_, at, actor, role, org_id, behalf, action, entity, entity_id, nomination_id, from_state,
                 to_state, reason, data, request_id, client_ip, chain, seq, prev_hash, hash_) in batch:
                utc, hanoi = times(at)
                org_cells, org_commas, org_quotes, name = orgs[org_id]
                data_cell, data_commas, data_quotes = payloads[data] if data.__class__ is str else payload(data)
                line = (f"{id_},{utc},{hanoi},{actor},{role},{org_cells},{behalf},{action},{entity},{entity_id},"
                        f"{nomination_id},{from_state},{to_state},{reason},{data_cell},{request_id},{client_ip},"
                        f"{chain},{seq},{prev_hash},{hash_}")
                # Every comma and quote accounted for by the separators and the ready-made org and
                # payload cells, no line break, no free-text cell starting like a formula: each
                # other cell is written bare, exactly as csv.writer writes it.
                if (line.count(",") != _SEPARATORS + org_commas + data_commas
                        or line.count('"') != org_quotes + data_quotes or "\n" in line or "\r" in line
                        or actor[:1] in formula or role[:1] in formula or behalf[:1] in formula
                        or reason[:1] in formula or request_id[:1] in formula or client_ip[:1] in formula):
                    line = slow([id_, utc, hanoi, actor, role, org_id, name, behalf, action, entity, entity_id,
                                 nomination_id, from_state, to_state, reason, read_payload(data), request_id,
                                 client_ip, chain, seq, prev_hash, hash_])
                lines.append(line)
            lines.append("")
            yield (head + "\r\n".join(lines)).encode("utf-8")
            head = ""
            lines.clear()
        if head:
            yield head.encode("utf-8")
    return chunks()


def export_xlsx(db: Database, actor_id: int | None, filters, stream) -> int:
    """Write the events as an .xlsx workbook to the binary `stream`; returns how many.
    Streamed (workflow/audit/xlsx_stream.py): memory stays flat however many rows; text stays
    text (nothing becomes a formula)."""
    rows = _export_rows(db, actor_id, filters)
    widths = column_widths({"A": 10, "B": 27, "C": 20, "D": 16, "G": 40, "O": 50, "P": 50})
    with XlsxStream(stream, LABELS, sheet_name="Nhật ký", widths=widths, sheet_rows=SHEET_ROWS) as x:
        return x.rows(rows)
