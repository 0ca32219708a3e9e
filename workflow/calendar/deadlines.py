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
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
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
    kind: str  # "day", "point" (đầu/giữa/cuối: an end only) or "window" (month, quarter, half, year)


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
_LABEL = re.compile(r"^(?:thoi\s+(?:gian|han)(?:\s+(?:to\s+chuc|thuc\s+hien|hoan\s+thanh|thi\s+dua"
                    r"|nop|gui|bao\s+cao))?|han\s+(?:nop|gui))\s*:?\s*")


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


def _quarter(m: re.Match, y: int) -> _Span:
    raw = m.group("q")
    q = int(raw) if raw.isdigit() else _ROMAN.get(raw, 0)
    if not 1 <= q <= 4:
        raise _Impossible(f"không có quý {raw.upper()}", f"there is no quarter {raw.upper()}")
    return _Span(date(y, 3 * q - 2, 1), _month_end(y, 3 * q), "window")


def _half(m: re.Match, y: int) -> _Span:
    first_half = m.group("h") == "dau"
    return _Span(date(y, 1 if first_half else 7, 1), date(y, 6, 30) if first_half else date(y, 12, 31), "window")


def _point_month(m: re.Match, y: int) -> _Span:
    month = _month(m)
    day = date(y, month, _POINT_DAY[m.group("p")]) if m.group("p") in _POINT_DAY else _month_end(y, month)
    return _Span(day, day, "point")


def _point_year(m: re.Match, y: int) -> _Span:
    day = {"dau": date(y, 1, 1), "giua": date(y, 6, 30), "cuoi": date(y, 12, 31)}[m.group("p")]
    return _Span(day, day, "point")


_SPANS = [  # (whole-text pattern, builder(match, year))
    (r"(?:ngay\s+)?(?P<d>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<m>\d{1,2})(?:\s*(?P=sep)\s*(?P<y>\d{4}))?", _day),
    (r"(?:ngay\s+)?(?P<d>\d{1,2})\s+thang\s+(?P<m>\d{1,2})(?:\s*,?\s*nam\s+(?P<y>\d{4}))?", _day),
    (r"thang\s+(?P<m>\d{1,2})" + _YEAR_TAIL, _month_span),
    (r"quy\s+(?P<q>[ivxlc]+|\d+)" + _YEAR_TAIL, _quarter),
    (r"(?:(?:6|sau)\s+thang|nua)\s+(?P<h>dau|cuoi)\s+nam(?:\s+(?P<y>\d{4}))?", _half),
    (r"(?P<p>dau|giua|cuoi)\s+thang\s+(?P<m>\d{1,2})" + _YEAR_TAIL, _point_month),
    (r"(?P<p>dau|giua|cuoi)\s+nam(?:\s+(?P<y>\d{4}))?", _point_year),
    (r"nam\s+(?P<y>\d{4})", lambda m, y: _Span(date(y, 1, 1), date(y, 12, 31), "window")),
]
_SPANS = [(re.compile(p), build) for p, build in _SPANS]


def _span(text: str, default_year: int | None) -> _Span | None:
    for pattern, build in _SPANS:
        if m := pattern.fullmatch(text):
            return build(m, _year(m, default_year))
    return None


_LIST_SEP = re.compile(r"\s*(?:,|;|&|\bva\b)\s*")
_TRAILING_YEAR = re.compile(r"\d{4}$")


def _spans(text: str, default_year: int | None) -> list[_Span] | None:
    """One span, or a list "cuối năm 2024 và 2025" where a bare year repeats the previous item."""
    if single := _span(text, default_year):
        return [single]
    items: list[str] = []
    for item in filter(None, _LIST_SEP.split(text)):
        prev = _TRAILING_YEAR.search(items[-1]) if items else None
        items.append(items[-1][:prev.start()] + item if prev and re.fullmatch(r"\d{4}", item) else item)
    if len(items) < 2:
        return None
    found: list[_Span] = []
    for item in reversed(items):  # "10/6 và 20/6/2023": a missing year comes from the later date
        if (s := _span(item, found[-1].last.year if found else default_year)) is None:
            return None
        found.append(s)
    return found[::-1]


