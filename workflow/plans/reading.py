"""A plan read from its own text: `read_plan(text) -> Proposal`.

An office receives a Kế hoạch thi đua, khen thưởng as a Word file or a scan turned into text.
`read_plan` reads what the text itself states — the number as written (a blank number
"Số: /KH-BTTTT" stays blank), the issuing body, place and date, title, kind, legal basis and the
parent plan it answers, the period, the award forms named (mapped to the catalogue), who is
charged with what, the recipients (Nơi nhận) and every dated requirement (milestone) with the
sentence it came from. Every field carries its 1-based line; whatever cannot be read is a
warning (Vietnamese and English), never a guess. Nothing is saved: the proposal is shown to a
person who corrects it and saves it through the plan service (notes/plan_schema.md).

How dates are told apart (shared/domain.md §7): a date in parentheses or quotation marks only
describes ("(06/01/1946 - 06/01/2026)"); a date right after a document's number or a law is a
citation ("Quyết định số 368/QĐ-TTg ngày 11/4/2023"); "giai đoạn 2021 - 2025", "nhiệm kỳ …" and
a bare range of years name a period; a bare date with no preposition describes ("nhiệm vụ của
năm 2023"). What is left, introduced by "trước", "từ … đến …", "đến hết", "chậm nhất", "trong",
"vào (dịp)" or a "Thời gian/Thời hạn …:" label, is a milestone, read by
`workflow.calendar.deadlines.parse_deadline`. A "vào/trong" date that ends before the plan can
have been written (its issue date, else the latest date it cites) is history, not a deadline.

The reader is pure (no database) and fast: the text is folded once per line (lower case, no
diacritics, same length, so a match in the folded text is the same span of the written text).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from collections.abc import Iterable

from workflow.calendar.deadlines import Deadline, DeadlineParseError, parse_deadline
from workflow.calendar.milestones import milestone_warnings
from workflow.calendar.workdays import WorkCalendar
from workflow.text import clean

__all__ = ["Proposal", "read_plan", "KINDS", "PURPOSES"]

KINDS = ("annual", "thematic", "congress", "campaign", "other")
PURPOSES = ("submission", "report", "event")


# ---- folding: lower case, no diacritics, one character for one character ---------------------

def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {ord("đ"): "d", ord("Đ"): "d", ord("–"): "-", ord("—"): "-", ord("−"): "-",
                             ord("\u00a0"): " ", ord("\t"): " "}
    for code in list(range(0x41, 0x5B)) + list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        ch = chr(code)
        base = unicodedata.normalize("NFD", ch.lower())[:1]
        if base.isascii() and base.isalpha() and base != ch:
            table[code] = base
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    """Lower case without diacritics; `len(fold(s)) == len(s)` (NFC input)."""
    return text.translate(_FOLD)


# ---- the result --------------------------------------------------------------------------------

@dataclass
class Warning_:
    line: int | None
    text: str
    message: str
    message_en: str

    def to_dict(self) -> dict:
        return {"line": self.line, "text": self.text, "message": self.message, "message_en": self.message_en}


@dataclass
class Proposal:
    plan: dict
    warnings: list[Warning_] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"plan": self.plan, "warnings": [w.to_dict() for w in self.warnings]}


@dataclass
class _Line:
    no: int        # 1-based line number
    text: str      # NFC, invisible characters and markdown asterisks removed, spaces collapsed
    folded: str


def _lines(text: str) -> list[_Line]:
    out = []
    for i, raw in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        t = clean(re.sub(r"\*+", " ", raw))  # "**KẾ HOẠCH**", "*3793*": emphasis marks only
        out.append(_Line(i, t, fold(t)))
    return out


_PUBLIC_HOLIDAYS = WorkCalendar()  # weekends and the Labour Code's holidays, without an office's own days


class _Reader:
    """One reading; `warn` collects what could not be read."""

    def __init__(self, text: str, catalogue: Iterable[tuple[str, str]] | None, strict_before: bool,
                 calendar: WorkCalendar | None):
        self.lines = _lines(text)
        self.calendar = calendar or _PUBLIC_HOLIDAYS
        self.warnings: list[Warning_] = []
        self.catalogue = list(catalogue) if catalogue is not None else _catalogue()
        self.strict_before = strict_before

    def warn(self, line: int | None, text: str, vi: str, en: str) -> None:
        self.warnings.append(Warning_(line, text, vi, en))


# ---- header: number, issuer, place and date, title -------------------------------------------

_NUMBER = re.compile(r"(?:^|\s)so\s*:\s*(?P<n>(?:[\w.]+\s*)?/\s*[\w.&-]+(?:\s*/\s*[\w.&-]+)*|[\w.-]*\d[\w.-]*)?",
                     re.UNICODE)
_DATE_LINE = re.compile(r",\s*ngay\s*(?P<d>\d{1,2})?\s*(?:thang\s*(?P<m>\d{1,2})?\s*nam\s*(?P<y>\d{4})"
                        r"|/\s*(?P<m2>\d{1,2})\s*/\s*(?P<y2>\d{4}))")
_MOTTO = re.compile(r"cong hoa xa hoi chu nghia viet nam|doc lap\s*-\s*tu do\s*-\s*hanh phuc")
_TITLE_WORD = re.compile(r"^ke hoach\b")
_BODY_START = re.compile(
    r"^(?:bo|uy ban|ubnd|so|ban|hoi dong|hdnd|truong|dai hoc|hoc vien|vien|tong cong ty|cong ty|tap doan"
    r"|tong cuc|cuc|chi cuc|vu|phong|van phong|trung tam|dang uy|dang bo|cong doan|doan|hoi|benh vien|khoa"
    r"|ngan hang|tong lien doan|lien doan|bo chi huy|cong an|toa an|kho bac|chi nhanh|xi nghiep|mat tran"
    r"|tinh uy|thanh uy|huyen uy)\b")


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def _title_index(r: _Reader) -> int | None:
    """The line "KẾ HOẠCH" (capitals) that opens the title, within the first 60 lines."""
    for i, ln in enumerate(r.lines[:60]):
        if ln.text.startswith("KẾ HOẠCH") and _TITLE_WORD.match(ln.folded):
            return i
    return None


def _number(r: _Reader, header: list[_Line], plan: dict) -> None:
    for ln in header:
        m = _NUMBER.search(ln.folded)
        # "ĐẾN Số: 663" is the receiving office's stamp, not the plan's number.
        if m and not re.search(r"\bden\s*$", ln.folded[:m.start() + 1]):
            written = ln.text[m.start("n"):m.end("n")] if m.group("n") else ""
            plan["number"] = re.sub(r"\s*/\s*", "/", written).strip()
            plan["_number_line"] = ln.no
            if not plan["number"] or plan["number"].startswith("/"):
                r.warn(ln.no, ln.text, "Số của kế hoạch để trống", "The plan's number is left blank")
            return
    r.warn(None, "", 'Không thấy số, ký hiệu của kế hoạch (dòng "Số:")',
           'No number and symbol of the plan (a "Số:" line)')


def _place_date(r: _Reader, header: list[_Line], plan: dict) -> None:
    for ln in header:
        m = _DATE_LINE.search(ln.folded)
        if not m:
            continue
        place = _place_before(ln.text[:m.start()])
        d, month, y = m.group("d"), m.group("m") or m.group("m2"), m.group("y") or m.group("y2")
        start = ln.text.rfind(place, 0, m.start()) if place else m.start()
        plan["place"] = place or None
        plan["issued_text"] = ln.text[start:m.end()].strip()
        plan["_issued_line"] = ln.no
        plan["_issued_parts"] = (int(y), int(month) if month else None)
        if d and month:
            try:
                plan["issued_on"] = date(int(y), int(month), int(d)).isoformat()
            except ValueError:
                r.warn(ln.no, plan["issued_text"], "Ngày ban hành không tồn tại", "The issue date does not exist")
        else:
            r.warn(ln.no, plan["issued_text"], "Ngày ban hành để trống: chưa có ngày cụ thể",
                   "The issue date is left blank: no exact day")
        return
    r.warn(None, "", "Không thấy địa danh, ngày ban hành", "No place and date of issue")


def _place_before(text: str) -> str:
    """"Hà Nội", "TP. Hồ Chí Minh": the capitalised words right before ", ngày" (at most five)."""
    words: list[str] = []
    for w in reversed(text.split()):
        if not w[:1].isupper() or any(c.isdigit() or c in "/:;" for c in w) or len(words) == 5:
            break
        if _is_upper(w) and w not in ("TP.", "TP", "TX.", "Tp.") and words:
            break  # a column of capitals before the place ("SỞ NỘI VỤ Thái Nguyên")
        words.append(w)
    return " ".join(reversed(words))


def _issuer(r: _Reader, header: list[_Line], plan: dict) -> None:
    """The capitals of the heading block: each line that starts a body ("BỘ", "SỞ", "UBND"...)
    starts a new one, other lines continue it ("ỦY BAN NHÂN DÂN" / "TỈNH THÁI NGUYÊN")."""
    bodies: list[list] = []
    for ln in header:
        if _NUMBER.search(ln.folded) or _DATE_LINE.search(ln.folded):
            break
        rest = ln.text
        for m in reversed(list(_MOTTO.finditer(ln.folded))):
            rest = rest[:m.start()] + " " + rest[m.end():]
        rest = " ".join(rest.replace("_", " ").split()).strip(" -–")
        if not rest or not _is_upper(rest):
            continue
        if bodies and not _BODY_START.match(fold(rest)):
            bodies[-1][1] += " " + rest
        else:
            bodies.append([ln.no, rest])
    if not bodies:
        r.warn(None, "", "Không thấy tên cơ quan ban hành ở đầu văn bản",
               "No issuing body in the heading of the text")
        return
    plan["issuer"], plan["_issuer_line"] = bodies[-1][1], bodies[-1][0]
    plan["issuer_parent"] = bodies[-2][1] if len(bodies) > 1 else None


_BODY_OPENING = re.compile(r"^(?:can cu|thuc hien|trien khai|de |nham |[ivx]+[.\-)]\s|\d+[.)]\s)")


def _title(r: _Reader, at: int | None, plan: dict) -> int:
    """The title's lines after "KẾ HOẠCH"; returns the index of the first line after the title."""
    if at is None:
        r.warn(None, "", 'Không thấy dòng "KẾ HOẠCH" mở đầu tên kế hoạch', 'No "KẾ HOẠCH" line opening the title')
        return 0
    parts: list[str] = []
    first_line = None
    head = r.lines[at].text[len("KẾ HOẠCH"):].strip()
    if head:
        parts, first_line = [head], r.lines[at].no
    i = at + 1
    while i < len(r.lines) and not parts and not r.lines[i].text:
        i += 1
    # The first line is the title whatever its words ("Triển khai thực hiện phong trào ..."); a
    # following line goes on with it unless it opens the body.
    while i < len(r.lines) and r.lines[i].text and len(parts) < 4 and not (
            parts and _BODY_OPENING.match(r.lines[i].folded)):
        if re.fullmatch(r"[-_=.*\s]+", r.lines[i].text):  # a rule under the title
            break
        parts.append(r.lines[i].text)
        first_line = first_line or r.lines[i].no
        i += 1
    if not parts:
        r.warn(r.lines[at].no, "KẾ HOẠCH", "Không đọc được tên kế hoạch", "Cannot read the plan's title")
        return at + 1
    plan["title"] = " ".join(" ".join(parts).split())
    plan["_title_line"] = first_line
    return i


