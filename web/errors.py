"""Domain errors → HTTP status and `{"error": {"code", "message"}}`, in one place."""
from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from workflow.errors import (
    Conflict, DomainError, Forbidden, InvalidInput, InvalidTransition, NotFound, RateLimited,
    Unauthenticated, Unavailable,
)

STATUS = {
    NotFound: 404, Forbidden: 403, InvalidTransition: 409, Conflict: 409, InvalidInput: 422,
    Unauthenticated: 401, RateLimited: 429, Unavailable: 503,
}

HTTP_MESSAGES = {
    400: ("invalid_input", "Yêu cầu không hợp lệ", "Bad request"),
    404: ("not_found", "Không tìm thấy", "Not found"),
    405: ("method_not_allowed", "Phương thức không được hỗ trợ", "Method not allowed"),
    413: ("too_large", "Nội dung gửi lên quá lớn", "Request body too large"),
    415: ("invalid_input", "Kiểu nội dung không được hỗ trợ", "Unsupported media type"),
}


def lang() -> str:
    if request.args.get("lang") == "en":
        return "en"
    best = request.accept_languages.best_match(["vi", "en"])
    return best or "vi"


def status_of(err: DomainError) -> int:
    for cls in type(err).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


def error_body(err: DomainError) -> dict:
    body = {"code": err.code, "message": err.message(lang())}
    if err.field:
        body["field"] = err.field
    if err.details is not None:
        body["rows"] = err.details
    body.update(getattr(err, "extra", None) or {})  # e.g. a duplicate's candidates, failed checks
    return {"error": body}


def json_error(err: DomainError):
    resp = jsonify(error_body(err))
    resp.status_code = status_of(err)
    if resp.status_code == 401:
        resp.headers["WWW-Authenticate"] = 'Bearer realm="khenthuong"'
    retry_after = getattr(err, "retry_after", None)
    if retry_after:
        resp.headers["Retry-After"] = str(retry_after)
    return resp


def http_error_json(e: HTTPException):
    code, vi, en = HTTP_MESSAGES.get(e.code, ("error", e.name, e.name))
    resp = jsonify({"error": {"code": code, "message": en if lang() == "en" else vi}})
    resp.status_code = e.code or 500
    return resp


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz" or (
        request.accept_mimetypes.best == "application/json")


def register(app: Flask, html_handler=None) -> None:
    @app.errorhandler(DomainError)
    def _domain(err: DomainError):
        if wants_json() or html_handler is None:
            return json_error(err)
        return html_handler(err, status_of(err))

    @app.errorhandler(HTTPException)
    def _http(e: HTTPException):
        if wants_json() or html_handler is None:
            return http_error_json(e)
        return html_handler(e, e.code)
