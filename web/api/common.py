"""What every API module shares: the request's context, its JSON body, its query arguments and
the bearer-token check."""
import json
from functools import wraps

from flask import g, request

from web.runtime import runtime
from workflow.access.actors import RequestContext
from workflow.auth import service as auth
from workflow import validation as v
from workflow.errors import InvalidInput, Unauthenticated


def ctx() -> RequestContext:
    return RequestContext(request_id=g.get("request_id"), client_ip=request.remote_addr)


def json_body(required: bool = True) -> dict:
    """The request's JSON object; invalid UTF-8 or JSON is a 422 naming `body`."""
    raw = request.get_data(cache=True)
    if not raw:
        if required:
            raise InvalidInput("Thiếu nội dung JSON", "Missing JSON body", field="body")
        return {}
    try:
        doc = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InvalidInput("Nội dung không phải UTF-8 hợp lệ", "The body is not valid UTF-8", field="body") from None
    except ValueError as e:
        raise InvalidInput(f"JSON không hợp lệ: {e}", f"Malformed JSON: {e}", field="body") from None
    except RecursionError:  # "[[[[…" a hundred thousand deep: refused, never a 500
        raise InvalidInput("JSON lồng nhau quá sâu", "The JSON is nested too deeply", field="body") from None
    if not isinstance(doc, dict):
        raise InvalidInput("Nội dung phải là đối tượng JSON", "The body must be a JSON object", field="body")
    return v.bounded(doc)


def authenticated(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("Cần đăng nhập (Authorization: Bearer ...)", "Authentication required")
        g.token = token.strip()
        g.user_id = auth.authenticate(runtime().db, g.token, now=runtime().now())
        return view(*args, **kwargs)
    return wrapper


def bool_arg(name: str) -> bool:
    value = request.args.get(name)
    if value is None or value == "":
        return False
    if value.lower() in ("1", "true", "yes"):
        return True
    if value.lower() in ("0", "false", "no"):
        return False
    raise InvalidInput(f"Tham số {name} phải là true/false", f"Parameter {name} must be true or false", field=name)


def int_arg(name: str, source=None) -> int | None:
    """A whole number from the query string (or `source`, e.g. a multipart form), or 422."""
    value = (request.args if source is None else source).get(name)
    if value is None or value == "":
        return None
    if not value.isdigit() or len(value) > 18:
        raise InvalidInput(f"Tham số {name} phải là số", f"Parameter {name} must be a number", field=name)
    return int(value)


def str_arg(name: str) -> str | None:
    value = request.args.get(name)
    return value if value not in (None, "") else None
