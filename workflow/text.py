"""One normalisation of text and of names, used at the edge and for every comparison.

Vietnamese arrives typed on different keyboards and pasted from Word, PDF and chat: the same
"Nguyễn Thị Hòa" comes precomposed or decomposed (NFC vs NFD), with the tone mark on either
vowel of "oa/oe/uy" ("Hoà" and "Hòa"), with zero-width spaces, soft hyphens, byte-order marks
and bidirectional controls that nobody sees. `clean` removes what is invisible and normalises
to NFC; `name_key` is the key two spellings of one name share (duplicate checks); `search_key`
also drops the diacritics, for search typed without them ("nguyen thi hoa").
"""
import re
import unicodedata

# Format (Cf) characters are invisible by definition: zero-width space and joiners, word joiner,
# soft hyphen, BOM, bidirectional embeddings, overrides and isolates (RLO, LRI...), Mongolian
# vowel separator... Plus the few invisible characters Unicode files elsewhere.
_INVISIBLE_OTHER = "\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0"  # CGJ, Hangul fillers, Khmer vowels


def _is_invisible(ch: str) -> bool:
    return unicodedata.category(ch) == "Cf" or ch in _INVISIBLE_OTHER


_INVISIBLE_RE = re.compile("[" + "".join(
    re.escape(chr(c)) for c in range(0x110000)
    if not 0xD800 <= c <= 0xDFFF and _is_invisible(chr(c))) + "]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Unicode spaces (no-break, thin, ideographic...) become a plain space.
_SPACES_RE = re.compile(r"[^\S\n]+")


def clean(value: str, *, multiline: bool = False) -> str:
    """NFC, invisible and control characters removed, spaces collapsed (and line ends kept
    when `multiline`), stripped."""
    value = _INVISIBLE_RE.sub("", unicodedata.normalize("NFC", value))
    value = _CONTROL_RE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    if multiline:
        lines = [_SPACES_RE.sub(" ", line).strip() for line in value.split("\n")]
        return "\n".join(lines).strip()
    return " ".join(value.split())


# The "old" and "new" styles of placing the tone mark in the rising diphthongs oa, oe, uy
# (and their capitals): "hoà/hòa", "hoè/hòe", "thuý/thúy". Both are correct Vietnamese; the key
# uses the modern style (mark on the second vowel) so both spellings meet.
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
_OLD_STYLE = re.compile(rf"([oOuU])([{_TONES}])([aAeEyY])(?![^\W\d_])")


def _modern_tone_marks(decomposed: str) -> str:
    # Only at the end of a syllable: "hoàng" keeps its mark where it is (on the a).
    return _OLD_STYLE.sub(lambda m: m.group(1) + m.group(3) + m.group(2), decomposed)


def name_key(name: str) -> str:
    """The key two spellings of one name share: cleaned, case-folded, tone marks in one place."""
    decomposed = unicodedata.normalize("NFD", clean(name).casefold())
    return unicodedata.normalize("NFC", _modern_tone_marks(decomposed))


def search_key(text: str) -> str:
    """`name_key` without diacritics ("đ" becomes "d"): what someone typing without them means."""
    decomposed = unicodedata.normalize("NFD", name_key(text).replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))
