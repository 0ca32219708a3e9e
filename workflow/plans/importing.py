"""POST /plans/import: a plan's text (pasted, or a .txt / .docx file) read into a proposal.

Nothing is saved: the proposal is what `workflow/plans/reading.py` reads, shown to a person who
corrects it and saves it through `create_plan`. Who may ask is whoever may create plans
(`PLAN_ISSUERS`). Bad input is refused with a message saying what is wrong, before any reading:
an empty text, a file that is not text (a PDF or a zip renamed .txt, any binary), text that is
not UTF-8, text over 5 MB, and a text in which no date can be recognised at all.
"""
from __future__ import annotations

import io
import zipfile

from sqlalchemy import select

from workflow.access.loading import load_actor
from workflow.access.policy import PLAN_ISSUERS
from workflow.calendar.timelimits import calendar_for
from workflow.errors import Forbidden, InvalidInput
from workflow.kernel.db import Database
from workflow.models import AwardType
from workflow.plans.reading import read_plan

MAX_TEXT_BYTES = 5 * 1024 * 1024

# The first bytes of the files people rename to .txt by mistake.
_SIGNATURES = (
    (b"%PDF", "PDF"), (b"PK\x03\x04", "ZIP"), (b"\xd0\xcf\x11\xe0", "Word 97-2003 (.doc)"),
    (b"{\\rtf", "RTF"), (b"\x89PNG", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF8", "GIF"),
    (b"\x1f\x8b", "gzip"),
)


def _refuse(vi: str, en: str, field: str = "text") -> InvalidInput:
    return InvalidInput(vi, en, field=field)


def text_of_upload(filename: str | None, data: bytes) -> str:
    """The text of an uploaded .txt (UTF-8) or .docx; anything else is refused, the bytes sniffed
    whatever the file's name says."""
    name = (filename or "").lower()
    if len(data) > MAX_TEXT_BYTES:
        raise _refuse("Tệp quá lớn: tối đa 5 MB", "The file is too large: 5 MB at most", "file")
    if name.endswith(".docx"):
        return _docx_text(data)
    for magic, kind in _SIGNATURES:
        if data.startswith(magic):
            raise _refuse(f"Tệp không phải văn bản thuần (.txt) mà là {kind}; "
                          "hãy dán nội dung hoặc tải lên tệp .txt, .docx",
                          f"The file is not plain text (.txt) but {kind}; paste the text or upload a .txt or .docx",
                          "file")
    if b"\x00" in data[:8192]:
        raise _refuse("Tệp có dữ liệu nhị phân, không phải văn bản", "The file holds binary data, not text", "file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse("Tệp không được mã hóa UTF-8; hãy lưu lại dưới dạng UTF-8",
                      "The file is not UTF-8 encoded; save it again as UTF-8", "file") from None


def _docx_text(data: bytes) -> str:
    from docx import Document  # python-docx, already used for the papers
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    try:
        doc = Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise _refuse("Tệp .docx bị hỏng hoặc không phải tệp Word", "The .docx file is damaged or not a Word file",
                      "file") from None
    lines: list[str] = []
    # In document order. A Word plan's heading is a two-column table (issuer | motto, number |
    # place and date): each row becomes one line with its cells apart by a tab.
    for child in doc.element.body.iterchildren():
        if child.tag.endswith("}p"):
            lines.append(Paragraph(child, doc).text)
        elif child.tag.endswith("}tbl"):
            for row in Table(child, doc).rows:
                lines.append("\t".join(cell.text.replace("\n", " ") for cell in row.cells))
    return "\n".join(lines)


def propose(db: Database, actor_id: int, text, *, strict_before: bool = True) -> dict:
    """`{"plan", "warnings"}` read from `text`; nothing is written."""
    if not isinstance(text, str):
        raise _refuse("text phải là chuỗi văn bản", "text must be a string")
    if len(text.encode("utf-8")) > MAX_TEXT_BYTES:
        raise _refuse("Văn bản quá dài: tối đa 5 MB", "The text is too long: 5 MB at most")
    if not text.strip():
        raise _refuse("Văn bản trống: hãy dán nội dung kế hoạch", "The text is empty: paste the plan's text")
    with db.read() as s:
        actor = load_actor(s, actor_id)
        if actor.role not in PLAN_ISSUERS:
            raise Forbidden("Vai trò này không được lập kế hoạch", "This role may not create plans")
        catalogue = [(c, n) for c, n in s.execute(select(AwardType.code, AwardType.name_vi))]
        calendar = calendar_for(s)
    proposal = read_plan(text, catalogue=catalogue or None, strict_before=strict_before, calendar=calendar)
    plan = proposal.plan
    if not plan["issued_on"] and not plan["milestones"] and not plan["issued_text"]:
        raise _refuse("Không nhận ra ngày tháng nào trong văn bản (ngày ban hành hay thời hạn): đây có phải "
                      "là một kế hoạch?", "No date could be recognised in the text (issue date or deadline): "
                      "is this a plan?")
    return proposal.to_dict()
