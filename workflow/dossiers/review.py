"""Moving a dossier's nominations together: submit, the council session, review per nominee
(or all), and return of the whole dossier. Each command is one transaction.

Every nomination action goes through `actions.act_in` with the dossier named in its audit
payload, so each nominee's history shows the dossier number at every step.
"""
from datetime import datetime


from states.dossiers import DRAFT, KIND_UNIT, RECEIVED, RETURNED, SUBMITTED
from states.lifecycle import REJECTED, RETURNED as NOM_RETURNED, TERMINAL_STATES
from workflow import validation as v
from workflow.access.actors import NO_CONTEXT, RequestContext
from workflow.access.policy import actions_for, is_dossier_builder
from workflow.dossiers import core, following
from states.labels import action_label, both, state_label
from states.levels import stays_at_level
from workflow.dossiers.service import summary
from workflow.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from workflow.kernel.db import Database
from workflow.kernel.uow import each, flush, refuse, unit_of_work
from workflow.nominations.actions import act_in
from workflow.nominations.steps import MAX_MEMBERS
from workflow.orgs.councils import council_of
from workflow.views import ReviewOutcome

REVIEW_ACTIONS = ("approve", "return", "reject")


def _body(body) -> dict:
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise InvalidInput("Nội dung phải là đối tượng JSON", "The body must be a JSON object", field="body")
    return body


def submit_dossier(db: Database, actor_id: int, dossier_id: int, body: dict | None = None, *,
                   now: datetime, ctx: RequestContext = NO_CONTEXT):
    """Submit every nomination of a draft dossier to the unit's council, all or nothing; on a
    returned dossier, resubmit its returned nominations to the steps that returned them."""
    body = _body(body)
    with unit_of_work(db) as s:
        actor, tree, d = core.open_current(s, actor_id, dossier_id, body.get("version"))
        if not is_dossier_builder(actor, d):
            raise Forbidden("Chỉ cán bộ TĐKT của đơn vị lập hồ sơ được trình",
                            "Only the commendation officer of the dossier's unit may submit it")
        if d.state not in (DRAFT, RETURNED):
            raise InvalidTransition(f"Hồ sơ {d.number} đã trình", f"Dossier {d.number} was already submitted")
        live = [n for n in core.members(s, d, here_only=True, lock=True) if n.state not in TERMINAL_STATES]
        if not live:
            raise InvalidTransition(f"Hồ sơ {d.number} chưa có người/tập thể nào được đề nghị",
                                    f"Dossier {d.number} lists no live nominee")
        action = "submit" if d.state == DRAFT else "resubmit"
        todo = live if action == "submit" else [n for n in live if n.state == NOM_RETURNED]
        dref = core.ref(d)
        done, errors = each(
            s, todo, lambda n: act_in(s, actor, tree, n, action, {}, now, ctx, extra_payload={"dossier": dref}),
            key=lambda n: n.id)
        refuse(errors, f"Không trình được hồ sơ {d.number}", f"Cannot submit dossier {d.number}")
        core.move(s, d, actor, action, now, ctx, payload={"nominations": len(done)},
                  values={"submitted_at": d.submitted_at or now})
        following.sync(s, actor, d, now, ctx)
        flush(s)
        return summary(s, actor, tree, d)


def _results(raw) -> list[dict]:
    if not isinstance(raw, list) or not raw:
        raise InvalidInput("Thiếu kết quả bỏ phiếu từng người", "Missing the tally per nominee", field="results")
    seen = set()
    for i, r in enumerate(raw):
        if not isinstance(r, dict):
            raise InvalidInput("Mỗi kết quả phải là đối tượng", "Each result must be an object", field=f"results[{i}]")
        nid = v.integer(r.get("nomination_id"), f"results[{i}].nomination_id", minimum=1, maximum=2**62)
        if nid in seen:
            raise InvalidInput(f"Hồ sơ #{nid} có hai kết quả", f"Nomination #{nid} has two results",
                               field=f"results[{i}].nomination_id")
        seen.add(nid)
    return raw