_ANNUAL = re.compile(r"thi dua,? (?:va )?khen thuong (?:nam|hang nam)|phong trao thi dua(?: yeu nuoc)? nam \d{4}")
_CAMPAIGN_HEAD = re.compile(r"^(?:tuyen truyen|to chuc cac hoat dong ky niem|ky niem)")
_THEMATIC = re.compile(r"chuyen de|phong trao thi dua|dot thi dua")
_CONGRESS = re.compile(r"dai hoi thi dua|hoi nghi dien hinh tien tien|hoi nghi bieu duong")
_CAMPAIGN = re.compile(r"tuyen truyen|ky niem|huong ung|chao mung")


def _kind(title: str | None) -> str:
    """annual, thematic, congress, campaign, other — read from the title (schema order; a title
    that opens with "Tuyên truyền" or "Kỷ niệm" is a campaign whatever it publicises)."""
    t = fold(title or "")
    if _ANNUAL.search(t):
        return "annual"
    if _CAMPAIGN_HEAD.search(t):
        return "campaign"
    for pattern, kind in ((_THEMATIC, "thematic"), (_CONGRESS, "congress"), (_CAMPAIGN, "campaign")):
        if pattern.search(t):
            return kind
    return "other"


# ---- paragraphs and sentences, each character knowing its line ---------------------------------

