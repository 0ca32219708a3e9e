"""What a person's or collective's record may hold, checked at the edge.

Names are cleaned once (`workflow.text.clean`) and keyed once (`name_key` for duplicates,
`search_key` without diacritics for search). Identity number: the 12-digit CCCD (căn cước
công dân; Luật Căn cước 2023 Art. 12 — 12 digits).
"""
import re
from datetime import date

from workflow import validation as v
from workflow.errors import InvalidInput
from workflow.text import name_key, search_key

KINDS = ("individual", "collective")
GENDERS = ("male", "female", "other")
MAX_NAME = 200
CCCD = re.compile(r"\d{12}")


def id_number(value, field: str = "id_number") -> str | None:
    raw = v.text(value, field, required=False, max_len=40)
    if raw is None:
        return None
    digits = raw.replace(" ", "").replace(".", "")
    if not CCCD.fullmatch(digits):
        raise InvalidInput(f"Số định danh (CCCD) phải gồm đúng 12 chữ số; đã nhập {len(digits)} ký tự",
                           f"The identity number (CCCD) must be exactly 12 digits; got {len(digits)} characters",
                           field=field)
    return digits


def typed_id_number(text: str | None) -> str | None:
    """A CCCD typed into a search box ("001 190 004 567", "001.190.004.567"), or None."""
    digits = re.sub(r"[\s.\-]", "", text or "")
    return digits if CCCD.fullmatch(digits) else None


def birth_date(value, today: date, field: str = "birth_date") -> date | None:
    day = v.iso_date(value, field, required=False)
    if day is None:
        return None
    if day > today:
        raise InvalidInput(f"Ngày sinh {day:%d/%m/%Y} ở tương lai", f"Birth date {day.isoformat()} is in the future",
                           field=field)
    if day.year < 1900:
        raise InvalidInput(f"Ngày sinh {day:%d/%m/%Y} không hợp lệ", f"Birth date {day.isoformat()} is not plausible",
                           field=field)
    return day


def keys(name: str) -> dict:
    """The stored keys of a name: for duplicates, for search, and the given name (tên) for search."""
    skey = search_key(name)
    return {"name_key": name_key(name), "search_key": skey, "given_key": (skey.rsplit(" ", 1)[-1])[:100]}


def fields(body: dict, today: date) -> dict:
    """The record's own fields from a request body (`org_id` is the caller's business)."""
    kind = v.choice(body.get("kind", "individual"), "kind", KINDS)
    name = v.text(body.get("name"), "name", max_len=MAX_NAME)
    out = {"kind": kind, "name": name, **keys(name),
           "position": v.text(body.get("position"), "position", required=False, max_len=200)}
    if kind == "individual":
        out["birth_date"] = birth_date(body.get("birth_date"), today)
        out["gender"] = v.choice(body.get("gender"), "gender", GENDERS, required=False)
        out["id_number"] = id_number(body.get("id_number"))
    else:
        out["collective_kind"] = v.text(body.get("collective_kind"), "collective_kind", required=False,
                                        max_len=100)
    return out


def nominee_identity(nominee: dict, today: date, prefix: str = "nominee.") -> dict:
    """The identity a nominee may carry besides its name (birth date, gender, CCCD), checked."""
    out: dict = {}
    if nominee.get("birth_date") is not None:
        out["birth_date"] = birth_date(nominee["birth_date"], today, prefix + "birth_date")
    if nominee.get("gender") is not None:
        out["gender"] = v.choice(nominee["gender"], prefix + "gender", GENDERS)
    number = id_number(nominee.get("id_number"), prefix + "id_number")
    if number:
        out["id_number"] = number
    return out
