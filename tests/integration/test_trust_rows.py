"""The audit log proves the rows, not just itself: a forger with SQL access to the database who
edits a row behind the application's back — but cannot rewrite the hash chains — is caught, and
`verify` names the row and the field."""
import pytest
from sqlalchemy import select, text

from workflow.audit.verify import signing_key, verify
from workflow.config import Settings
from workflow.models import Decision, Nomination

from tests.scenarios import DECISION, FULL_VOTE, act, draft

KEY = signing_key(Settings(database_url="sqlite://", secret_key="test-audit-key"))


def tamper(db, sql: str, **params) -> None:
    with db.engine.begin() as c:
        c.execute(text(sql), params)


def awarded(db, users, plan_id, name: str) -> int:
    """A Bằng khen Bộ trưởng taken from the unit to the minister's decision."""
    n = draft(db, users, plan_id, award="bang_khen_bo", name=name).id
    act(db, users, "vtc.canbo", n, "submit")
    act(db, users, "vtc.hoidong", n, "vote", votes=FULL_VOTE)
    act(db, users, "vtc.thutruong", n, "approve")
    act(db, users, "bo.chuyenvien", n, "approve", appraisal="Đủ điều kiện")
    act(db, users, "bo.lanhdao", n, "decide", decision={**DECISION, "number": "77/QĐ-BTTTT", "issued": False,
                                                        "add_to_existing": True})
    return n


def row_problems(db) -> list:
    return [p for p in verify(db, KEY).problems if p.kind == "row"]


def test_the_untouched_rows_are_proven_by_their_chains(db, users, open_plan):
    awarded(db, users, open_plan, "Nguyễn Văn An")
    draft(db, users, open_plan, name="Trần Thị Bình")
    result = verify(db, KEY)
    assert result.ok, [p.message_en for p in result.problems]


def test_an_award_written_straight_into_the_database_is_caught(db, users, open_plan):
    n = draft(db, users, open_plan, name="Lê Văn Cường").id
    act(db, users, "vtc.canbo", n, "submit")
    tamper(db, "UPDATE nominations SET state = 'awarded', level = NULL, holder_org_id = NULL WHERE id = :id", id=n)
    [problem] = [p for p in row_problems(db) if p.chain == f"n:{n}"]
    assert "state is 'awarded'" in problem.message_en and "council_review" in problem.message_en
    assert not verify(db, KEY).ok


def test_a_renamed_awardee_is_caught(db, users, open_plan):
    n = awarded(db, users, open_plan, "Phạm Thị Dung")
    tamper(db, "UPDATE nominations SET nominee_name = 'Người Khác' WHERE id = :id", id=n)
    [problem] = row_problems(db)
    assert problem.chain == f"n:{n}" and "nominee_name is 'Người Khác'" in problem.message_en
    assert "Phạm Thị Dung" in problem.message_vi


def test_a_decision_edited_after_it_was_recorded_is_caught(db, users, open_plan):
    awarded(db, users, open_plan, "Hoàng Văn Em")
    with db.read() as s:
        decision_id = s.execute(select(Decision.id).where(Decision.number == "77/QĐ-BTTTT")).scalar_one()
    tamper(db, "UPDATE decisions SET signer = 'Người ký giả' WHERE id = :id", id=decision_id)
    [problem] = row_problems(db)
    assert problem.chain == f"q:{decision_id}" and "signer" in problem.message_en


def test_an_extra_awardee_slipped_under_a_decision_is_caught(db, users, open_plan):
    awarded(db, users, open_plan, "Vũ Thị Giang")
    other = draft(db, users, open_plan, name="Đỗ Văn Hùng").id
    with db.read() as s:
        decision_id = s.execute(select(Decision.id).where(Decision.number == "77/QĐ-BTTTT")).scalar_one()
    tamper(db, "UPDATE nominations SET decision_id = :d WHERE id = :id", d=decision_id, id=other)
    [problem] = row_problems(db)
    assert problem.chain == f"n:{other}" and "decision_id" in problem.message_en


def test_a_nomination_inserted_without_history_is_caught(db, users, open_plan):
    n = draft(db, users, open_plan, name="Mẫu Thị Sao").id
    with db.read() as s:
        row = s.execute(select(Nomination.__table__).where(Nomination.id == n)).mappings().one()
    forged = {k: v for k, v in row.items() if k != "id"}
    # another nominee, not Mẫu Thị Sao's record (one live nomination per person per award and plan)
    forged.update(nominee_name="Người Ma", nominee_key="người ma", person_id=None, audit_seq=0, audit_head=None)
    columns = ", ".join(forged)
    tamper(db, f"INSERT INTO nominations ({columns}) VALUES ({', '.join(':' + c for c in forged)})", **forged)
    problems = row_problems(db)
    assert len(problems) == 1 and "no history" in problems[0].message_en


def test_a_draft_deleted_for_retention_leaves_its_history_and_the_log_verifies(db, users, open_plan):
    n = draft(db, users, open_plan, name="Lý Văn Tạm").id
    with db.write() as s:
        s.delete(s.get(Nomination, n))
    assert verify(db, KEY).ok


@pytest.mark.parametrize("field, value", [("version", 99), ("award_code", "giay_khen"), ("unit_id", 5)])
def test_any_tracked_field_changed_behind_the_application_is_named(db, users, open_plan, field, value):
    n = draft(db, users, open_plan, name="Quách Thị Ngọc").id
    tamper(db, f"UPDATE nominations SET {field} = :v WHERE id = :id", v=value, id=n)
    [problem] = row_problems(db)
    assert problem.chain == f"n:{n}" and f"{field} is" in problem.message_en


def test_verify_on_the_command_line_fails_on_a_forged_row(db, users, open_plan, tmp_path):
    import subprocess
    import sys
    n = awarded(db, users, open_plan, "Kiều Văn Phong")
    tamper(db, "UPDATE nominations SET nominee_title = 'Tổng Giám đốc' WHERE id = :id", id=n)
    env = {"KHENTHUONG_DATABASE_URL": db.url, "KHENTHUONG_SECRET_KEY": "test-audit-key",
           "KHENTHUONG_INSTANCE": str(tmp_path), "PATH": "/usr/bin:/bin"}
    r = subprocess.run([sys.executable, "-m", "web.cli", "audit", "verify"], env=env, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 1 and f"#{n}" in r.stdout + r.stderr and "nominee_title" in r.stdout + r.stderr

