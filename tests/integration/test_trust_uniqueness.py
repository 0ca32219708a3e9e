"""One nominee, one award, one plan, whatever the timing (M2): 30 officers' browsers firing the
same nomination at once, a double-click, spellings that differ only in tone-mark placement or
spacing. The database's unique index decides; every loser gets a 409 and nothing is half-made."""
import threading

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from workflow import validation as v
from workflow.errors import Conflict
from workflow.models import Nomination
from workflow.nominations import drafting

from tests.conftest import NOW

SPELLINGS = ["Nguyễn Văn Hòa", "Nguyễn Văn Hoà", "nguyễn  văn HÒA", " Nguyễn Văn Hòa "]


def live(db, plan) -> int:
    with db.read() as s:
        return s.execute(select(func.count()).select_from(Nomination).where(
            Nomination.plan_id == plan, Nomination.nominee_key == v.name_key("Nguyễn Văn Hòa"),
            Nomination.state.not_in(("rejected", "withdrawn", "expired")))).scalar()


def create(db, users, plan, name):
    return drafting.create_nomination(
        db, users["vtc.canbo"], plan_id=plan, award_type="bang_khen_thu_tuong",
        nominee={"kind": "individual", "name": name, "title": "Kỹ sư"},
        achievements="Hoàn thành xuất sắc nhiệm vụ", now=NOW)


def test_thirty_parallel_creates_of_one_nominee_leave_one_row(db, users, open_plan):
    barrier = threading.Barrier(30)
    won, lost, other = [], [], []

    def attempt(i):
        barrier.wait()
        try:
            won.append(create(db, users, open_plan, SPELLINGS[i % len(SPELLINGS)]).id)
        except Conflict:
            lost.append(i)
        except Exception as e:  # anything else (a 500) fails the test below
            other.append(repr(e))

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert other == [] and len(won) == 1 and len(lost) == 29
    assert live(db, open_plan) == 1


def test_the_database_itself_refuses_a_second_live_row_even_behind_the_application(db, users, open_plan):
    n = create(db, users, open_plan, "Nguyễn Văn Hòa")
    # The same nominee: the same record of the register (the index is per person, so namesakes an
    # officer confirmed distinct are not refused) ...
    cols = ("plan_id, award_code, unit_id, person_id, nominee_kind, nominee_name, nominee_key, achievements, state, "
            "version, route, definition_version, escalation_level, created_at, updated_at, audit_seq")
    copy = (f"INSERT INTO nominations ({cols}) SELECT {cols} FROM nominations WHERE id = :id")
    with pytest.raises(IntegrityError), db.engine.begin() as c:
        c.execute(text(copy), {"id": n.id})
    # ... or, written behind the application with no record, the same unit and name.
    unlinked = copy.replace("person_id, ", "")
    with db.engine.begin() as c:
        c.execute(text(unlinked), {"id": n.id})
    with pytest.raises(IntegrityError), db.engine.begin() as c:
        c.execute(text(unlinked), {"id": n.id})
    with db.engine.begin() as c:
        c.execute(text("UPDATE nominations SET state = 'withdrawn' WHERE person_id IS NULL"))
    # once the first is withdrawn the nominee is free again
    with db.engine.begin() as c:
        c.execute(text("UPDATE nominations SET state = 'withdrawn' WHERE id = :id"), {"id": n.id})
    assert create(db, users, open_plan, "Nguyễn Văn Hoà").id != n.id


def test_a_double_click_on_the_api_makes_one_nomination_and_one_409(login, open_plan, db):
    api = login("vtc.canbo")
    body = {"plan_id": open_plan, "award_type": "bang_khen_thu_tuong",
            "nominee": {"kind": "individual", "name": "Trịnh Văn Hòa", "title": "Kỹ sư"},
            "achievements": "Hoàn thành xuất sắc nhiệm vụ"}
    first = api.post("/nominations", json=body)
    second = api.post("/nominations", json={**body, "nominee": {**body["nominee"], "name": "trịnh văn hoà"}})
    assert first.status_code == 201 and second.status_code == 409
    assert second.get_json()["error"]["code"] == "conflict"