@dataclass
class _Para:
    text: str
    folded: str
    starts: list[tuple[int, int]]  # (offset in text, line number), ascending

    def line_at(self, offset: int) -> int:
        line = self.starts[0][1]
        for off, no in self.starts:
            if off > offset:
                break
            line = no
        return line


_MARKER = re.compile(r"^(?:\d+(?:\.\d+)*[.)]\s|[a-zđ][).]\s|[-+•]|[ivx]+[.\-)]\s)")


def _paragraphs(lines: list[_Line]) -> list[_Para]:
    """Lines joined where a sentence was broken across them (the next line goes on in lower
    case or with a number, "Kế hoạch số" / "81/KH-UBTVQH15 ..."), blank lines between allowed."""
    paras: list[_Para] = []
    for ln in lines:
        if not ln.text:
            continue
        prev = paras[-1] if paras else None
        goes_on = (prev is not None and prev.text[-1] not in ".;:!?" and not _MARKER.match(ln.folded)
                   and (ln.text[0].islower() or ln.text[0].isdigit()))
        if goes_on and prev is not None:
            prev.starts.append((len(prev.text) + 1, ln.no))
            prev.text += " " + ln.text
            prev.folded += " " + ln.folded
        else:
            paras.append(_Para(ln.text, ln.folded, [(0, ln.no)]))
    return paras


_ABBREV = ("TP", "Tp", "TX", "Q", "P", "ThS", "TS", "PGS", "GS", "Th.S", "v.v")


def _sentences(p: _Para) -> list[tuple[int, int]]:
    """(start, end) offsets of each sentence of a paragraph."""
    out, start = [], 0
    for m in re.finditer(r"[.!?]+\s+", p.text):
        nxt = p.text[m.end():m.end() + 1]
        word = p.text[:m.start()].rsplit(" ", 1)[-1]
        if (nxt.isupper() or nxt in "“\"") and word not in _ABBREV:
            out.append((start, m.start() + 1))
            start = m.end()
    out.append((start, len(p.text)))
    return out


# ---- sections ----------------------------------------------------------------------------------

_ROMAN_HEAD = re.compile(r"^[ivx]+\s*[.\-–)]\s*")
_NUM_HEAD = re.compile(r"^(?:\d+[.)]|[a-zđ]\))\s*")


def _heading(p: _Para) -> str | None:
    """"roman" for "II. NỘI DUNG", "sub" for a short "2. Hình thức khen thưởng" / "a) ..."."""
    if _ROMAN_HEAD.match(p.folded) and _is_upper(p.text[:40]):
        return "roman"
    if _NUM_HEAD.match(p.folded) and (len(p.text) < 120 and p.text[-1] not in ".;" or p.text.endswith(":")):
        return "sub"
    return None


# ---- basis and parent --------------------------------------------------------------------------

_BASIS_START = re.compile(r"^(?:can cu|thuc hien|trien khai|theo)\b")
# ", Bộ Thông tin và Truyền thông ban hành Kế hoạch ... như sau": where the basis ends.
_BASIS_END = re.compile(r",\s*[^,]{2,120}?\b(?:ban hanh|xay dung|trien khai|to chuc)\b[^,]*\bke hoach\b")
_PARENT = re.compile(r"ke hoach (?:so\s*)?(?P<n>[\w.]+\s*/\s*[\w.&-]+(?:/[\w.&-]+)*)\s+ngay\s+"
                     r"(?P<d>\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}|\d{1,2} thang \d{1,2} nam \d{4})"
                     r"(?:\s+cua\s+(?P<who>[^,;()]+?))?(?=\s+(?:ve|v/v|phe duyet|ban hanh|trien khai|huong dan"
                     r"|thuc hien|to chuc|quy dinh|nham)\b|[,;(]|$)")
_CITED_DATE = re.compile(r"ngay\s+(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})|ngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})")


@dataclass
class _Clause:
    text: str
    line: int
    folded: str


def _basis(r: _Reader, preamble: list[_Para], plan: dict) -> None:
    clauses: list[_Clause] = []
    for p in preamble:
        for piece_start, piece in _pieces(p.folded):
            if not _BASIS_START.match(piece.lstrip()):
                continue
            end = len(piece)
            if m := _BASIS_END.search(piece):
                end = m.start()
            a = piece_start + (len(piece) - len(piece.lstrip()))
            b = piece_start + end
            written = p.text[a:b].strip().rstrip(".;,").strip()
            clauses.append(_Clause(written, p.line_at(a), fold(written)))
    plan["basis"] = [{"text": c.text, "line": c.line} for c in clauses]
    plan["parent"] = None
    for c in clauses:
        if m := _PARENT.search(c.folded):
            written = c.text
            who = written[m.start("who"):m.end("who")].strip() if m.group("who") else None
            plan["parent"] = {"number": re.sub(r"\s*/\s*", "/", written[m.start("n"):m.end("n")]),
                              "date": _cited_iso(m.group("d")), "issuer": who, "line": c.line}
            break
    cited = [_cited(m) for c in clauses for m in _CITED_DATE.finditer(c.folded)]
    plan["_cited_latest"] = max((d for d in cited if d), default=None)


