"""The workbench's use cases (bàn làm việc): the lists of nominations paged, searched and sorted,
and one action on every row matching a filter.

A bulk action never writes by itself: it reads the matching ids, then hands them to the
nominations' bulk command (`nominations.actions.bulk_perform`) or the dossier's review command
(`dossiers.review.review_dossier`) — the kernel's batched write path, each row re-checked there.
"""
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select

from workflow.access.actors import NO_CONTEXT, RequestContext
from workflow.access.loading import load_actor
from workflow.calendar.timelimits import calendar_for, working_days_left
from workflow.dossiers import core as dossier_core
from workflow.dossiers.views import ROW_COMMANDS, nominee_rows, row_commands
from workflow.errors import InvalidInput
from workflow.kernel.db import Database
from workflow.models import DossierNomination, Plan
from workflow.nominations import actions
from workflow.nominations.queries import view_of
from workflow.orgs.tree import org_tree
from workflow.people import eligibility
from workflow.views import BulkResult
from workflow.workbench import delegation
from workflow.workbench.listing import ListPage, ListQuery, Scope, count_of, matching_ids, run

ALL = Scope("all")
# What one form applies to many nominations of a list (the same as the inbox's bulk form).
BULK_ACTIONS = ("approve", "submit", "resubmit", "decide", "return", "reject", "withdraw")


@dataclass(frozen=True)
class Row:
    """A list row: the nomination, its plan's number, and working days left (None: no limit)."""
    view: object
    plan_number: str
    days_left: int | None
    eligibility: object = None  # people.views.Eligibility; None once the road has ended

    @property
    def escalated(self) -> bool:
        return self.view.escalation_level > 0  # type: ignore[attr-defined]


def _with_stand_ins(s, actor, scope: Scope, now: datetime) -> Scope:
    """A stand-in's inbox also holds what waits for the leaders who delegated to them today
    (their bulk form then offers the leaders' actions, each recorded "KT. <leader>")."""
    if scope.kind != "inbox":
        return scope
    return replace(scope, also=tuple(delegation.stand_in_actors(s, actor, now)))


def row_commands_of(s, actor, d, noms, now: datetime) -> dict[int, list[str]]:
    """`row_commands` of a tờ trình's rows for the user and, under a running delegation, for the
    user with the leader's powers: the bulk forms offer both (act_in records "KT.")."""
    merged: dict[int, set[str]] = {}
    for who in (actor, *delegation.stand_in_actors(s, actor, now)):
        for nid, commands in row_commands(who, d, noms).items():
            merged.setdefault(nid, set()).update(commands)
    return {nid: [c for c in ROW_COMMANDS if c in commands] for nid, commands in merged.items()}


def nomination_list(db: Database, actor_id: int, query: ListQuery, *, now: datetime,
                    scope: Scope = ALL, with_eligibility: bool = False) -> ListPage:
    """A page of `/nominations` (scope all) or `/inbox` (scope inbox): rows are `Row`s, with each
    row's eligibility checks when asked (the pages show them; a fixed number of queries)."""
    with db.read() as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        scope = _with_stand_ins(s, actor, scope, now)
        page = run(s, actor, tree, scope, query, now)
        noms = page.items
        numbers = dict(s.execute(select(Plan.id, Plan.number).where(
            Plan.id.in_({n.plan_id for n in noms}))).all()) if noms else {}
        cal = calendar_for(s)
        checks = eligibility.evaluate_many(s, noms, now) if with_eligibility else {}
        rows = [Row(view_of(s, actor, tree, n, now), numbers.get(n.plan_id) or "",
                    working_days_left(cal, n.due_at, now), checks.get(n.id)) for n in noms]
        return replace(page, items=rows,
                       common_actions=[a for a in BULK_ACTIONS if a in page.common_actions],
                       some_actions=[a for a in BULK_ACTIONS if a in page.some_actions])


def count(db: Database, actor_id: int, scope: Scope, query: ListQuery, *, now: datetime) -> tuple[int, bool]:
    """How many rows of `scope` match `query` (up to listing.COUNT_CAP) and whether there are more
    (the `total` of a keyset-paged list)."""
    with db.read() as s:
        actor = load_actor(s, actor_id)
        return count_of(s, actor, org_tree(s), _with_stand_ins(s, actor, scope, now), query, now)


def dossier_table(db: Database, actor_id: int, dossier_id: int, query: ListQuery, *, now: datetime
                  ) -> tuple[ListPage, dict[int, list[str]]]:
    """One page of a dossier's nominee table (rows shaped as the dossier page shows them) and
    the multi-row commands each row of the page can take now."""
    with db.read() as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        d = dossier_core.load(s, actor, tree, dossier_id)
        page = run(s, actor, tree, Scope("dossier", d.id), query, now)
        rows = nominee_rows(s, actor, tree, d, page.items, now)
        # STT: the row's place in the list as drawn up, whatever the order shown.
        positions = dict(s.execute(select(DossierNomination.nomination_id, DossierNomination.position).where(
            DossierNomination.dossier_id == d.id,
            DossierNomination.nomination_id.in_([r["id"] for r in rows]))).all()) if rows else {}
        checks = eligibility.evaluate_many(s, page.items, now)
        for r in rows:
            r["position"] = positions.get(r["id"], r["position"])
            r["eligibility"] = checks.get(r["id"])
        return replace(page, items=rows), row_commands_of(s, actor, d, page.items, now)


def select_matching(db: Database, actor_id: int, scope: Scope, query: ListQuery, *, now: datetime,
                    command: str | None = None) -> list[int]:
    """The ids of every row matching `query` in `scope` (at most listing.MAX_MATCHING); in a
    dossier, with `command`, only the rows that command can take now."""
    with db.read() as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        if scope.kind == "dossier":
            d = dossier_core.load(s, actor, tree, scope.dossier_id)
            ids = matching_ids(s, actor, tree, scope, query, now)
            if command is None:
                return ids
            wanted = set(ids)
            here = [n for n in dossier_core.members(s, d, here_only=True) if n.id in wanted]
            commands = row_commands_of(s, actor, d, here, now)
            return [i for i in ids if command in commands.get(i, ())]
        return matching_ids(s, actor, tree, _with_stand_ins(s, actor, scope, now), query, now)


def bulk_matching(db: Database, actor_id: int, action: str, scope: Scope, query: ListQuery, body: dict, *,
                  now: datetime, ctx: RequestContext = NO_CONTEXT) -> list[BulkResult]:
    """`action` on every nomination matching the filter, through the nominations' bulk command
    (each row re-checked and written by the kernel's batched path)."""
    if scope.kind == "dossier":
        raise InvalidInput("Hãy xét danh sách của hồ sơ trình bằng lệnh của hồ sơ",
                           "Act on a dossier's list with the dossier's review command", field="scope")
    actions.check_action(action)
    ids = select_matching(db, actor_id, scope, query, now=now)
    if not ids:
        raise InvalidInput("Không có hồ sơ nào khớp bộ lọc", "No nomination matches the filter", field="q")
    return actions.bulk_perform(db, actor_id, action, ids, body, now=now, ctx=ctx)
