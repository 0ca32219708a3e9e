"""Read the deadline phrases written in Vietnamese plans (kế hoạch thi đua, khen thưởng).

`parse_deadline("Dự kiến trước ngày 11/6/2023")` returns a `Deadline`. It keeps the phrase as
written, one or more `Period`s (the last day still on time, and the first day when the phrase
names a window), and `expected=True` for "dự kiến". Rules (see shared/domain.md §7):

- "trước X" (before X): the last day on time is the day before X starts, so "trước tháng 8
  năm 2014" → 31/07/2014, "trước quý II năm 2015" → 31/03/2015, "trước năm 2015" → 31/12/2014.
  **Setting `strict_before`** (default True, also `Settings.strict_before`) applies only when X
  is one day: True reads "trước ngày 11/6/2023" as "by 10/06/2023"; False as "by 11/06/2023".
- "đến (hết) ngày X", "hết X", "chậm nhất (là) X", "muộn nhất X", "hạn chót X": X is inclusive;
  for a month, quarter or year the end is its last day. "đến tháng 6" without "hết" is
  ambiguous and refused.
- "từ nay đến hết X": opens on `issued` (None when not given). "từ A đến B", "từ A - B":
  inclusive window. "trong/vào X" or a bare X: the whole month, quarter, half or year, or the
  day itself. "đầu/giữa/cuối tháng" = day 1/15/last and "đầu/giữa/cuối năm" = 1/1, 30/6, 31/12
  (Bộ luật Dân sự Art. 146); these give only an end.
- "cuối năm 2024 và 2025" (or "…, 2025"): a list, one period each.
- A date without a year takes the year of a later date in the same phrase, else of `issued`.
- "hằng năm" / "hàng năm" / "mỗi năm" ("trước ngày 15/11 hằng năm"): `recurring=True`, read
  for the year of `issued`; `Deadline.every_year(first, last)` repeats it for each year of a
  plan's period (workflow/plans/service.py).

Matching is done on a folded copy: NFC, lower case, diacritics and đ removed, so hurried typing
("truoc quy II nam 2015") reads the same. Anything unread or impossible raises
`DeadlineParseError` quoting the phrase. The parser never guesses.

Rules added for issue 15 (the phrases officials write; docs/deadlines.md lists them all):

- **Year-less dates** ("trước ngày 10/01", "cuối quý I", "trong tháng 11"): the rule above, made
  precise. A later date of the same phrase lends its year ("từ 15/5 đến 11/6/2023"); otherwise X is
  its next occurrence: the first one whose last day is on or after `issued` (issued 05/12/2026,
  "trước ngày 10/01" → by 09/01/2027; 29/02 waits for a leap year; 30/02 is refused). A window
  across 31/12 ("từ 15/12 đến 10/01", issued 01/12/2026 → 15/12/2026–10/01/2027): a year-less
  start whose month comes after the end's takes the year before; a year-less end after a dated
  start is its first occurrence from that start. Dates are day before month, as in administrative
  documents (NĐ 30/2020/NĐ-CP, Phụ lục I: "ngày … tháng … năm …").
- **"trước cuối X"** reads "by the end of X": the last day of X (BLDS 2015 Art. 146 for cuối
  tháng/năm; Art. 148: a period ends at the end of its last day), so "trước cuối năm 2025" →
  31/12/2025, not 30/12. "trước đầu/giữa X" keeps the rule of "trước" a day.
- **A time of day** ("trước 17h00 ngày 20/11/2025", "17 giờ", "17h", "17 giờ 00 phút", "17:00",
  "ngày … lúc 17 giờ"): the day itself is the last day on time, whatever `strict_before` says; the
  hour is not modelled, it stays in `Deadline.text` (periods are whole days, BLDS Art. 148(1)).
  "trước ngày X" without a time keeps the strict rule. An hour over 24 or minutes over 59 are
  refused.
- **A weekday next to a date** ("thứ Năm, ngày 20/11/2025", "20/11/2025 (thứ Năm)") is checked
  against the date when the date has its own year; a mismatch is refused.
- **Quarter points**: "đầu/giữa/cuối quý I–IV" = its first day, day 15 of its middle month, its
  last day (Art. 146 names month and year points only; the quarter follows the same convention).
  Without a number ("cuối quý") the quarter is unknown and refused.
- **Ranges sharing their tail**: "15 - 20/12/2025", "từ ngày 15 đến ngày 20/12/2025" (the start
  takes the end's month), "tháng 11 - 12/2025", "quý III - IV/2025" (the end takes the start's unit).
- **A leading label** ("Hạn nộp hồ sơ: …", "Thời hạn gửi báo cáo: …", "Thời gian: …", or a label
  word followed by a rule word: "Hạn nộp hồ sơ trước ngày …") is dropped, except a label that holds
  a rule word ("Nộp trước: …", "Chậm nhất: …", "Hạn chót …" are read or refused as rules).
- **Trailing purpose words** ("… để tổng hợp", "…, gửi về Sở Nội vụ", "… (qua Hệ thống …)", from
  để, nhằm, gửi, nộp, qua, bằng, tại, theo, về, kèm theo, đồng thời, thông qua, cho, a comma or a
  parenthesis on) are dropped when the phrase does not read with them; if they name another
  date, time, quarter or relative period, the phrase is refused (which one is meant?).
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

__all__ = ["Period", "Deadline", "DeadlineParseError", "parse_deadline"]

MIN_YEAR, MAX_YEAR = 1945, 2100
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Period:
    start: date | None  # first day of a window, None when only an end is set
    end: date  # the last day still on time (inclusive)


@dataclass(frozen=True)
class Deadline:
    text: str
    periods: tuple[Period, ...]
    expected: bool = False
    recurring: bool = False  # "hằng năm": the periods repeat every year

    def to_dict(self) -> dict:
        out = {
            "text": self.text,
            "periods": [{"start": p.start.isoformat() if p.start else None, "end": p.end.isoformat()}
                        for p in self.periods],
            "expected": self.expected,
        }
        if self.recurring:
            out["recurring"] = "yearly"
        return out

    def every_year(self, first: date, last: date | None) -> Deadline:
        """A recurring deadline's occurrences that end from `first` to `last` (inclusive), one per
        year; without `last`, the first occurrence only. A non-recurring deadline is returned as is."""
        if not self.recurring:
            return self
        base = self.last_end.year
        found: list[Period] = []
        for year in range(first.year - 1, (last.year if last else first.year + 1) + 1):
            shifted = tuple(Period(_in_year(p.start, year - base) if p.start else None, _in_year(p.end, year - base))
                            for p in self.periods)
            if all(first <= p.end and (last is None or p.end <= last) for p in shifted):
                found.extend(shifted)
                if last is None:
                    break
        return Deadline(self.text, tuple(found), self.expected, True)

    @property
    def last_end(self) -> date:
        return max(p.end for p in self.periods)


def _in_year(d: date, years: int) -> date:
    """`d` moved by whole years; 29 February becomes 28 February in a common year."""
    y = d.year + years
    return date(y, d.month, min(d.day, calendar.monthrange(y, d.month)[1]))


class DeadlineParseError(ValueError):
    def __init__(self, phrase: str, reason_vi: str | None = None, reason_en: str | None = None):
        self.phrase = phrase
        self.message_vi = f'Không hiểu được thời hạn "{phrase}"' + (f": {reason_vi}" if reason_vi else "")
        self.message_en = f'Cannot read the deadline "{phrase}"' + (f": {reason_en}" if reason_en else "")
        super().__init__(self.message_en)

    def message(self, lang: str = "vi") -> str:
        return self.message_en if lang == "en" else self.message_vi


class _Impossible(Exception):
    """The words were recognised but name something impossible or ambiguous."""

    def __init__(self, vi: str, en: str):
        super().__init__(en)
        self.vi, self.en = vi, en


@dataclass(frozen=True)
class _Span:
    first: date
    last: date
    kind: str  # "day", "point"/"end" (đầu, giữa / cuối: an end only) or "window" (month, quarter, half, year)
    source: str = "text"  # where its year came from: "text", "later" (a later date) or "issued"


@dataclass(frozen=True)
class _Ctx:
    issued: date | None
    strict: bool

    @property
    def year(self) -> int | None:
        return self.issued.year if self.issued else None


# ---- folding -------------------------------------------------------------------------------

_PUNCT = str.maketrans({"–": "-", "—": "-", "−": "-", "\u00a0": " ", "*": " ", "_": " "})
_EDGES = " .,;:!?\"'“”‘’«»()[]-"
_EXPECTED = re.compile(r"\bdu\s+kien\b")
_YEARLY = re.compile(r"\b(?:hang|moi)\s+nam\b")
# A leading label such as "Thời gian tổ chức:" or "Thời gian thực hiện" is not part of the phrase.
_LABEL = re.compile(r"^(?:(?:thoi\s+(?:gian|han|diem)|han(?!\s+chot\b)|moc|tien\s+do)\b[^:\d()]{0,80}?(?:\s*:|\s+(?="
                    r"(?:truoc|tu|den|toi|cham\s+nhat|muon\s+nhat|han\s+chot|het|trong|vao|ke\s+tu|ngay)\b|\d))"
                    r"|(?![^:]*\b(?:truoc|sau|cham\s+nhat|muon\s+nhat|han\s+chot)\b)[^:\d()]{1,80}:)\s*")


def _fold(text: str) -> str:
    """Lower case without diacritics (đ → d), one space between words, no edge punctuation."""
    s = unicodedata.normalize("NFC", text).lower().replace("đ", "d")
    s = "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))
    return _clean(s.translate(_PUNCT))


def _clean(s: str) -> str:
    return " ".join(s.split()).strip(_EDGES).strip()


# ---- one date, month, quarter, half or year ---------------------------------------------------

_YEAR_TAIL = r"(?:\s*(?:nam\s+|[/-]\s*)(?P<y>\d{4}))?"  # "năm 2023", "/2023", "-2023" or nothing
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_POINT_DAY = {"dau": 1, "giua": 15}  # Civil Code Art. 146; "cuoi" is the last day
_QUARTER = r"quy\s+(?P<q>[ivxlc]+|\d+)"


def _year(m: re.Match, default: int | None) -> int:
    y = int(m.group("y")) if m.group("y") else default
    if y is None:
        raise _Impossible("thiếu năm và không có ngày ban hành để suy ra",
                          "no year is given and there is no issue date to take it from")
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise _Impossible(f"năm {y} nằm ngoài {MIN_YEAR}–{MAX_YEAR}", f"year {y} is outside {MIN_YEAR}–{MAX_YEAR}")
    return y


def _month(m: re.Match) -> int:
    month = int(m.group("m"))
    if not 1 <= month <= 12:
        raise _Impossible(f"không có tháng {month}", f"there is no month {month}")
    return month


def _month_end(y: int, month: int) -> date:
    return date(y, month, calendar.monthrange(y, month)[1])


def _day(m: re.Match, y: int) -> _Span:
    d, month = int(m.group("d")), int(m.group("m"))
    try:
        day = date(y, month, d)
    except ValueError:
        raise _Impossible(f"ngày {d:02d}/{month:02d}/{y} không tồn tại",
                          f"{d:02d}/{month:02d}/{y} is not a real date") from None
    return _Span(day, day, "day")


def _month_span(m: re.Match, y: int) -> _Span:
    month = _month(m)
    return _Span(date(y, month, 1), _month_end(y, month), "window")


def _quarter_number(m: re.Match) -> int:
    raw = m.group("q")
    q = int(raw) if raw.isdigit() else _ROMAN.get(raw, 0)
    if not 1 <= q <= 4:
        raise _Impossible(f"không có quý {raw.upper()}", f"there is no quarter {raw.upper()}")
    return q


def _quarter(m: re.Match, y: int) -> _Span:
    q = _quarter_number(m)
    return _Span(date(y, 3 * q - 2, 1), _month_end(y, 3 * q), "window")


def _half(m: re.Match, y: int) -> _Span:
    first_half = m.group("h") == "dau"
    return _Span(date(y, 1 if first_half else 7, 1), date(y, 6, 30) if first_half else date(y, 12, 31), "window")


def _point(day: date, p: str) -> _Span:
    """An end only: "cuối" is kind "end" ("trước cuối X" = by the end of X), đầu/giữa kind "point"."""
    return _Span(day, day, "end" if p == "cuoi" else "point")


def _point_month(m: re.Match, y: int) -> _Span:
    month = _month(m)
    day = date(y, month, _POINT_DAY[m.group("p")]) if m.group("p") in _POINT_DAY else _month_end(y, month)
    return _point(day, m.group("p"))


def _point_quarter(m: re.Match, y: int) -> _Span:
    """Art. 146 names the points of a month and a year only; a quarter is read by the same
    convention: đầu quý = its first day, giữa quý = day 15 of its middle month, cuối quý = its
    last day (31/03, 30/06, 30/09, 31/12)."""
    q = _quarter_number(m)
    day = {"dau": date(y, 3 * q - 2, 1), "giua": date(y, 3 * q - 1, 15), "cuoi": _month_end(y, 3 * q)}
    return _point(day[m.group("p")], m.group("p"))


def _point_year(m: re.Match, y: int) -> _Span:
    day = {"dau": date(y, 1, 1), "giua": date(y, 6, 30), "cuoi": date(y, 12, 31)}[m.group("p")]
    return _point(day, m.group("p"))


_SPAN_PATTERNS = [  # (whole-text pattern, builder(match, year))
    (r"(?:ngay\s+)?(?P<d>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<m>\d{1,2})(?:\s*(?P=sep)\s*(?P<y>\d{4}))?", _day),
    (r"(?:ngay\s+)?(?P<d>\d{1,2})\s+thang\s+(?P<m>\d{1,2})(?:\s*,?\s*nam\s+(?P<y>\d{4}))?", _day),
    (r"thang\s+(?P<m>\d{1,2})" + _YEAR_TAIL, _month_span),
    (_QUARTER + _YEAR_TAIL, _quarter),
    (r"(?:(?:6|sau)\s+thang|nua)\s+(?P<h>dau|cuoi)\s+nam(?:\s+(?P<y>\d{4}))?", _half),
    (r"(?P<p>dau|giua|cuoi)\s+thang\s+(?P<m>\d{1,2})" + _YEAR_TAIL, _point_month),
    (r"(?P<p>dau|giua|cuoi)\s+" + _QUARTER + _YEAR_TAIL, _point_quarter),
    (r"(?P<p>dau|giua|cuoi)\s+nam(?:\s+(?P<y>\d{4}))?", _point_year),
    (r"nam\s+(?P<y>\d{4})", lambda m, y: _Span(date(y, 1, 1), date(y, 12, 31), "window")),
]
_SPANS = [(re.compile(p), build) for p, build in _SPAN_PATTERNS]
_ENDS_ONLY = ("point", "end")
_RECUR_WITHIN = 5  # a year-less date recurs within 4 years (29/02) or never (30/02)


def _match(text: str) -> tuple[re.Match, Callable[[re.Match, int], _Span]] | None:
    for pattern, build in _SPANS:
        if m := pattern.fullmatch(text):
            return m, build
    return None


def _build(found: tuple[re.Match, Callable[[re.Match, int], _Span]], year: int | None = None,
           on_or_after: date | None = None) -> _Span:
    """The span with its own year; else `year` (of a later date in the phrase); else its next
    occurrence: the first one whose last day is on or after `on_or_after` (the issue date)."""
    m, build = found
    if m.group("y") or on_or_after is None or year is not None:
        return replace(build(m, _year(m, year)), source="text" if m.group("y") else "later")
    problem: _Impossible | None = None
    for y in range(on_or_after.year, on_or_after.year + _RECUR_WITHIN):
        try:
            span = build(m, _year(m, y))
        except _Impossible as e:  # 29/02 in a common year: try the next one; 30/02: never
            problem = problem or e
            continue
        if span.last >= on_or_after:
            return replace(span, source="issued")
    assert problem is not None  # every real span recurs within a year
    raise problem


def _span(text: str, year: int | None = None, on_or_after: date | None = None) -> _Span | None:
    found = _match(text)
    return _build(found, year, on_or_after) if found else None


_LIST_SEP = re.compile(r"\s*(?:,|;|&|\bva\b)\s*")
_TRAILING_YEAR = re.compile(r"\d{4}$")


def _spans(text: str, issued: date | None) -> list[_Span] | None:
    """One span, or a list "cuối năm 2024 và 2025" where a bare year repeats the previous item."""
    if single := _span(text, on_or_after=issued):
        return [single]
    items: list[str] = []
    for item in filter(None, _LIST_SEP.split(text)):
        prev = _TRAILING_YEAR.search(items[-1]) if items else None
        items.append(items[-1][:prev.start()] + item if prev and re.fullmatch(r"\d{4}", item) else item)
    if len(items) < 2:
        return None
    found: list[_Span] = []
    for item in reversed(items):  # "10/6 và 20/6/2023": a missing year comes from the later date
        later = found[-1] if found and found[-1].source != "issued" else None
        if (s := _span(item, later.last.year if later else None, issued)) is None:
            return None
        found.append(s)
    return found[::-1]


# ---- whole phrases ----------------------------------------------------------------------------

_REVERSED = ("ngày kết thúc trước ngày bắt đầu", "the end is before the start")
_RANGE_SEP = re.compile(r"\s+(?:cho\s+)?(?:den|toi)(?:\s+het)?\s+|\s*-\s*")
_BARE_YEAR = re.compile(r"(?:nam\s+)?\d{4}")
_BARE_DAY = re.compile(r"(?:ngay\s+)?(?P<d>\d{1,2})")
_UNIT = re.compile(r"(?P<unit>thang|quy)\s")


def _pair(a: str, b: str, ctx: _Ctx) -> tuple[_Span, _Span] | None:
    """The first and last span of "A đến B" / "A - B". B may leave out what A says: "15 - 20/12/2025"
    (the day of B's month), "tháng 11 - 12/2025", "quý III - IV/2025" (A's unit). A year-less A takes
    B's year, or the year before when its month comes after B's ("từ 15/12 đến 10/01/2027"); a
    year-less B is the next occurrence after the issue date, or after A when only A has a year."""
    if _BARE_YEAR.fullmatch(a) and _BARE_YEAR.fullmatch(b):  # "2020 - 2025", "năm 2011 - 2015"
        a, b = "nam " + a.removeprefix("nam "), "nam " + b.removeprefix("nam ")
    last_found = _match(b)
    if last_found is None and (unit := _UNIT.match(a)):
        last_found = _match(f"{unit['unit']} {b}")
    if last_found is None:
        return None
    if (bare := _BARE_DAY.fullmatch(a)) and last_found[1] is _day:
        a = f"{bare['d']}/{last_found[0]['m']}"
    first_found = _match(a)
    if first_found is None:
        return None
    if first_found[0]["y"] and not last_found[0]["y"]:
        first = _build(first_found)
        return first, _build(last_found, on_or_after=first.first)
    last = _build(last_found, on_or_after=ctx.issued)
    first = _build(first_found, last.last.year)
    if first.source == "later" and first.first > last.last and first.first.month > last.last.month:
        first = _build(first_found, last.last.year - 1)  # a window across 31/12
    return first, last


def _range(text: str, ctx: _Ctx) -> list[tuple] | None:
    """"A đến B" or "A - B": try each separator, words before dashes (dates may contain "-")."""
    seps = sorted(_RANGE_SEP.finditer(text), key=lambda sep: sep.group().strip() == "-")
    problem = None
    for sep in seps:
        try:
            found = _pair(text[:sep.start()].strip(), text[sep.end():].strip(), ctx)
            if found and found[1].last < found[0].first:
                raise _Impossible(*_REVERSED)
        except _Impossible as e:
            problem = problem or e
            continue
        if found:
            return [(found[0].first, found[1].last)]
    if problem:
        raise problem
    return None


def _ends(text: str, ctx: _Ctx, *, whole: bool) -> list[tuple] | None:
    """"đến hết X" (whole=True) or "đến X": the last day of X, with no start."""
    spans = _spans(text, ctx.issued)
    if spans and not whole and any(s.kind == "window" for s in spans):
        raise _Impossible('"đến" một tháng/quý/năm là không rõ; hãy viết "đến hết"',
                          '"đến" a month, quarter or year is ambiguous; write "đến hết"')
    return [(None, s.last) for s in spans] if spans else None


def _since_now(m: re.Match, ctx: _Ctx) -> list[tuple] | None:
    ends = _ends(m.group("x"), ctx, whole=bool(m.group("het")))
    if ends and ctx.issued and any(end < ctx.issued for _, end in ends):
        raise _Impossible("thời hạn kết thúc trước ngày ban hành", "the deadline ends before the issue date")
    return [(ctx.issued, end) for _, end in ends] if ends else None


def _before(m: re.Match, ctx: _Ctx) -> list[tuple] | None:
    """"trước X": the day before X starts, except "trước cuối X" (by the end of X: its last day) and a
    single day read leniently (`strict_before=False`, or a time of day is written before it)."""
    spans = _spans(m.group("x"), ctx.issued)
    if not spans:
        return None
    # Only a single day is ambiguous (domain.md §7); a month or quarter ends the day before it starts.
    return [(None, s.last if s.kind == "end" or (s.kind != "window" and not ctx.strict) else s.first - _DAY)
            for s in spans]


def _window(m: re.Match, ctx: _Ctx) -> list[tuple] | None:
    text = m.group("x")
    if spans := _spans(text, ctx.issued):
        return [(None if s.kind in _ENDS_ONLY else s.first, s.last) for s in spans]
    if m.group("pre"):  # "trong thời gian từ A đến B": read what follows the preposition
        return _rules(text, ctx)
    return _range(text, ctx)


_RULE_PATTERNS = [  # tried in order on the whole folded phrase; the first pattern that matches decides
    (r"(?:ke\s+)?tu\s+(?:nay|bay\s+gio)\s+(?:cho\s+)?(?:den|toi)\s+(?P<het>het\s+)?(?P<x>.+)", _since_now),
    (r"tu\s+(?P<x>.+)", lambda m, ctx: _range(m.group("x"), ctx)),
    (r"truoc\s+(?P<x>.+)", _before),
    (r"(?:(?:cho\s+)?(?:den|toi)\s+)?het\s+(?P<x>.+)", lambda m, ctx: _ends(m.group("x"), ctx, whole=True)),
    (r"(?:(?:cham|muon)\s+nhat|han\s+chot)(?:\s*:)?(?:\s+(?:la|vao))*\s+(?P<x>.+)",
     lambda m, ctx: _ends(m.group("x"), ctx, whole=True)),
    (r"(?:cho\s+)?(?:den|toi)\s+(?P<x>.+)", lambda m, ctx: _ends(m.group("x"), ctx, whole=False)),
    (r"(?:(?P<pre>trong\s+thoi\s+gian|trong|vao\s+dip|nhan\s+dip|vao|dip|giai\s+doan)\s+)?(?P<x>.+)", _window),
]
_RULES = [(re.compile(p), handler) for p, handler in _RULE_PATTERNS]


def _rules(text: str, ctx: _Ctx) -> list[tuple] | None:
    for pattern, handler in _RULES:
        if m := pattern.fullmatch(text):
            return handler(m, ctx)
    return None


# ---- what surrounds the deadline: weekdays, times of day, purpose words ------------------------

_DATE_TOKEN = (r"(?:ngay\s+)?\d{1,2}\s*[/.-]\s*\d{1,2}(?:\s*[/.-]\s*\d{4})?"
               r"|(?:ngay\s+)?\d{1,2}\s+thang\s+\d{1,2}(?:\s*,?\s*nam\s+\d{4})?")
_WEEKDAY = r"(?:thu\s+(?P<wd>hai|ba|tu|nam|sau|bay|[2-7])|(?P<sun>chu\s+nhat))"
_WEEKDAY_NUMBER = {"hai": 0, "2": 0, "ba": 1, "3": 1, "tu": 2, "4": 2, "nam": 3, "5": 3, "sau": 4, "6": 4,
                   "bay": 5, "7": 5}
_WEEKDAY_NAMES = (("thứ Hai", "Monday"), ("thứ Ba", "Tuesday"), ("thứ Tư", "Wednesday"), ("thứ Năm", "Thursday"),
                  ("thứ Sáu", "Friday"), ("thứ Bảy", "Saturday"), ("Chủ nhật", "Sunday"))
_WEEKDAY_AFTER = _WEEKDAY.replace("?P<wd>", "?P<wd2>").replace("?P<sun>", "?P<sun2>")
_WEEKDAY_AROUND = re.compile(rf"{_WEEKDAY}\s*,?\s*(?P<date>{_DATE_TOKEN})"  # "thứ Năm, ngày 20/11/2025"
                             rf"|(?P<date2>{_DATE_TOKEN})\s*,?\s*\(?\s*{_WEEKDAY_AFTER}\s*\)?")  # "20/11 (thứ Năm)"
# "17h00", "17h", "17 giờ", "17 giờ 00 phút", "17:00", "17g30", optionally after "(vào) lúc", written
# before a day ("trước 17h00 ngày 20/11/2025"), or after it with "lúc" ("ngày 20/11/2025 lúc 17 giờ").
_CLOCK = r"(?P<h>\d{1,2})\s*(?:h|g|gio|:)\s*(?:(?P<min>\d{1,2})\s*(?:phut|p)?)?"
_TIME_BEFORE = re.compile(rf"(?:(?:vao\s+)?luc\s+)?{_CLOCK}\s*,?\s*(?=(?:ngay\s+)?\d{{1,2}}\s*(?:[/.-]\s*\d|thang\b))")
_TIME_AFTER = re.compile(rf"(?<=\d)\s*,?\s*(?:vao\s+)?luc\s+{_CLOCK}(?=\s|$|[,;(])")
# Purpose words after the deadline ("để tổng hợp", ", gửi về Sở Nội vụ", "(qua Hệ thống ...)").
_TAIL = re.compile(r"\s*\(|\s*[,;]\s*(?=[a-z])|\s+(?=(?:de|nham|gui|nop|qua|bang|tai|theo|ve|kem\s+theo"
                   r"|dong\s+thoi|thong\s+qua|cho(?!\s+(?:den|toi)\b))\b)")
# ... and which a tail may not hold: another date, time, quarter or relative period.
_TAIL_DATED = re.compile(r"\d|\bquy\s+[ivx]+\b|\b(?:thang|tuan|nam|quy)\s+(?:nay|sau|toi|truoc)\b")


def _weekdays(text: str) -> tuple[str, list[tuple[str, int]]]:
    """Take out the weekdays written next to a date; return the text and (date, weekday) pairs."""
    found: list[tuple[str, int]] = []

    def take(m: re.Match) -> str:
        when = m["date"] or m["date2"]
        wd, sun = m["wd"] or m["wd2"], m["sun"] or m["sun2"]
        found.append((when, 6 if sun else _WEEKDAY_NUMBER[wd]))
        return when

    return _clean(_WEEKDAY_AROUND.sub(take, text)), found


def _check_weekdays(found: list[tuple[str, int]]) -> None:
    """A weekday must be the weekday of its date (checked when the date has its own year)."""
    for when, weekday in found:
        named = _match(when)
        if named is None or not named[0]["y"]:
            continue
        day = _build(named).first
        if day.weekday() != weekday:
            actual = _WEEKDAY_NAMES[day.weekday()]
            raise _Impossible(f"ngày {day:%d/%m/%Y} là {actual[0]}, không phải {_WEEKDAY_NAMES[weekday][0]}",
                              f"{day:%d/%m/%Y} is a {actual[1]}, not a {_WEEKDAY_NAMES[weekday][1]}")


def _times(text: str) -> tuple[str, bool]:
    """Take out the times of day; True when one was written."""
    found = False

    def take(m: re.Match) -> str:
        nonlocal found
        h, minute = int(m["h"]), int(m["min"] or 0)
        if h > 24 or minute > 59 or (h == 24 and minute):
            raise _Impossible(f"không có giờ {h:02d}:{minute:02d}", f"{h:02d}:{minute:02d} is not a time of day")
        found = True
        return " "

    text = _TIME_AFTER.sub(take, _TIME_BEFORE.sub(take, text))
    return _clean(text), found


def _head(text: str, ctx: _Ctx) -> list[tuple] | None:
    """The phrase read without its trailing purpose words, if it has some and they name no other
    time; when they do and the phrase reads without them, that is refused: which one is meant?"""
    if (cut := _TAIL.search(text)) is None or not (head := _clean(text[:cut.start()])):
        return None
    if not _TAIL_DATED.search(text[cut.start():]):
        return _rules(head, ctx)
    if _rules(head, ctx):
        raise _Impossible("phần viết sau thời hạn nêu một thời điểm khác",
                          "the words after the deadline name another time")
    return None


def _parse(text: str, ctx: _Ctx) -> list[tuple] | None:
    """Read the phrase, less the weekdays and times of day around its dates (a day with a time is
    on time until that hour: the day itself is the last day) and, if it does not read as a whole,
    less its trailing purpose words."""
    text, weekdays = _weekdays(text)
    text, timed = _times(text)
    if timed:
        ctx = replace(ctx, strict=False)
    pairs = _rules(text, ctx)
    if pairs is None:
        pairs = _head(text, ctx)
    if pairs:
        _check_weekdays(weekdays)
    return pairs


def parse_deadline(text: str, *, issued: date | None = None, strict_before: bool = True) -> Deadline:
    """Normalise one deadline phrase; `issued` is the plan's issue date (for "từ nay", missing years)."""
    phrase = text if isinstance(text, str) else str(text)
    if issued is not None:
        issued = date(issued.year, issued.month, issued.day)  # a datetime would leak a time of day
    body = _fold(phrase)
    expected = bool(_EXPECTED.search(body))
    recurring = bool(_YEARLY.search(body))
    body = _clean(_LABEL.sub("", _clean(_YEARLY.sub(" ", _EXPECTED.sub(" ", body))), count=1))
    if issued is not None:
        body = re.sub(r"\bnam\s+nay\b", f"nam {issued.year}", body)  # "năm nay" = the plan's year
    try:
        pairs = _parse(body, _Ctx(issued, strict_before)) if body else None
    except _Impossible as e:
        raise DeadlineParseError(phrase, e.vi, e.en) from None
    if not pairs:
        raise DeadlineParseError(phrase)
    periods = sorted({Period(start, end) for start, end in pairs}, key=lambda p: (p.end, p.start or date.min))
    if recurring and len({p.end.year for p in periods}) > 1:
        raise DeadlineParseError(phrase, "một thời hạn hằng năm chỉ được nêu cho một năm",
                                 "a yearly deadline may name one year only")
    return Deadline(phrase, tuple(periods), expected, recurring)
