"""Officers of one unit record the same person at the same moment: one record, on both databases."""
from collections import Counter

from sqlalchemy import func, select

from workflow.models import AuditEvent, Person

from tests.scenarios import race

THREADS = 8


def test_the_same_identity_number_entered_at_once_makes_one_record(app, login, db):
    officer = login("vtc.canbo")

    def create(i):
        client = app.test_client()
        r = client.post("/api/v1/people", headers=officer.headers,
                        json={"name": f"Hà Minh Châu {i}", "id_number": "001095000321", "confirm_distinct": True})
        return r.status_code, r.get_json().get("error", {}).get("code")

    results = race(THREADS, create)
    assert Counter(code for code, _ in results) == {201: 1, 409: THREADS - 1}
    assert {err for code, err in results if code == 409} <= {"duplicate", "conflict"}
    with db.read() as s:
        assert s.execute(select(func.count()).select_from(Person)
                         .where(Person.id_number == "001095000321")).scalar_one() == 1
        assert s.execute(select(func.count()).select_from(AuditEvent)
                         .where(AuditEvent.action == "person_create")).scalar_one() == 1
