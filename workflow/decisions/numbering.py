"""Numbers of decisions (quyết định) and submissions (tờ trình) as NĐ 30/2020/NĐ-CP Art. 15 writes
them: "Số của văn bản là số thứ tự văn bản do cơ quan, tổ chức ban hành trong một năm", starting at
01 on 1 January, followed by the kind and the issuer's symbol ("05/QĐ-BTTTT", "12/TTr-VTC").

A number is unique per (issuing org, year, number, symbol): the database's unique constraints on
`decisions` and `dossiers` hold it. "5/QĐ-BTTTT" and "05/QĐ-BTTTT" are the same number.
"""
import re
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

_PARTS = re.compile(r"\s*(\d{0,6})([A-Za-z]?)\s*/\s*(.+)")


def split(number: str) -> tuple[str | None, str]:
    """(seq, symbol) of a number: ("5", "QĐ-BTTTT") for "05/QĐ-BTTTT"; seq None when blank."""
    m = _PARTS.fullmatch(number or "")
    if not m:
        return None, (number or "")[:70]
    digits, letter, symbol = m.groups()
    if not digits:
        return None, symbol[:70]
    return f"{int(digits)}{letter.lower()}", symbol[:70]


def fields(number: str, day: date) -> dict:
    """The numbering columns of a document numbered `number` and dated `day`."""
    seq, symbol = split(number)
    return {"year": day.year, "seq": seq, "symbol": symbol}


def next_free(s: Session, model, org_id: int, year: int, symbol: str) -> str:
    """The next number of `symbol` the org has not used in `year`: "01/QĐ-BTTTT" in January."""
    used = s.execute(select(model.seq).where(model.org_id == org_id, model.year == year,
                                             model.symbol == symbol)).scalars()
    leading = (re.match(r"\d+", q or "") for q in used)
    highest = max((int(m.group()) for m in leading if m), default=0)
    return f"{highest + 1:02d}/{symbol}"