def _pieces(folded: str) -> list[tuple[int, str]]:
    """Clauses split at ";" and at sentence ends."""
    out, start = [], 0
    for m in re.finditer(r";|\.\s+(?=\S)", folded):
        out.append((start, folded[start:m.start()]))
        start = m.end()
    out.append((start, folded[start:]))
    return [(s, piece) for s, piece in out if piece.strip()]


def _cited(m: re.Match) -> date | None:
    d, mo, y = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
    try:
        return date(int(y), int(mo), int(d))
    except ValueError:
        return None


def _cited_iso(text: str) -> str | None:
    m = _CITED_DATE.search("ngay " + text)
    d = _cited(m) if m else None
    return d.isoformat() if d else None


# ---- milestones --------------------------------------------------------------------------------

# A time of day before the day ("17h00 ngày 20/12/2026", "17 giờ 30 phút,") or after it ("lúc 17 giờ"),
# and a weekday next to it ("thứ Năm, ngày 20/11/2025"): parse_deadline reads and checks them.
_CLOCK = r"\d{1,2}\s*(?:h|g|gio|:)\s*(?:\d{1,2}\s*(?:phut|p)?)?"
_DAY_LEAD = rf"(?:(?:luc )?{_CLOCK}\s*,?\s*)?(?:(?:thu (?:hai|ba|tu|nam|sau|bay)|chu nhat)\s*,?\s*)?(?:ngay\s+)?"
_DATE_EXPR = (
    rf"{_DAY_LEAD}\d{{1,2}}\s*-\s*\d{{1,2}}\s*/\s*\d{{1,2}}(?:\s*/\s*\d{{4}})?(?!\s*/)"  # "15 - 20/12/2025"
    rf"|{_DAY_LEAD}\d{{1,2}}\s*/\s*\d{{1,2}}(?:\s*/\s*\d{{4}})?(?!\s*/)(?: luc {_CLOCK})?"
    rf"|{_DAY_LEAD}\d{{1,2}}\s*[.-]\s*\d{{1,2}}\s*[.-]\s*\d{{4}}"
    rf"|{_DAY_LEAD}\d{{1,2}} thang \d{{1,2}}(?:,? nam \d{{4}})?"
    r"|ngay \d{1,2}(?=\s*(?:-|den|toi)\s)"  # "từ ngày 15 đến ngày 20/12/2025": the end lends its month
    r"|(?:(?:dau|giua|cuoi) )?thang \d{1,2}(?:(?: nam |\s*/\s*)\d{4})?"
    r"|(?:(?:dau|giua|cuoi) )?quy (?:iv|iii|ii|i|[1-4])(?:(?: nam |\s*/\s*)\d{4})?"
    r"|(?:6|sau) thang (?:dau|cuoi) nam(?: \d{4})?|nua (?:dau|cuoi) nam(?: \d{4})?"
    r"|(?:(?:dau|giua|cuoi) )?nam (?:\d{4}|nay)"
)
# Lead-ins that make a date a requirement; "weak" ones ("vào", "trong") may also describe.
_STRONG = (r"(?:ke )?tu nay (?:cho )?(?:den|toi)(?: het)?|(?:trong thoi gian )?tu|truoc|(?:cho )?den het|den"
           r"|het|cham nhat(?: la| vao| truoc)?|muon nhat(?: la)?|han chot(?: la)?")
_WEAK = r"trong|vao dip|nhan dip|vao khoang|vao|dip"
_PHRASE = re.compile(
    rf"(?<![\w/])(?:(?P<exp>du kien )?(?:(?P<strong>{_STRONG})|(?P<weak>{_WEAK})) )?"
    rf"(?P<date>{_DATE_EXPR})"
    rf"(?P<range>\s*(?:-|(?: cho)? (?:den|toi)(?: het)?)\s*"
    rf"(?:{_DATE_EXPR}|\d{{1,2}}\s*/\s*\d{{4}}|(?:iv|iii|ii|i)\s*/\s*\d{{4}}|\d{{4}}))?"
    rf"(?P<list>(?:\s*(?:,|va)\s*(?:nam )?\d{{4}}(?![\w/]))+)?"
    rf"(?P<yearly> (?:hang|moi) nam)?(?![\w/])")
# "Thời gian tổ chức:", "Thời hạn nộp hồ sơ:" right before a bare date.
_LABEL_BEFORE = re.compile(r"thoi (?:gian|han)[^:.;]{0,40}:\s*$")
_CITATION_BEFORE = re.compile(r"(?:[\w.]*\d[\w.]*\s*/\s*[\w.&/-]+|\bso\s+\S+)\s*,?\s*$")
_DOCUMENT_BEFORE = re.compile(r"\b(?:luat|bo luat|nghi dinh|quyet dinh|chi thi|ke hoach|nghi quyet|ket luan|thong tu"
                              r"|cong van|huong dan|thong bao|de an|phap lenh|van ban)\b[^.;]{0,80}$")
_PERIOD_NAME_BEFORE = re.compile(r"\b(?:giai doan|nhiem ky|tam nhin|khoa|lan thu|thoi ky)\s*(?:tu\s*)?$")
_DESCRIBES_BEFORE = re.compile(r"\b(?:ky niem|ngay le|ngay sinh|ngay truyen thong)\b[^.;:]{0,40}$")
_YEAR_RANGE = re.compile(r"^(?:nam )?\d{4}\s*-\s*(?:nam )?\d{4}$")
_BARE_AWARD_YEAR = re.compile(r"\b(?:khen thuong|tong ket|so ket)\b[^.;:,]{0,60}$")
_EXPECTED_BEFORE = re.compile(r"\bdu kien\b[^.;]*$")


