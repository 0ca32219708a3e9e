"""Documents of a dossier by type: tờ trình, biên bản họp Hội đồng, báo cáo thành tích per nominee."""
import hashlib

from tests.integration.test_dossier_lifecycle import add_people, open_dossier, upload

PDF = b"%PDF-1.7\n% to trinh 45/TTr-VTC\n" + bytes(range(256)) * 8


def test_the_unit_attaches_its_submission_and_a_report_per_nominee_and_the_ministry_reads_them(login, open_plan):
    officer = login("vtc.canbo")
    d = open_dossier(officer, open_plan)
    ids = add_people(officer, d["id"], ["Nguyễn Văn An"])
    r = upload(officer, f"/dossiers/{d['id']}/attachments", PDF, filename="Tờ trình 45.pdf", doc_type="to_trinh")
    assert r.status_code == 201, r.get_json()
    sub = r.get_json()
    assert (sub["filename"], sub["doc_type_name"], sub["size"]) == ("Tờ trình 45.pdf", "Tờ trình", len(PDF))
    assert sub["sha256"] == hashlib.sha256(PDF).hexdigest() and sub["content_type"] == "application/pdf"
    r = upload(officer, f"/dossiers/{d['id']}/attachments", b"report", filename="bao-cao-an.docx",
               doc_type="bao_cao_thanh_tich", nomination_id=str(ids[0]))
    assert r.status_code == 201 and r.get_json()["nomination_id"] == ids[0]
    # The nominee's history shows the report attached through the dossier.
    events = officer.get(f"/nominations/{ids[0]}/history").get_json()["items"]
    assert events[-1]["action"] == "attach" and events[-1]["payload"]["doc_type"] == "bao_cao_thanh_tich"

    officer.post(f"/dossiers/{d['id']}/submit")
    reviewer = login("bo.chuyenvien")
    listed = reviewer.get(f"/dossiers/{d['id']}/attachments").get_json()["items"]
    assert [(a["doc_type"], a["nomination_id"]) for a in listed] == [("to_trinh", None), ("bao_cao_thanh_tich", ids[0])]
    r = reviewer.get(f"/dossiers/{d['id']}/attachments/{sub['id']}")
    assert r.status_code == 200 and r.data == PDF
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Content-Disposition"].startswith("attachment;")
    # The ministry reads; only the unit that made the dossier attaches to it.
    assert upload(reviewer, f"/dossiers/{d['id']}/attachments", PDF, filename="x.pdf",
                  doc_type="to_trinh").status_code == 403


def test_file_names_are_made_safe_and_only_document_types_are_taken(login, open_plan):
    officer = login("vtc.canbo")
    d = open_dossier(officer, open_plan)
    path = f"/dossiers/{d['id']}/attachments"
    r = upload(officer, path, PDF, filename="../../etc/passwd.pdf", doc_type="to_trinh")
    assert r.status_code == 201 and r.get_json()["filename"] == "passwd.pdf"
    r = upload(officer, path, PDF, filename="..\\..\\windows\\bien<ban>.PDF", doc_type="bien_ban_binh_xet")
    # (how much of a Windows path survives depends on the web server; nothing of it may)
    name = r.get_json()["filename"]
    assert r.status_code == 201 and name.endswith("bien_ban_.pdf")
    assert not {"/", "\\", "<", ">"} & set(name) and ".." not in name
    for name in ("virus.exe", "trang.html", "no-extension"):
        r = upload(officer, path, PDF, filename=name, doc_type="to_trinh")
        assert r.status_code == 422 and r.get_json()["error"]["field"] == "file", name
    assert upload(officer, path, PDF, filename="a.pdf", doc_type="bi_mat").status_code == 422
    assert upload(officer, path, b"", filename="a.pdf", doc_type="to_trinh").status_code == 422
    big = b"0" * (10 * 1024 * 1024 + 1)
    r = upload(officer, path, big, filename="lon.pdf", doc_type="to_trinh")
    assert r.status_code == 422 and "10 MB" in r.get_json()["error"]["message"]
    r = upload(officer, path, PDF, filename="a.pdf", doc_type="bao_cao_thanh_tich", nomination_id="999999")
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "nomination_id"


def test_another_unit_neither_sees_nor_downloads_the_documents(login, open_plan):
    officer = login("vtc.canbo")
    d = open_dossier(officer, open_plan)
    a = upload(officer, f"/dossiers/{d['id']}/attachments", PDF, filename="a.pdf", doc_type="to_trinh").get_json()
    other = login("baochi.canbo")
    assert other.get(f"/dossiers/{d['id']}/attachments/{a['id']}").status_code == 404
    assert other.get(f"/dossiers/{d['id']}/attachments").status_code == 404
    # An attachment id under a dossier it does not belong to is not found either.
    d2 = open_dossier(officer, open_plan, "46/TTr-VTC")
    assert officer.get(f"/dossiers/{d2['id']}/attachments/{a['id']}").status_code == 404
