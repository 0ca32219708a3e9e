"""Reading HTML form fields into the plain values the services take.

Form inputs are named like the services' fields ("votes.present", "decision.number", "reason")
so an InvalidInput from a service points straight at the input to mark. Only the conversion
from text happens here; every rule is checked by the service.
"""
import re
import uuid
from datetime import date
from urllib.parse import urlparse

from flask import g, request
from flask_login import current_user

from workflow import validation as v
from workflow.access.actors import RequestContext
from workflow.errors import InvalidInput

DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def ctx() -> RequestContext:
    if "request_id" not in g:
        g.request_id = uuid.uuid4().hex
    return RequestContext(request_id=g.request_id, client_ip=request.remote_addr)


def user_id() -> int:
    return current_user.user.id


def text(name: str, multiline: bool = False) -> str | None:
    """A typed text, or None when left empty. Browsers send CRLF line ends; keep LF."""
    value = request.form.get(name, "")
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value if value.strip() else None


def integer(name: str) -> int | None:
    """A whole number typed in a form; anything else names the field."""
    value = (request.form.get(name) or "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 12:
        raise InvalidInput(f"Trường {name} phải là số nguyên", f"Field {name} must be a whole number",
                           field=name)
    return int(value)


def version() -> int:
    """The version a form was drawn from; without it a stale form could not be recognised."""
    value = integer("version")
    if value is None:
        raise InvalidInput("Thiếu phiên bản hồ sơ; hãy tải lại trang", "Missing version; reload the page",
                           field="version")
    return value


def arg_int(name: str) -> int | None:
    value = (request.args.get(name) or "").strip()
    return int(value) if value.isdigit() and len(value) < 13 else None


def arg_text(name: str) -> str | None:
    value = (request.args.get(name) or "").strip()
    return value[:200] or None


def day(name: str) -> str | None:
    """A date typed as dd/mm/yyyy (or picked as yyyy-mm-dd), as the ISO text services take."""
    value = (request.form.get(name) or "").strip()
    if not value:
        return None
    m = DMY.fullmatch(value)
    if m:
        try:
            return date(int(m[3]), int(m[2]), int(m[1])).isoformat()
        except ValueError:
            raise InvalidInput(f"Ngày {value} không tồn tại", f"Date {value} does not exist", field=name) from None
    return value  # the service says what is wrong with it, naming the field


def dmy_to_iso(value: str) -> str:
    """"23/11/2026" → "2026-11-23"; anything else unchanged (the service judges it)."""
    m = DMY.fullmatch(value.strip())
    if not m:
        return value
    return f"{int(m[3]):04d}-{int(m[2]):02d}-{int(m[1]):02d}"


def ids(name: str = "ids") -> list[int]:
    """Ticked ids of a form; more than validation.MAX_LIST is a clear 422."""
    return v.capped([int(x) for x in request.form.getlist(name) if x.isdigit() and len(x) < 19], name)


def safe_next(target: str | None, default: str) -> str:
    """A path on this site only (a full URL of this host is cut to its path): no open redirect."""
    if not target or "\\" in target or not target.isprintable():
        return default
    parts = urlparse(target)
    if (parts.netloc and parts.netloc != request.host) or parts.scheme not in ("", "http", "https"):
        return default
    if not parts.path.startswith("/") or parts.path.startswith("//"):
        return default
    return parts.path + (f"?{parts.query}" if parts.query else "")
