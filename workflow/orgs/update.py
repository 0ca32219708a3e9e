"""A change of one org of the tree (cơ cấu tổ chức): rename (from a date), move under another
parent, change its kind, set its e-mail, or close it — the administrator's, audited on the chain
"admin:org_unit" in the same transaction, the tree locked first (workflow/orgs/service.py).

A move or a change of kind changes the place in the tree of the org and everything under it, and
so the route of their open nominations: each gets its new route in the same transaction
(workflow/orgs/reroute.py), and the response says how many.
"""
from dataclasses import replace
from datetime import datetime

from workflow import validation as v
from workflow.access.actors import NO_CONTEXT, RequestContext
from workflow.audit.chain import admin_event
from workflow.errors import InvalidInput
from workflow.kernel.db import Database
from workflow.kernel.uow import unit_of_work
from workflow.orgs import service
from workflow.orgs.reroute import reroute
from workflow.orgs.tree import invalidate_org_cache, load_tree


def update_org(db: Database, actor_id: int, org_id: int, body: object, *, now: datetime,
               ctx: RequestContext = NO_CONTEXT) -> service.OrgView:
    """Rename (`name`, from `date`), move (`parent_id`), change the kind, set the e-mail, or close
    (`valid_to`: its last day; only an org with no open units, users or work under it)."""
    body = service._body(body)
    known = {"name", "kind", "parent_id", "email", "date", "valid_to"}
    if not body or set(body) - known:
        raise InvalidInput(f"Chỉ sửa được: {', '.join(sorted(known))}", f"Only {', '.join(sorted(known))} may change",
                           field=next(iter(set(body) - known), "body"))
    with unit_of_work(db) as s:
        actor = service._admin(s, actor_id)
        orgs = service._lock_tree(s)
        org = service._org(s, org_id)
        if org.valid_to is not None:
            raise InvalidInput(f"'{org.name}' đã giải thể hoặc sáp nhập; không sửa được nữa",
                               f"'{org.name}' is closed and can no longer change", field="valid_to")
        changed: dict = {}
        kind = v.choice(body["kind"], "kind", service.KINDS) if "kind" in body else org.kind
        parent = orgs.get(org.parent_id) if org.parent_id else None
        if "parent_id" in body:
            parent = service._org(s, body["parent_id"], "parent_id") if body["parent_id"] is not None else None
        if "parent_id" in body or "kind" in body:
            service._check_parent(orgs, kind, parent, moving=org)
            for child in orgs.values():
                if child.parent_id == org.id and child.valid_to is None \
                        and kind not in service.PARENT_KINDS[child.kind]:
                    raise InvalidInput(f"'{child.name}' ({child.kind}) không thể trực thuộc loại '{kind}'",
                                       f"'{child.name}' ({child.kind}) cannot sit under a '{kind}'", field="kind")
        if kind != org.kind:
            changed["kind"] = [org.kind, kind]
            org.kind, org.level = kind, service.LEVEL_OF_KIND[kind]
        new_parent_id = parent.id if parent else None
        if new_parent_id != org.parent_id:
            changed["parent_id"] = [org.parent_id, new_parent_id]
            service._move(orgs, org, parent)
        if "name" in body:
            name = service._name(body, orgs, org.parent_id, skip=org.id)
            if name != org.name:
                day = service._effective(body, "date", now)
                service._rename(s, org, name, day)
                changed["name"] = [service._previous_name(s, org), name]
        if "email" in body:
            email = v.text(body["email"], "email", required=False, max_len=200)
            changed["email"] = [org.email, email]
            org.email = email
        if "valid_to" in body:
            last = service._effective(body, "valid_to", now)
            service._check_closable(s, orgs, org)
            org.valid_to = last
            service._close_name(s, org, last)
            changed["valid_to"] = [None, last.isoformat()]
        if not changed:
            raise InvalidInput("Không có gì thay đổi", "Nothing to change", field="body")
        action = "org_close" if "valid_to" in changed else "org_update"
        rerouted: list[int] = []
        if "parent_id" in changed or "kind" in changed:
            # The nominations of the unit and everything under it follow its new place in the tree.
            tree = load_tree(s)
            rerouted = reroute(s, tree, actor, tree.subtree_ids(org.id), {"org_id": org.id, "cause": action}, now,
                               ctx)
        admin_event(s, actor, ctx, now, action, service.CHAIN_ENTITY, org.id,
                    {"changes": changed, **({"rerouted": rerouted} if rerouted else {})})
        s.flush()
        view = replace(service._views(s, [org])[0], rerouted=len(rerouted))
    invalidate_org_cache()
    return view
