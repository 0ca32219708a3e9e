"""Decisions (quyết định khen thưởng): one decision ("1234/QĐ-TTg") awards many nominations.

The deciding level records the decision's number, date, signer and, for a deputy signing
"KT.", on whose behalf; every listed nomination is decided in the same transaction, all or
nothing. Each nomination's history records the decision (and the dossier it travelled in).
"""
from datetime import datetime

from sqlalchemy import func, or_, select

from workflow import validation as v
from workflow.access.actors import NO_CONTEXT, RequestContext
from workflow.access.loading import load_actor
from workflow.access.visibility import can_see, nomination_clause as visibility_clause
from workflow.decisions.records import parse_date, parse_number
from workflow.dossiers import core, following
from workflow.errors import InvalidInput, NotFound
from workflow.kernel.db import Database
from workflow.kernel.locks import lock_rows
from workflow.kernel.uow import each, flush, refuse, unit_of_work
from workflow.models import Decision, Dossier, Nomination
from workflow.nominations.actions import act_in
from workflow.orgs.tree import org_tree
from workflow.calendar.workdays import local_date
from workflow.decisions import numbering
from workflow.views import DecisionDetail, NextNumber


def _decision_body(body: dict, now: datetime) -> dict:
    """Check the decision's own fields once, naming them as the request does."""
    number = parse_number(body.get("number"), "number")
    day = parse_date(body.get("date"), "date", now)
    return {"number": number, "date": day.isoformat(),
            "signer": v.text(body.get("signer"), "signer", required=False, max_len=200),
            "on_behalf_of": v.text(body.get("on_behalf_of"), "on_behalf_of", required=False, max_len=200),
            # Only an explicit choice adds nominees to a decision recorded earlier (and not issued).
            "add_to_existing": body.get("add_to_existing") is True, "issued": body.get("issued", True) is not False}


def create_decision(db: Database, actor_id: int, body: dict, *, now: datetime,
                    ctx: RequestContext = NO_CONTEXT) -> DecisionDetail:
    """Record a decision of the caller's org awarding every listed nomination, all or nothing."""
    if not isinstance(body, dict):
        raise InvalidInput("Nội dung phải là đối tượng JSON", "The body must be a JSON object", field="body")
    decision = _decision_body(body, now)
    ids = sorted(v.id_list(body.get("nomination_ids"), "nomination_ids"))
    with unit_of_work(db) as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        core.check_versions(s, actor, tree, body.get("dossier_versions"))
        found = lock_rows(s, Nomination, ids)

        def one(nid):
            nom = found.get(nid)
            if nom is None or not can_see(actor, tree, nom):
                raise NotFound(f"Không tìm thấy hồ sơ #{nid}", f"Nomination #{nid} not found")
            d = s.get(Dossier, nom.dossier_id) if nom.dossier_id else None
            act_in(s, actor, tree, nom, "decide", {"decision": decision}, now, ctx,
                   extra_payload={"dossier": core.ref(d)} if d else None)
            return nom

        done, errors = each(s, ids, one)
        refuse(errors, f"Không ghi được quyết định {decision['number']}",
                    f"Cannot record decision {decision['number']}")
        following.follow_ids(s, actor, ids, now, ctx)
        flush(s)
        return _detail(s, actor, tree, s.get(Decision, done[0].decision_id))


KIND_SYMBOLS = {"decision": "QĐ", "dossier": "TTr"}


