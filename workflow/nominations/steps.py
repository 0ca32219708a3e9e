"""What each action does to a nomination, built after the command's check and before any write.

A builder reads the request and the database and returns a `Change` (workflow/kernel/transition.py):
the reason, the audit payload, the columns it sets, the facts the machine's guards read, rows to
insert with it. It writes nothing itself; `decide` is the one builder that records something —
the decision (quyết định) its nominations will reference — and it runs after the permission check.
"""
from collections.abc import Callable
from datetime import datetime
from fractions import Fraction

from sqlalchemy.orm import Session

from states.routes import ROUTES
from workflow import validation as v
from workflow.access.actors import Actor, RequestContext
from workflow.calendar.workdays import local_date
from workflow.catalogue.awards import fraction, members_needed, passes_threshold, quorum_met
from workflow.catalogue.legal_basis import legal_basis_on
from workflow.decisions.records import decision_for
from workflow.errors import InvalidInput, InvalidTransition
from workflow.kernel.transition import Change
from workflow.models import AwardType, CouncilVote, Nomination, Plan
from workflow.nominations.drafting import plan_accepting
from workflow.orgs.tree import OrgTree
from workflow.people.eligibility import submit_check

MAX_REASON = 2000
MAX_MEMBERS = 1000

Builder = Callable[[Session, Actor, OrgTree, Nomination, dict, datetime, RequestContext], Change]
COUNCIL_VOTES = CouncilVote.__table__


def reason_of(body: dict, required: bool) -> str | None:
    return v.text(body.get("reason"), "reason", required=required, max_len=MAX_REASON, multiline=True)


def _submit(s: Session, actor: Actor, tree: OrgTree, nom: Nomination, body: dict, now: datetime,
            ctx: RequestContext) -> Change:
    plan = s.get(Plan, nom.plan_id)
    if not plan_accepting(plan, now):
        raise InvalidTransition(f"Kế hoạch {plan.number} đã hết thời hạn nhận hồ sơ",
                                f"Plan {plan.number} no longer accepts nominations")
    values = {}
    if nom.submitted_at is None:
        # The legal basis in force on submission governs the nomination (domain.md §0).
        values = {"submitted_at": now, "legal_basis": legal_basis_on(local_date(now))}
    eligibility = submit_check(s, nom, body, now)  # Law 2022 / ND 152 conditions: fail → 422 ineligible
    return Change("submit", values=values, reason=reason_of(body, False),
                  payload={"legal_basis": values.get("legal_basis", nom.legal_basis), **eligibility})


def ballot_rule(nom: Nomination, award: AwardType) -> tuple[Fraction, Fraction]:
    """(threshold, quorum) of the vote `nom` waits at: its route's step, or, on a route of the first
    release, the award type's."""
    step = ROUTES[nom.route].step(nom.state)
    threshold = step.threshold if step and step.threshold else fraction(award.vote_threshold)
    quorum = step.quorum if step and step.quorum else fraction(award.quorum)
    return threshold, quorum


def tally(votes: object, threshold: Fraction, quorum: Fraction) -> tuple[dict, bool]:
    """Validate a council tally; refuse a meeting without quorum; say whether it passes."""
    if not isinstance(votes, dict):
        raise InvalidInput("Thiếu kết quả bỏ phiếu", "Missing vote tally", field="votes")
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
    result, passed = tally(body.get("votes"), *ballot_rule(nom, s.get_one(AwardType, nom.award_code)))
    # The council's tally is kept (never the ballots); a dossier's session names its dossier.
    row = dict(nomination_id=nom.id, dossier_id=nom.dossier_id, recorded_by=actor.user_id, recorded_at=now,
               **result)
    failed = None if passed else f"Không đạt tỷ lệ phiếu: {result['yes']}/{result['members']} thành viên đồng ý"
    return Change("vote", facts={"vote_passed": passed}, payload={"votes": result},
                  reason=reason_of(body, False) or failed, rows=((COUNCIL_VOTES, row),))


def _approve(s: Session, actor: Actor, tree: OrgTree, nom: Nomination, body: dict, now: datetime,
            ctx: RequestContext) -> Change:
    return Change("approve", reason=reason_of(body, False))


def _decide(s: Session, actor: Actor, tree: OrgTree, nom: Nomination, body: dict, now: datetime,
            ctx: RequestContext) -> Change:
    submitted = [local_date(nom.submitted_at)] if nom.submitted_at else []
    d = decision_for(s, actor, body.get("decision"), submitted, now, ctx)
    return Change("decide", values={"decision_id": d.id}, on_behalf_of=d.on_behalf_of,
                  payload={"decision": {"number": d.number, "date": d.decided_on.isoformat(), "signer": d.signer}},
                  reason=reason_of(body, False))


def _return(s: Session, actor: Actor, tree: OrgTree, nom: Nomination, body: dict, now: datetime,
            ctx: RequestContext) -> Change:
    return Change("return", reason=reason_of(body, True))


def _resubmit(s: Session, actor: Actor, tree: OrgTree, nom: Nomination, body: dict, now: datetime,
            ctx: RequestContext) -> Change:
    return Change("resubmit", reason=reason_of(body, False))


def _reject(s: Session, actor: Actor, tree: OrgTree, nom: Nomination, body: dict, now: datetime,
            ctx: RequestContext) -> Change:
    return Change("reject", reason=reason_of(body, True))


def _withdraw(s: Session, actor: Actor, tree: OrgTree, nom: Nomination, body: dict, now: datetime,
            ctx: RequestContext) -> Change:
    return Change("withdraw", reason=reason_of(body, False))


BUILDERS: dict[str, Builder] = {
    "submit": _submit, "vote": _vote, "approve": _approve, "decide": _decide, "return": _return,
    "resubmit": _resubmit, "reject": _reject, "withdraw": _withdraw,
}

