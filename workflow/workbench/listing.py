"""Lists of nominations at an office's scale (bàn làm việc): search, filter, sort, count, page.

One query shape for three lists — everything the user may see (`/nominations`), what waits for
the user (`/inbox`), the nominees a dossier carried (the tờ trình's table) — so each page, its
API and "select every matching row" agree on what matches. Paging is by page number (the user
sees "trang 3/8" and the total); a list is filtered before it is paged, so even a deep page of
a filtered list costs a COUNT and one indexed page read.

Search (`q`) is read without diacritics and case: every word must appear in the nominee's
search key ("nguyen an" finds "Nguyễn Văn An"), or the words appear in the number of the dossier
(tờ trình) or decision carrying the nomination; a number alone is an id or such a number.
"""
from dataclasses import dataclass, field, replace
from functools import lru_cache
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo
from types import SimpleNamespace
from typing import Any
from collections.abc import Mapping

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from states.lifecycle import TERMINAL_STATES
from states.routes import ALL_STATES
from workflow import validation as v
from workflow.access.actors import Actor
from workflow.access.policy import INBOX_STATES, actions_for
from workflow.access.visibility import nomination_clause
from workflow.errors import InvalidInput
from workflow.models import Decision, Dossier, DossierNomination, Nomination
from workflow.people import identity, search as people_search
from workflow.text import clean, search_key

PER_PAGE = 50
PER_PAGE_CHOICES = (25, 50, 100, 200)
MAX_PAGE = 100_000
# "Select every matching row" acts on at most this many (a bulk command runs in chunks of 500
# through the kernel's batched path; a larger selection is a filter mistake, not a task).
MAX_MATCHING = 5000
# Counting stops here: past it a list says "more than 10 000" (`capped`) instead of scanning a
# million rows for an exact figure nobody reads; filter to get an exact count.
COUNT_CAP = 10_000

MAX_INT32 = 2**31 - 1  # plans and org units have 32-bit ids: a larger number names nothing
KINDS = ("all", "inbox", "dossier")
# Sort keys (`sort=name`, `sort=-due`): the column and its tie-breaker is always the id.
SORTS: dict[str, Any] = {
    "id": Nomination.id,
    "name": Nomination.search_key,
    "award": Nomination.award_code,
    "unit": Nomination.unit_id,
    "state": Nomination.state,
    "due": Nomination.due_at,
    "updated": Nomination.updated_at,
    "position": DossierNomination.position,
}
DEFAULT_SORT = {"all": "-id", "inbox": "due", "dossier": "position"}


@dataclass(frozen=True)
class ListQuery:
    """What the user asked of a list: words, filters, order and page."""
    q: str = ""
    sort: str = ""
    page: int = 1
    per_page: int = PER_PAGE
    state: str | None = None
    plan_id: int | None = None
    award_type: str | None = None
    unit_id: int | None = None
    overdue: bool = False
    mine: bool = False  # only what is in dossiers assigned to the user (giao cho tôi)
    # The yearly statistics' figures open the list they count (workflow/workbench/statistics.py):
    # the units under an org, and days (Hà Nội) of the decision or of the first submission.
    org_id: int | None = None
    decided_from: date | None = None
    decided_until: date | None = None
    submitted_from: date | None = None
    submitted_until: date | None = None

    def filters(self) -> dict:
        """The query as URL parameters (page left out): links to another page or order keep them."""
        out: dict = {k: getattr(self, k) for k in ("q", "state", "plan_id", "award_type", "unit_id", "org_id")
                     if getattr(self, k)}
        out.update({k: getattr(self, k).isoformat() for k in PERIOD_FILTERS if getattr(self, k)})
        if self.overdue:
            out["overdue"] = 1
        if self.mine:
            out["mine"] = 1
        if self.sort:
            out["sort"] = self.sort
        if self.per_page != PER_PAGE:
            out["per_page"] = self.per_page
        return out


@dataclass(frozen=True)
class Scope:
    """Which list: `all` the user may see, their `inbox`, or one dossier's nominees. `also`: the
    user with a delegating leader's powers (workflow/workbench/delegation.py), whose inbox a
    stand-in's inbox includes and whose actions its bulk form offers."""
    kind: str = "all"
    dossier_id: int | None = None
    also: tuple = ()


