"""PDF papers rendered by Typst (the `typst` package: a pip-only path, no system packages).

Templates are files (workflow/documents/templates/*.typ); an office replaces one by putting a
file of the same name in `<instance>/papers/`. Fonts ship with the package (Liberation Serif,
metric-compatible with Times New Roman, SIL OFL 1.1) and system fonts are not consulted, so a
paper looks the same on every machine.
"""
import json
import shutil
import tempfile
from pathlib import Path

import typst

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


def _compile(folder: Path, name: str, data: dict, fmt: str = "pdf") -> bytes:
    out = typst.compile(str(folder / name), root=str(folder), font_paths=[str(FONTS)], ignore_system_fonts=True,
                        sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
                        format="png" if fmt == "png" else "pdf", ppi=60 if fmt == "png" else None,
                        # A paper's bytes depend on its data only (its date, not the clock), so a copy
                        # signed elsewhere can be matched to the paper it started from.
                        timestamp=data.get("timestamp"))
    assert isinstance(out, bytes)
    return out
