"""Finding people (tra cứu hồ sơ) by name, with or without diacritics and in any case, or by
identity number, within what the caller may see.

Every branch walks an index in (search_key, id) order and stops after a page, so a page costs
the same at a thousand records or a million (bench/people.py):
- the whole typed name as a prefix of the diacritic-free name ("nguyen van h");
- the last typed word as the given name (tên), the other words anywhere in the name
  ("hung", "van hung", "nguyen hung");
- digits as the start of an identity number.
The branches' pages are merged in (search_key, id) order; the cursor is the last (key, id).
"""
import base64
import heapq
import json
import re

from typing import Any

from sqlalchemy import bindparam, select, tuple_
from sqlalchemy.orm import Session

from workflow import validation as v
from workflow.access.actors import Actor
from workflow.access.loading import load_actor
from workflow.errors import InvalidInput
from workflow.kernel.db import Database
from workflow.models import OrgUnit, Person
from workflow.orgs.tree import OrgTree, org_tree
from workflow.people.register import org_of
from workflow.people.views import PersonSummary
from workflow.text import search_key
from workflow.views import Page

HIGH = "\U0010ffff"  # sorts after every character a key holds (byte order in SQLite, "C" in PostgreSQL)


def _cursor(raw: str | None) -> tuple[str, int] | None:
    if not raw:
        return None
    try:
        key, pid = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        if not isinstance(key, str) or not isinstance(pid, int):
            raise ValueError
        return key, pid
    except (ValueError, TypeError):
        raise InvalidInput("Con trỏ phân trang không hợp lệ", "Invalid cursor", field="cursor") from None


def _encode(key: str, pid: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([key, pid]).encode()).decode().rstrip("=")


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


COLUMNS = (Person.id, Person.kind, Person.name, Person.birth_date, Person.org_id, Person.id_number,
           Person.position, Person.search_key)
_STATEMENTS: dict[tuple, Any] = {}


def _scope(actor: Actor, tree: OrgTree, org_id: int | None) -> str | None | bool:
    """The path prefix ("/1/2/%") of the units whose people the search may return: None for
    everyone, False for no one."""
    roots = []
    if not (actor.is_admin or actor.is_system):
        if actor.org_id not in tree.nodes:
            return False
        roots.append(tree.nodes[actor.org_id].path)
    if org_id is not None:
        node = tree.get(org_id)
        if node is None:
            return False
        roots.append(node.path)
    if not roots:
        return None
    deepest = max(roots, key=len)
    # Two subtrees overlap only when one holds the other: then the deeper one is the scope.
    return deepest + "%" if all(deepest.startswith(r) for r in roots) else False


def _statement(branch: str, scoped: bool, after: bool, others: int) -> Any:
    """The SELECT of one branch, built once per shape (bound values only change)."""
    key = (branch, scoped, after, others)
    stmt = _STATEMENTS.get(key)
    if stmt is not None:
        return stmt
    stmt = select(*COLUMNS)
    order: tuple = (Person.search_key, Person.id)
    if branch == "prefix":
        stmt = stmt.where(Person.search_key >= bindparam("lo"), Person.search_key < bindparam("hi"),
                          Person.search_key.like(bindparam("like"), escape="\\"))
    elif branch == "given":
        stmt = stmt.where(Person.given_key == bindparam("given"),
                          *[Person.search_key.like(bindparam(f"w{i}"), escape="\\") for i in range(others)])
        order = (Person.given_key, Person.search_key, Person.id)
    elif branch == "ident":
        stmt = stmt.where(Person.id_number >= bindparam("ilo"), Person.id_number < bindparam("ihi"))
        order = (Person.id_number,)
    if scoped:
        # "+ 0" keeps the planner on the name indexes: the page is read in their order and
        # stops early, instead of every person of the units being sorted.
        units = select(OrgUnit.id).where(OrgUnit.path.like(bindparam("scope")))
        stmt = stmt.where((Person.org_id + 0).in_(units.scalar_subquery()))
    if after:
        stmt = stmt.where(tuple_(Person.search_key, Person.id) > tuple_(bindparam("ak"), bindparam("aid")))
    stmt = stmt.order_by(*order).limit(bindparam("n"))
    _STATEMENTS[key] = stmt
    return stmt


