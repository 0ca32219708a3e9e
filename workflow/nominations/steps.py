"""What each action does to a nomination, built after the command's check and before any write.

A builder reads the request and the database and returns a `Change` (workflow/kernel/transition.py):
the reason, the audit payload, the columns it sets, the facts the machine's guards read, rows to
insert with it. It writes nothing itself; `decide` is the one builder that records something —
the decision (quyết định) its nominations will reference — and it runs after the permission check.
"""
from collections.abc import Callable
from datetime import datetime
from fractions import Fraction

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from states.routes import MINISTRY_LEADER, MINISTRY_REVIEWER, ROUTES
from workflow import validation as v
from workflow.access.actors import Actor, RequestContext
from workflow.calendar.workdays import local_date
from workflow.catalogue.awards import members_needed, passes_threshold, quorum_met
from workflow.catalogue.legal_basis import legal_basis_on
from workflow.decisions.records import decision_for
from workflow.documents import completeness
from workflow.errors import InvalidInput, InvalidTransition
from workflow.kernel.transition import Change
from workflow.models import CouncilVote, Nomination, Plan
from workflow.catalogue.routing import definition, holder_for
from workflow.nominations import posting
from workflow.nominations.queries import ballot_rule
from workflow.notices import notify
from workflow.nominations.drafting import plan_accepting
from workflow.orgs.councils import council_of, members_for_vote
from workflow.orgs.tree import OrgTree
from workflow.people.eligibility import submit_check
from workflow.text import clean
from workflow.kernel.db import core

MAX_REASON = 2000
MAX_MEMBERS = 1000

Builder = Callable[[Session, Actor, OrgTree, Nomination, dict, datetime, RequestContext], Change]
COUNCIL_VOTES = CouncilVote.__table__


def reason_of(body: dict, required: bool) -> str | None:
    return v.text(body.get("reason"), "reason", required=required, max_len=MAX_REASON, multiline=True)


_PLANS = Plan.__table__
_PLAN_WINDOW = (select(_PLANS.c.number, _PLANS.c.status, _PLANS.c.submission_closes_at)
                .where(_PLANS.c.id == bindparam("id")))
# Why a nomination is returned, rejected or withdrawn is said in words (issue 19); an empty or
# blank reason is refused before anything changes.
REASON_ASKED = {
    "return": ("Hãy ghi lý do trả lại hồ sơ (đơn vị cần biết phải bổ sung gì)",
               "Give the reason for returning the nomination (what the unit must add)"),
    "reject": ("Hãy ghi lý do từ chối hồ sơ", "Give the reason for rejecting the nomination"),
    "withdraw": ("Hãy ghi lý do rút hồ sơ", "Give the reason for withdrawing the nomination"),
}


def required_reason(body: dict, action: str) -> str:
    value = body.get("reason")
    if value is None or (isinstance(value, str) and not clean(value, multiline=True)):
        vi, en = REASON_ASKED[action]
        raise InvalidInput(vi, en, field="reason")
    return v.text(value, "reason", max_len=MAX_REASON, multiline=True)


def _submit(s: Session, actor: Actor, tree: OrgTree, nom: Nomination, body: dict, now: datetime,
            ctx: RequestContext) -> Change:
    plan = core(s, _PLAN_WINDOW, {"id": nom.plan_id}).one()
    if not plan_accepting(plan, now):
        raise InvalidTransition(f"Kế hoạch {plan.number} đã hết thời hạn nhận hồ sơ",
                                f"Plan {plan.number} no longer accepts nominations")
    values = {}
    if nom.submitted_at is None:
        # The legal basis in force on submission governs the nomination (domain.md §0).
        values = {"submitted_at": now, "legal_basis": legal_basis_on(local_date(now))}
    completeness.check(s, nom.unit_id, nom, completeness.SUBMIT)
    eligibility = submit_check(s, nom, body, now)  # Law 2022 / ND 152 conditions: fail → 422 ineligible
    return Change("submit", values=values, reason=reason_of(body, False),
                  payload={"legal_basis": values.get("legal_basis", nom.legal_basis), **eligibility})


