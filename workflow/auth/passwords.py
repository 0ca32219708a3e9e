"""Password and token hashing. Passwords: Argon2id. API tokens: SHA-256 of a random token."""
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> tuple[str, str]:
    """(token shown once to the user, digest stored)."""
    token = secrets.token_urlsafe(32)
    return token, token_digest(token)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


_DUMMY: list[str] = []


def dummy_hash() -> str:
    """A fixed Argon2 hash checked when the username is unknown, so that a login for an
    unknown user does the same work as one for a known user (no timing oracle)."""
    if not _DUMMY:
        _DUMMY.append(_hasher.hash("khenthuong: no such user"))
    return _DUMMY[0]
