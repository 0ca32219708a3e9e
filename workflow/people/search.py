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

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from workflow import validation as v
from workflow.access.actors import Actor
from workflow.access.loading import load_actor
from workflow.errors import InvalidInput
from workflow.kernel.db import Database
from workflow.models import Person
from workflow.orgs.tree import OrgTree, org_tree
from workflow.people.register import summary
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


def _scope(actor: Actor, tree: OrgTree, org_id: int | None) -> list[int] | None:
    """The org ids whose people the search may return (None: everyone)."""
    if org_id is not None:
        if tree.get(org_id) is None:
            return []
        units = tree.subtree_ids(org_id)
        if not (actor.is_admin or actor.is_system):
            mine = tree.subtree_ids(actor.org_id) if actor.org_id in tree.nodes else frozenset()
            units = units & mine
        return sorted(units)
    if actor.is_admin or actor.is_system:
        return None
    return sorted(tree.subtree_ids(actor.org_id)) if actor.org_id in tree.nodes else []


def search_rows(s: Session, actor: Actor, tree: OrgTree, q: str | None, *, org_id: int | None = None,
                cursor: str | None = None, limit: int = 20) -> tuple[list[Person], str | None]:
    after = _cursor(cursor)
    units = _scope(actor, tree, org_id)
    if units == []:
        return [], None

    def page(*where, order=(Person.search_key, Person.id)):
        stmt = select(Person).where(*where)
        if units is not None:
            # "+ 0" keeps the planner on the name indexes: the page is read in their order and
            # stops early, instead of every person of the units being sorted.
            stmt = stmt.where((Person.org_id + 0).in_(units))
        if after is not None:
            stmt = stmt.where(tuple_(Person.search_key, Person.id) > tuple_(*after))
        return list(s.execute(stmt.order_by(*order).limit(limit + 1)).scalars())

    key = search_key(q) if q else ""
    branches: list[list[Person]] = []
    if not key:
        branches.append(page())
    else:
        words = key.split(" ")
        branches.append(page(Person.search_key >= key, Person.search_key < key + HIGH,
                             Person.search_key.like(_escape(key) + "%", escape="\\")))
        given = words[-1][:100]
        others = [Person.search_key.like(f"%{_escape(w)}%", escape="\\") for w in words[:-1]]
        branches.append(page(Person.given_key == given, *others,
                             order=(Person.given_key, Person.search_key, Person.id)))
        digits = key.replace(" ", "")
        if digits.isdigit() and len(digits) >= 3:
            rows = page(Person.id_number >= digits, Person.id_number < digits + HIGH,
                        order=(Person.id_number,))
            branches.append(sorted(rows, key=lambda p: (p.search_key, p.id)))
    merged: list[Person] = []
    seen: set[int] = set()
    for p in heapq.merge(*branches, key=lambda p: (p.search_key, p.id)):
        if p.id not in seen:
            seen.add(p.id)
            merged.append(p)
    nxt = _encode(merged[limit - 1].search_key, merged[limit - 1].id) if len(merged) > limit else None
    return merged[:limit], nxt


def search_people(db: Database, actor_id: int, *, q=None, org_id=None, cursor=None, limit=20) -> Page:
    q = v.text(q, "q", required=False, max_len=200)
    org = v.integer(org_id, "org_id", minimum=1, maximum=v.MAX_ID, required=False)
    limit = v.integer(limit, "limit", minimum=1, maximum=200)
    with db.read() as s:
        actor, tree = load_actor(s, actor_id), org_tree(s)
        rows, nxt = search_rows(s, actor, tree, q, org_id=org, cursor=cursor, limit=limit)
        return Page([summary(tree, p) for p in rows], nxt)