def _powers(actor: Actor, scope: Scope) -> list[Actor]:
    return [actor, *scope.also]


def _allowed(actor: Actor, scope: Scope, row) -> set[str]:
    """What the user may do to `row`: by their own role, or as a leader's stand-in."""
    return set().union(*(actions_for(a, row) for a in _powers(actor, scope)))


@dataclass
class ListPage:
    """One page of a list, with what the whole filtered list holds."""
    items: list
    total: int
    page: int
    pages: int
    per_page: int
    sort: str
    query: ListQuery
    state_counts: dict[str, int] = field(default_factory=dict)
    capped: bool = False  # more than COUNT_CAP rows match: `total` is COUNT_CAP
    common_actions: list[str] = field(default_factory=list)   # allowed on every matching row
    some_actions: list[str] = field(default_factory=list)     # allowed on some matching rows only

    @property
    def first(self) -> int:
        return 0 if not self.total else (self.page - 1) * self.per_page + 1

    @property
    def last(self) -> int:
        return min(self.total, self.page * self.per_page)

    def page_numbers(self, around: int = 2) -> list[int | None]:
        """1 … 4 5 [6] 7 8 … 20: None marks a gap."""
        wanted = {1, self.pages, *range(self.page - around, self.page + around + 1)}
        out: list[int | None] = []
        for n in sorted(p for p in wanted if 1 <= p <= self.pages):
            if out and out[-1] is not None and n - out[-1] > 1:
                out.append(None)
            out.append(n)
        return out


# --- reading the query ----------------------------------------------------------------------

