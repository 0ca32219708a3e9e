"""An installation upgraded to the register keeps its nominations: every nominee named so far
becomes one record per unit and name key, linked from its nominations."""
import sqlite3

from sqlalchemy import text

from workflow.kernel.db import Database
from workflow.kernel.migrate import upgrade

BEFORE = "0009_route_key"  # the revision the register's migration follows (re-chained at merge)


def filled(conn, table: str, given: dict) -> None:
    """A row of `table` with `given` and a plain value in every other required column."""
    row = dict(given)
    for _cid, name, kind, notnull, default, _pk in conn.execute(f"PRAGMA table_info({table})"):
        if name not in row and notnull and default is None:
            kind = kind.upper()
            row[name] = (1 if "INT" in kind or "BOOL" in kind else 0.5 if kind in ("FLOAT", "REAL") else
                         "2026-01-01 00:00:00" if "DATE" in kind or "TIME" in kind else "[]" if "JSON" in kind
                         else "x")
    conn.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", tuple(row.values()))


def test_the_nominees_of_earlier_nominations_become_records(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, BEFORE)
    # The rows as the earlier schema held them, written raw (the models describe the newer one).
    conn = sqlite3.connect(tmp_path / "old.db")
    conn.execute("INSERT INTO org_units (id, code, name, level, path) VALUES (1, 'u', 'Đơn vị A', 'unit', '/1/')")
    filled(conn, "award_types", {"code": "giay_khen"})
    filled(conn, "plans", {"id": 1, "issuer_org_id": 1})
    filled(conn, "plans", {"id": 2, "issuer_org_id": 1})
    # One nominee in two plans under two spellings (one live nomination per nominee per plan is
    # the rule the later migrations enforce), and another nominee.
    for nid, plan, name, key in ((1, 1, "Nguyễn Thị Hoà", "nguyễn thị hòa"), (2, 2, "Nguyễn Thị Hòa", "nguyễn thị hòa"),
                                 (3, 1, "Lê Văn Tám", "lê văn tám")):
        conn.execute(
            "INSERT INTO nominations (id, plan_id, award_code, unit_id, nominee_kind, nominee_name, nominee_key, "
            "achievements, state, version, route, definition_version, escalation_level, created_at, updated_at, "
            "audit_seq) VALUES (?, ?, 'giay_khen', 1, 'individual', ?, ?, 'x', 'draft', 1, 'unit', 1, 0, "
            "'2026-02-01 00:00:00', '2026-02-01 00:00:00', 0)", (nid, plan, name, key))
    conn.commit()
    conn.close()
    engine = Database(url).engine
    upgrade(url)
    with engine.connect() as conn:
        links = dict(conn.execute(text("SELECT id, person_id FROM nominations")).all())
        people = conn.execute(text("SELECT id, name, search_key, given_key, org_id FROM people ORDER BY id")).all()
    assert links[1] == links[2] != links[3]
    assert [(p.name, p.search_key, p.given_key, p.org_id) for p in people] == [
        ("Nguyễn Thị Hoà", "nguyen thi hoa", "hoa", 1), ("Lê Văn Tám", "le van tam", "tam", 1)]
    engine.dispose()