def search_rows(s: Session, actor: Actor, tree: OrgTree, q: str | None, *, org_id: int | None = None,
                cursor: str | None = None, limit: int = 20) -> tuple[list[Any], str | None]:
    """One page of (id, kind, name, birth_date, org_id, id_number, position, search_key) rows."""
    after = _cursor(cursor)
    scope = _scope(actor, tree, org_id)
    if scope is False:
        return [], None
    common: dict[str, Any] = {"n": limit + 1}
    if scope is not None:
        common["scope"] = scope
    if after is not None:
        common["ak"], common["aid"] = after

    def page(branch: str, others: int = 0, **values) -> list[Any]:
        stmt = _statement(branch, scope is not None, after is not None, others)
        return list(s.execute(stmt, {**common, **values}).all())

    key = search_key(q) if q else ""
    branches: list[list[Any]] = []
    if not key:
        branches.append(page("all"))
    else:
        words = key.split(" ")
        branches.append(page("prefix", lo=key, hi=key + HIGH, like=_escape(key) + "%"))
        branches.append(page("given", len(words) - 1, given=words[-1][:100],
                             **{f"w{i}": f"%{_escape(w)}%" for i, w in enumerate(words[:-1])}))
        digits = re.sub(r"[\s.\-]", "", key)
        if digits.isdigit() and len(digits) >= 3:
            rows = page("ident", ilo=digits, ihi=digits + HIGH)
            branches.append(sorted(rows, key=lambda r: (r.search_key, r.id)))
    merged: list[Any] = []
    seen: set[int] = set()
    for row in heapq.merge(*branches, key=lambda r: (r.search_key, r.id)):
        if row.id not in seen:
            seen.add(row.id)
            merged.append(row)
    nxt = _encode(merged[limit - 1].search_key, merged[limit - 1].id) if len(merged) > limit else None
    return merged[:limit], nxt


# A nomination list's search (workflow/workbench/listing.py) also finds nominations by their
# record: these are the same index ranges as a people search, read as a subquery and capped.
NOMINEE_IDS = 500


def person_ids_named(key: str) -> list[Any]:
    """Subqueries of the ids of records whose name matches the search key `key` (diacritic-free,
    case-folded): the whole key as a prefix of the name, or the last word as the given name and
    the others anywhere. Each walks an index and stops at NOMINEE_IDS rows."""
    words = key.split(" ")
    prefix = select(Person.id).where(Person.search_key >= key, Person.search_key < key + HIGH,
                                     Person.search_key.like(_escape(key) + "%", escape="\\")).limit(NOMINEE_IDS)
    given = select(Person.id).where(Person.given_key == words[-1][:100], *[
        Person.search_key.like(f"%{_escape(w)}%", escape="\\") for w in words[:-1]]).limit(NOMINEE_IDS)
    return [prefix, given]


def person_id_numbered(number: str) -> Any:
    """Subquery of the record holding identity number `number` (the unique index)."""
    return select(Person.id).where(Person.id_number == number)


def search_people(db: Database, actor_id: int, *, q=None, org_id=None, cursor=None, limit=20) -> Page:
    q = v.text(q, "q", required=False, max_len=200)
    org = v.integer(org_id, "org_id", minimum=1, maximum=v.MAX_ID, required=False)
    limit = v.integer(limit, "limit", minimum=1, maximum=200)
    with db.read() as s:
        actor, tree = load_actor(s, actor_id), org_tree(s)
        rows, nxt = search_rows(s, actor, tree, q, org_id=org, cursor=cursor, limit=limit)
        return Page([PersonSummary(r.id, r.kind, r.name, r.birth_date, org_of(tree, r.org_id), r.id_number,
                                   r.position) for r in rows], nxt)