class _Checked(Exception):
    """Ends a dry run: the session is rolled back and its outcome handed back."""

    def __init__(self, outcome):
        super().__init__("dry run")
        self.outcome = outcome


def check_council_votes(db: Database, actor_id: int, dossier_id: int, body: dict, *, now: datetime,
                        ctx: RequestContext = NO_CONTEXT):
    """What `record_council_votes` would record — every rule checked the same way, the same
    errors — with nothing kept (the transaction is rolled back): the confirmation page before a
    tally is recorded, typed or imported from the tally sheet, shows this outcome."""
    try:
        record_council_votes(db, actor_id, dossier_id, body, now=now, ctx=ctx, dry_run=True)
    except _Checked as done:
        return done.outcome
    raise AssertionError("a dry run always ends in _Checked")


def record_council_votes(db: Database, actor_id: int, dossier_id: int, body: dict, *, now: datetime,
                         ctx: RequestContext = NO_CONTEXT, dry_run: bool = False):
    """One council session (phiên họp Hội đồng) on a dossier: membership, attendance (written
    votes counted in `present`) and a tally per nominee, each judged by its own award's
    threshold; all or nothing."""
    body = _body(body)
    # `members` may be left out when the council keeps a roster (its size is then the roster's).
    members = v.integer(body.get("members"), "members", minimum=1, maximum=MAX_MEMBERS, required=False)
    present = v.integer(body.get("present"), "present", minimum=0, maximum=members or MAX_MEMBERS)
    written = v.integer(body.get("written"), "written", minimum=0, maximum=present, required=False)
    results = _results(body.get("results"))
    with unit_of_work(db) as s:
        actor, tree, d = core.open_current(s, actor_id, dossier_id, body.get("version"))
        here = {n.id: n for n in core.members(s, d, here_only=True, lock=True)}
        dref = core.ref(d)
        if members is None:
            # The council voting is the one where the list waits (the ministry's for a unit's
            # tờ trình at the ministry), not the drafting unit's.
            holders = {n.holder_org_id for n in here.values() if n.holder_org_id}
            org_id = holders.pop() if len(holders) == 1 else actor.org_id
            council = council_of(s, org_id) if org_id is not None else None
            if council is None or not council.size:
                raise InvalidInput("Hội đồng chưa có danh sách thành viên; hãy nhập số thành viên",
                                   "The council keeps no roster; give the number of members", field="members")
            members = council.size

        def one(r):
            nom = here.get(r["nomination_id"])
            if nom is None:
                raise NotFound(f"Hồ sơ #{r['nomination_id']} không có trong hồ sơ trình {d.number}",
                               f"Nomination #{r['nomination_id']} is not on dossier {d.number}")
            votes = {"members": members, "present": present, "yes": r.get("yes"), "no": r.get("no")}
            return act_in(s, actor, tree, nom, "vote", {"votes": votes}, now, ctx, extra_payload={"dossier": dref})

        done, errors = each(s, results, one, key=lambda r: r["nomination_id"])
        refuse(errors, "Không ghi được kết quả phiên họp", "Cannot record the council session")
        failed = sum(1 for n in done if n.state == REJECTED)
        core.record(s, d, actor, "council_session", now, ctx,
                    payload={"members": members, "present": present, "written": written,
                             "voted": len(done), "passed": len(done) - failed, "failed": failed})
        following.sync(s, actor, d, now, ctx)
        flush(s)
        if dry_run:
            raise _Checked(summary(s, actor, tree, d))
        return summary(s, actor, tree, d)


def _targets(actor, d, here: dict, action: str, body: dict) -> list[int]:
    if body.get("all") is True:
        ids = [n.id for n in here.values() if action in actions_for(actor, n)
               and (action != "approve" or n.holder_org_id == d.org_id or stays_at_level(n))]
        if not ids:
            act_vi, act_en = both(action_label, action, "nomination")
            raise InvalidTransition(f"Không có người nào trong tờ trình {d.number} chờ bạn “{act_vi}”",
                                    f"Nobody on dossier {d.number} waits for you to “{act_en}”")
        return ids
    return v.id_list(body.get("nomination_ids"), "nomination_ids")