def _inside(text: str, pos: int) -> bool:
    """Is `pos` inside parentheses or quotation marks (of its paragraph)?"""
    before = text[:pos]
    if before.count("(") > before.count(")"):
        return True
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def _milestone_kind(p: _Para, m: re.Match, not_before: date | None) -> str | None:
    """"strong", "weak" or "bare-ok" when the match is a requirement, else None (it describes)."""
    before = p.folded[:m.start()]
    phrase = m.group()
    if _inside(p.text, m.start("date")) or _PERIOD_NAME_BEFORE.search(before):
        return None
    if _YEAR_RANGE.match(m.group("date") + (m.group("range") or "")) and not m.group("strong"):
        return None  # "2021 - 2025", "trong năm 2014 - 2015": a period's name
    if re.match(r"\s*ngay\b", p.folded[m.end():]) and not re.search(r"\d{4}", phrase):
        return None  # "1/2 ngày": a duration
    if re.search(r"\bnhung nam tiep theo\b", p.folded[m.end():m.end() + 30]):
        return None
    if m.group("strong"):
        if re.fullmatch(r"(?:trong thoi gian )?tu", m.group("strong")) and not m.group("range") \
                and "-" not in m.group("date"):
            return None  # "vận hành từ ngày 01/7/2025": a start with no end describes
        return "strong"
    if _DESCRIBES_BEFORE.search(before):
        return None
    if m.group("weak"):
        return "weak"
    if _CITATION_BEFORE.search(before) or _DOCUMENT_BEFORE.search(before):
        return None
    if _LABEL_BEFORE.search(before):
        return "strong"
    if (phrase.startswith("nam") and _BARE_AWARD_YEAR.search(before) and _heading(p) == "sub"
            and not p.text[m.end():].strip(" :")):
        return "weak"  # a heading "b) Khen thưởng tổng kết phong trào thi đua năm 2025"
    return None


_SUBMISSION = re.compile(r"\bho so\b|\bde nghi (?:cap co tham quyen|khen|tang|xet|cong nhan)|\bnop\b"
                         r"|\bkhen thuong tong ket\b")
_REPORT = re.compile(r"\bbao cao\b|\bgui\b|\bdang ky\b|\btong hop\b")


def _purpose(sentence_folded: str) -> str:
    if _SUBMISSION.search(sentence_folded):
        return "submission"
    if _REPORT.search(sentence_folded):
        return "report"
    return "event"


_WHO_START = re.compile(
    r"(?:cac|tat ca|moi|uy ban|ubnd|so|phong(?! trao)|ban|vu|cuc|chi cuc|trung tam|van phong|truong|khoa"
    r"|vien|tong cong ty|cong ty|don vi|tap doan|bo|hoi dong|cong doan|doan|bao|tap chi|dai|nha xuat ban"
    r"|thanh tra|hoi(?! thi| nghi)|nha truong|thuong truc|lanh dao|giam doc|hieu truong|chu tich|thu truong"
    r"|kho bac|cong an"
    r"|mat tran|lien doan|dang uy|chi bo|to|hop tac xa|chi nhanh|nguoi dung dau)\b")
# What a unit is charged to do: the first of these, in lower case, ends the unit's name
# ("Vụ Tổ chức cán bộ chủ trì ...": "Tổ chức" is part of the name, "chủ trì" the task).
_VERB = re.compile(
    r"(?<!cac )(?<!nhung )\b(?:chu tri|phoi hop|xay dung|co trach nhiem|chiu trach nhiem|theo doi|huong dan"
    r"|to chuc(?!\s*,)|mo|tang cuong|thuc hien|trien khai|can cu|tham muu|chi dao|day manh|cu the hoa|pho bien"
    r"|tuyen truyen|bao cao|gui|la co quan|giup|tong hop|ra soat|bo tri|don doc|kiem tra|nghien cuu|lua chon"
    r"|quan triet|de nghi|ban hanh|hoan thanh|nop|dang ky|bieu duong|khen thuong|tiep tuc|phat dong|phan anh"
    r"|xem xet|cung cap|dang tai|lap|dua tin|rut kinh nghiem|tao dieu kien|quan ly|du toan|so ket|tong ket|hop"
    r"|xet|bao dam|dam bao|tham dinh|van dong|huong ung|la)\b")
_CLAUSE_LEAD = re.compile(r"(?:can cu [^,]*,\s*|giao\s+|de nghi\s+|yeu cau\s+)*")
_FOR_WHOM = re.compile(r"^(?:[a-zđ]\)\s*)?doi voi\s+(?P<who>.+?)\s*:?\s*$")


def _who(text: str, folded: str) -> tuple[str, int] | None:
    """The unit a clause charges, as written ("Các đơn vị", "Vụ Tổ chức cán bộ"), and its offset:
    the clause opens with it (after its number, "Căn cứ …,", "Giao", "Đề nghị") or a ":" does."""
    marker = _MARKER.match(folded)
    opens = [marker.end() if marker else 0] + [m.end() for m in re.finditer(r":\s*", folded)]
    for at in opens:
        at += len(folded[at:]) - len(folded[at:].lstrip())
        at = lead.end() if (lead := _CLAUSE_LEAD.match(folded, at)) else at
        if not _WHO_START.match(folded, at):
            continue
        for v in _VERB.finditer(folded, at, min(len(folded), at + 400)):
            if text[v.start()].islower():
                who = re.sub(r"\s+(?:cần|phải|sẽ|được)$", "", text[at:v.start()].strip(" ,;:")).strip(" ,;:")
                return (who, at) if who else None
    return None


# ---- the plan's parts, in order -----------------------------------------------------------------

