"""The one password policy holds on the command line too (L9): `khenthuong demo --password 1`
used to give every demo account a one-character password."""
from sqlalchemy import func, select

from workflow.demo.data import ORGS, USERS
from workflow.kernel.db import Database
from workflow.models import User

from tests.integration.test_cli import env, khenthuong  # noqa: F401  (fixture)


def test_the_demo_refuses_a_password_the_policy_refuses_and_creates_nobody(env):
    for weak in ("1", "demo", "aaaaaaaaaaaaaa"):
        r = khenthuong("demo", "--password", weak, env=env, check=False)
        assert r.returncode == 2 and "10" in r.stderr and "Traceback" not in r.stderr, weak
    db = Database(env["KHENTHUONG_DATABASE_URL"])
    try:
        with db.read() as s:
            assert s.execute(select(func.count()).select_from(User)).scalar() == 0
    except Exception as e:  # no schema yet is as good: nothing was created
        assert "no such table" in str(e)
    finally:
        db.dispose()
    out = khenthuong("demo", "--password", "khenthuong-demo", env=env).stdout
    assert f"{len(ORGS)} org(s), {len(USERS)} user(s)" in out
