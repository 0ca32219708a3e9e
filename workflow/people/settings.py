"""Which eligibility rules still to confirm an office applies (thiết lập điều kiện khen thưởng).

The rules of workflow/people/rules.py whose legal wording is not confirmed (`confirmed=False`:
Bằng khen Thủ tướng's prior award, the Huân chương Lao động intervals, the collectives'
standards) are off, so the product never refuses on a guess. The office that decides — a
ministry, a province, or any org of the tree — may turn one on for the nominations of its
subtree once it has checked the text it applies; an org below may turn it off again for its
own subtree. The nearest org up the tree with a choice decides. Only the administrator
changes the choice; each change is an audit event on the org's admin chain.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.access.actors import NO_CONTEXT, RequestContext
from workflow.access.loading import load_actor
from workflow.audit.chain import admin_event
from workflow.errors import Forbidden, InvalidInput
from workflow.kernel.db import Database
from workflow.kernel.locks import for_update
from workflow.kernel.uow import flush, unit_of_work
from workflow.models import EligibilitySetting
from workflow.orgs import service as orgs
from workflow.orgs.tree import org_tree
from workflow.people.rules import RULES, Rule

OPTIONAL: tuple[Rule, ...] = tuple(r for r in RULES if not r.confirmed)
OPTIONAL_CODES = frozenset(r.code for r in OPTIONAL)


@dataclass(frozen=True)
class RuleSetting:
    """One optional rule as it applies at an org: on or off, and which org decided (None: nobody
    has, the rule is off by default)."""
    rule: Rule
    enabled: bool
    decided_by: dict | None   # {"id", "name"} of the org whose choice applies
    set_here: bool            # the choice is this org's own


def _choices(s: Session) -> dict[tuple[int, str], bool]:
    rows = s.info.get("eligibility_settings")
    if rows is None:  # a small table, read once per transaction (a 400-row tờ trình asks per row)
        rows = s.info["eligibility_settings"] = {
            (o, c): bool(e) for o, c, e in s.execute(select(
                EligibilitySetting.org_id, EligibilitySetting.rule_code, EligibilitySetting.enabled)).all()}
    return rows


def _decider(s: Session, org_id: int, code: str) -> tuple[bool, int | None]:
    choices = _choices(s)
    tree = org_tree(s)
    if org_id not in tree.nodes:
        return False, None
    for node in reversed(tree.ancestors(org_id)):  # the org itself first, then up to the root
        if (node.id, code) in choices:
            return choices[(node.id, code)], node.id
    return False, None


def office_rules(s: Session, unit_id: int | None) -> frozenset[str]:
    """The optional rules turned on for a nomination of `unit_id` (what `rules.rules_for` takes
    as `extra`)."""
    if unit_id is None or not _choices(s):
        return frozenset()
    memo = s.info.setdefault("eligibility_office_rules", {})
    if unit_id not in memo:
        memo[unit_id] = frozenset(r.code for r in OPTIONAL if _decider(s, unit_id, r.code)[0])
    return memo[unit_id]


def _views(s: Session, org_id: int) -> list[RuleSetting]:
    tree = org_tree(s)
    out = []
    for rule in OPTIONAL:
        enabled, by = _decider(s, org_id, rule.code)
        node = tree.get(by)
        out.append(RuleSetting(rule, enabled, {"id": by, "name": node.name} if node else None, by == org_id))
    return out


def get_rules(db: Database, actor_id: int, org_id: int) -> list[RuleSetting]:
    """The optional rules at an org (any signed-in user may read what applies where)."""
    with db.read() as s:
        load_actor(s, actor_id)
        org = orgs._org(s, org_id)
        return _views(s, org.id)


def set_rules(db: Database, actor_id: int, org_id: int, body: object, *, now: datetime,
              ctx: RequestContext = NO_CONTEXT) -> list[RuleSetting]:
    """`{"rules": {"<code>": true | false | null}}`: turn optional rules on or off for the org's
    subtree; null gives the choice back to the orgs above. Administrator only; audited."""
    body = orgs._body(body)
    wanted = body.get("rules")
    if not isinstance(wanted, dict) or not wanted:
        raise InvalidInput("rules phải là đối tượng {mã điều kiện: true/false/null}",
                           "rules must be an object {rule code: true/false/null}", field="rules")
    for code, value in wanted.items():
        if code not in OPTIONAL_CODES:
            confirmed = any(r.code == code for r in RULES)
            raise InvalidInput(
                f"Điều kiện '{str(code)[:60]}' " + ("đã xác nhận, luôn được áp dụng" if confirmed
                                                   else "không có trong danh mục điều kiện"),
                f"Rule '{str(code)[:60]}' " + ("is confirmed and always applies" if confirmed else "is unknown"),
                field=f"rules.{str(code)[:60]}")
        if value is not None and not isinstance(value, bool):
            raise InvalidInput("Giá trị phải là true, false hoặc null", "The value must be true, false or null",
                               field=f"rules.{code}")
    with unit_of_work(db) as s:
        actor = load_actor(s, actor_id)
        if not actor.is_admin:
            raise Forbidden("Chỉ quản trị hệ thống được thay đổi điều kiện áp dụng",
                            "Only the administrator may change which rules apply")
        org = orgs._org(s, org_id)
        rows = {r.rule_code: r for r in s.execute(for_update(s, select(EligibilitySetting).where(
            EligibilitySetting.org_id == org.id), EligibilitySetting)).scalars()}
        changes = {}
        for code, value in sorted(wanted.items()):
            row = rows.get(code)
            before = row.enabled if row else None
            if before == value:
                continue
            if value is None:
                s.delete(row)
            elif row is None:
                s.add(EligibilitySetting(org_id=org.id, rule_code=code, enabled=value, updated_by=actor.user_id,
                                         updated_at=now))
            else:
                row.enabled, row.updated_by, row.updated_at = value, actor.user_id, now
            changes[code] = [before, value]
        flush(s)
        if changes:
            admin_event(s, actor, ctx, now, "eligibility_rules_set", orgs.CHAIN_ENTITY, org.id, {"rules": changes})
        s.info.pop("eligibility_settings", None)
        s.info.pop("eligibility_office_rules", None)
        return _views(s, org.id)
