"""The audit log over HTTP: an inspector queries, exports and verifies it; nobody changes it."""
import csv
import io

import openpyxl
import pytest
from sqlalchemy import select

from workflow.models import AuditEvent

from tests.conftest import DEMO_PASSWORD
from tests.scenarios import FULL_VOTE, act, draft

FORMULA_REASON = '=HYPERLINK("http://lua-dao.example/","Bấm vào đây") thiếu chữ ký'


@pytest.fixture
def returned(db, users, open_plan):
    """VTC's nomination of Nguyễn Văn An, returned by the ministry with a reason that a
    spreadsheet would run as a formula."""
    n = draft(db, users, open_plan, name="Nguyễn Văn An").id
    act(db, users, "vtc.canbo", n, "submit")
    act(db, users, "vtc.hoidong", n, "vote", votes=FULL_VOTE)
    act(db, users, "vtc.thutruong", n, "approve")
    act(db, users, "bo.chuyenvien", n, "return", reason=FORMULA_REASON)
    act(db, users, "vtc.canbo", n, "resubmit")
    return n


def all_events(db) -> list[tuple]:
    with db.read() as s:
        return [tuple(r) for r in s.execute(select(AuditEvent.id, AuditEvent.hash, AuditEvent.reason)
                                            .order_by(AuditEvent.id))]


def test_an_inspector_queries_a_nominations_history_newest_first_in_pages(login, returned):
    api = login("kiemtra")
    r = api.get(f"/audit?nomination_id={returned}&limit=4")
    assert r.status_code == 200
    body = r.get_json()
    assert [e["action"] for e in body["items"]] == ["resubmit", "return", "approve", "vote"]
    ret = body["items"][1]
    assert (ret["actor"], ret["role"], ret["reason"], ret["to_state"]) == (
        "bo.chuyenvien", "ministry_reviewer", FORMULA_REASON, "returned")
    assert ret["org_name"] == "Bộ Khoa học và Công nghệ"  # Bộ TT&TT merged into it (demo, 2025) and ret["at"].endswith("+00:00")
    rest = api.get(f"/audit?nomination_id={returned}&limit=4&cursor={body['next_cursor']}").get_json()
    assert [e["action"] for e in rest["items"]] == ["submit", "create"] and rest["next_cursor"] is None


def test_bad_filters_are_422_naming_the_field(login):
    api = login("kiemtra")
    for query, field in (("state=xong", "state"), ("since=hôm-qua", "since"), ("format=pdf", "format"),
                         ("limit=abc", "limit"), ("cursor=%21%21", "cursor")):
        r = api.get(f"/audit?{query}")
        assert r.status_code == 422 and r.get_json()["error"]["field"] == field, query


def test_the_csv_export_opens_with_vietnamese_intact_and_runs_no_formula(login, returned):
    r = login("kiemtra").get(f"/audit?nomination_id={returned}&format=csv")
    assert r.status_code == 200 and r.is_streamed
    assert r.headers["Content-Type"].startswith("text/csv")
    assert r.headers["Content-Disposition"].startswith("attachment;")
    assert r.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    header, events = rows[0], rows[1:]
    assert header[0] == "Mã sự kiện / Event id" and len(events) == 6
    by_action = {row[header.index("Hành động / Action")]: row for row in events}
    ret = by_action["return"]
    assert ret[header.index("Lý do / Reason")] == "'" + FORMULA_REASON
    assert ret[header.index("Đơn vị / Org")] == "Bộ Khoa học và Công nghệ"  # Bộ TT&TT merged into it (demo, 2025)
    assert by_action["create"][header.index("Đơn vị / Org")] == "Tổng công ty Truyền thông đa phương tiện (VTC)"


def test_the_xlsx_export_is_a_workbook_keeping_the_reason_as_text(login, returned):
    r = login("kiemtra").get(f"/audit?nomination_id={returned}&format=xlsx")
    assert r.status_code == 200
    assert r.headers["Content-Disposition"].startswith("attachment;") and ".xlsx" in r.headers["Content-Disposition"]
    ws = openpyxl.load_workbook(io.BytesIO(r.data)).active
    rows = list(ws.iter_rows(values_only=False))
    header = [c.value for c in rows[0]]
    assert ws.title == "Nhật ký" and len(rows) == 7
    reason = next(row[header.index("Lý do / Reason")] for row in rows
                  if row[header.index("Hành động / Action")].value == "return")
    assert reason.value == FORMULA_REASON and reason.data_type == "s"
    assert {row[header.index("Người thực hiện / Actor")].value for row in rows[1:]} >= {"vtc.canbo", "bo.chuyenvien"}


def test_exports_hold_only_what_the_caller_may_see(login, db, users, open_plan, returned):
    p = draft(db, users, open_plan, name="Hoàng Thị Phương", officer="tinh.canbo").id
    act(db, users, "tinh.canbo", p, "submit")
    text = login("kiemtra").get("/audit?format=csv").data.decode("utf-8-sig")
    assert "tinh.canbo" not in text and "vtc.canbo" in text
    assert "tinh.canbo" in login("admin").get("/audit?format=csv").data.decode("utf-8-sig")
    assert login("vtc.canbo").get(f"/audit?nomination_id={p}").get_json()["items"] == []


def test_only_auditors_and_the_administrator_may_run_the_verification(login, returned):
    r = login("kiemtra").get("/audit/verify")
    assert r.status_code == 200
    body = r.get_json()
    assert body["ok"] is True and body["events"] >= 6 and body["first_problem"] is None
    assert login("admin").get("/audit/verify").get_json()["ok"] is True
    r = login("vtc.canbo").get("/audit/verify")
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "forbidden"


def test_no_request_can_change_or_remove_an_event(db, login, returned):
    api = login("admin")
    before = all_events(db)
    some_id = before[-1][0]
    forged = {"reason": "đã sửa", "hash": "0" * 64, "id": some_id}
    for path in ["/audit", f"/audit/{some_id}", "/audit/verify", f"/audit?nomination_id={returned}",
                 "/audit/events", f"/audit/{some_id}/reason"]:
        for method in ("put", "patch", "delete", "post"):
            r = getattr(api.client, method)(f"/api/v1{path}", headers=api.headers, json=forged)
            assert r.status_code in (404, 405), (method, path, r.status_code)
    # the history is read-only too ("history" is no action a nomination can take)
    for method in ("put", "patch", "delete", "post"):
        r = getattr(api.client, method)(f"/api/v1/nominations/{returned}/history", headers=api.headers,
                                        json=forged)
        assert 400 <= r.status_code < 500, (method, r.status_code)
    assert all_events(db) == before


def test_a_failed_login_is_recorded_with_the_request_id_and_client_address(client, login):
    r = client.post("/api/v1/auth/token", json={"username": "bo.lanhdao", "password": "sai-mật-khẩu"},
                    headers={"X-Request-Id": "yeu-cau-42"}, environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert r.status_code == 401
    assert client.post("/api/v1/auth/token", json={"username": "bo.lanhdao", "password": DEMO_PASSWORD}
                       ).status_code == 201
    items = login("kiemtra").get("/audit?action=login_failed").get_json()["items"]
    assert [(e["actor"], e["request_id"], e["client_ip"], e["chain"]) for e in items] == [
        ("bo.lanhdao", "yeu-cau-42", "203.0.113.9", "auth:bo.lanhdao")]