def _segments(r: _Reader, title_end: int) -> tuple[list[_Para], list[_Para], int | None]:
    """Body paragraphs (after the title, before "Nơi nhận"), the preamble among them (before the
    first roman heading), and the index of the "Nơi nhận" line."""
    end = None
    for i in range(title_end, len(r.lines)):
        if re.match(r"^noi nhan\s*:?", r.lines[i].folded):
            end = i
            break
    body = _paragraphs(r.lines[title_end:end])
    preamble = []
    for p in body:
        if _heading(p) == "roman":
            break
        preamble.append(p)
    return body, preamble, end


@dataclass
class _Section:
    roman: str               # the roman heading it falls under, folded ("iii. thoi gian thi dua")
    subs: tuple[_Para, ...]  # the numbered, then lettered headings it falls under ("2. Hình thức …", "a) …")
    p: _Para
    preamble: bool           # before the first roman heading (the basis)

    @property
    def sub(self) -> _Para | None:
        return self.subs[-1] if self.subs else None

    @property
    def sub_folded(self) -> str:
        return " / ".join(s.folded for s in self.subs)


def _sections(body: list[_Para]) -> list[_Section]:
    out: list[_Section] = []
    roman, number, letter = "", None, None
    for p in body:
        kind = _heading(p)
        if kind == "roman":
            roman, number, letter = p.folded, None, None
        elif kind == "sub" and re.match(r"[a-zđ]\)", p.folded):
            letter = p
        elif kind == "sub":
            number, letter = p, None
        subs = tuple(x for x in (number, letter) if x is not None)
        out.append(_Section(roman, subs, p, preamble=not roman))
    return out


def _issued(plan: dict) -> date | None:
    return date.fromisoformat(plan["issued_on"]) if plan.get("issued_on") else None


def _not_before(plan: dict) -> date | None:
    """The earliest day the plan can have been written: its issue date, else the first day of its
    month/year as written, else the latest date its basis cites."""
    if issued := _issued(plan):
        return issued
    y_m = plan.get("_issued_parts")
    partial = date(y_m[0], y_m[1] or 1, 1) if y_m else None
    cited = plan.get("_cited_latest")
    return max((d for d in (partial, cited) if d), default=None)


def _read_deadline(r: _Reader, phrase: str, plan: dict) -> Deadline:
    issued = _issued(plan)
    try:
        return parse_deadline(phrase, issued=issued, strict_before=r.strict_before)
    except DeadlineParseError:
        year = (plan.get("_issued_parts") or (None,))[0]
        # A date without a year takes the plan's year (its issue line says it even when the day is
        # blank); "từ nay" is not retried, as its start is the exact issue day.
        if issued or not year or re.search(r"\btu nay\b|\bbay gio\b", fold(phrase)):
            raise
        return parse_deadline(phrase, issued=date(year, 1, 1), strict_before=r.strict_before)


def _milestones(r: _Reader, body: list[_Para], plan: dict) -> list[dict]:
    not_before = _not_before(plan)
    out = []
    for sec in _sections(body):
        p = sec.p
        for start, end in _sentences(p):
            sentence_f = p.folded[start:end]
            if sec.preamble and _BASIS_START.match(sentence_f.lstrip()):
                continue  # "Căn cứ Kế hoạch … năm 2025": the basis cites, it sets no deadline
            for m in _PHRASE.finditer(p.folded, start, end):
                kind = _milestone_kind(p, m, not_before)
                if kind is None:
                    continue
                a = m.start("exp") if m.group("exp") else (m.start("strong") if m.group("strong") else
                                                           m.start("weak") if m.group("weak") else m.start("date"))
                phrase = p.text[a:m.end()].strip().rstrip(".,;:")
                line = p.line_at(a)
                try:
                    deadline = _read_deadline(r, phrase, plan)
                except DeadlineParseError as e:
                    if kind == "strong":
                        r.warn(line, phrase, e.message_vi, e.message_en)
                    continue
                if kind == "weak" and not_before and deadline.last_end < not_before:
                    continue  # "tổ chức vào năm 2010" in a 2014 plan: history
                out.append(_milestone(r, p, (start, end), a, phrase, line, deadline, sec.sub, sentence_f, plan))
    return out


def _milestone(r: _Reader, p: _Para, sentence: tuple[int, int], at: int, phrase: str, line: int,
               deadline: Deadline, sub: _Para | None, sentence_f: str, plan: dict) -> dict:
    s, e = sentence
    written = p.text[s:e].strip()
    written = re.sub(r"^[-+•]\s*", "", written)
    clause_f = p.folded[s:at]
    # What the milestone is for: the sentence up to the end of the phrase's own clause (a later
    # "; các khoa … gửi danh sách" is another requirement).
    # What the milestone is for: what the sentence says up to the phrase ("tổ chức sơ kết … vào quý
    # III năm 2026 và gửi báo cáo … trước ngày 15/10/2026": an event, then a report); a sentence
    # that opens with its date says it after ("Trước ngày 15/11, các đơn vị gửi hồ sơ …").
    end_of_phrase = at + len(phrase)
    purpose = _purpose(p.folded[s:end_of_phrase])
    opening = _LABEL_BEFORE.sub("", _MARKER.sub("", p.folded[s:at].strip())).strip(" -,:")
    if purpose == "event" and not opening:
        clause_end = p.folded.find(";", end_of_phrase, e)
        purpose = _purpose(p.folded[end_of_phrase:clause_end if clause_end >= 0 else e])
    expected = deadline.expected or bool(_EXPECTED_BEFORE.search(clause_f))
    binds = _binds(p, s, at, sub)
    out = {"text": phrase, "sentence": written, "line": line, "purpose": purpose,
           "periods": deadline.to_dict()["periods"], "binds": binds, "expected": expected}
    if deadline.recurring:
        out["recurring"] = "yearly"
    # Ends before the issue date, or on a day off (workflow/calendar/milestones.py, BLDS Art. 148).
    for vi, en in milestone_warnings(deadline, _issued(plan), r.calendar):
        r.warn(line, phrase, vi, en)
    if binds is None and out["purpose"] != "event":
        r.warn(line, phrase, "Không xác định được đơn vị phải thực hiện mốc này",
               "Cannot tell which units must meet this milestone")
    return out