def review_dossier(db: Database, actor_id: int, dossier_id: int, body: dict, *, now: datetime,
                   ctx: RequestContext = NO_CONTEXT) -> ReviewOutcome:
    """Approve, return or reject nominees of a dossier (listed, or `all` waiting for the caller);
    each item succeeds or fails on its own, with its reason."""
    body = _body(body)
    action = v.choice(body.get("action"), "action", REVIEW_ACTIONS)
    reason = core.parse_reason(body, required=action != "approve")
    with unit_of_work(db) as s:
        actor, tree, d = core.open_current(s, actor_id, dossier_id, body.get("version"))
        here = {n.id: n for n in core.members(s, d, here_only=True, lock=True)}
        ids = _targets(actor, d, here, action, body)
        dref = core.ref(d)

        def one(nid):
            nom = here.get(nid)
            if nom is None:
                raise NotFound(f"Hồ sơ #{nid} không có trong hồ sơ trình {d.number}",
                               f"Nomination #{nid} is not on dossier {d.number}")
            if action == "approve" and nom.holder_org_id != d.org_id and not stays_at_level(nom):
                raise InvalidTransition("Hồ sơ này được trình cấp trên bằng tờ trình tổng hợp của cơ quan bạn",
                                        "Forward this nomination to the next level in an aggregate dossier "
                                        "of your organisation")
            act_in(s, actor, tree, nom, action, {"reason": reason}, now, ctx, extra_payload={"dossier": dref})
            return nom

        done, errors = each(s, ids, one)
        if done:
            core.record(s, d, actor, "review", now, ctx, reason=reason,
                        payload={"action": action, "succeeded": len(done), "failed": len(errors)})
            following.follow_ids(s, actor, [n.id for n in done], now, ctx)
        flush(s)
        failed = {e["nomination_id"]: e for e in errors}
        results = [{"id": nid, "ok": False, "error": failed[nid]} if nid in failed else
                   {"id": nid, "ok": True, "state": here[nid].state, "version": here[nid].version} for nid in ids]
        return ReviewOutcome(summary(s, actor, tree, d), results, len(done), len(errors))


def return_dossier(db: Database, actor_id: int, dossier_id: int, body: dict, *, now: datetime,
                   ctx: RequestContext = NO_CONTEXT):
    """Return the whole dossier with a reason: each nomination still travelling in it goes back
    to the unit (those already returned stay so); all or nothing."""
    body = _body(body)
    reason = core.parse_reason(body, required=True)
    with unit_of_work(db) as s:
        actor, tree, d = core.open_current(s, actor_id, dossier_id, body.get("version"))
        if d.kind != KIND_UNIT:
            raise InvalidTransition("Tờ trình tổng hợp không trả lại cả hồ sơ; hãy trả lại từng người",
                                    "An aggregate dossier is not returned whole; return its nominees one by one")
        if d.state not in (SUBMITTED, RECEIVED):
            st_vi, st_en = both(state_label, d.state, "dossier")
            raise InvalidTransition(f"Không thể trả lại tờ trình {d.number} khi đang ở trạng thái “{st_vi}”",
                                    f"Dossier {d.number} cannot be returned while “{st_en}”")
        live = [n for n in core.members(s, d, here_only=True, lock=True)
                if n.state not in TERMINAL_STATES and n.state != NOM_RETURNED]
        if not live:
            raise InvalidTransition(f"Hồ sơ {d.number} không còn ai để trả lại",
                                    f"Dossier {d.number} has nobody to return")
        dref = core.ref(d)
        done, errors = each(
            s, live, lambda n: act_in(s, actor, tree, n, "return", {"reason": reason}, now, ctx,
                                      extra_payload={"dossier": dref}), key=lambda n: n.id)
        refuse(errors, f"Không trả lại được hồ sơ {d.number}", f"Cannot return dossier {d.number}")
        core.move(s, d, actor, "return", now, ctx, reason=reason, payload={"nominations": len(done)})
        flush(s)
        return summary(s, actor, tree, d)
