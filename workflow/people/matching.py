"""Likely duplicates of a record (trùng hồ sơ), before it is created.

A candidate is (1) the same identity number, (2) the same name key and birth date anywhere,
(3) the same name key in the same unit, or (4) a close fuzzy match of the diacritic-free name
in the same unit ("Nguyen Van Hung" typed without marks, a letter missed). Keys come from
`workflow.text` (NFC, invisible characters removed, case, spacing, "oà/òa" placement), so
"Hoà" and "Hòa" already share one key; the fuzzy score catches what keys cannot.
"""
from rapidfuzz import fuzz, process
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from workflow.models import Person

FUZZY_CUTOFF = 90       # token_sort_ratio of the search keys, 0–100
FUZZY_POOL = 20000      # names of one unit read for the fuzzy pass (a unit is far smaller)
MAX_CANDIDATES = 10


def candidates(s: Session, fields: dict, org_id: int, exclude_id: int | None = None) -> list[Person]:
    kind = fields["kind"]
    exact = [and_(Person.org_id == org_id, Person.name_key == fields["name_key"])]
    if fields.get("id_number"):
        exact.append(Person.id_number == fields["id_number"])
    if fields.get("birth_date"):
        exact.append(and_(Person.name_key == fields["name_key"], Person.birth_date == fields["birth_date"]))
    q = select(Person).where(Person.kind == kind, or_(*exact))
    if exclude_id is not None:
        q = q.where(Person.id != exclude_id)
    found = {p.id: p for p in s.execute(q.order_by(Person.id).limit(MAX_CANDIDATES)).scalars()}
    pool = s.execute(select(Person.id, Person.search_key).where(Person.org_id == org_id, Person.kind == kind)
                     .limit(FUZZY_POOL)).all()
    near = process.extract(fields["search_key"], dict(pool), scorer=fuzz.token_sort_ratio,
                           score_cutoff=FUZZY_CUTOFF, limit=MAX_CANDIDATES)
    for _key, _score, pid in near:
        if pid not in found and pid != exclude_id:
            found[pid] = s.get_one(Person, pid)
    people = list(found.values())
    # Distinct birth dates or identity numbers say two records are two people.
    return [p for p in people if not _surely_distinct(p, fields)][:MAX_CANDIDATES]


def _surely_distinct(p: Person, fields: dict) -> bool:
    if fields.get("id_number") and p.id_number and p.id_number != fields["id_number"]:
        return True
    return bool(fields.get("birth_date") and p.birth_date and p.birth_date != fields["birth_date"])