def _binds(p: _Para, s: int, at: int, sub: _Para | None) -> str | None:
    """Who the sentence charges: its subject, else the "Đối với ...:" heading it falls under."""
    found = _who(p.text[s:at], p.folded[s:at])
    if found:
        return found[0]
    if sub is not None and (m := _FOR_WHOM.match(sub.folded)):
        return sub.text[m.start("who"):m.end("who")].strip(" :")
    return None


# ---- period, award forms, assignments, recipients ------------------------------------------------

_PERIOD_CONTEXT = re.compile(r"\bthoi gian (?:thi dua|thuc hien (?:ke hoach|phong trao))\b"
                             r"|\bphong trao thi dua (?:duoc )?(?:thuc hien|trien khai|phat dong|dien ra|bat dau)\b")


def _period(milestones: list[dict], sections: list[_Section]) -> dict | None:
    """The plan's whole time frame: a window (start and end) under a "THỜI GIAN" heading or in a
    sentence about the campaign's time ("Phong trào thi đua được thực hiện từ … đến …")."""
    heading_of = {}
    for sec in sections:
        for _off, no in sec.p.starts:
            heading_of[no] = sec.roman
    for m in milestones:
        if len(m["periods"]) != 1 or not m["periods"][0]["start"]:
            continue
        roman = heading_of.get(m["line"], "")
        if re.search(r"\bthoi gian\b", _ROMAN_HEAD.sub("", roman)[:30]) or _PERIOD_CONTEXT.search(fold(m["sentence"])):
            return {"start": m["periods"][0]["start"], "end": m["periods"][0]["end"], "text": m["text"],
                    "line": m["line"]}
    return None


def _catalogue() -> list[tuple[str, str]]:
    from workflow.catalogue.data import CATALOGUE
    return [(a["code"], a["name_vi"]) for a in CATALOGUE]


# Award forms plans name in their own words; tried in order, the first that matches decides.
# Law Art. 71 (Bằng khen Thủ tướng), 72 (Bằng khen cấp bộ, tỉnh; UBTVQH), 75 (Giấy khen).
_AWARD_ALIASES = (
    (r"bang khen (?:cua )?thu tuong", "bang_khen_thu_tuong"),
    (r"bang khen (?:cua )?(?:uy ban thuong vu quoc hoi|ubtvqh)", "bang_khen_ubtvqh"),
    (r"bang khen (?:cua )?(?:bo truong|chu tich (?:uy ban nhan dan|ubnd) (?:tinh|thanh pho)|bo\b|ubnd tinh"
     r"|uy ban nhan dan tinh|tinh\b|thu truong co quan ngang bo|cap bo|cap tinh)", "bang_khen_bo"),
    (r"giay khen", "giay_khen"),
    (r"co thi dua (?:cua )?chinh phu", "co_thi_dua_chinh_phu"),
    (r"co thi dua (?:cua )?(?:bo|tinh|ubnd|uy ban nhan dan|cap bo|cap tinh|nganh)", "co_thi_dua_bo"),
    (r"chien si thi dua toan quoc", "chien_si_thi_dua_toan_quoc"),
    (r"chien si thi dua (?:cap )?(?:bo|nganh|tinh)", "chien_si_thi_dua_bo"),
    (r"chien si thi dua co so", "chien_si_thi_dua_co_so"),
    (r"tap the lao dong xuat sac", "tap_the_lao_dong_xuat_sac"),
    (r"tap the lao dong tien tien", "tap_the_lao_dong_tien_tien"),
    (r"lao dong tien tien", "lao_dong_tien_tien"),
    (r"chien si tien tien", "chien_si_tien_tien"),
    (r"ky niem chuong", "ky_niem_chuong"),
    (r"gia dinh van hoa", "gia_dinh_van_hoa"),
    (r"(?:thon|to dan pho|ban|khu pho)(?:,? (?:thon|to dan pho|ban|khu pho))* van hoa", "thon_to_dan_pho_van_hoa"),
    (r"bang khen\b", None),  # a Bằng khen of a body the catalogue has no entry for
)
_AWARD_STOP = re.compile(r"\s(?:vao|trong|truoc|cho|doi voi|de|theo|nham|khi|neu|duoc|voi|tai|tang|nam \d{4})(?!\w)"
                         r"|[;.:()]|$")


def _award_patterns(catalogue: list[tuple[str, str]]) -> list[tuple[re.Pattern, str | None]]:
    codes = {c for c, _ in catalogue}
    named = [(re.escape(fold(name)), code) for code, name in catalogue
             if fold(name).startswith(("huan chuong", "huy chuong", "anh hung", "nha giao", "thay thuoc"))]
    pats = [(p, c) for p, c in _AWARD_ALIASES if c is None or c in codes] + sorted(named, key=lambda x: -len(x[0]))
    return [(re.compile(rf"(?<!\w){p}"), c) for p, c in pats]


_AWARD_HEADING = re.compile(r"hinh thuc khen thuong|danh hieu thi dua")


def _award_scope(sections: list[_Section]) -> list[_Para]:
    """The paragraphs under a "Hình thức khen thưởng" heading, else under a roman heading about
    awards, else the whole body (criteria elsewhere name awards as conditions, not forms)."""
    for level in ("sub", "roman"):
        picked = [sec.p for sec in sections
                  if _AWARD_HEADING.search(sec.sub_folded if level == "sub" else sec.roman)]
        if picked:
            return picked
    return [sec.p for sec in sections]


