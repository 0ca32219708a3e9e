"""The administrative format of Nghị định 30/2020/NĐ-CP (công tác văn thư), as small functions.

- Quốc hiệu and Tiêu ngữ (Phụ lục I, mục II.1): "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in capitals,
  bold; "Độc lập - Tự do - Hạnh phúc" bold, words capitalised, hyphens with spaces, underlined.
- Issuing body (mục II.2): the body above it (cơ quan chủ quản) in capitals, not bold; the
  issuing body in capitals, bold, underlined.
- Number and symbol (mục II.3): "Số: 45/TTr-VTC".
- Place and date (mục II.4): "Hà Nội, ngày 05 tháng 3 năm 2026" — days below 10 and the months
  1 and 2 are written with a leading 0.
- Signing on behalf (Điều 13; mục II.7): "KT." (ký thay) above the head's title for a deputy.
"""
from datetime import date

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"


def place_date(place: str, day: date) -> str:
    """ "Hà Nội, ngày 05 tháng 12 năm 2026" (ND 30/2020 Phụ lục I, mục II.4)."""
    dd = f"{day.day:02d}"
    mm = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {dd} tháng {mm} năm {day.year}"


def date_words(day: date) -> str:
    """ "ngày 05 tháng 12 năm 2026": the date as a decision's annex names it."""
    return place_date("", day)[2:]


def number_line(number: str | None) -> str:
    """ "Số: 45/TTr-VTC"; a draft without a number keeps the blank the signer's clerk fills in."""
    number = (number or "").strip()
    if not number or number.startswith("/"):
        number = f"      {number or '/'}"
    return f"Số: {number}"


def upper(text: str) -> str:
    """Capitals as Vietnamese writes them (Python's upper keeps every diacritic; NFC kept)."""
    import unicodedata
    return unicodedata.normalize("NFC", text.upper())


def symbol_of(number: str) -> str:
    """The issuer's symbol of a number: "1234/QĐ-TTg" → "TTg"."""
    tail = number.split("/", 1)[-1]
    return tail.split("-", 1)[-1] if "-" in tail else tail
