"""Likely duplicates of a record (trùng hồ sơ), before it is created.

A candidate is (1) the same identity number, (2) the same name key and birth date anywhere,
(3) the same name key in the same unit, or (4) a close fuzzy match of the diacritic-free name
in the same unit among those sharing its family name or its given name ("Nguyen Van Hung"
typed without marks, a letter missed in one of the words). Keys come from `workflow.text`
(NFC, invisible characters removed, case, spacing, "oà/òa" placement), so "Hoà" and "Hòa"
already share one key; the fuzzy score catches what keys cannot. Every query is an index range.
"""
from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.models import Person

FUZZY_CUTOFF = 90       # token_sort_ratio of the search keys, 0–100
FUZZY_POOL = 5000       # names of one unit read per fuzzy pass (family or given name)
MAX_CANDIDATES = 10
HIGH = "\U0010ffff"


def _ids(s: Session, *where) -> list[int]:
    return list(s.execute(select(Person.id).where(*where).limit(MAX_CANDIDATES)).scalars())


def candidates(s: Session, fields: dict, org_id: int, exclude_id: int | None = None) -> list[Person]:
    kind, key, skey = fields["kind"], fields["name_key"], fields["search_key"]
    found: list[int] = []
    if fields.get("id_number"):
        found += _ids(s, Person.id_number == fields["id_number"])
    if fields.get("birth_date"):
        found += _ids(s, Person.name_key == key, Person.birth_date == fields["birth_date"], Person.kind == kind)
    found += _ids(s, Person.org_id == org_id, Person.search_key == skey, Person.name_key == key, Person.kind == kind)
    family = skey.split(" ", 1)[0]
    pool = list(s.execute(select(Person.id, Person.search_key).where(
        Person.org_id == org_id, Person.search_key >= family + " ", Person.search_key < family + " " + HIGH,
        Person.kind == kind).limit(FUZZY_POOL)).all())
    pool += s.execute(select(Person.id, Person.search_key).where(
        Person.org_id == org_id, Person.given_key == fields["given_key"], Person.kind == kind)
        .limit(FUZZY_POOL)).all()
    near = process.extract(skey, dict(pool), scorer=fuzz.token_sort_ratio, score_cutoff=FUZZY_CUTOFF,
                           limit=MAX_CANDIDATES)
    found += [pid for _key, _score, pid in near]
    ids = [i for i in dict.fromkeys(found) if i != exclude_id]
    people = [s.get_one(Person, i) for i in ids]
    # Distinct birth dates or identity numbers say two records are two people.
    return [p for p in people if not surely_distinct(p, fields)][:MAX_CANDIDATES]


def surely_distinct(p: Person, fields: dict) -> bool:
    if fields.get("id_number") and p.id_number and p.id_number != fields["id_number"]:
        return True
    return bool(fields.get("birth_date") and p.birth_date and p.birth_date != fields["birth_date"])
