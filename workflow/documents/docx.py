"""Word papers (.docx, editable) drawn by python-docx from the same content as the PDF.

ND 30/2020 layout: A4, margins 20 / 20 / 30 / 15 mm, Times New Roman 13–14 pt (Word substitutes
a metric-compatible font where it is missing); the heading in a borderless two-column table.
An office's own base document (`<instance>/papers/<kind>.docx`, e.g. with its styles) is used as
the starting document when present; its body is replaced.
"""
import io
from copy import deepcopy
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FONT = "Times New Roman"
CENTER, JUSTIFY, RIGHT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.RIGHT


def _new(kind: str, overrides: Path | None, landscape: bool):
    base = overrides / f"{kind}.docx" if overrides is not None else None
    doc = Document(str(base)) if base is not None and base.is_file() else Document()
    if base is not None and base.is_file():
        body = doc.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(13.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(3)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    sec.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(20), Mm(20), Mm(30), Mm(15)
    return doc


def _para(container, text: str = "", *, bold=False, italic=False, size=None, align=None, indent=False,
          underline=False):
    p = container.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Mm(10)
    p.paragraph_format.space_after = Pt(3)
    if text:
        _run(p, text, bold=bold, italic=italic, size=size, underline=underline)
    return p


def _run(p, text, *, bold=False, italic=False, size=None, underline=False):
    r = p.add_run(text)
    r.bold, r.italic, r.underline = bold, italic, underline
    if size:
        r.font.size = Pt(size)
    return r


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        e = OxmlElement(f"w:{edge}")
        e.set(qn("w:val"), "nil")
        borders.append(e)
    tbl_pr.append(borders)


def _heading(doc, h: dict) -> None:
    t = doc.add_table(rows=1, cols=2)
    _no_borders(t)
    left, right = t.rows[0].cells
    left.width, right.width = Mm(68), Mm(97)
    left.paragraphs[0].alignment = CENTER
    if h["parent"]:
        _run(left.paragraphs[0], h["parent"], size=12.5)
        _para(left, h["org"], bold=True, size=12.5, align=CENTER, underline=True)
    else:
        _run(left.paragraphs[0], h["org"], bold=True, size=12.5, underline=True)
    if h["number"]:
        _para(left, h["number"], size=13, align=CENTER)
    right.paragraphs[0].alignment = CENTER
    _run(right.paragraphs[0], h["quoc_hieu"], bold=True, size=12.5)
    _para(right, h["tieu_ngu"], bold=True, size=13.5, align=CENTER, underline=True)
    if h["place_date"]:
        _para(right, h["place_date"], italic=True, size=13.5, align=CENTER)


def _table(doc, t: dict) -> None:
    """The table, its rows cloned from two prototype rows (python-docx's add_row is quadratic:
    a 500-row list would take seconds)."""
    n = len(t["columns"])
    table = doc.add_table(rows=3, cols=n)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header, plain, merged_row = table.rows
    for cell, name in zip(header.cells, t["columns"]):
        cell.paragraphs[0].alignment = CENTER
        _run(cell.paragraphs[0], name, bold=True, size=12)
    for cell in plain.cells:
        _run(cell.paragraphs[0], "x", size=12)
    merged = merged_row.cells[0].merge(merged_row.cells[-1])
    _run(merged.paragraphs[0], "x", bold=True, size=12)
    plain_tr, merged_tr = plain._tr, merged_row._tr
    tbl = table._tbl
    for row in t["rows"]:
        if isinstance(row, dict):
            tr = deepcopy(merged_tr)
            texts = [row.get("group") or row.get("total") or ""]
            if "total" in row:
                p_pr = tr.find(".//" + qn("w:pPr"))
                if p_pr is None:
                    p_pr = OxmlElement("w:pPr")
                    tr.find(".//" + qn("w:p")).insert(0, p_pr)
                jc = OxmlElement("w:jc")
                jc.set(qn("w:val"), "right")
                p_pr.append(jc)
        else:
            tr, texts = deepcopy(plain_tr), list(row)
        for node, value in zip(tr.iter(qn("w:t")), texts):
            node.text = value
            node.set(qn("xml:space"), "preserve")
        tbl.append(tr)
    tbl.remove(plain_tr)
    tbl.remove(merged_tr)


def _blocks(doc, blocks: list[dict]) -> None:
    for b in blocks:
        if b["type"] == "table":
            _table(doc, b)
            continue
        text = b["text"]
        center = b.get("center", False)
        p = _para(doc, align=CENTER if center else JUSTIFY, indent=not center)
        lead = b.get("lead")
        if lead and text.startswith(lead):
            _run(p, lead, bold=True)
            text = text[len(lead):]
        _run(p, text, bold=b.get("bold", False), italic=b.get("italic", False))


def _sign(cell, s: dict) -> None:
    cell.paragraphs[0].alignment = CENTER
    if s["kt"]:
        _run(cell.paragraphs[0], s["kt"], bold=True)
        _para(cell, s["title"], bold=True, align=CENTER)
    else:
        _run(cell.paragraphs[0], s["title"], bold=True)
    for _ in range(4):
        _para(cell)
    _para(cell, s["name"], bold=True, align=CENTER)


def _closing(doc, d: dict) -> None:
    sigs, recips = d.get("signatures") or [], d.get("recipients") or []
    if not sigs and not recips:
        return
    t = doc.add_table(rows=1, cols=2)
    _no_borders(t)
    left, right = t.rows[0].cells
    if len(sigs) == 2:
        _sign(left, sigs[0])
        _sign(right, sigs[1])
        return
    if recips:
        _run(left.paragraphs[0], "Nơi nhận:", bold=True, italic=True, size=12)
        for r in recips:
            _para(left, f"- {r}", size=11)
    if sigs:
        _sign(right, sigs[0])


def render(kind: str, data: dict, overrides: Path | None = None) -> bytes:
    """The .docx of a paper of `kind` (not the certificates, which are printed from the PDF), built
    in this process; the server calls pdf.render_docx, which runs this in a worker process."""
    doc = _new(kind, overrides, data.get("landscape", False))
    doc.core_properties.title = f"{data['title']} {data['heading']['number']}".strip()
    _heading(doc, data["heading"])
    _para(doc)
    _para(doc, data["title"], bold=True, size=14, align=CENTER)
    if data.get("subject"):
        _para(doc, data["subject"], bold=True, size=14, align=CENTER)
    if data.get("addressee"):
        _para(doc, data["addressee"], size=14, align=CENTER)
    _blocks(doc, data["blocks"])
    _closing(doc, data)
    annex = data.get("annex")
    if annex:
        doc.add_page_break()
        _heading(doc, {**data["heading"], "number": "", "place_date": ""})
        _para(doc)
        _para(doc, annex["title"], bold=True, size=14, align=CENTER)
        _para(doc, annex["subtitle"], italic=True, size=13, align=CENTER)
        _table(doc, annex["table"])
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
