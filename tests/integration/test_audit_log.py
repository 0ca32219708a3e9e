"""Inspectors and officials read the audit log: filters, pages, and who may see what."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from workflow.audit import chain as audit
from workflow.access.actors import NO_CONTEXT
from workflow.errors import InvalidInput
from workflow.models import AuditEvent, OrgUnit
from workflow.audit import log as audit_log
from workflow.access.loading import load_actor

from tests.conftest import NOW
from tests.scenarios import FULL_VOTE, act, draft

RETURN_REASON = "Thiếu biên bản họp Hội đồng; tỷ lệ phiếu 100%_đạt chưa ghi rõ"
LATER = NOW + timedelta(days=1)      # Tuesday 24/11/2026, 09:00 in Hà Nội
LATEST = NOW + timedelta(days=2)


@pytest.fixture
def activity(db, users, open_plan):
    """VTC's nomination returned by the ministry a day later and resubmitted the day after;
    a submitted nomination of Cục Báo chí; a VTC draft never sent; a province nomination
    returned by the province."""
    a = draft(db, users, open_plan, name="Nguyễn Văn An").id
    act(db, users, "vtc.canbo", a, "submit")
    act(db, users, "vtc.hoidong", a, "vote", votes=FULL_VOTE)
    act(db, users, "vtc.thutruong", a, "approve")
    act(db, users, "bo.chuyenvien", a, "return", now=LATER, reason=RETURN_REASON)
    act(db, users, "vtc.canbo", a, "resubmit", now=LATEST)
    c = draft(db, users, open_plan, name="Phạm Văn Chiến", officer="baochi.canbo").id
    act(db, users, "baochi.canbo", c, "submit")
    d = draft(db, users, open_plan, name="Đinh Thị Dung").id
    p = draft(db, users, open_plan, name="Hoàng Thị Phương", officer="tinh.canbo", award="bang_khen_bo").id
    act(db, users, "tinh.canbo", p, "submit")
    act(db, users, "tinh.hoidong", p, "vote", votes=FULL_VOTE)
    act(db, users, "tinh.thutruong", p, "approve")
    act(db, users, "tinh.chuyenvien", p, "return", now=LATER, reason="Thiếu biên bản họp Hội đồng")
    return {"a": a, "c": c, "d": d, "p": p}


def everything(db, user_id, **filters) -> list:
    """Every event the user may see with these filters, walking the pages."""
    items, cursor = [], None
    while True:
        page = audit_log.query_audit(db, user_id, filters, cursor, 500)
        items += page.items
        if not page.next_cursor:
            return items
        cursor = page.next_cursor


def noms(events) -> set:
    return {e.nomination_id for e in events if e.nomination_id is not None}


def org_id(db, code: str) -> int:
    with db.read() as s:
        return s.execute(select(OrgUnit.id).where(OrgUnit.code == code)).scalar_one()


def test_the_ministry_auditor_sees_its_units_but_not_the_province(db, users, activity):
    seen = everything(db, users["kiemtra"])
    assert noms(seen) == {activity["a"], activity["c"], activity["d"]}  # drafts too: it is evidence
    province = {org_id(db, "UBND-TN"), org_id(db, "VPDBQH-TN")}
    assert not any(e.org_id in province for e in seen)
    assert any(e.action == "return" and e.actor == "bo.chuyenvien" for e in seen)
    everyone = everything(db, users["admin"])
    assert activity["p"] in noms(everyone) and len(everyone) > len(seen)


def test_a_unit_officer_sees_only_the_history_of_their_units_nominations(db, users, activity):
    vtc = everything(db, users["vtc.canbo"])
    assert noms(vtc) == {activity["a"], activity["d"]}
    assert all(e.nomination_id is not None for e in vtc)  # no plans, logins or administration
    assert noms(everything(db, users["baochi.canbo"])) == {activity["c"]}
    assert noms(everything(db, users["tinh.canbo"])) == {activity["p"]}
    # the ministry reviewer sees what was submitted to it, not VTC's unsent draft
    assert noms(everything(db, users["bo.chuyenvien"])) == {activity["a"], activity["c"]}


def test_filters_narrow_the_log_as_an_inspector_asks(db, users, activity):
    k = users["kiemtra"]
    a_events = everything(db, k, nomination_id=str(activity["a"]))
    assert [e.action for e in reversed(a_events)] == ["create", "submit", "vote", "approve", "return", "resubmit"]
    assert [e.action for e in everything(db, k, actor="bo.chuyenvien")] == ["return"]
    assert {e.nomination_id for e in everything(db, k, action="submit")} == {activity["a"], activity["c"]}
    assert {(e.nomination_id, e.action) for e in everything(db, k, state="returned")} == {
        (activity["a"], "return"), (activity["a"], "resubmit")}
    assert noms(everything(db, k, org_id=str(org_id(db, "CBC")))) == {activity["c"]}
    # an org filter outside the auditor's subtree finds nothing rather than leaking
    assert everything(db, k, org_id=str(org_id(db, "VPDBQH-TN"))) == []
    assert noms(everything(db, users["admin"], org_id=org_id(db, "UBND-TN"))) == {activity["p"]}


def test_time_range_is_read_in_hanoi_time_and_a_date_means_the_whole_day(db, users, activity):
    k = users["kiemtra"]
    day = everything(db, k, since="2026-11-24", until="2026-11-24")
    assert [(e.action, e.nomination_id) for e in day] == [("return", activity["a"])]
    assert everything(db, k, since="2026-11-24T09:00:00", until="2026-11-24T09:00:00") == day
    assert everything(db, k, since="2026-11-24T02:00:01+00:00", until="2026-11-24T23:00:00+07:00") == []
    assert [e.action for e in everything(db, k, since="2026-11-25T00:00+07:00")] == ["resubmit"]


def test_text_in_the_reason_takes_percent_and_underscore_literally(db, users, activity):
    admin = users["admin"]
    assert {e.nomination_id for e in everything(db, admin, q="biên bản họp")} == {activity["a"], activity["p"]}
    assert noms(everything(db, admin, q="100%_đạt")) == {activity["a"]}
    assert everything(db, admin, q="100%x") == everything(db, admin, q="1_0") == []
    assert noms(everything(db, admin, q="%")) == noms(everything(db, admin, q="_")) == {activity["a"]}
    # typed in lower case, it finds the reason written with a capital letter
    assert noms(everything(db, admin, q="thiếu biên bản họp")) == {activity["a"], activity["p"]}


def test_pages_run_newest_first_without_gaps_or_repeats(db, users, activity):
    k, pages, cursor = users["kiemtra"], [], None
    while True:
        page = audit_log.query_audit(db, k, {}, cursor, 2)
        pages.append([e.id for e in page.items])
        cursor = page.next_cursor
        if cursor is None:
            break
    flat = [i for p in pages for i in p]
    assert len(pages) >= 4 and all(len(p) == 2 for p in pages[:-1]) and pages[-1]
    assert flat == sorted(flat, reverse=True) == [e.id for e in everything(db, k)]


@pytest.mark.parametrize("filters,field", [
    ({"state": "đã duyệt"}, "state"), ({"since": "hôm qua"}, "since"), ({"until": "2026-02-30"}, "until"),
    ({"nomination_id": "abc"}, "nomination_id"), ({"org_id": "999999"}, "org_id"),
    ({"since": "2026-11-25", "until": "2026-11-24"}, "since"), ({"unit": "VTC"}, "unit"),
])
def test_a_bad_filter_is_refused_naming_the_field(db, users, filters, field):
    with pytest.raises(InvalidInput) as e:
        audit_log.query_audit(db, users["kiemtra"], filters)
    assert e.value.field == field


def test_a_bad_cursor_or_page_size_is_refused(db, users):
    for cursor, limit, field in (("!!không-phải", 50, "cursor"), (None, 0, "limit"), (None, 501, "limit")):
        with pytest.raises(InvalidInput) as e:
            audit_log.query_audit(db, users["kiemtra"], {}, cursor, limit)
        assert e.value.field == field


def test_an_administrative_change_is_recorded_in_the_same_transaction_or_not_at_all(db, users):
    with pytest.raises(RuntimeError), db.write() as s:
        admin = load_actor(s, users["admin"])
        audit.admin_event(s, admin, NO_CONTEXT, NOW, "role_change", "user", users["vtc.canbo"],
                          {"role": "unit_head"})
        raise RuntimeError("the change itself failed")
    assert everything(db, users["admin"], action="role_change") == []
    with db.write() as s:
        admin = load_actor(s, users["admin"])
        for day in (NOW, LATER):
            audit.admin_event(s, admin, NO_CONTEXT, day, "calendar_day_off", "calendar", None,
                              {"day": "2026-12-31", "note": "Nghỉ bù Tết Dương lịch"})
    events = everything(db, users["admin"], action="calendar_day_off")
    assert [(e.chain, e.seq, e.actor) for e in events] == [("admin:calendar", 2, "admin"), ("admin:calendar", 1, "admin")]
    assert events[0].payload["note"] == "Nghỉ bù Tết Dương lịch"
    assert everything(db, users["vtc.canbo"], action="calendar_day_off") == []


def test_a_failed_login_with_the_longest_username_is_still_recorded(db, users):
    from workflow.errors import Unauthenticated
    from workflow.auth import service as auth
    name = "cán.bộ." + "x" * 73  # 80 characters: the chain is "auth:" + the name
    with pytest.raises(Unauthenticated):
        auth.check_password(db, name, "sai", now=NOW)
    with db.read() as s:
        ev = s.execute(select(AuditEvent).where(AuditEvent.action == "login_failed")).scalar_one()
    assert ev.chain == f"auth:{name}" and ev.actor == name


# --- exports: byte for byte what the reference implementation wrote ---------------------------
# The reference is the export as it was before issue 20's speed work (commit 7c06997), copied
# here verbatim so that any change of a byte (a cell, its quoting, the BOM, a line end) fails.

_REF_LABELS = (
    "Mã sự kiện / Event id", "Thời điểm UTC / Time UTC", "Giờ Việt Nam / Hanoi time",
    "Người thực hiện / Actor", "Vai trò / Role", "Mã đơn vị / Org id", "Đơn vị / Org",
    "Thay mặt (KT.) / On behalf of", "Hành động / Action", "Đối tượng / Entity",
    "Mã đối tượng / Entity id", "Hồ sơ / Nomination", "Từ trạng thái / From state",
    "Đến trạng thái / To state", "Lý do / Reason", "Dữ liệu / Payload", "Mã yêu cầu / Request id",
    "Địa chỉ IP / Client IP", "Chuỗi / Chain", "Số thứ tự / Seq", "Mã băm trước / Previous hash",
    "Mã băm / Hash")
_REF_COLUMNS = ("id", "at", "actor", "role", "org_id", "on_behalf_of", "action", "entity", "entity_id",
                "nomination_id", "from_state", "to_state", "reason", "payload", "request_id", "client_ip",
                "chain", "seq", "hash", "prev_hash")
_REF_UNSAFE = ("actor", "role", "org_name", "on_behalf_of", "reason", "payload", "request_id", "client_ip")
_REF_ORDER = ("id", "at", "at_hanoi", "actor", "role", "org_id", "org_name", "on_behalf_of", "action",
              "entity", "entity_id", "nomination_id", "from_state", "to_state", "reason", "payload",
              "request_id", "client_ip", "chain", "seq", "prev_hash", "hash")
_REF_QUERY = tuple(c for name in (*_REF_COLUMNS, "org_name") for c in ((name, "at_hanoi") if name == "at" else (name,)))
_REF_PICK = [_REF_QUERY.index(c) for c in _REF_ORDER]


def reference_rows(db, actor_id, filters, *, for_csv: bool):
    import json
    from datetime import datetime, UTC
    from sqlalchemy import String, type_coerce
    assert audit_log.COLUMNS == _REF_COLUMNS
    encode, decode = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode, json.JSONDecoder().decode
    raw = {"at": type_coerce(AuditEvent.at, String), "payload": type_coerce(AuditEvent.payload, String)}
    q, tree = audit_log._query(db, actor_id, filters, [raw.get(c, getattr(AuditEvent, c)) for c in _REF_COLUMNS])
    q = q.order_by(AuditEvent.id).execution_options(yield_per=2000)
    at_i, payload_i, org_i = _REF_COLUMNS.index("at"), _REF_COLUMNS.index("payload"), _REF_COLUMNS.index("org_id")
    unsafe = [i for i, c in enumerate((*_REF_COLUMNS, "org_name")) if c in _REF_UNSAFE] if for_csv else []
    with db.read() as s:
        for part in s.connection().execute(q).partitions():
            for row in part:
                node = tree.get(row[org_i])
                cells = [*row, node.name if node else None]
                at = cells[at_i]
                if at.__class__ is str:
                    at = datetime.fromisoformat(at)
                if at.tzinfo is not None:
                    at = at.astimezone(UTC).replace(tzinfo=None)
                payload = cells[payload_i]
                if payload is not None:
                    cells[payload_i] = encode(decode(payload) if payload.__class__ is str else payload)
                for i in unsafe:
                    value = cells[i]
                    if value and value.__class__ is str and value[0] in frozenset("=+-@\t\r"):
                        cells[i] = "'" + value
                cells[at_i:at_i + 1] = [at.isoformat() + "+00:00", (at + timedelta(hours=7)).isoformat(" ", "seconds")]
                yield [cells[i] for i in _REF_PICK]


def reference_csv(db, actor_id, filters=None) -> bytes:
    import csv
    import io
    buf = io.StringIO("\ufeff")
    buf.seek(0, io.SEEK_END)
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(_REF_LABELS)
    writer.writerows(reference_rows(db, actor_id, filters, for_csv=True))
    return buf.getvalue().encode("utf-8")


def sheets(data: bytes) -> dict[str, bytes]:
    """The parts of an .xlsx (the zip's own timestamps left out)."""
    import io
    import zipfile
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def reference_xlsx(db, actor_id, filters=None) -> dict[str, bytes]:
    import io
    from workflow.audit.xlsx_stream import XlsxStream, column_widths
    out = io.BytesIO()
    widths = column_widths({"A": 10, "B": 27, "C": 20, "D": 16, "G": 40, "O": 50, "P": 50})
    with XlsxStream(out, _REF_LABELS, sheet_name="Nhật ký", widths=widths, sheet_rows=1_000_000) as x:
        x.rows(reference_rows(db, actor_id, filters, for_csv=False))
    return sheets(out.getvalue())


def export_csv_bytes(db, actor_id, filters=None) -> tuple[bytes, int]:
    chunks = list(audit_log.export_csv(db, actor_id, filters))
    assert all(isinstance(c, bytes) for c in chunks)
    return b"".join(chunks), len(chunks)


def export_xlsx_parts(db, actor_id, filters=None) -> dict[str, bytes]:
    import io
    out = io.BytesIO()
    audit_log.export_xlsx(db, actor_id, filters, out)
    return sheets(out.getvalue())


TRICKY_REASONS = [
    'Thiếu "biên bản họp", chữ ký; xem lại\nmục 2\r\nmục 3',  # quotes, commas, newlines
    "=HYPERLINK(\"http://lua-dao.example\",\"Bấm\")", "+84 912 345 678", "-1 phiếu", "@SUM(A1:A9)",
    "\tthụt lề", "\rđầu dòng", "'đã có dấu nháy", "Đơn vị đề nghị bổ sung: Nguyễn Thị Ánh, Trần Văn Bình",
    " khoảng trắng đầu và cuối ", "", "một, hai", 'một "hai"', "=", "-",
]


HOSTILE = ("=x", "+x", "-x", "@x", "\tx", "\rx", "a\nb", "a,b", 'a"b', "x=", "'x")


@pytest.fixture
def tricky(db, users, activity):
    """Events covering every cell an export must write exactly: diacritics, commas, quotes and
    newlines; text a spreadsheet would run as a formula (in each free-text column); payloads
    with nested objects, non-ASCII text, numbers and JSON null; SQL NULL cells; an org that
    no longer exists and one whose name needs quoting; each free-text column alone hostile in
    an otherwise plain row; times on a minute boundary, with no
    microseconds, and at 17:00 UTC (midnight in Hà Nội, the Hanoi date changes), across a
    year's end and a leap day. Written as raw rows (their hashes are not checked here)."""
    from datetime import datetime, UTC
    from sqlalchemy import func, insert, null, update
    from workflow.orgs.tree import invalidate_org_cache
    vtc, cbc = org_id(db, "VTC"), org_id(db, "CBC")
    with db.write() as s:  # an org whose name needs quoting and would run as a formula
        s.execute(update(OrgUnit).where(OrgUnit.id == cbc).values(name='=Cục "Báo chí", phòng 1'))
    invalidate_org_cache()
    times = [datetime(2026, 11, 23, 2, 59, 59, 999999, UTC), datetime(2026, 11, 23, 3, 0, tzinfo=UTC),
             datetime(2026, 11, 23, 3, 0, 0, 1, UTC), datetime(2026, 11, 23, 16, 59, 59, 500000, UTC),
             datetime(2026, 11, 23, 17, 0, tzinfo=UTC), datetime(2026, 11, 23, 17, 0, 0, 120, UTC),
             datetime(2026, 12, 31, 17, 0, 1, tzinfo=UTC), datetime(2028, 2, 28, 17, 30, tzinfo=UTC),
             datetime(2028, 2, 29, 23, 59, 59, 999999, UTC), datetime(2026, 11, 24, 0, 0, tzinfo=UTC)]
    payloads = [{"z": 1, "a": {"tên": "Nguyễn Văn Ă", "số": [1, 2.5, None, True, "ý kiến, \"trích\""]}},
                {"decision": {"number": "12/QĐ-BTTTT", "date": "2026-12-01"}}, {"=": "-x", "\n": "\t"},
                [-1, {"b": 2, "a": 1}], -7, 3.25, {}, {"votes": {"members": 11, "yes": 10}}, None]
    rows, base = [], 10_000_000
    with db.read() as s:
        start = (s.execute(select(func.max(AuditEvent.id))).scalar() or 0) + 1
    for i in range(40):
        reason = TRICKY_REASONS[i % len(TRICKY_REASONS)] if i % 7 else None
        rows.append({
            "id": start + i, "chain": f"x:{base + i}" if i % 5 else '=chuỗi,"lạ"', "seq": i + 1,
            "at": times[i % len(times)], "actor_id": None,
            "actor": ("@kẻ.giả.mạo", "vtc.canbo", "-x", "trần.văn,bình")[i % 4],
            "role": ("unit_officer", "=vai trò", "+r")[i % 3],
            "org_id": (vtc, cbc, 999_999, None)[i % 4],
            "on_behalf_of": ("KT. BỘ TRƯỞNG", None, "+THỨ TRƯỞNG", "Thay mặt, \"Hội đồng\"")[i % 4],
            "action": "return" if i % 2 else "ghi_chú", "entity": "nomination", "entity_id": i if i % 3 else None,
            "nomination_id": None if i % 4 == 3 else base + i,
            "from_state": "ministry_review" if i % 2 else None, "to_state": "returned" if i % 3 else None,
            "reason": reason, "payload": payloads[i % len(payloads)],
            "request_id": ("=1+2", None, "a1b2c3", "-rid")[i % 4], "client_ip": ("10.0.0.1", "@ip", None)[i % 3],
            "prev_hash": None if i % 6 == 0 else f"{i:064x}", "hash": f"{i + 1:064x}"})
    plain = {**rows[1], "actor": "vtc.canbo", "role": "unit_officer", "on_behalf_of": None, "action": "return",
             "entity": "nomination", "from_state": "ministry_review", "to_state": "returned", "reason": "lý do",
             "request_id": "r1", "client_ip": "10.0.0.2", "payload": {"a": 1}, "org_id": vtc,
             "prev_hash": "p" * 64, "hash": "h" * 64}
    for column in ("actor", "role", "on_behalf_of", "action", "entity", "from_state", "to_state", "reason",
                   "request_id", "client_ip", "chain", "prev_hash", "hash"):
        for value in HOSTILE:  # one hostile cell in an otherwise plain row, for each free-text column
            n = len(rows)
            rows.append({**plain, "id": start + n, "chain": f"x:{base + n}", "seq": n + 1, column: value})
    sql_null = {3, 30}  # SQL NULL payloads; Core writes None as JSON null (the log is append-only)
    with db.write() as s:
        for i, row in enumerate(rows):
            s.execute(insert(AuditEvent.__table__).values({**row, "payload": null()} if i in sql_null else row))
    return {"first": start, "count": len(rows), "times": times}


def test_the_csv_export_is_byte_for_byte_the_reference_for_every_tricky_cell(db, users, tricky, monkeypatch):
    admin = users["admin"]
    data, _ = export_csv_bytes(db, admin)
    expected = reference_csv(db, admin)
    assert data == expected
    text = data.decode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf") and text.count("\r\n") >= tricky["count"] + 1
    # the cells the reference writes, spelled out: times at midnight in Hà Nội, formulas defused
    assert "2026-11-23T17:00:00+00:00,2026-11-24 00:00:00," in text
    assert "2026-11-23T17:00:00.000120+00:00,2026-11-24 00:00:00," in text
    assert "2026-12-31T17:00:01+00:00,2027-01-01 00:00:01," in text
    assert "2028-02-29T23:59:59.999999+00:00,2028-03-01 06:59:59," in text
    assert "2026-11-23T02:59:59.999999+00:00,2026-11-23 09:59:59," in text
    assert ",'@kẻ.giả.mạo,'=vai trò," in text and ",\"'=Cục \"\"Báo chí\"\", phòng 1\"," in text
    assert ",\"'=HYPERLINK(\"\"http://lua-dao.example\"\",\"\"Bấm\"\")\"," in text
    assert '"{""a"": {""số"": [1, 2.5, null, true, ""ý kiến, \\""trích\\""""], ""tên"": ""Nguyễn Văn Ă""}, ""z"": 1}"' in text
    assert ",'-7," in text and ",'=1+2," in text and ",'@ip," in text
    # small batches and caches: many chunks, batch boundaries inside the tricky rows, remembered
    # times, orgs and payloads forgotten all the time; the same bytes
    monkeypatch.setattr(audit_log, "EXPORT_BATCH", 3)
    monkeypatch.setattr(audit_log, "_CACHE_MAX", 2, raising=False)
    monkeypatch.setattr(audit_log, "CSV_FLUSH_ROWS", 3, raising=False)
    data, chunks = export_csv_bytes(db, admin)
    assert data == expected and chunks > 10


def test_every_caller_and_filter_exports_the_reference_bytes(db, users, tricky, activity):
    cases = [(users["admin"], {}), (users["kiemtra"], {}), (users["vtc.canbo"], {}), (users["bo.chuyenvien"], {}),
             (users["kiemtra"], {"since": "2026-11-23T09:59:00+07:00", "until": "2026-11-24"}),
             (users["admin"], {"q": "biên bản"}), (users["admin"], {"state": "returned", "action": "return"}),
             (users["kiemtra"], {"org_id": str(org_id(db, "VTC"))}), (users["admin"], {"actor": "-x"}),
             (users["admin"], {"nomination_id": str(activity["a"])}), (users["admin"], {"actor": "không.có.ai"})]
    for actor_id, filters in cases:
        data, _ = export_csv_bytes(db, actor_id, filters)
        assert data == reference_csv(db, actor_id, filters), filters
    assert export_csv_bytes(db, users["admin"], {"actor": "không.có.ai"})[0] == reference_csv(
        db, users["admin"], {"actor": "không.có.ai"}) == ("\ufeff" + ",".join(_REF_LABELS) + "\r\n").encode()


def test_the_xlsx_export_holds_the_reference_cells(db, users, tricky):
    for actor_id, filters in ((users["admin"], {}), (users["kiemtra"], {"q": "biên bản"})):
        assert export_xlsx_parts(db, actor_id, filters) == reference_xlsx(db, actor_id, filters)


def test_statements_the_driver_cannot_be_given_directly_are_read_through_sqlalchemy(db, users, tricky,
                                                                                   monkeypatch):
    """The export reads rows on the DBAPI cursor when it can; anything else goes through
    SQLAlchemy's rows, with the same bytes."""
    cases = [(users["admin"], {}), (users["kiemtra"], {"since": "2026-11-23", "q": "biên bản"})]
    direct = [(export_csv_bytes(db, a, f)[0], export_xlsx_parts(db, a, f)) for a, f in cases]
    calls: list = []
    monkeypatch.setattr(audit_log, "_direct", lambda conn, q: calls.append(q) and None)
    via_rows = [(export_csv_bytes(db, a, f)[0], export_xlsx_parts(db, a, f)) for a, f in cases]
    assert via_rows == direct and len(calls) == 4
    assert via_rows[0][0] == reference_csv(db, *cases[0]) and via_rows[1][1] == reference_xlsx(db, *cases[1])


def test_a_bad_export_filter_is_refused_before_any_row_is_read(db, users):
    with pytest.raises(InvalidInput) as e:
        audit_log.export_csv(db, users["kiemtra"], {"state": "xong"})
    assert e.value.field == "state"
