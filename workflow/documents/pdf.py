"""PDF papers rendered by Typst (the `typst` package: a pip-only path, no system packages).

Templates are files (workflow/documents/templates/*.typ); an office replaces one by putting a
file of the same name in `<instance>/papers/`. Fonts ship with the package (Liberation Serif,
metric-compatible with Times New Roman, SIL OFL 1.1) and system fonts are not consulted, so a
paper looks the same on every machine.

Typst memoizes what it laid out for the process's lifetime (about ten compilations' worth: some
200 MB after a few 500-row lists), so the web process does not render itself: a small pool of
worker processes does, each replaced after RENDERS_PER_WORKER papers, and the server's memory stays
where it was. `KHENTHUONG_PAPERS_INPROCESS=1` renders in the calling process instead.
"""
import json
import multiprocessing
import os
import shutil
import tempfile
import threading
from concurrent.futures import ProcessPoolExecutor
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


RENDERS_PER_WORKER = 6
_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


def _workers() -> ProcessPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(max_workers=min(2, os.cpu_count() or 1),
                                        mp_context=multiprocessing.get_context("spawn"),
                                        max_tasks_per_child=RENDERS_PER_WORKER)
        return _pool


def _compile(folder: Path, name: str, data: dict, fmt: str = "pdf") -> bytes:
    payload = json.dumps(data, ensure_ascii=False)
    if os.environ.get("KHENTHUONG_PAPERS_INPROCESS") == "1":
        return compile_file(str(folder), name, payload, fmt, data.get("timestamp"))
    return _workers().submit(compile_file, str(folder), name, payload, fmt, data.get("timestamp")).result()


def compile_file(folder: str, name: str, payload: str, fmt: str, timestamp: int | None) -> bytes:
    """One Typst compilation (runs in a worker process); errors come back as RuntimeError."""
    import typst
    try:
        out = typst.compile(str(Path(folder) / name), root=folder, font_paths=[str(FONTS)], ignore_system_fonts=True,
                            sys_inputs={"data": payload},
                            format="png" if fmt == "png" else "pdf", ppi=60 if fmt == "png" else None,
                            # A paper's bytes depend on its data only (its date, not the clock), so a copy
                            # signed elsewhere can be matched to the paper it started from.
                            timestamp=timestamp)
    except Exception as e:  # TypstError does not cross a process boundary
        raise RuntimeError(f"Typst: {e}") from None
    assert isinstance(out, bytes)
    return out
