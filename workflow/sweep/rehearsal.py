"""A rehearsal (diễn tập) of the sweep: everything it would do, then nothing kept.

`khenthuong scheduler tick` without `--apply` runs the real sweep inside one outer transaction
that is rolled back at the end: each of the sweep's own transactions becomes a savepoint of it,
so the report counts exactly what a real sweep at that time would do (reminders, escalations,
expired drafts) and the database is left as it was. No e-mail is sent.
"""
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from workflow.kernel.db import WRITE_OPTION, Database


class Rehearsal:
    """Looks like a Database to the sweep; `close()` throws every change away."""

    def __init__(self, db: Database):
        self.settings, self.dialect, self.url = db.settings, db.dialect, db.url
        self.engine = db.engine
        self._conn = db.engine.connect().execution_options(**{WRITE_OPTION: True})
        self._outer = self._conn.begin()

    def _session(self) -> Session:
        return Session(bind=self._conn, join_transaction_mode="create_savepoint",
                       expire_on_commit=False, info={"settings": self.settings})

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._session() as s:
            yield s

    @contextmanager
    def write(self) -> Iterator[Session]:
        s = self._session()
        try:
            yield s
            s.commit()  # releases the savepoint only: the outer transaction is never committed
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()

    def close(self) -> None:
        try:
            self._outer.rollback()
        finally:
            self._conn.close()
