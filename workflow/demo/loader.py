"""Loading the demo organisation, users, catalogue and plans (idempotent)."""
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from workflow.access.actors import NO_CONTEXT, SYSTEM_ACTOR
from workflow.kernel.db import Database
from workflow.demo.data import COUNCILS, MERGERS, ORGS, SEED_PLANS, USERS, open_plan
from workflow.documents.demo import paper_defaults
from workflow.models import Council, CouncilMember, OrgName, OrgUnit, Plan, User
from workflow.orgs.merge import merge_in
from workflow.orgs.service import LEVEL_OF_KIND
from workflow.orgs.tree import invalidate_org_cache, org_tree
from workflow.auth.passwords import hash_password
from workflow.auth.policy import valid_password
from workflow.catalogue.service import sync_catalogue
from workflow.plans.service import add_plan, parse_milestones
from workflow.calendar.workdays import local_date


@dataclass
class DemoResult:
    orgs_added: int
    users_added: int
    plans_added: int
    awards_added: int
    password: str | None  # the generated password, when one was generated and used


def load_demo(db: Database, *, now: datetime, password: str | None = None,
              strict_before: bool = True) -> DemoResult:
    generated = None
    if password is None:
        password = generated = secrets.token_urlsafe(9)
    # The one password policy applies to demo users too; hashed once, before the write opens.
    password_hash = hash_password(valid_password(password))
    with db.write() as s:
        awards = sync_catalogue(s, now)
        orgs = _orgs(s)
        invalidate_org_cache()
        users = _users(s, password_hash, now)
        plans = _plans(s, now, strict_before)
        _mergers(s, now)
        _councils(s, now)
        paper_defaults(s, now)  # the demo's units refuse no incomplete dossier (workflow/documents)
    invalidate_org_cache()
    return DemoResult(orgs, users, plans, awards, generated if users else None)


def _orgs(s) -> int:
    added = 0
    by_code = {o.code: o for o in s.execute(select(OrgUnit)).scalars()}
    for code, name, kind, parent, email in ORGS:
        if code in by_code:
            org = by_code[code]
            if org.kind == org.level != kind and LEVEL_OF_KIND[kind] == org.level:
                org.kind = kind  # a demo loaded before kinds existed (migration 0015 copied the level)
            continue
        p = by_code.get(parent)
        org = OrgUnit(code=code, name=name, kind=kind, level=LEVEL_OF_KIND[kind], parent_id=p.id if p else None,
                      path="", email=email)
        s.add(org)
        s.flush()
        org.path = f"{p.path if p else '/'}{org.id}/"
        s.add(OrgName(org_id=org.id, name=name))
        by_code[code] = org
        added += 1
    s.flush()
    return added


def _users(s, password_hash: str, now: datetime) -> int:
    have = set(s.execute(select(User.username)).scalars())
    rows = {o.code: o for o in s.execute(select(OrgUnit)).scalars()}
    by_id = {o.id: o for o in rows.values()}

    def home(code: str) -> int:
        """The org a user of `code` works at now: a merged org's users are at its successor."""
        org = rows[code]
        while org.merged_into_id is not None:
            org = by_id[org.merged_into_id]
        return org.id
    orgs = {code: home(code) for code in rows}
    new = [u for u in USERS if u[0] not in have]
    for username, full_name, role, org in new:
        s.add(User(username=username, full_name=full_name, role=role, org_id=orgs[org],
                   email=f"{username}@example.vn", password_hash=password_hash, active=True,
                   created_at=now))
    return len(new)


def _plans(s, now: datetime, strict_before: bool) -> int:
    tree = org_tree(s)
    today = local_date(now)
    added = 0
    existing = {(p.number, p.title) for p in s.execute(select(Plan)).scalars()}
    for spec in (*SEED_PLANS, open_plan(today)):
        if (spec["number"], spec["title"]) in existing:
            continue
        issuer = tree.by_code(spec["issuer"])
        milestones = parse_milestones(spec["milestones"], spec["issued_on"], strict_before)
        add_plan(s, SYSTEM_ACTOR, tree, issuer_org_id=issuer.id, number=spec["number"], title=spec["title"],
                 kind=spec["kind"], milestones=milestones, now=now, ctx=NO_CONTEXT,
                 award_codes=spec["award_codes"], issued_on=spec["issued_on"],
                 issued_text=spec["issued_text"], issuer_name=spec.get("issuer_name"),
                 parent_number=spec["parent_number"], basis=spec["basis"],
                 period_text=spec["period_text"], award_forms_text=spec["award_forms_text"],
                 units=_unit_ids(tree, spec.get("units")))
        added += 1
    return added


def _mergers(s, now: datetime) -> None:
    rows = {o.code: o for o in s.execute(select(OrgUnit)).scalars()}
    for merged, into, day in MERGERS:
        if rows[merged].merged_into_id is None:
            merge_in(s, SYSTEM_ACTOR, rows[merged].id, {"into_id": rows[into].id, "date": day.isoformat()}, now)


def _councils(s, now: datetime) -> None:
    rows = {o.code: o for o in s.execute(select(OrgUnit)).scalars()}
    for code, quorum, members in COUNCILS:
        org = rows[code]
        if s.get(Council, org.id) is not None:
            continue
        s.add(Council(org_id=org.id, quorum=quorum, updated_at=now))
        s.flush()
        for i, (name, role) in enumerate(members):
            s.add(CouncilMember(org_id=org.id, position=i, name=name, role=role))


def _unit_ids(tree, codes) -> list[int] | None:
    """The participating units a demo plan names by code (None: every unit under the issuer)."""
    if not codes:
        return None
    return [node.id for node in (tree.by_code(c) for c in codes) if node is not None]
