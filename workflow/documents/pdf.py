"""PDF papers rendered by Typst (the `typst` package: a pip-only path, no system packages).

Templates are files (workflow/documents/templates/*.typ); an office replaces one by putting a
file of the same name in `<instance>/papers/`. Fonts ship with the package (Liberation Serif,
metric-compatible with Times New Roman, SIL OFL 1.1) and system fonts are not consulted, so a
paper looks the same on every machine.

Typst memoizes what it laid out for the process's lifetime (about ten compilations' worth: some
200 MB after a few 500-row lists), so the web process does not render itself: each paper is
compiled by a fresh short-lived Python process that imports Typst alone (17 MB before layout,
some 60 MB at most for a 500-row list) and ends, at most CONCURRENT_RENDERS at once. A pool of
long-lived workers (the first design) held their memoization between papers and, with
multiprocessing's resource tracker, took the server's process tree to 330 MB
(bench/README.md, "documents"). Starting an interpreter costs some 50 ms a paper.
`KHENTHUONG_PAPERS_INPROCESS=1` renders in the calling process instead.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
FONTS = HERE / "fonts"


def render(kind: str, data: dict, overrides: Path | None = None, *, fmt: str = "pdf") -> bytes:
    """The PDF (or, for previews, PNG) of a paper of `kind` (to-trinh, danh-sach, bien-ban,
    quyet-dinh, certificates). An office's own `<kind>.typ` or `nd30.typ` in `overrides` replaces
    the package's file of that name."""
    name = f"{kind}.typ"
    own = [f for f in (name, "nd30.typ") if overrides is not None and (overrides / f).is_file()]
    if not own:
        return _compile(TEMPLATES, name, data, fmt)
    office = overrides or TEMPLATES
    with tempfile.TemporaryDirectory() as tmp:
        for f in (name, "nd30.typ"):
            shutil.copy((office if f in own else TEMPLATES) / f, Path(tmp) / f)
        return _compile(Path(tmp), name, data, fmt)


# At most this many Typst processes at once (the machine has two cores).
CONCURRENT_RENDERS = max(1, min(2, os.cpu_count() or 1))
_slots = threading.BoundedSemaphore(CONCURRENT_RENDERS)
RENDER_TIMEOUT_S = 300

WORKER = HERE / "render_worker.py"
# One layout thread per worker: Typst's parallel layout held 95 MB for 500 certificates where one
# thread holds 69 MB, and was no faster on two cores (bench/README.md, "documents").
_WORKER_ENV = {**os.environ, "RAYON_NUM_THREADS": os.environ.get("RAYON_NUM_THREADS", "1")}
PACKAGE_ROOT = HERE.parent.parent  # the folder holding workflow/


def _args(folder: str, name: str, payload: str, fmt: str, timestamp: int | None) -> dict:
    return {"path": str(Path(folder) / name), "root": folder, "fonts": str(FONTS), "payload": payload,
            "format": "png" if fmt == "png" else "pdf", "ppi": 60 if fmt == "png" else None,
            # A paper's bytes depend on its data only (its date, not the clock), so a copy signed
            # elsewhere can be matched to the paper it started from.
            "timestamp": timestamp}


def _compile(folder: Path, name: str, data: dict, fmt: str = "pdf") -> bytes:
    payload = json.dumps(data, ensure_ascii=False)
    if in_process():
        return compile_file(str(folder), name, payload, fmt, data.get("timestamp"))
    return in_worker({"engine": "typst", **_args(str(folder), name, payload, fmt, data.get("timestamp"))}, "Typst")


def in_worker(args: dict, what: str) -> bytes:
    """Run render_worker.py on `args` in a fresh interpreter (at most CONCURRENT_RENDERS at once)."""
    body = json.dumps(args, ensure_ascii=False).encode()
    with _slots:
        done = subprocess.run([sys.executable, "-I", str(WORKER)], input=body, capture_output=True,
                              timeout=RENDER_TIMEOUT_S, check=False, env=_WORKER_ENV)
    del body, args
    _trim()
    if done.returncode != 0:
        raise RuntimeError(f"{what}: {done.stderr.decode('utf-8', 'replace')[-2000:]}")
    return done.stdout


def render_docx(kind: str, data: dict, overrides: Path | None = None) -> bytes:
    """The .docx of a paper (workflow/documents/docx.py), built in a worker process like the PDFs
    unless KHENTHUONG_PAPERS_INPROCESS=1: python-docx, lxml and the memory of a 500-row list stay
    out of the server (which glibc would not give back: 15-20 MB more after each large list)."""
    if in_process():
        from workflow.documents import docx
        return docx.render(kind, data, overrides)
    return in_worker({"engine": "docx", "package": str(PACKAGE_ROOT), "kind": kind, "data": data,
                      "overrides": str(overrides) if overrides else None}, "Word")


def _trim() -> None:
    """Give the server's freed memory back to the system after a large paper's data (glibc keeps
    freed blocks otherwise: the server grew some 3 MB a 500-row paper). No-op without glibc."""
    import ctypes
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def in_process() -> bool:
    return os.environ.get("KHENTHUONG_PAPERS_INPROCESS") == "1"


def compile_file(folder: str, name: str, payload: str, fmt: str, timestamp: int | None) -> bytes:
    """One Typst compilation in this process (KHENTHUONG_PAPERS_INPROCESS=1); errors as RuntimeError."""
    from workflow.documents.render_worker import compile_typst
    try:
        return compile_typst(_args(folder, name, payload, fmt, timestamp))
    except Exception as e:  # TypstError
        raise RuntimeError(f"Typst: {e}") from None