def tally(votes: object, threshold: Fraction, quorum: Fraction, members: int | None = None) -> tuple[dict, bool]:
    """Validate a council tally; refuse a meeting without quorum; say whether it passes.
    `members`: the council's size as its roster says (workflow/orgs/councils.py)."""
    if not isinstance(votes, dict):
        raise InvalidInput("Thiếu kết quả bỏ phiếu", "Missing vote tally", field="votes")
    if members is None:
        members = v.integer(votes.get("members"), "votes.members", minimum=1, maximum=MAX_MEMBERS)
    present = v.integer(votes.get("present"), "votes.present", minimum=0, maximum=members)
    yes = v.integer(votes.get("yes"), "votes.yes", minimum=0, maximum=present)
    no = v.integer(votes.get("no"), "votes.no", minimum=0, maximum=present)
    if yes + no > present:
        raise InvalidInput("Số phiếu đồng ý và không đồng ý vượt quá số thành viên tham dự",
                           "yes + no exceeds the members present", field="votes.no")
    if not quorum_met(present, members, quorum):
        needed = members_needed(members, quorum)
        raise InvalidInput(
            f"Không đủ số thành viên tham dự: cần ít nhất {needed}/{members} thành viên có mặt "
            "(kể cả phiếu gửi bằng văn bản); cuộc họp không hợp lệ",
            f"No quorum: at least {needed} of {members} members must take part (written votes count)",
            field="votes.present")
    passed = passes_threshold(yes, members, threshold)
    return {"members": members, "present": present, "yes": yes, "no": no,
            "threshold": float(threshold), "passed": passed}, passed


def _vote(s: Session, actor: Actor, tree: OrgTree, nom: Nomination, body: dict, now: datetime,
            ctx: RequestContext) -> Change:
    posting.check_window(s, nom, now)  # Law Art. 84(5): not before the posting window has ended
    threshold, quorum = ballot_rule(s, nom)
    votes = body.get("votes")
    council = council_of(s, nom.holder_org_id) if nom.holder_org_id else None
    members = None
    if isinstance(votes, dict):  # the council's size is its roster's, never what is typed
        members = members_for_vote(s, nom.holder_org_id, votes.get("members"), "votes.members", council=council)
        if council is not None:
            quorum = max(quorum, council.quorum)
    result, passed = tally(votes, threshold, quorum, members)
    # The council's tally is kept (never the ballots); a dossier's session names its dossier.
    row = dict(nomination_id=nom.id, dossier_id=nom.dossier_id, org_id=nom.holder_org_id,
               recorded_by=actor.user_id, recorded_at=now, **result)
    failed = None if passed else f"Không đạt tỷ lệ phiếu: {result['yes']}/{result['members']} thành viên đồng ý"
    return Change("vote", facts={"vote_passed": passed}, payload={"votes": result},
                  reason=reason_of(body, False) or failed, rows=((COUNCIL_VOTES, row),))


def _approve(s: Session, actor: Actor, tree: OrgTree, nom: Nomination, body: dict, now: datetime,
            ctx: RequestContext) -> Change:
    """Forward to the next step. At an appraisal above the unit (Vụ TĐKT, Sở Nội vụ, Ban TĐKT Trung
    ương) the reviewer's approve is a recommendation: its appraisal note (thẩm định) goes with it
    to the leader or council who decides next; the leader's approve at a deciding step below the
    last signs the submission (tờ trình) upward, for a deputy "KT." on someone's behalf."""
    completeness.check(s, actor.org_id, nom, completeness.SEND)  # what must travel with it (workflow/documents)
    step = ROUTES[nom.route].step(nom.state)
    note = v.text(body.get("appraisal"), "appraisal", required=False, max_len=MAX_REASON, multiline=True)
    payload: dict = {}
    if step is not None and step.kind == "review" and step.org_level in ("ministry", "central"):
        payload["appraisal"] = {"note": note or reason_of(body, False), "by": actor.full_name,
                                "recommends": "approve"}
    behalf = None
    if step is not None and step.kind == "decide":
        behalf = v.text(body.get("on_behalf_of"), "on_behalf_of", required=False, max_len=200)
        payload["signed"] = {"signer": actor.full_name, **({"on_behalf_of": behalf} if behalf else {})}
    return Change("approve", reason=reason_of(body, False) or note, payload=payload or None, on_behalf_of=behalf)