def next_number(db: Database, actor_id: int, *, kind: object = "decision", year: object = None,
                symbol: object = None, now: datetime) -> NextNumber:
    """The next free number of the caller's org for a decision (or a tờ trình) in `year` (this
    year by default): numbers restart at 01 each year (NĐ 30/2020/NĐ-CP Art. 15). The symbol is
    the one the org used last, or "QĐ-<org code>" / "TTr-<org code>"."""
    kind = v.choice(kind or "decision", "kind", tuple(KIND_SYMBOLS))
    year = v.integer(year, "year", minimum=1945, maximum=2200, required=False) or local_date(now).year
    symbol = v.text(symbol, "symbol", required=False, max_len=70)
    model = Decision if kind == "decision" else Dossier
    with db.read() as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        org = tree.get(actor.org_id) if actor.org_id is not None else None
        if org is None or actor.org_id is None:
            raise NotFound("Tài khoản không thuộc đơn vị nào", "Your account belongs to no organisation")
        if not symbol:
            last = s.execute(select(model.symbol).where(model.org_id == actor.org_id, model.symbol.is_not(None))
                             .order_by(model.id.desc()).limit(1)).scalar()
            symbol = last or f"{KIND_SYMBOLS[kind]}-{org.code}"
        return NextNumber(numbering.next_free(s, model, actor.org_id, year, symbol), year, symbol, kind)


def _visible_clause(actor, tree):
    """Decisions of my org or below, and decisions awarding nominations I may see."""
    if actor.is_admin or actor.is_system:
        return None
    awarded = select(Nomination.decision_id).where(Nomination.decision_id.is_not(None),
                                                   visibility_clause(actor, tree))
    mine = Decision.org_id.in_(sorted(tree.subtree_ids(actor.org_id))) if actor.org_id in tree.nodes else None
    return or_(Decision.id.in_(awarded), *([mine] if mine is not None else []))


def _summary(d: Decision, tree, count: int, nominations: list[dict] | None = None) -> DecisionDetail:
    org = tree.get(d.org_id)
    return DecisionDetail(d.id, d.number, d.decided_on, d.signer, d.on_behalf_of,
                          {"id": d.org_id, "name": org.name if org else None}, d.created_at, count, nominations,
                          d.decider, d.proposed_by, d.year, d.issued, d.follow_up_by)


def _detail(s, actor, tree, d: Decision) -> DecisionDetail:
    noms = s.execute(select(Nomination).where(Nomination.decision_id == d.id).order_by(Nomination.id)).scalars().all()
    return _summary(d, tree, len(noms), [
        {"id": n.id, "state": n.state, "award_type": n.award_code, "dossier_id": n.dossier_id,
         "nominee": {"kind": n.nominee_kind, "name": n.nominee_name, "title": n.nominee_title},
         "unit": {"id": n.unit_id, "name": tree.get(n.unit_id).name if tree.get(n.unit_id) else None}}
        for n in noms if can_see(actor, tree, n)])


def list_decisions(db: Database, actor_id: int, *, limit: int = 100) -> list[DecisionDetail]:
    """Decisions the caller may see, newest first, with how many nominations each awarded."""
    limit = v.integer(limit, "limit", minimum=1, maximum=500)
    with db.read() as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        clause = _visible_clause(actor, tree)
        q = select(Decision)
        if clause is not None:
            q = q.where(clause)
        rows = s.execute(q.order_by(Decision.decided_on.desc(), Decision.id.desc()).limit(limit)).scalars().all()
        counts = dict(s.execute(select(Nomination.decision_id, func.count()).where(
            Nomination.decision_id.in_([d.id for d in rows])).group_by(Nomination.decision_id)).all()) if rows else {}
        return [_summary(d, tree, counts.get(d.id, 0)) for d in rows]


def get_decision(db: Database, actor_id: int, decision_id: int) -> DecisionDetail:
    """A decision with the nominations it awarded that the caller may see."""
    with db.read() as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        clause = _visible_clause(actor, tree)
        ok = isinstance(decision_id, int) and 0 < decision_id < 2**62
        q = select(Decision).where(Decision.id == decision_id, *([clause] if clause is not None else []))
        d = s.execute(q).scalar_one_or_none() if ok else None
        if d is None:
            raise NotFound(f"Không tìm thấy quyết định #{decision_id}", f"Decision #{decision_id} not found")
        return _detail(s, actor, tree, d)
