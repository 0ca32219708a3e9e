"""Friendly error pages for people (the JSON API keeps its own error bodies).

`html_error(err, status)` is the one place where a domain error or an HTTP error becomes a
page: web/errors.register calls it for every request that is not an API request.
"""
from flask import redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import logout_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from workflow.errors import DomainError
from web.ui import forms
from web.ui.i18n import current_lang

TITLES = {
    400: _l("Yêu cầu không hợp lệ"),
    403: _l("Bạn không có quyền làm việc này"),
    404: _l("Không tìm thấy"),
    405: _l("Thao tác không được hỗ trợ"),
    409: _l("Hồ sơ đã thay đổi"),
    413: _l("Tệp gửi lên quá lớn"),
    422: _l("Dữ liệu chưa hợp lệ"),
    429: _l("Thử lại sau"),
}
MESSAGES = {
    400: _l("Yêu cầu không hợp lệ. Vui lòng quay lại và thử lại."),
    403: _l("Vai trò của bạn không được thực hiện thao tác này."),
    404: _l("Trang hoặc hồ sơ bạn tìm không có, hoặc bạn không có quyền xem."),
    405: _l("Thao tác không được hỗ trợ ở địa chỉ này."),
    409: _l("Có người vừa thay đổi hồ sơ này. Không có gì được ghi; hãy tải lại trang."),
    413: _l("Tệp gửi lên vượt quá giới hạn cho phép."),
}
CSRF_MESSAGE = _l("Biểu mẫu đã hết hạn hoặc thiếu mã bảo vệ. Không có gì được ghi; "
                  "hãy tải lại trang rồi thử lại.")


def _message(err, status: int) -> str:
    if isinstance(err, DomainError):
        return err.message(current_lang())
    if isinstance(err, CSRFError):
        return str(CSRF_MESSAGE)
    return str(MESSAGES.get(status, TITLES.get(status, "")))


def html_error(err: DomainError | HTTPException, status: int | None):
    """A page saying what went wrong in the user's language; nothing else is revealed."""
    status = status or 500
    if status == 401:
        # The account was disabled or its session is no longer valid: start again at login.
        logout_user()
        return redirect(url_for("ui.login", next=request.path))
    title = TITLES.get(status, _l("Có lỗi xảy ra"))
    back = forms.safe_next(request.referrer, "") or None  # only a page of this site
    return render_template("error.html", status=status, title=title, message=_message(err, status),
                           back=back), status
