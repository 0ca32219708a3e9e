"""An operator checks and exports the audit log from the command line, on a real SQLite file."""
import csv
import io
import json
import shutil
import sqlite3

import openpyxl
import pytest
from sqlalchemy import select

from workflow.kernel.db import Database
from workflow.models import AuditEvent, Plan, User

from tests.scenarios import FULL_VOTE, act, draft
from tests.integration.test_cli import khenthuong


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    """A database file set up by `init-db` and `demo`, as an operator would."""
    folder = tmp_path_factory.mktemp("audit-cli")
    env = _env(folder)
    khenthuong("init-db", env=env)
    khenthuong("demo", "--password", "Mat-khau-2026", env=env)
    return folder / "kt.db"


def _env(folder):
    import os
    return {**os.environ, "KHENTHUONG_DATABASE_URL": f"sqlite:///{folder / 'kt.db'}",
            "KHENTHUONG_INSTANCE": str(folder)}


@pytest.fixture
def site(demo_file, tmp_path):
    """This test's copy of the demo database, with VTC's nomination of Nguyễn Văn An taken to
    the ministry and returned with a reason."""
    shutil.copy(demo_file, tmp_path / "kt.db")
    db = Database(f"sqlite:///{tmp_path / 'kt.db'}")
    with db.read() as s:
        users = {u.username: u.id for u in s.execute(select(User)).scalars()}
        plan = s.execute(select(Plan.id).where(Plan.title.like("Kế hoạch thi đua, khen thưởng năm %"))).scalar_one()
    n = draft(db, users, plan, name="Nguyễn Văn An").id
    act(db, users, "vtc.canbo", n, "submit")
    act(db, users, "vtc.hoidong", n, "vote", votes=FULL_VOTE)
    act(db, users, "vtc.thutruong", n, "approve")
    act(db, users, "bo.chuyenvien", n, "return", reason="Thiếu biên bản họp Hội đồng Thi đua - Khen thưởng")
    with db.read() as s:
        returned = s.execute(select(AuditEvent.id).where(AuditEvent.action == "return")).scalar_one()
    db.dispose()
    return {"env": _env(tmp_path), "file": tmp_path / "kt.db", "dir": tmp_path, "return_event": returned}


def test_an_operator_verifies_signs_a_checkpoint_and_verifies_again(site):
    env = site["env"]
    out = khenthuong("audit", "verify", env=env).stdout
    assert "intact" in out and "no checkpoint yet" in out
    assert "Checkpoint #1" in khenthuong("audit", "checkpoint", env=env).stdout
    assert "nothing new" in khenthuong("audit", "checkpoint", env=env).stdout
    out = khenthuong("audit", "verify", "--quiet", env=env).stdout
    assert "intact" in out and "checkpoint #1" in out


def test_verify_exits_1_naming_the_event_edited_with_plain_sql(site):
    khenthuong("audit", "checkpoint", env=site["env"])
    with sqlite3.connect(site["file"]) as conn:  # a tamperer with the file: triggers first
        conn.execute("DROP TRIGGER audit_events_no_update")
        conn.execute("UPDATE audit_events SET reason = 'Hồ sơ đầy đủ' WHERE id = ?", (site["return_event"],))
    r = khenthuong("audit", "verify", env=site["env"], check=False)
    assert r.returncode == 1
    assert f"event #{site['return_event']}" in r.stdout and "altered" in r.stdout
    r = khenthuong("audit", "verify", "--json", env=site["env"], check=False)
    result = json.loads(r.stdout)
    assert r.returncode == 1 and result["ok"] is False
    assert (result["first_problem"]["event_id"], result["first_problem"]["kind"]) == (site["return_event"], "altered")


def test_verify_names_a_deleted_event_by_its_chain_and_place(site):
    with sqlite3.connect(site["file"]) as conn:
        conn.execute("DROP TRIGGER audit_events_no_delete")
        chain, seq = conn.execute("SELECT chain, seq FROM audit_events WHERE action = 'vote'").fetchone()
        conn.execute("DELETE FROM audit_events WHERE action = 'vote'")
    r = khenthuong("audit", "verify", env=site["env"], check=False)
    assert r.returncode == 1 and f"deleted: missing event(s), chain {chain}, seq {seq}" in r.stdout


def test_an_unreachable_database_is_exit_2_not_a_verdict(tmp_path):
    env = _env(tmp_path / "khong-co")
    env["KHENTHUONG_DATABASE_URL"] = "postgresql://nobody@127.0.0.1:1/none"
    r = khenthuong("audit", "verify", env=env, check=False)
    assert r.returncode == 2 and "could not run" in r.stderr


def test_exports_write_csv_and_xlsx_files_with_the_filters_given(site):
    env, folder = site["env"], site["dir"]
    khenthuong("audit", "export", "--format", "csv", "--action", "return", "-o", str(folder / "tra-lai.csv"), env=env)
    raw = (folder / "tra-lai.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 2 and "Thiếu biên bản họp Hội đồng Thi đua - Khen thưởng" in rows[1]
    khenthuong("audit", "export", "--format", "xlsx", "--since", "2020-01-01", "-o", str(folder / "all.xlsx"),
               env=env)
    ws = openpyxl.load_workbook(folder / "all.xlsx").active
    with sqlite3.connect(site["file"]) as conn:
        total = conn.execute("SELECT count(*) FROM audit_events").fetchone()[0]
    assert ws.max_row == total + 1 and ws["A1"].value == "Mã sự kiện / Event id"


def test_a_bad_filter_is_exit_2_and_leaves_no_file(site):
    r = khenthuong("audit", "export", "--format", "csv", "--state", "xong", "-o", str(site["dir"] / "x.csv"),
                   env=site["env"], check=False)
    assert r.returncode == 2 and "state" in r.stderr
    assert not (site["dir"] / "x.csv").exists()


def test_help_documents_the_commands_and_the_filters(site):
    out = khenthuong("audit", "--help", env=site["env"]).stdout
    assert all(cmd in out for cmd in ("verify", "checkpoint", "export"))
    out = khenthuong("audit", "export", "--help", env=site["env"]).stdout
    for option in ("--nomination-id", "--actor", "--action", "--org-id", "--state", "--since", "--until", "--q"):
        assert option in out
