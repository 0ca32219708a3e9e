"""Papers at size: a 500-nominee dossier's tờ trình and list, a 500-awardee decision with its
list, and its 500 certificates, each as the service renders them (Word and PDF).

    python -m bench documents [--n 500] [--db URL]

Builds a scratch database with the demo, adds `--n` nominees to one dossier of VTC and awards
them by one decision (rows written directly: the engine is not what is measured), then times
each paper in this process, then fetches them from a `khenthuong serve` over HTTP and reads
the server's peak RSS and the peak of its whole process tree (serve and the render workers that
Typst and python-docx run in). Ends with one JSON line of figures. Targets (2 cores): tờ trình +
list ≤ 3 s, decision + list ≤ 3 s, 500 certificates ≤ 10 s, serve (with its workers) ≤ 200 MB.
"""
import resource
import sys
import time
from datetime import timedelta

from sqlalchemy import select

from bench.common import NOW, arguments, emit, machine, scratch_database

FIRST = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ")
MIDDLE = ("Thị", "Văn", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Hồng")
LAST = ("Ánh", "Bình", "Cường", "Dũng", "Giang", "Hương", "Khánh", "Lộc", "Nhung", "Tuyết", "Quân", "Thủy")


def build(db, n: int) -> tuple[int, int, int, int]:
    """(officer id, dossier id, decision id, leader id): one VTC dossier of `n` nominees, awarded."""
    from workflow.decisions import numbering
    from workflow.models import Decision, Dossier, DossierNomination, Nomination, OrgUnit, Plan, User
    with db.write() as s:
        officer = s.execute(select(User).where(User.username == "vtc.canbo")).scalar_one()
        leader = s.execute(select(User).where(User.username == "bo.lanhdao")).scalar_one()
        unit = s.get(OrgUnit, officer.org_id)
        plan = s.execute(select(Plan).order_by(Plan.id.desc())).scalars().first()
        d = Dossier(number="45/TTr-VTC", kind="unit", org_id=unit.id, addressed_org_id=unit.parent_id,
                    plan_id=plan.id, state="submitted", version=1, created_at=NOW, submitted_at=NOW, audit_seq=0)
        day = (NOW + timedelta(days=3)).date()
        dec = Decision(number="1500/QĐ-BKHCN", decided_on=day, org_id=leader.org_id,
                       signer="Thứ trưởng Phạm Đức Long", on_behalf_of="KT. BỘ TRƯỞNG", created_at=NOW,
                       **numbering.fields("1500/QĐ-BKHCN", day))
        s.add_all([d, dec])
        s.flush()
        for i in range(n):
            name = f"{FIRST[i % 10]} {MIDDLE[(i // 10) % 8]} {LAST[(i // 80) % 12]} {i + 1}"
            kind = "collective" if i % 10 == 9 else "individual"
            nom = Nomination(plan_id=plan.id, award_code="bang_khen_bo", unit_id=unit.id, nominee_kind=kind,
                             nominee_name=name, nominee_key=name.lower(), nominee_title="Phóng viên",
                             achievements="Hoàn thành xuất sắc nhiệm vụ", state="awarded", version=1,
                             route="ministry", decision_id=dec.id, dossier_id=d.id, created_at=NOW, updated_at=NOW,
                             audit_seq=0)
            s.add(nom)
            s.flush()
            s.add(DossierNomination(dossier_id=d.id, nomination_id=nom.id, position=i + 1, added_at=NOW))
        return officer.id, d.id, dec.id, leader.id


def timed(fn) -> tuple[float, int]:
    t = time.perf_counter()
    out = fn()
    return round(time.perf_counter() - t, 3), len(out.data)


def through_serve(db, dossier_id: int, decision_id: int) -> dict:
    """The same papers fetched from `khenthuong serve` over HTTP: seconds each, the server's peak
    RSS (VmHWM) afterwards, and the peak of the whole process tree's RSS (serve and its Typst
    workers, summed; sampled during the fetches). Target: ≤ 200 MB."""
    import http.client
    import os
    import tempfile

    from bench.common import PASSWORD
    from bench.load import get_token, wait_ready
    from bench.web import TreeSampler, free_port, rss_peak_mb, server_pid, start, stop

    out: dict = {}
    with tempfile.TemporaryDirectory(prefix="kt-bench-papers-") as instance:
        env = {**os.environ, "KHENTHUONG_DATABASE_URL": db.url, "KHENTHUONG_SECRET_KEY": "bench",
               "KHENTHUONG_INSTANCE": instance}
        port = free_port()
        serve = start([sys.executable, "-m", "web.cli", "serve", "--port", str(port), "--no-scheduler"], env)
        sampler = None
        try:
            wait_ready(port)
            server = server_pid(serve.pid)  # the supervised child that serves (web/cli/supervise.py)
            sampler = TreeSampler(server)
            sampler.start()
            paths = {"vtc.canbo": [f"/api/v1/dossiers/{dossier_id}/documents/to-trinh.pdf",
                                   f"/api/v1/dossiers/{dossier_id}/documents/danh-sach.docx",
                                   f"/api/v1/dossiers/{dossier_id}/documents/danh-sach.pdf"],
                     "bo.lanhdao": [f"/api/v1/decisions/{decision_id}/document.pdf",
                                    f"/api/v1/decisions/{decision_id}/document.docx",
                                    f"/api/v1/decisions/{decision_id}/certificates.pdf"]}
            for user, urls in paths.items():
                token = get_token(port, user, PASSWORD)
                for url in urls:
                    t = time.perf_counter()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                    conn.request("GET", url, headers={"Authorization": f"Bearer {token}"})
                    resp = conn.getresponse()
                    body = resp.read()
                    conn.close()
                    assert resp.status == 200, (url, resp.status, body[:200])
                    name = url.rsplit("/", 1)[1].replace(".", "_").replace("-", "_")
                    out[f"serve_{name}_s"] = round(time.perf_counter() - t, 3)
            out["serve_peak_rss_mb"] = round(rss_peak_mb(server), 1)
            out.update(sampler.stop())
            sampler = None
        finally:
            if sampler is not None:
                sampler.stop()
            stop(serve)
    return out


def main(argv=None) -> dict:
    args = arguments("documents", __doc__, 500, "nominees in the dossier and awardees of the decision").parse_args(argv)
    from workflow.documents import service as papers
    figures: dict = {"machine": machine(), "n": args.n}
    with scratch_database(args.db) as db:
        officer, dossier_id, decision_id, leader = build(db, args.n)
        figures["db"] = db.dialect
        figures["peak_rss_before_papers_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        runs = {
            "to_trinh_docx": lambda: papers.dossier_paper(db, officer, dossier_id, "to-trinh", "docx", now=NOW),
            "to_trinh_pdf": lambda: papers.dossier_paper(db, officer, dossier_id, "to-trinh", "pdf", now=NOW),
            "danh_sach_docx": lambda: papers.dossier_paper(db, officer, dossier_id, "danh-sach", "docx", now=NOW),
            "danh_sach_pdf": lambda: papers.dossier_paper(db, officer, dossier_id, "danh-sach", "pdf", now=NOW),
            "decision_docx": lambda: papers.decision_paper(db, leader, decision_id, "docx"),
            "decision_pdf": lambda: papers.decision_paper(db, leader, decision_id, "pdf"),
            "certificates_pdf": lambda: papers.certificates(db, leader, decision_id),
        }
        for name, fn in runs.items():
            seconds, size = timed(fn)
            figures[f"{name}_s"] = seconds
            figures[f"{name}_kb"] = size // 1024
            print(f"{name:18} {seconds:7.3f} s  {size // 1024:6d} KB", file=sys.stderr)
        figures.update(through_serve(db, dossier_id, decision_id))
    figures["to_trinh_and_list_s"] = round(sum(figures[f"{k}_s"] for k in (
        "to_trinh_docx", "to_trinh_pdf", "danh_sach_docx", "danh_sach_pdf")), 3)
    figures["decision_and_list_s"] = round(figures["decision_docx_s"] + figures["decision_pdf_s"], 3)
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    # Typst runs in worker processes (workflow/documents/pdf.py): the largest one that has ended.
    figures["render_worker_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    print(f"serve peak RSS {figures['serve_peak_rss_mb']} MB (VmHWM); serve + Typst workers "
          f"{figures['serve_tree_peak_rss_mb']} MB at peak (sum sampled every 50 ms; workers alone "
          f"{figures['render_workers_peak_rss_mb']} MB, at most {figures['render_workers_max']} processes)",
          file=sys.stderr)
    return emit("documents", figures)


if __name__ == "__main__":
    main()
