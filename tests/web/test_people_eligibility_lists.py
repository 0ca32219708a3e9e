"""Every level sees the same reasons (issue 17): each row of a tờ trình's table and of the
reviewer's inbox carries its eligibility — pass, fail or unknown, with the reasons one click
away — read in batches, not one query per row."""
import re
from datetime import UTC, datetime

from sqlalchemy import event

from tests.browser_support import *
from tests.browser_support import WebUser
from workflow.workbench import service as workbench
from workflow.workbench.listing import ListQuery

ACHIEVEMENTS = "Hoàn thành xuất sắc nhiệm vụ năm 2026."


def person_with_titles(api, name, years):
    p = api.post("/people", json={"name": name, "confirm_distinct": True}).get_json()
    for y in years:
        r = api.post(f"/people/{p['id']}/history", json={"award_type": "chien_si_thi_dua_co_so", "year": y,
                                                          "decision_number": f"{y}/QĐ-VTC"})
        assert r.status_code == 201, r.get_json()
    return p


def add_row(api, dossier_id, person_id, award="chien_si_thi_dua_bo"):
    r = api.post(f"/dossiers/{dossier_id}/nominations", json={
        "award_type": award, "nominee": {"person_id": person_id}, "achievements": ACHIEVEMENTS})
    assert r.status_code == 201, r.get_json()
    return r.get_json()["nominations"][0]["id"]


def markers(page: str) -> dict[int, str]:
    """{nomination id: the row's marker class} of a list page."""
    out = {}
    for row in re.findall(r'<tr[^>]*>.*?</tr>', page, flags=re.S):
        nid = re.search(r'href="/nominations/(\d+)"', row)
        mark = re.search(r'class="elig-marker elig-(\w+)"', row)
        if nid and mark:
            out[int(nid.group(1))] = mark.group(1)
    return out


def test_the_dossier_table_and_the_inbox_show_each_rows_eligibility(login, web_on, open_plan):
    api = login("vtc.canbo")
    ready = person_with_titles(api, "Hà Minh Châu", (2023, 2024, 2025))
    short = person_with_titles(api, "Hà Văn Lộc", (2024, 2025))
    fresh = api.post("/people", json={"name": "Hà Thị Mai"}).get_json()
    d = api.post("/dossiers", json={"plan_id": open_plan, "number": "52/TTr-VTC"}).get_json()
    ids = {p["id"]: add_row(api, d["id"], p["id"]) for p in (ready, short, fresh)}

    page = WebUser.text(web_on("vtc.canbo").get(f"/dossiers/{d['id']}"))
    assert markers(page) == {ids[ready["id"]]: "pass", ids[short["id"]]: "fail", ids[fresh["id"]]: "unknown"}
    assert "Cần 3 lần liên tục đạt Chiến sĩ thi đua cơ sở" in page and "Luật TĐKT 2022 Điều 22" in page
    assert "Chưa có quá trình khen thưởng được ghi nhận" in page
    assert "<script>" not in page and ' style="' not in page  # strict CSP: no inline script or style
    english = WebUser.text(web_on("vtc.canbo").get(f"/dossiers/{d['id']}?lang=en"))
    assert "Not eligible" in english and "3 consecutive" in english

    # Two nominations travel on their own; the council's inbox shows the same reasons.
    solo = {}
    for p in (ready, fresh):
        r = api.post("/nominations", json={"plan_id": open_plan, "award_type": "lao_dong_tien_tien",
                                           "nominee": {"person_id": p["id"]}, "achievements": ACHIEVEMENTS})
        assert r.status_code == 201, r.get_json()
        n = r.get_json()
        assert api.post(f"/nominations/{n['id']}/submit", json={"version": n["version"]}).status_code == 200
        solo[p["id"]] = n["id"]
    # Discipline recorded after the submission: the reviewer sees the refusal the history now gives.
    assert api.post(f"/people/{ready['id']}/discipline", json={"from": "2026-01-05",
                                                                "reason": "Khiển trách"}).status_code == 201
    inbox = WebUser.text(web_on("vtc.hoidong").get("/inbox"))
    found = markers(inbox)
    assert found[solo[ready["id"]]] == "fail" and found[solo[fresh["id"]]] == "pass"
    assert "Khiển trách" in inbox


def test_a_longer_table_reads_eligibility_in_the_same_number_of_queries(login, db, users, open_plan):
    api = login("vtc.canbo")
    d = api.post("/dossiers", json={"plan_id": open_plan, "number": "53/TTr-VTC"}).get_json()
    first = [person_with_titles(api, f"Đoàn Văn {c}", (2024, 2025)) for c in "ABC"]
    for p in first:
        add_row(api, d["id"], p["id"])

    def statements() -> int:
        seen = []
        listen = lambda *a: seen.append(a[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            table, _ = workbench.dossier_table(db, users["vtc.canbo"], d["id"], ListQuery(per_page=200),
                                               now=datetime.now(UTC))
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
        assert all(r["eligibility"] is not None for r in table.items)
        return len(seen)

    few = statements()
    for c in "DEFGHIJKLM":
        add_row(api, d["id"], person_with_titles(api, f"Đoàn Thị {c}", (2025,))["id"])
    assert statements() == few
