"""Two administrators change the tree at the same instant: a pair of crossing moves or a pair of
crossing mergers never leaves a cycle or a unit merged into a closed one (SQLite and PostgreSQL)."""
from sqlalchemy import select

from tests.conftest import NOW
from tests.scenarios import race
from workflow.errors import DomainError
from workflow.models import OrgUnit
from workflow.orgs import merge, service, update


def two_units(db, users):
    with db.read() as s:
        vtc = s.execute(select(OrgUnit.id).where(OrgUnit.code == "VTC")).scalar_one()
    a = service.create_org(db, users["admin"], {"name": "Ban A", "kind": "unit", "parent_id": vtc, "valid_from": "2026-01-02"}, now=NOW)
    b = service.create_org(db, users["admin"], {"name": "Ban B", "kind": "unit", "parent_id": vtc, "valid_from": "2026-01-02"}, now=NOW)
    return a.id, b.id


def outcome(fn):
    try:
        fn()
        return "ok"
    except DomainError as e:
        return e.code if e.code != "invalid_input" else "invalid_input:" + str(e.field) + ":" + e.message("en")


def test_crossing_moves_at_once_leave_no_cycle(db, users):
    a, b = two_units(db, users)
    moves = [(a, b), (b, a)]
    results = race(2, lambda i: outcome(lambda: update.update_org(
        db, users["admin"], moves[i][0], {"parent_id": moves[i][1]}, now=NOW)))
    refused, won = sorted(results)
    assert won == "ok" and refused.startswith("invalid_input:parent_id:") and "cycle" in refused, results
    with db.read() as s:
        rows = {o.id: o for o in s.execute(select(OrgUnit)).scalars()}
    for o in rows.values():  # every path names its own ancestors, and no org is its own ancestor
        ids = [int(p) for p in o.path.strip("/").split("/")]
        assert ids[-1] == o.id and len(set(ids)) == len(ids)
        assert (rows[ids[-2]].id if len(ids) > 1 else None) == o.parent_id


def test_crossing_mergers_at_once_merge_one_way_only(db, users):
    a, b = two_units(db, users)
    pairs = [(a, b), (b, a)]
    results = race(2, lambda i: outcome(lambda: merge.merge_org(
        db, users["admin"], pairs[i][0], {"into_id": pairs[i][1], "date": "2026-11-23"}, now=NOW)))
    refused, won = sorted(results)
    assert won == "ok" and refused.startswith("invalid_input:"), results
    with db.read() as s:
        merged = {o.id: (o.valid_to, o.merged_into_id) for o in s.execute(select(OrgUnit)
                                                                          .where(OrgUnit.id.in_((a, b)))).scalars()}
    closed = [i for i, (to, _) in merged.items() if to is not None]
    assert len(closed) == 1 and merged[closed[0]][1] in (a, b) and merged[merged[closed[0]][1]][0] is None
