"""One unit of work per command, and the one place where a lost race becomes `Conflict`.

A command opens `unit_of_work(db)`, does its checks and writes, and commits once. Whatever way
a concurrent command got there first shows up here — a conditional UPDATE that matched no row
(`Stale`), the ORM's version check (`StaleDataError`), a unique index (`IntegrityError`), or
PostgreSQL's serialization failure or deadlock — and leaves as `Conflict`, with nothing
changed. `each` runs one item of a many-item command in a savepoint, so one refused item is
reported with its reason instead of undoing the others; `refuse` then turns the reasons into
one all-or-nothing refusal when the command must not half-happen.
"""
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from workflow.errors import Conflict, DomainError, Forbidden, InvalidInput, InvalidTransition, NotFound
from workflow.kernel.db import Database

T = TypeVar("T")
# PostgreSQL: deadlock detected, serialization failure: a race lost, not a fault.
RACE_SQLSTATES = frozenset({"40P01", "40001"})


class Stale(Exception):
    """A conditional write found its row changed since it was read (raised inside the kernel)."""


def lost_race(exc: BaseException) -> Conflict | None:
    """The Conflict a database error means, or None when it is a real fault."""
    if isinstance(exc, Stale | StaleDataError):
        return Conflict("Hồ sơ vừa được người khác xử lý; không có gì thay đổi",
                        "Someone else acted on this first; nothing was changed", field="version")
    if isinstance(exc, IntegrityError):
        return Conflict("Thao tác trùng với một thao tác khác vừa thực hiện; không có gì thay đổi",
                        "A concurrent action got there first; nothing was changed")
    if isinstance(exc, OperationalError) and getattr(exc.orig, "sqlstate", None) in RACE_SQLSTATES:
        return Conflict("Xung đột với một thao tác đồng thời; hãy thử lại",
                        "Lost a race with a concurrent action; try again")
    return None


@contextmanager
def unit_of_work(db: Database) -> Iterator[Session]:
    """One write transaction: commit on success, roll back on any error; races → Conflict."""
    try:
        with db.write() as s:
            yield s
    except (Stale, StaleDataError, IntegrityError, OperationalError) as e:
        conflict = lost_race(e)
        if conflict is None:
            raise
        raise conflict from None


def flush(session: Session) -> None:
    """Flush the ORM's pending changes; a lost race becomes Conflict at once."""
    try:
        session.flush()
    except (StaleDataError, IntegrityError) as e:
        conflict = lost_race(e)
        assert conflict is not None
        raise conflict from None


def item_error(item_id: Any, e: DomainError) -> dict:
    return {"nomination_id": item_id, "code": e.code, "message": e.message_vi,
            "message_en": e.message_en, **({"field": e.field} if e.field else {})}


def each(session: Session, items: Iterable[T], fn: Callable[[T], Any],
         key: Callable[[T], Any] = lambda x: x) -> tuple[list, list[dict]]:
    """Run `fn(item)` for each item in its own savepoint: (results, per-item errors)."""
    done: list = []
    errors: list[dict] = []
    for item in items:
        sp = session.begin_nested()
        try:
            done.append(fn(item))
            sp.commit()
        except DomainError as e:
            sp.rollback()
            errors.append(item_error(key(item), e))
        except (Stale, StaleDataError, IntegrityError) as e:
            sp.rollback()
            conflict = lost_race(e)
            assert conflict is not None
            errors.append(item_error(key(item), conflict))
    return done, errors


_BY_CODE: dict[str, type[DomainError]] = {
    c.code: c for c in (InvalidInput, Forbidden, NotFound, InvalidTransition, Conflict)}
_BY_CODE["ineligible"] = InvalidInput  # a failed eligibility check (workflow/people) is a 422


def refuse(errors: list[dict], vi: str, en: str, *, cls: type[DomainError] | None = None) -> None:
    """All or nothing: any refused item refuses the whole command, naming each reason.

    When every item failed for the same kind of reason the status says so (403, 404, 422...);
    mixed reasons are a 409. One shared message is repeated at the top.
    """
    if not errors:
        return
    codes = {e["code"] for e in errors}
    cls = cls or (_BY_CODE.get(codes.pop(), Conflict) if len(codes) == 1 else Conflict)
    same = {(e["message"], e["message_en"], e.get("field")) for e in errors}
    field = None
    if len(same) == 1:
        msg_vi, msg_en, field = same.pop()
        vi, en = f"{vi}: {msg_vi}", f"{en}: {msg_en}"
    else:
        vi, en = f"{vi}: {len(errors)} mục bị từ chối", f"{en}: {len(errors)} item(s) refused"
    raise cls(f"{vi}; không có gì thay đổi", f"{en}; nothing was changed", field=field, details=errors)
