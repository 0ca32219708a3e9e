"""The one password policy (chính sách mật khẩu), used by every way a password is set: the
admin's user forms, password resets and `khenthuong demo --password`."""
from workflow import validation as v
from workflow.errors import InvalidInput

MIN_PASSWORD = 10
MAX_PASSWORD = 500


def valid_password(value, field: str = "password") -> str:
    """The password, or InvalidInput naming what is wrong (at least 10 characters, not blank)."""
    pw = v.text(value, field, max_len=MAX_PASSWORD)
    if len(pw) < MIN_PASSWORD or len(set(pw)) < 3:
        raise InvalidInput(f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự (không lặp một ký tự)",
                           f"The password needs at least {MIN_PASSWORD} characters (not one repeated)",
                           field=field)
    return pw