PERIOD_FILTERS = ("decided_from", "decided_until", "submitted_from", "submitted_until")
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _day(value, name: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise InvalidInput(f"Trường {name} phải là ngày (YYYY-MM-DD)", f"Field {name} must be a date (YYYY-MM-DD)",
                           field=name) from None


def parse_query(args: Mapping, kind: str = "all") -> ListQuery:
    """A ListQuery from URL parameters or a JSON object; a bad value is a 422 naming it."""
    raw_q = args.get("q")
    q = clean(raw_q)[:100] if isinstance(raw_q, str) else ""
    sort = args.get("sort") or ""
    if sort and (not isinstance(sort, str) or sort.lstrip("-") not in SORTS
                 or (sort.lstrip("-") == "position" and kind != "dossier")):
        raise InvalidInput(f"Không sắp xếp được theo '{str(sort)[:40]}'", f"Cannot sort by '{str(sort)[:40]}'",
                           field="sort")
    per_page = _int(args.get("per_page") or args.get("limit"), "per_page", 1, 500) or PER_PAGE
    return ListQuery(
        q=q, sort=sort, page=_int(args.get("page"), "page", 1, MAX_PAGE) or 1, per_page=per_page,
        state=v.choice(args.get("state") or None, "state", ALL_STATES, required=False),
        plan_id=_int(args.get("plan_id"), "plan_id", 1, MAX_INT32),
        award_type=v.text(args.get("award_type") or None, "award_type", required=False, max_len=60),
        unit_id=_int(args.get("unit_id"), "unit_id", 1, MAX_INT32),
        overdue=str(args.get("overdue", "")).lower() in ("1", "true", "yes", "on"),
        mine=str(args.get("mine", "")).lower() in ("1", "true", "yes", "on"),
        org_id=_int(args.get("org_id"), "org_id", 1, MAX_INT32),
        **{k: _day(args.get(k), k) for k in PERIOD_FILTERS})


def _int(value, name: str, minimum: int, maximum: int) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value.isdigit() or len(value) > 19:
            raise InvalidInput(f"Trường {name} phải là số nguyên", f"Field {name} must be an integer", field=name)
        value = int(value)
    return v.integer(value, name, minimum=minimum, maximum=maximum)


# --- the query ------------------------------------------------------------------------------

@lru_cache(maxsize=512)
def words_clause(q: str):
    """The search words as a WHERE clause (None for no words). A number alone ("45", "#45") is
    an id, or the number a tờ trình or decision is written with ("45/TTr-VTC"); twelve digits
    are also the identity number (CCCD) of the nominee's record. Words match the name on the
    nomination or the name of its record (renamed since, say): see people.search. Built once per
    text (a list page asks for it four times: rows, count, state counts, actions); the clause is
    immutable, its values bound."""
    digits = q.strip().lstrip("#")
    cccd = identity.typed_id_number(q)
    by_cccd = [Nomination.person_id.in_(people_search.person_id_numbered(cccd))] if cccd else []
    if digits.isdigit() and len(digits) < 19:
        prefix = digits + "/"
        return or_(Nomination.id == int(digits),
                   Nomination.dossier_id.in_(select(Dossier.id).where(
                       Dossier.number.startswith(prefix, autoescape=True))),
                   Nomination.decision_id.in_(select(Decision.id).where(
                       Decision.number.startswith(prefix, autoescape=True))), *by_cccd)
    if by_cccd:
        return by_cccd[0]
    key = search_key(q)
    words = key.split()
    if not words:
        return None
    by_name = or_(and_(*(Nomination.search_key.contains(w, autoescape=True) for w in words)),
                  *(Nomination.person_id.in_(ids) for ids in people_search.person_ids_named(" ".join(words))))
    lowered = q.casefold().strip()
    numbers = or_(
        Nomination.dossier_id.in_(select(Dossier.id).where(
            func.lower(Dossier.number).contains(lowered, autoescape=True))),
        Nomination.decision_id.in_(select(Decision.id).where(
            func.lower(Decision.number).contains(lowered, autoescape=True))))
    return or_(by_name, numbers)


def base_query(actor: Actor, tree, scope: Scope, query: ListQuery, now: datetime, columns=None) -> Select:
    """SELECT of the rows of `scope` the actor may see that match `query` (not ordered, not paged)."""
    stmt = select(*(columns or (Nomination,)))
    if scope.kind == "inbox":
        stmt = stmt.where(or_(*(and_(Nomination.holder_org_id == a.org_id,
                                     Nomination.state.in_(INBOX_STATES.get(a.role, ()) or ("-",)))
                                for a in _powers(actor, scope))))
    elif scope.kind == "dossier":
        # The dossier itself was checked visible by the caller; its rows are its own list.
        stmt = stmt.join(DossierNomination, DossierNomination.nomination_id == Nomination.id).where(
            DossierNomination.dossier_id == scope.dossier_id)
    else:
        stmt = stmt.where(nomination_clause(actor, tree))
    if query.state:
        stmt = stmt.where(Nomination.state == query.state)
    if query.plan_id:
        stmt = stmt.where(Nomination.plan_id == query.plan_id)
    if query.award_type:
        stmt = stmt.where(Nomination.award_code == query.award_type)
    if query.unit_id:
        stmt = stmt.where(Nomination.unit_id == query.unit_id)
    if query.org_id:
        stmt = stmt.where(Nomination.unit_id.in_(sorted(tree.subtree_ids(query.org_id)))
                          if query.org_id in tree.nodes else Nomination.id.is_(None))
    if query.decided_from or query.decided_until:
        days = [Decision.decided_on >= query.decided_from] if query.decided_from else []
        days += [Decision.decided_on <= query.decided_until] if query.decided_until else []
        stmt = stmt.where(Nomination.decision_id.in_(select(Decision.id).where(*days)))
    if query.submitted_from:
        stmt = stmt.where(Nomination.submitted_at >= datetime.combine(query.submitted_from, time(), VN))
    if query.submitted_until:
        stmt = stmt.where(Nomination.submitted_at < datetime.combine(query.submitted_until + timedelta(days=1),
                                                                     time(), VN))
    if query.overdue:
        stmt = stmt.where(Nomination.due_at < now, Nomination.state.not_in(TERMINAL_STATES))
    if query.mine:
        stmt = stmt.where(Nomination.dossier_id.in_(select(Dossier.id).where(Dossier.assignee_id == actor.user_id)))
    words = words_clause(query.q)
    if words is not None:
        stmt = stmt.where(words)
    return stmt


def order_of(scope: Scope, query: ListQuery) -> tuple[str, list]:
    sort = query.sort or DEFAULT_SORT[scope.kind]
    name = sort.lstrip("-")
    desc = sort.startswith("-")
    col = SORTS[name]
    keys = [col.desc() if desc else col.asc()]
    if name == "due":  # what has no time limit goes last either way (NULLS LAST keeps the inbox index usable)
        keys = [keys[0].nulls_last()]
    if name != "id":
        keys.append(Nomination.id.desc() if desc else Nomination.id.asc())
    return sort, keys


def run(s: Session, actor: Actor, tree, scope: Scope, query: ListQuery, now: datetime) -> ListPage:
    """One page of ORM rows (in `items`) with the total, the count per state and the actions
    that apply to every matching row (what a bulk form may offer)."""
    stmt = base_query(actor, tree, scope, query, now)
    total, capped = count_of(s, actor, tree, scope, query, now)
    pages = max(1, -(-total // query.per_page))
    page = min(query.page, pages)
    sort, keys = order_of(scope, query)
    rows = list(s.execute(stmt.order_by(*keys).offset((page - 1) * query.per_page)
                          .limit(query.per_page)).scalars())
    if total <= MAX_MATCHING:
        common, some = actions_of(s, actor, tree, scope, query, now)
    else:  # too many to act on at once ("narrow the filter"): what the page's rows allow
        sets = [_allowed(actor, scope, n) for n in rows] or [set()]
        common = sorted(set.intersection(*sets))
        some = sorted(set.union(*sets) - set(common))
    counts = {} if capped else state_counts(s, actor, tree, scope, query, now)
    return ListPage(rows, total, page, pages, query.per_page, sort, query, state_counts=counts,
                    common_actions=common, some_actions=some, capped=capped)


def count_of(s: Session, actor: Actor, tree, scope: Scope, query: ListQuery, now: datetime) -> tuple[int, bool]:
    """(how many rows match, up to COUNT_CAP; whether there are more)."""
    ids = base_query(actor, tree, scope, query, now, columns=(Nomination.id,)).limit(COUNT_CAP + 1)
    n = s.execute(select(func.count()).select_from(ids.subquery())).scalar_one()
    return min(n, COUNT_CAP), n > COUNT_CAP


def state_counts(s: Session, actor: Actor, tree, scope: Scope, query: ListQuery, now: datetime) -> dict[str, int]:
    """How many matching rows are in each state, the state filter aside (the filter's chips)."""
    q = replace(query, state=None)
    stmt = base_query(actor, tree, scope, q, now, columns=(Nomination.state, func.count()))
    return dict(s.execute(stmt.group_by(Nomination.state)).all())


def actions_of(s: Session, actor: Actor, tree, scope: Scope, query: ListQuery, now: datetime
               ) -> tuple[list[str], list[str]]:
    """(actions allowed on every matching row, actions allowed on some only). Read by group —
    what allows an action is the route, state, unit and holder — not row by row."""
    cols = (Nomination.route, Nomination.state, Nomination.unit_id, Nomination.holder_org_id)
    stmt = base_query(actor, tree, scope, query, now, columns=cols).group_by(*cols)
    if scope.kind == "dossier":  # moved on to another dossier: no longer acted on from this one
        stmt = stmt.where(Nomination.dossier_id == scope.dossier_id)
    sets = [_allowed(actor, scope, SimpleNamespace(route=r, state=st, unit_id=u, holder_org_id=h))
            for r, st, u, h in s.execute(stmt).all()]
    if not sets:
        return [], []
    common = set.intersection(*sets)
    some = set.union(*sets) - common
    return sorted(common), sorted(some)


def matching_ids(s: Session, actor: Actor, tree, scope: Scope, query: ListQuery, now: datetime) -> list[int]:
    """Every matching row's id (for "select all N matching"), in list order; too many is a 422."""
    stmt = base_query(actor, tree, scope, query, now, columns=(Nomination.id,))
    if scope.kind == "dossier":
        stmt = stmt.where(Nomination.dossier_id == scope.dossier_id)
    _sort, keys = order_of(scope, query)
    ids = list(s.execute(stmt.order_by(*keys).limit(MAX_MATCHING + 1)).scalars())
    if len(ids) > MAX_MATCHING:
        raise InvalidInput(f"Có hơn {MAX_MATCHING} hồ sơ khớp bộ lọc; hãy lọc hẹp hơn trước khi xử lý hàng loạt",
                           f"More than {MAX_MATCHING} nominations match; narrow the filter before a bulk action",
                           field="q")
    return ids
