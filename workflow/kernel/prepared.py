"""The hot path's writes, compiled once per dialect and handed straight to the driver.

A transition writes ~6 rows (the row's UPDATE, its audit event, deadline row, notices, e-mails);
a bulk approval writes them for 500 rows at a time. SQLAlchemy's per-execution work (execution
context, parameter construction, result proxy: 10–30 µs a statement) cost more than SQLite's
own work for a one-row INSERT (1–3 µs; bench/README.md). The statements are still built with
Core and compiled by SQLAlchemy, with the dialect's bind processors (UTC datetimes, JSON,
booleans); only the execution skips its machinery.

A statement that needs what only the full path does (Python-side column defaults, an implicit
RETURNING, expanding IN lists) is run the ordinary way; a RETURNING the statement asks for (an
INSERT's new id) comes back as rows. A driver error is raised as SQLAlchemy's own
exception, so the unit of work's mapping (lost race → Conflict, storage → Unavailable) holds.
"""
from collections import namedtuple
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, NoReturn

from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, MultipleResultsFound, NoResultFound
from sqlalchemy.sql import Select


# Values worth processing once per executemany: immutable, hashable, and costly to format.
_MEMO_TYPES = frozenset({datetime, date})


class _Plan:
    """One statement compiled for one dialect and one set of parameter names."""
    __slots__ = ("statement", "sql", "names", "processors", "positional", "row", "types", "results", "fixed")

    def __init__(self, statement: Any, sql: str, names: Sequence[str], processors: dict, positional: bool,
                 columns: Sequence[Any] = (), fixed: dict | None = None):
        self.statement, self.sql, self.names = statement, sql, tuple(names)
        self.processors, self.positional, self.fixed = processors, positional, fixed or None
        # A SELECT's rows: tuples named by the columns' keys, values through the types' result
        # processors (resolved from the first cursor's description, as SQLAlchemy does).
        self.row: Any = namedtuple("Row", [c.keyname for c in columns], rename=True) if columns else None
        self.types = [c.type for c in columns]
        self.results: list | None = None

    def parameters(self, params: dict, memo: dict | None = None) -> Any:
        """The driver's parameters of one row. `memo`: shared by the rows of one executemany, where
        a bulk move writes the same few moments (now, a due date) on every row: each distinct
        value of a column is then processed once."""
        if self.fixed:
            params = {**self.fixed, **params}
        procs = self.processors
        values = []
        for n in self.names:
            value = params[n]
            proc = procs.get(n)
            if proc is not None and value is not None:
                if memo is not None and value.__class__ in _MEMO_TYPES:
                    key = (n, value)
                    value = memo[key] if key in memo else memo.setdefault(key, proc(value))
                else:
                    value = proc(value)
            values.append(value)
        return tuple(values) if self.positional else dict(zip(self.names, values))

    def parameters_many(self, rows: list[dict]) -> list:
        memo: dict[tuple[str, Any], Any] = {}
        return [self.parameters(r, memo) for r in rows]


# Keyed by the statement's identity: only statements built once (module-level, or cached by
# their builder) come here, and each plan holds its statement so the id is never reused.
_PLANS: dict[tuple[int, str, tuple[str, ...]], _Plan | None] = {}


def _plan(conn: Connection, statement: Any, keys: tuple[str, ...]) -> _Plan | None:
    dialect = conn.dialect
    key = (id(statement), dialect.name, keys)
    if key in _PLANS:
        plan = _PLANS[key]
        if plan is None or plan.statement is statement:
            return plan
    # for_executemany: no implicit RETURNING of the new id (PostgreSQL's default for one row);
    # nothing here reads it back.
    compiled: Any = statement.compile(dialect=dialect, column_keys=list(keys), for_executemany=True)
    plan = None
    asked = bool(getattr(statement, "_returning", ()))  # RETURNING the caller reads (an INSERT's new id)
    if not (compiled.insert_prefetch or compiled.update_prefetch or (compiled.returning and not asked)
            or compiled.literal_execute_params or compiled.post_compile_params):
        names = compiled.positiontup if compiled.positional else list(compiled.bind_names.values())
        # A value built into the statement (LIMIT 1) is a bound literal: given with the call's.
        fixed = {n: b.value for n, b in compiled.binds.items()
                 if n not in keys and not b.required and b.callable is None and b.value is not None}
        if set(names) <= set(keys) | set(fixed):  # every other parameter is given: no default to fill in
            plan = _Plan(statement, compiled.string, names, dict(compiled._bind_processors), compiled.positional,
                         compiled._result_columns if isinstance(statement, Select) or asked else (), fixed)
    _PLANS[key] = plan
    return plan


def _raise(conn: Connection, sql: str, params: Any, e: Exception) -> NoReturn:
    dialect = conn.dialect
    invalidated = dialect.is_disconnect(e, conn.connection.dbapi_connection, None)  # type: ignore[arg-type]
    if invalidated:
        conn.invalidate(e)
    raise DBAPIError.instance(sql, params, e, dialect.loaded_dbapi.Error,
                              connection_invalidated=invalidated, dialect=dialect) from e