def decider_of(s: Session, tree: OrgTree, nom: Nomination, actor: Actor) -> tuple[str | None, str | None]:
    """(who decides, who proposed) for a decision of `nom`: the award's decider title; at the
    centre the Prime Minister or the President decides on the central office's proposal (Law
    Art. 77, 78; NĐ 98/2023 Art. 32)."""
    stored = definition(s, nom.award_code, nom.definition_version)
    decider = (stored.get("decider") if stored else None) or None
    step = ROUTES[nom.route].step(nom.state)
    proposer = None
    if step is not None and step.org_level == "central":
        org = tree.get(actor.org_id)
        proposer = org.name if org else None
    return decider, proposer


def _decide(s: Session, actor: Actor, tree: OrgTree, nom: Nomination, body: dict, now: datetime,
            ctx: RequestContext) -> Change:
    submitted = [local_date(nom.submitted_at)] if nom.submitted_at else []
    decider, proposer = decider_of(s, tree, nom, actor)
    d = decision_for(s, actor, body.get("decision"), submitted, now, ctx, decider=decider, proposed_by=proposer)
    said = {"number": d.number, "date": d.decided_on.isoformat(), "signer": d.signer}
    said.update({k: x for k, x in (("decider", d.decider), ("proposed_by", d.proposed_by)) if x})
    if d.follow_up_by:
        said["follow_up_by"] = d.follow_up_by.isoformat()
        _notify_submitter(s, tree, nom, d, now)
    return Change("decide", values={"decision_id": d.id}, on_behalf_of=d.on_behalf_of,
                  payload={"decision": said}, reason=reason_of(body, False))


def _return(s: Session, actor: Actor, tree: OrgTree, nom: Nomination, body: dict, now: datetime,
            ctx: RequestContext) -> Change:
    return Change("return", reason=required_reason(body, "return"))


def _resubmit(s: Session, actor: Actor, tree: OrgTree, nom: Nomination, body: dict, now: datetime,
            ctx: RequestContext) -> Change:
    return Change("resubmit", reason=reason_of(body, False))


def _reject(s: Session, actor: Actor, tree: OrgTree, nom: Nomination, body: dict, now: datetime,
            ctx: RequestContext) -> Change:
    return Change("reject", reason=required_reason(body, "reject"))


def _withdraw(s: Session, actor: Actor, tree: OrgTree, nom: Nomination, body: dict, now: datetime,
            ctx: RequestContext) -> Change:
    # API.md marks the reason optional ("reason"?) and DESIGN.md requires it only for return and
    # reject: a client that sends none keeps working; one that sends an empty or blank reason is
    # refused (422), and the web page always asks for it.
    if "reason" in body and body["reason"] is not None:
        return Change("withdraw", reason=required_reason(body, "withdraw"))
    return Change("withdraw", reason=None)


def _notify_submitter(s: Session, tree: OrgTree, nom: Nomination, d, now: datetime) -> None:
    """The ministry or province that submitted a nomination decided at the centre is told, once per
    decision, that copies come within 10 working days — and sends them on to the awardees within
    10 working days of receiving them (NĐ 98/2023 Art. 32; QĐ 311/QĐ-BNV 2025)."""
    ministry = holder_for(tree, "ministry", nom.unit_id)
    if ministry is None:
        return
    notify.post(s, notify.Notice(
        key=f"decision-copy:{d.id}:{ministry}", kind="decision_copy", org_id=ministry,
        roles=(MINISTRY_REVIEWER, MINISTRY_LEADER), nomination_id=nom.id,
        vi=f"Quyết định {d.number} ngày {d.decided_on:%d/%m/%Y} ({d.decider or ''}): Ban Thi đua - Khen thưởng "
           f"Trung ương sao gửi trước ngày {d.follow_up_by:%d/%m/%Y}; Bộ, tỉnh sao gửi cá nhân, tập thể "
           "được khen thưởng trong 10 ngày làm việc",
        en=f"Decision {d.number} of {d.decided_on:%d/%m/%Y}: the central office sends copies by "
           f"{d.follow_up_by:%d/%m/%Y}; forward them to the awardees within 10 working days"), now)


BUILDERS: dict[str, Builder] = {
    "submit": _submit, "vote": _vote, "approve": _approve, "decide": _decide, "return": _return,
    "resubmit": _resubmit, "reject": _reject, "withdraw": _withdraw,
}

