"""One paper rendered in the process that runs this file as a script: a fresh interpreter that
imports only what the paper needs (Typst for a PDF: about 17 MB before it lays out a page;
python-docx and lxml for a Word file), renders it and ends. Typst's memoization and the
malloc'd memory of a large Word document never accumulate in the server (workflow/documents/pdf.py).

    python -I render_worker.py < args.json > paper

`args`: {"engine": "typst", path, root, fonts, payload, format, ppi, timestamp} or
{"engine": "docx", package, kind, data, overrides}; an error is written to stderr with exit
status 3. Runs by path: `package` (the folder holding `workflow/`) is put on sys.path for the
Word engine, which imports workflow/documents/docx.py, so the worker runs the server's own code.
"""
import json
import sys


def compile_typst(args: dict) -> bytes:
    import typst
    out = typst.compile(args["path"], root=args["root"], font_paths=[args["fonts"]], ignore_system_fonts=True,
                        sys_inputs={"data": args["payload"]}, format=args["format"], ppi=args["ppi"],
                        timestamp=args["timestamp"])
    assert isinstance(out, bytes)
    return out


def render_docx(args: dict) -> bytes:
    from pathlib import Path
    sys.path.insert(0, args["package"])
    from workflow.documents import docx as papers_docx
    overrides = Path(args["overrides"]) if args.get("overrides") else None
    return papers_docx.render(args["kind"], args["data"], overrides)


def main() -> int:
    del sys.path[0]  # this file's folder: its docx.py must not hide python-docx
    args = json.loads(sys.stdin.buffer.read())
    try:
        out = compile_typst(args) if args["engine"] == "typst" else render_docx(args)
    except Exception as e:  # TypstError, a broken office template: the message is what the caller reports
        sys.stderr.write(f"{type(e).__name__}: {e}")
        return 3
    sys.stdout.buffer.write(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