@contextmanager
def _cursor(conn: Connection, sql: str, params: Any) -> Iterator[Any]:
    """A driver cursor, closed afterwards; a driver error leaves as SQLAlchemy's exception."""
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        yield cursor
    except conn.dialect.loaded_dbapi.Error as e:
        _raise(conn, sql, params, e)
    finally:
        cursor.close()


def run_sql(conn: Connection, sql: str) -> None:
    """A statement without parameters or rows (BEGIN IMMEDIATE), straight to the driver."""
    with _cursor(conn, sql, ()) as cursor:
        cursor.execute(sql)


def execute(conn: Connection, statement: Any, params: dict) -> int:
    """Run `statement` with one row of parameters; returns the row count."""
    plan = _plan(conn, statement, tuple(params))
    if plan is None:
        return conn.execute(statement, params).rowcount
    values = plan.parameters(params)
    with _cursor(conn, plan.sql, values) as cursor:
        cursor.execute(plan.sql, values)
        return cursor.rowcount


def execute_each(conn: Connection, statements: list[tuple[Any, dict]]) -> list[int]:
    """Run several statements, one row of parameters each, in order; their row counts.

    On PostgreSQL they go in one pipeline: one round trip instead of one per statement (a
    transition's UPDATE, audit event and deadline row). A later statement is sent before the
    earlier one's count is known, which is safe in one transaction: the caller checks the
    counts and raises, and the unit of work rolls everything back."""
    plans = [_plan(conn, stmt, tuple(params)) for stmt, params in statements]
    raw: Any = conn.connection.dbapi_connection
    if conn.dialect.name != "postgresql" or None in plans or not hasattr(raw, "pipeline"):
        return [execute(conn, stmt, params) for stmt, params in statements]
    cursors = []
    sql, values = "", None
    try:
        with raw.pipeline():
            for plan, (_, params) in zip(plans, statements):
                assert plan is not None
                sql, values = plan.sql, plan.parameters(params)
                cursor = raw.cursor()
                cursors.append(cursor)
                cursor.execute(sql, values)
        return [c.rowcount for c in cursors]
    except conn.dialect.loaded_dbapi.Error as e:
        _raise(conn, sql, values, e)
    finally:
        for c in cursors:
            c.close()


def execute_many(conn: Connection, statement: Any, rows: list[dict]) -> int:
    """Run `statement` once per row (executemany); rows of another shape than the first are
    run in their own group. Returns the summed row count (-1 when the driver cannot say)."""
    groups: dict[tuple[str, ...], list[dict]] = {}
    for r in rows:
        groups.setdefault(tuple(r), []).append(r)
    total = 0
    for keys, group in groups.items():
        plan = _plan(conn, statement, keys)
        if plan is None:
            count = conn.execute(statement, group).rowcount
        else:
            values = plan.parameters_many(group)
            with _cursor(conn, plan.sql, values[:1]) as cursor:
                cursor.executemany(plan.sql, values)
                count = cursor.rowcount
        if count < 0 or total < 0:
            total = -1
        else:
            total += count
    return total


class Rows(list):
    """A SELECT's rows with the few Result methods the hot path's reads use."""

    def first(self) -> Any:
        return self[0] if self else None

    def one(self) -> Any:
        if len(self) != 1:
            raise NoResultFound("No row was found") if not self else MultipleResultsFound("Multiple rows")
        return self[0]

    def one_or_none(self) -> Any:
        if len(self) > 1:
            raise MultipleResultsFound("Multiple rows")
        return self[0] if self else None

    def all(self) -> list:
        return list(self)

    def scalar(self) -> Any:
        return self[0][0] if self else None

    def scalar_one(self) -> Any:
        return self.one()[0]

    def scalar_one_or_none(self) -> Any:
        row = self.one_or_none()
        return None if row is None else row[0]


def select_rows(conn: Connection, statement: Any, params: dict) -> Any:
    """Run a SELECT (or a write with RETURNING) built once; its rows (a `Rows`), or SQLAlchemy's
    Result when it cannot be run directly (both answer first/one/all/scalar...)."""
    plan = _plan(conn, statement, tuple(params))
    if plan is None or plan.row is None:
        return conn.execute(statement, params)
    values = plan.parameters(params)
    with _cursor(conn, plan.sql, values) as cursor:
        cursor.execute(plan.sql, values)
        raw = cursor.fetchall()
        if plan.results is None:
            dialect = conn.dialect
            plan.results = [t._cached_result_processor(dialect, d[1]) for t, d in zip(plan.types, cursor.description)]
    make, procs = plan.row._make, plan.results
    if not any(procs):
        return Rows(make(r) for r in raw)
    return Rows(make([p(v) if p else v for p, v in zip(procs, r)]) for r in raw)
