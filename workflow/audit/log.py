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
from functools import cache
from datetime import datetime, time, timedelta, timezone, UTC

from sqlalchemy import exists, false, or_, select, true

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


def _query(db: Database, actor_id: int | None, filters):
    """(validated select of the visible, filtered events, the org tree); raises before any
    row is read, so an export never starts with a bad filter."""
    f = parse_filter(filters)
    with db.read() as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
    q = select(*[getattr(AuditEvent, c) for c in COLUMNS]).where(visible_events(actor, tree),
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


def stream_entries(db: Database, actor_id: int | None, filters=None) -> Iterator[AuditEntry]:
    """Every matching event, oldest first, read in batches (bounded memory). Filters are
    checked now; rows are read as the iterator is consumed."""
    q, tree = _query(db, actor_id, filters)
    q = q.order_by(AuditEvent.id).execution_options(yield_per=EXPORT_BATCH)

    def rows() -> Iterator[AuditEntry]:
        with db.read() as s:
            for row in s.execute(q):
                yield _entry(row, tree)
    return rows()


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
HANOI = timezone(timedelta(hours=7))  # Asia/Ho_Chi_Minh has kept +07:00 since 1975
CSV_FLUSH_ROWS = 1000
SHEET_ROWS = 1_000_000  # a sheet holds 1,048,576 rows; start a new one well before


def _cells(e: AuditEntry) -> list:
    payload = json.dumps(e.payload, ensure_ascii=False, sort_keys=True) if e.payload is not None else None
    return [e.id, e.at.isoformat(), e.at.astimezone(HANOI).isoformat(" ", "seconds")[:19], e.actor, e.role,
            e.org_id, e.org_name, e.on_behalf_of, e.action, e.entity, e.entity_id, e.nomination_id,
            e.from_state, e.to_state, e.reason, payload, e.request_id, e.client_ip, e.chain, e.seq,
            e.prev_hash, e.hash]


def _csv_safe(value):
    """Spreadsheets run a cell starting with = + - @ as a formula: quote it with '."""
    return "'" + value if value.__class__ is str and value and value[0] in FORMULA_START else value


def export_csv(db: Database, actor_id: int | None, filters=None) -> Iterator[bytes]:
    """CSV chunks, UTF-8 with a BOM so spreadsheet programs keep the Vietnamese intact."""
    entries = stream_entries(db, actor_id, filters)

    def chunks() -> Iterator[bytes]:
        buf = io.StringIO("\ufeff")
        buf.seek(0, io.SEEK_END)
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(LABELS)
        for n, e in enumerate(entries, 1):
            writer.writerow([_csv_safe(c) for c in _cells(e)])
            if n % CSV_FLUSH_ROWS == 0:
                yield buf.getvalue().encode("utf-8")
                buf.seek(0)
                buf.truncate()
        yield buf.getvalue().encode("utf-8")
    return chunks()


@cache
def _openpyxl():
    """openpyxl, imported on the first export: a server that never exports should not carry
    its ~13 MB (the `serve` memory target)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    return Workbook, WriteOnlyCell, ILLEGAL_CHARACTERS_RE


def _xlsx_cell(ws, value):
    """Text stays text: a value starting with = is not turned into a formula."""
    if not isinstance(value, str):
        return value
    _, write_only_cell, illegal = _openpyxl()
    value = illegal.sub("\ufffd", value)
    if not value.startswith("="):
        return value
    cell = write_only_cell(ws, value=value)
    cell.data_type = "s"
    return cell


def _sheet(wb, number: int):
    ws = wb.create_sheet("Nhật ký" if number == 1 else f"Nhật ký {number}")
    for col, width in (("A", 10), ("B", 32), ("C", 20), ("D", 16), ("G", 40), ("O", 50), ("P", 50)):
        ws.column_dimensions[col].width = width
    ws.append(list(LABELS))
    return ws


def export_xlsx(db: Database, actor_id: int | None, filters, stream) -> int:
    """Write the events as an .xlsx workbook to the binary `stream`; returns how many.
    openpyxl's write-only mode keeps memory flat however many rows."""
    entries = stream_entries(db, actor_id, filters)
    wb = _openpyxl()[0](write_only=True)
    ws, n = _sheet(wb, 1), 0
    for e in entries:
        if n and n % SHEET_ROWS == 0:
            ws = _sheet(wb, n // SHEET_ROWS + 1)
        ws.append([_xlsx_cell(ws, c) for c in _cells(e)])
        n += 1
    wb.save(stream)
    return n