# ---- whole phrases ----------------------------------------------------------------------------

_REVERSED = ("ngày kết thúc trước ngày bắt đầu", "the end is before the start")
_RANGE_SEP = re.compile(r"\s+(?:cho\s+)?(?:den|toi)(?:\s+het)?\s+|\s*-\s*")
_BARE_YEAR = re.compile(r"(?:nam\s+)?\d{4}")


def _range(text: str, ctx: _Ctx) -> list[tuple] | None:
    """"A đến B" or "A - B": try each separator, words before dashes (dates may contain "-")."""
    seps = sorted(_RANGE_SEP.finditer(text), key=lambda sep: sep.group().strip() == "-")
    problem = None
    for sep in seps:
        a, b = text[:sep.start()].strip(), text[sep.end():].strip()
        if _BARE_YEAR.fullmatch(a) and _BARE_YEAR.fullmatch(b):  # "2020 - 2025", "năm 2011 - 2015"
            a, b = "nam " + a.removeprefix("nam "), "nam " + b.removeprefix("nam ")
        try:
            last = _span(b, ctx.year)
            first = _span(a, last.last.year) if last else None
            if first and last and last.last < first.first:
                raise _Impossible(*_REVERSED)
        except _Impossible as e:
            problem = problem or e
            continue
        if first and last:
            return [(first.first, last.last)]
    if problem:
        raise problem
    return None


def _ends(text: str, ctx: _Ctx, *, whole: bool) -> list[tuple] | None:
    """"đến hết X" (whole=True) or "đến X": the last day of X, with no start."""
    spans = _spans(text, ctx.year)
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
    spans = _spans(m.group("x"), ctx.year)
    if not spans:
        return None
    # Only a single day is ambiguous (domain.md §7); a month or quarter ends the day before it starts.
    return [(None, s.last if s.kind != "window" and not ctx.strict else s.first - _DAY) for s in spans]


def _window(m: re.Match, ctx: _Ctx) -> list[tuple] | None:
    text = m.group("x")
    if spans := _spans(text, ctx.year):
        return [(None if s.kind == "point" else s.first, s.last) for s in spans]
    if m.group("pre"):  # "trong thời gian từ A đến B": read what follows the preposition
        return _parse(text, ctx)
    return _range(text, ctx)


_RULES = [  # tried in order on the whole folded phrase; the first pattern that matches decides
    (r"(?:ke\s+)?tu\s+(?:nay|bay\s+gio)\s+(?:cho\s+)?(?:den|toi)\s+(?P<het>het\s+)?(?P<x>.+)", _since_now),
    (r"tu\s+(?P<x>.+)", lambda m, ctx: _range(m.group("x"), ctx)),
    (r"truoc\s+(?P<x>.+)", _before),
    (r"(?:(?:cho\s+)?(?:den|toi)\s+)?het\s+(?P<x>.+)", lambda m, ctx: _ends(m.group("x"), ctx, whole=True)),
    (r"(?:(?:cham|muon)\s+nhat|han\s+chot)(?:\s*:)?(?:\s+(?:la|vao))*\s+(?P<x>.+)",
     lambda m, ctx: _ends(m.group("x"), ctx, whole=True)),
    (r"(?:cho\s+)?(?:den|toi)\s+(?P<x>.+)", lambda m, ctx: _ends(m.group("x"), ctx, whole=False)),
    (r"(?:(?P<pre>trong\s+thoi\s+gian|trong|vao\s+dip|nhan\s+dip|vao|dip|giai\s+doan)\s+)?(?P<x>.+)", _window),
]
_RULES = [(re.compile(p), handler) for p, handler in _RULES]


def _parse(text: str, ctx: _Ctx) -> list[tuple] | None:
    for pattern, handler in _RULES:
        if m := pattern.fullmatch(text):
            return handler(m, ctx)
    return None


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
