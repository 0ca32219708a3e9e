"""Reports that can be reviewed, through the API: the unit sends its text and a file, the plan's
owner reads both with the submission time and returns the report with a reason, the unit reads
the reason and its previous text, sends it again, and the owner accepts it. The rounds are read
back from the report's audit chain; a late list per milestone says who is past due.

The open demo plan is issued by Ban TĐKT Trung ương for VTC, Cục Báo chí and the province's
office: one report each (tests/integration/test_obligations.py)."""
import io
from datetime import datetime, timedelta

VTC, CBC = "Tổng công ty Truyền thông đa phương tiện (VTC)", "Cục Báo chí"
PDF = b"%PDF-1.4 Bao cao ket qua phong trao thi dua nam 2026 cua VTC"


def reports(api, plan_id) -> dict:
    r = api.get(f"/plans/{plan_id}/reports")
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def report_of(api, plan_id, unit: str) -> dict:
    [item] = [i for i in reports(api, plan_id)["items"] if i["unit"]["name"] == unit]
    return item


def attach(api, path: str, data: bytes, name: str):
    return api.client.post(f"/api/v1{path}/attachments", headers=api.headers,
                           data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def download(api, url: str):
    assert url.startswith("/api/v1/")
    return api.client.get(url, headers=api.headers)


def test_a_report_goes_back_and_forth_between_the_unit_and_the_plans_owner(login, open_plan):
    officer, reviewer, leader = login("vtc.canbo"), login("tw.chuyenvien"), login("tw.lanhdao")
    ob = report_of(officer, open_plan, VTC)
    path = f"/plans/{open_plan}/reports/{ob['id']}"
    assert ob["text"] is None and ob["files"] == [] and ob["history"] == [] and ob["submitted_at"] is None

    assert attach(officer, path, PDF, "Báo cáo VTC 2026.pdf").status_code == 201
    first = "Báo cáo kết quả phong trào thi đua năm 2026 của VTC:\n- 12 tập thể, 40 cá nhân được khen."
    r = officer.post(f"{path}/submit", json={"text": first, "version": ob["version"]})
    assert r.status_code == 200 and r.get_json()["state"] == "submitted"

    # The owner reads what the unit sent: the text, the file, when.
    seen = report_of(reviewer, open_plan, VTC)
    assert seen["text"] == first and seen["standing"] == "on_time"
    assert datetime.fromisoformat(seen["submitted_at"]) <= datetime.fromisoformat(seen["due_at"])
    [f] = seen["files"]
    assert f["name"] == "Báo cáo VTC 2026.pdf" and f["url"] == f"/api/v1{path}/attachments/{f['id']}"
    got = download(reviewer, f["url"])
    assert got.status_code == 200 and got.data == PDF
    assert [(h["action"], h["by"], h["text"], [x["name"] for x in h["files"]]) for h in seen["history"]] == [
        ("submit", "vtc.canbo", first, ["Báo cáo VTC 2026.pdf"])]
    assert seen["history"][0]["files"][0]["url"] == f["url"]
    assert seen["actions"] == ["accept", "return"]

    # Returned with a reason; without one it is refused, in words, and nothing moves.
    refused = reviewer.post(f"{path}/return", json={"reason": "  "})
    assert refused.status_code == 422 and refused.get_json()["error"]["field"] == "reason"
    assert "lý do" in refused.get_json()["error"]["message"]
    reason = "Thiếu số liệu khen thưởng quý IV; bổ sung danh sách cá nhân."
    r = reviewer.post(f"{path}/return", json={"reason": reason})
    assert r.status_code == 200 and r.get_json()["state"] == "returned"

    # The unit reads the reason, its previous text and its earlier file, and sends it again.
    back = report_of(officer, open_plan, VTC)
    assert back["state"] == "returned" and back["reason"] == reason and back["text"] == first
    assert [x["name"] for x in back["files"]] == ["Báo cáo VTC 2026.pdf"]
    assert download(officer, back["files"][0]["url"]).data == PDF
    assert [(h["action"], h.get("reason")) for h in back["history"]] == [("submit", None), ("return", reason)]
    assert back["history"][1]["by"] == "tw.chuyenvien" and back["history"][1]["by_name"]
    assert back["actions"] == ["submit"]
    empty = officer.post(f"{path}/submit", json={"text": ""})
    assert empty.status_code == 422 and empty.get_json()["error"]["field"] == "text"
    assert attach(officer, path, b"STT,Ho ten\n1,Nguyen Van A\n", "danh-sach.txt").status_code == 201
    second = first + "\nBổ sung: danh sách 40 cá nhân kèm theo."
    assert officer.post(f"{path}/submit", json={"text": second}).status_code == 200

    r = leader.post(f"{path}/accept")
    assert r.status_code == 200
    done = r.get_json()
    assert done["state"] == "accepted" and done["text"] == second
    assert [x["name"] for x in done["files"]] == ["Báo cáo VTC 2026.pdf", "danh-sach.txt"]
    assert [(h["action"], h["by"]) for h in done["history"]] == [
        ("submit", "vtc.canbo"), ("return", "tw.chuyenvien"), ("submit", "vtc.canbo"), ("accept", "tw.lanhdao")]
    assert [h.get("text") for h in done["history"]] == [first, None, second, None]
    # Each round keeps the files sent with it.
    assert [[x["name"] for x in h.get("files", [])] for h in done["history"]] == [
        ["Báo cáo VTC 2026.pdf"], [], ["danh-sach.txt"], []]
    assert report_of(officer, open_plan, VTC)["history"] == done["history"]


def test_a_unit_never_sees_another_units_report(login, open_plan):
    officer = login("vtc.canbo")
    ob = report_of(officer, open_plan, VTC)
    path = f"/plans/{open_plan}/reports/{ob['id']}"
    assert attach(officer, path, PDF, "bao-cao.pdf").status_code == 201
    officer.post(f"{path}/submit", json={"text": "Nội dung riêng của VTC"})
    [att] = report_of(officer, open_plan, VTC)["files"]

    other = login("baochi.canbo")
    body = reports(other, open_plan)
    assert [i["unit"]["name"] for i in body["items"]] == [CBC]
    assert "Nội dung riêng của VTC" not in str(body)
    assert [u["unit"]["name"] for m in body["late_by_milestone"] for u in m["late"]] == []
    assert [m["units"] for m in body["late_by_milestone"]] == [1]
    assert download(other, att["url"]).status_code == 404
    for action, payload in (("submit", {"text": "x"}), ("accept", None), ("return", {"reason": "x"})):
        assert other.post(f"{path}/{action}", json=payload).status_code == 404
    # Within VTC, only the officer reports; accepting and returning are the plan owner's.
    assert login("vtc.hoidong").post(f"{path}/return", json={"reason": "x"}).status_code == 403
    assert officer.post(f"{path}/accept").status_code == 403
    assert login("bo.chuyenvien").post(f"{path}/return", json={"reason": "x"}).status_code in (403, 404)
    assert report_of(login("tw.chuyenvien"), open_plan, VTC)["state"] == "submitted"
    assert other.get(f"/plans/{open_plan}/reports/999999/attachments/{att['id']}").status_code == 404


def test_the_late_list_names_per_milestone_who_is_past_due_and_who_sent_nothing(login, open_plan, clock):
    before = reports(login("tw.lanhdao"), open_plan)
    [m] = before["late_by_milestone"]
    assert m["past_due"] is False and m["units"] == 3 and m["late"] == [] and m["missing"] == []
    assert m["milestone"]["text"].startswith("trước ngày")

    # The day after the due date (tokens are asked for after the clock moved: they expire).
    clock.now = datetime.fromisoformat(m["due_at"]) + timedelta(days=1)
    reviewer = login("tw.chuyenvien")
    vtc = report_of(login("vtc.canbo"), open_plan, VTC)
    login("vtc.canbo").post(f"/plans/{open_plan}/reports/{vtc['id']}/submit", json={"text": "Báo cáo VTC"})
    cbc = report_of(login("baochi.canbo"), open_plan, CBC)
    login("baochi.canbo").post(f"/plans/{open_plan}/reports/{cbc['id']}/submit", json={"text": "Báo cáo Cục"})
    assert reviewer.post(f"/plans/{open_plan}/reports/{cbc['id']}/accept").status_code == 200

    body = reports(reviewer, open_plan)
    [m] = body["late_by_milestone"]
    assert m["past_due"] is True and (m["units"], m["accepted"]) == (3, 1)
    late = {u["unit"]["name"]: u["state"] for u in m["late"]}
    assert late == {VTC: "submitted", "Văn phòng Đoàn ĐBQH và HĐND tỉnh": "pending"}
    assert [u["unit"]["name"] for u in m["missing"]] == ["Văn phòng Đoàn ĐBQH và HĐND tỉnh"]
    assert (m["late_count"], m["missing_count"]) == (2, 1)
    alone = reviewer.get(f"/plans/{open_plan}/reports/late")
    assert alone.status_code == 200 and alone.get_json() == {"plan_id": open_plan,
                                                              "late_by_milestone": body["late_by_milestone"]}
    assert login("baochi.canbo").get(f"/plans/{open_plan}/reports/late").get_json()["late_by_milestone"][0][
        "late"] == []
    assert reviewer.get("/plans/999999/reports/late").status_code == 404
