"""Checks on plain input values, shared by every caller of the services.

Text is cleaned once here, at the edge (`workflow.text.clean`: NFC, invisible characters removed,
spaces collapsed), so everything stored and compared is in one form.
"""
import re
from datetime import date
from typing import Any, Literal, overload

from workflow.errors import InvalidInput
from workflow.text import clean, name_key as text_name_key

MAX_ID = 2**62  # ids are 64-bit in the database; larger numbers cannot name anything


@overload
def text(value: Any, field: str, *, required: Literal[True] = ..., max_len: int = ...,
         multiline: bool = ...) -> str: ...
@overload
def text(value: Any, field: str, *, required: bool, max_len: int = ..., multiline: bool = ...) -> str | None: ...
def text(value: Any, field: str, *, required: bool = True, max_len: int = 500,
         multiline: bool = False) -> str | None:
    """A stripped, NFC-normalised string, or InvalidInput naming `field`."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidInput(f"Thiếu trường bắt buộc: {field}", f"Missing required field: {field}",
                               field=field)
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"Trường {field} phải là chuỗi ký tự", f"Field {field} must be a string",
                           field=field)
    if "\ufffd" in value or any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        raise InvalidInput(f"Trường {field} không phải UTF-8 hợp lệ", f"Field {field} is not valid UTF-8",
                           field=field)
    value = clean(value, multiline=multiline)
    if not value:
        if required:
            raise InvalidInput(f"Thiếu trường bắt buộc: {field}", f"Missing required field: {field}",
                               field=field)
        return None
    if len(value) > max_len:
        raise InvalidInput(f"Trường {field} dài quá {max_len} ký tự",
                           f"Field {field} is longer than {max_len} characters", field=field)
    return value


@overload
def integer(value: Any, field: str, *, minimum: int | None = ..., maximum: int | None = ...,
            required: Literal[True] = ...) -> int: ...
@overload
def integer(value: Any, field: str, *, minimum: int | None = ..., maximum: int | None = ...,
            required: bool) -> int | None: ...
def integer(value: Any, field: str, *, minimum: int | None = None, maximum: int | None = None,
            required: bool = True) -> int | None:
    if value is None:
        if required:
            raise InvalidInput(f"Thiếu trường bắt buộc: {field}", f"Missing required field: {field}",
                               field=field)
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"Trường {field} phải là số nguyên", f"Field {field} must be an integer",
                           field=field)
    if not -2**63 <= value < 2**63:  # nothing in a 64-bit database column is that large
        raise InvalidInput(f"Trường {field} ngoài khoảng cho phép", f"Field {field} is out of range",
                           field=field)
    if minimum is not None and value < minimum or maximum is not None and value > maximum:
        raise InvalidInput(f"Trường {field} ngoài khoảng cho phép", f"Field {field} is out of range",
                           field=field)
    return value


@overload
def choice(value: Any, field: str, allowed: Any, *, required: Literal[True] = ...) -> str: ...
@overload
def choice(value: Any, field: str, allowed: Any, *, required: bool) -> str | None: ...
def choice(value: Any, field: str, allowed: Any, *, required: bool = True) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or value not in allowed:
        raise InvalidInput(
            f"Trường {field} phải là một trong: {', '.join(allowed)}",
            f"Field {field} must be one of: {', '.join(allowed)}", field=field)
    return value


EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def email(value: Any, field: str = "email") -> str | None:
    """An e-mail address (a@b.c, at most 200 characters), or None when left empty."""
    address = text(value, field, required=False, max_len=200)
    if address and not EMAIL.fullmatch(address):
        raise InvalidInput("Địa chỉ e-mail không hợp lệ", "Invalid e-mail address", field=field)
    return address or None


@overload
def iso_date(value: Any, field: str, *, required: Literal[True] = ...) -> date: ...
@overload
def iso_date(value: Any, field: str, *, required: bool) -> date | None: ...
def iso_date(value: Any, field: str, *, required: bool = True) -> date | None:
    if value is None and not required:
        return None
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise InvalidInput(f"Trường {field} phải là ngày dạng YYYY-MM-DD",
                           f"Field {field} must be a date YYYY-MM-DD", field=field)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"Ngày {value} không tồn tại", f"Date {value} does not exist",
                           field=field) from None


def id_list(value: Any, field: str, *, max_items: int = 10000) -> list[int]:
    if not isinstance(value, list) or not value:
        raise InvalidInput(f"Trường {field} phải là danh sách số", f"Field {field} must be a list of ids",
                           field=field)
    if len(value) > max_items:
        raise InvalidInput(f"Trường {field} quá {max_items} phần tử",
                           f"Field {field} has more than {max_items} items", field=field)
    for v in value:
        integer(v, field, minimum=1, maximum=MAX_ID)
    return list(dict.fromkeys(value))


def name_key(name: str) -> str:
    """A comparison key for a nominee's name (see `workflow.text.name_key`)."""
    return text_name_key(name)


# --- bounded requests (M8, L5 of the trust issue) ------------------------------------------
# No request needs more: a plan has a few dozen milestones, a bulk action or a dossier a few
# hundred nominations. 15,000 milestones locked the database for 29 s; a JSON nested 100,000
# deep crashed the parser.
MAX_LIST = 5000
MAX_DEPTH = 20
MAX_MILESTONES = 100


def bounded(doc, field: str = "body", *, max_list: int = MAX_LIST, max_depth: int = MAX_DEPTH):
    """`doc` unchanged, or InvalidInput (422) naming the first list that is too long or the
    place where the nesting is too deep. Iterative: no recursion to exhaust."""
    stack = [(doc, field, 1)]
    while stack:
        value, where, depth = stack.pop()
        if depth > max_depth:
            raise InvalidInput(f"{where}: lồng nhau quá {max_depth} cấp", f"{where}: nested more than "
                               f"{max_depth} levels deep", field=where)
        if isinstance(value, list):
            if len(value) > max_list:
                raise InvalidInput(f"{where}: tối đa {max_list} phần tử (có {len(value)})",
                                   f"{where}: at most {max_list} items ({len(value)} given)", field=where)
            stack.extend((item, f"{where}[{i}]", depth + 1) for i, item in enumerate(value))
        elif isinstance(value, dict):
            stack.extend((item, f"{where}.{key}" if where != "body" else str(key), depth + 1)
                         for key, item in value.items())
    return doc


def capped(values, field: str, *, max_items: int = MAX_LIST) -> list:
    """A list from a form or a body, refused (422) when longer than `max_items`."""
    if len(values) > max_items:
        raise InvalidInput(f"{field}: tối đa {max_items} mục (có {len(values)})",
                           f"{field}: at most {max_items} items ({len(values)} given)", field=field)
    return values