def _award_forms(r: _Reader, sections: list[_Section]) -> list[dict]:
    patterns = _award_patterns(r.catalogue)
    out = []
    for p in _award_scope(sections):
        hits: list[tuple[int, int, str | None]] = []
        for pat, code in patterns:
            for m in pat.finditer(p.folded):
                if not any(a <= m.start() < b for a, b, _c in hits):
                    hits.append((m.start(), m.end(), code))
        hits.sort()
        for i, (a, b, code) in enumerate(hits):
            limit = hits[i + 1][0] if i + 1 < len(hits) else len(p.text)
            stop = _AWARD_STOP.search(p.folded, b, limit)
            end = stop.start() if stop else limit
            written = re.sub(r"[\s,;.“”\"]+$", "", p.text[a:end])
            written = re.sub(r"\s*(?:,|và|hoặc)$", "", written).strip()
            if written.count("“") > written.count("”"):  # Kỷ niệm chương “Vì sự nghiệp giáo dục”
                written += "”"
            line = p.line_at(a)
            out.append({"text": written, "award_type": code, "line": line})
            if code is None:
                r.warn(line, written, f'Hình thức khen thưởng "{written}" không có trong danh mục',
                       f'The award form "{written}" is not in the catalogue')
    return out


def _assignments(sections: list[_Section]) -> list[dict]:
    """Who is charged with what under "TỔ CHỨC THỰC HIỆN" (or "PHÂN CÔNG ..."): each item's unit
    and the start of its task; a unit followed by ":" charges each "-" item below it."""
    out: list[dict] = []
    lead: str | None = None
    for sec in sections:
        p = sec.p
        if not re.search(r"\b(?:to chuc thuc hien|phan cong)\b", sec.roman) or _heading(p) == "roman":
            continue
        if p.text.startswith(("-", "+", "•")) and lead:
            out.append({"unit": lead, "task": _task(p.text.lstrip("-+• ")), "line": p.starts[0][1]})
            continue
        lead = None
        if p.text.endswith(":") and _who(p.text, p.folded) is None \
                and re.match(rf"^(?:\d+[.)]\s*)?{_WHO_START.pattern}", p.folded):
            lead = _MARKER.sub("", p.text).rstrip(":").strip()
            continue
        # "Phòng Kinh tế chủ trì …; Phòng Văn hóa - Xã hội hướng dẫn …": one unit per clause; a
        # clause naming nobody goes on with the task before it.
        for a, b in _clauses(p.folded):
            found = _who(p.text[a:b], p.folded[a:b])
            if found:
                who, at = found
                rest = p.text[a + at + len(who):b].strip()
                out.append({"unit": who, "task": _task(rest), "line": p.line_at(a + at)})
    return out


def _clauses(folded: str) -> list[tuple[int, int]]:
    """(start, end) of each ";"-separated clause outside parentheses."""
    out, start, depth = [], 0, 0
    for i, ch in enumerate(folded):
        depth += (ch == "(") - (ch == ")")
        if ch == ";" and depth <= 0:
            out.append((start, i))
            start = i + 1
    out.append((start, len(folded)))
    return out


def _task(text: str) -> str:
    first = re.split(r"(?<=[.;])\s", text, maxsplit=1)[0].rstrip(".;")
    return first if len(first) <= 200 else first[:199].rsplit(" ", 1)[0] + "…"


_COLUMN_GAP = re.compile(r"\s{3,}|\t")


def _recipients(r: _Reader, at: int | None) -> list[str]:
    """The "Nơi nhận:" list, each entry as written without its "-" and trailing ";" (the last
    keeps its full stop: "Lưu: VT, NC.")."""
    if at is None:
        return []
    out: list[str] = []
    raw_lines = r.lines[at + 1:]
    open_entry = False
    for ln in raw_lines:
        t = ln.text
        if not t:
            continue
        if t.startswith(("-", "+", "•")):
            out.append(t.lstrip("-+• "))
            open_entry = not t.rstrip().endswith((";", "."))
        elif open_entry and out and not _is_upper(t):
            out[-1] += " " + t
            open_entry = not t.rstrip().endswith((";", "."))
        elif out:
            break
    return [re.sub(r"\s*;+$", "", e).strip() for e in out if e.strip()]


# ---- the whole reading --------------------------------------------------------------------------

def read_plan(text: str, *, catalogue: Iterable[tuple[str, str]] | None = None,
              strict_before: bool = True, calendar: WorkCalendar | None = None) -> Proposal:
    """Read a plan's text; `catalogue` is (code, name_vi) of the award types (default: the
    catalogue's first release, workflow/catalogue/data.py); `calendar` tells the days off a
    milestone should not end on (default: weekends and public holidays)."""
    r = _Reader(text, catalogue, strict_before, calendar)
    plan: dict = {"number": None, "issuer": None, "issuer_parent": None, "place": None, "issued_on": None,
                  "issued_text": None, "title": None, "kind": "other", "basis": [], "parent": None,
                  "period": None, "award_forms": [], "assignments": [], "recipients": [], "milestones": []}
    at = _title_index(r)
    header = r.lines[:at] if at is not None else r.lines[:15]
    _number(r, header, plan)
    _issuer(r, header, plan)
    _place_date(r, header, plan)
    title_end = _title(r, at, plan)
    plan["kind"] = _kind(plan["title"])
    body, preamble, received_at = _segments(r, title_end)
    _basis(r, preamble, plan)
    sections = _sections(body)
    plan["milestones"] = _milestones(r, body, plan)
    plan["period"] = _period(plan["milestones"], sections)
    plan["award_forms"] = _award_forms(r, sections)
    plan["assignments"] = _assignments(sections)
    plan["recipients"] = _recipients(r, received_at)
    if not plan["milestones"]:
        r.warn(None, "", "Không thấy mốc thời hạn nào trong kế hoạch", "No dated milestone found in the plan")
    lines = {k: plan.pop(f"_{k}_line", None) for k in ("number", "issuer", "issued", "title")}
    for k in [k for k in plan if k.startswith("_")]:
        plan.pop(k)
    plan["lines"] = lines
    return Proposal(plan, r.warnings)
