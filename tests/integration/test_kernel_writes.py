"""The kernel's one write path (workflow/kernel/transition.py, writes.py): one conditional UPDATE
with its audit event and deadline row, the loaded nomination kept in step, a concurrent move
refused whole; and the e-mail digests that a transition adds to only once per day."""
import pytest
from sqlalchemy import func, select, update

from workflow.access.actors import NO_CONTEXT
from workflow.errors import Conflict
from workflow.kernel.transition import Change, batched
from workflow.kernel.uow import unit_of_work
from workflow.nominations import transitions
from workflow.models import AuditEvent, Deadline, Nomination, OutboxMessage
from workflow.orgs.tree import org_tree
from workflow.access.loading import load_actor

from tests.conftest import NOW
from tests.scenarios import act, draft


def submit_in(s, users, nom_id):
    actor, tree = load_actor(s, users["vtc.canbo"]), org_tree(s)
    nom = s.get(Nomination, nom_id)
    transitions.check(actor, nom, "submit")
    transitions.write(s, tree, nom, actor, Change("submit"), NOW, NO_CONTEXT)
    return nom


def test_a_move_is_written_at_once_and_the_loaded_nomination_agrees_with_the_row(db, users, open_plan):
    n = draft(db, users, open_plan)
    with db.write() as s:
        nom = submit_in(s, users, n.id)
        assert not s.dirty and not s.new  # nothing left for the ORM to write again
        row = s.execute(select(Nomination.__table__).where(Nomination.id == n.id)).one()
        assert (row.state, row.version, row.audit_seq, row.audit_head, row.due_at) == (
            nom.state, nom.version, nom.audit_seq, nom.audit_head, nom.due_at)
        assert row.state == "council_review" and row.version == n.version + 1
        event = s.execute(select(AuditEvent).where(AuditEvent.chain == f"n:{n.id}")
                          .order_by(AuditEvent.seq.desc()).limit(1)).scalar_one()
        assert (event.action, event.to_state, event.hash) == ("submit", "council_review", nom.audit_head)
        assert s.execute(select(Deadline.version).where(Deadline.subject_id == n.id)).scalar_one() == nom.version


def test_a_move_computed_from_a_version_someone_else_replaced_changes_nothing(db, users, open_plan):
    n = draft(db, users, open_plan)
    events_before = None
    with pytest.raises(Conflict), unit_of_work(db) as s:
        nom = s.get(Nomination, n.id)
        events_before = nom.audit_seq
        # Another command moved the row after we read it (what a racing writer does).
        s.execute(update(Nomination).where(Nomination.id == n.id).values(version=Nomination.version + 1)
                  .execution_options(synchronize_session=False))
        actor, tree = load_actor(s, users["vtc.canbo"]), org_tree(s)
        transitions.write(s, tree, nom, actor, Change("submit"), NOW, NO_CONTEXT)
    with db.read() as s:
        nom = s.get(Nomination, n.id)
        assert (nom.state, nom.version, nom.audit_seq) == ("draft", n.version, events_before)
        assert s.scalar(select(func.count()).select_from(Deadline).where(Deadline.subject_id == n.id)) == 0


def test_pending_edits_of_the_caller_are_written_before_the_move(db, users, open_plan):
    n = draft(db, users, open_plan)
    with db.write() as s:
        nom = s.get(Nomination, n.id)
        nom.achievements = "Sáng kiến được công nhận cấp Bộ"
        submit_in(s, users, n.id)
    with db.read() as s:
        nom = s.get(Nomination, n.id)
        assert (nom.state, nom.achievements) == ("council_review", "Sáng kiến được công nhận cấp Bộ")


def test_a_batch_is_refused_whole_when_one_row_moved_meanwhile(db, users, open_plan):
    ids = [draft(db, users, open_plan, name=f"Cán bộ {i}").id for i in range(3)]
    with pytest.raises(Conflict), unit_of_work(db) as s, batched(s):
        for nid in ids:
            submit_in(s, users, nid)
        s.execute(update(Nomination).where(Nomination.id == ids[1])
                  .values(version=Nomination.version + 5).execution_options(synchronize_session=False))
    with db.read() as s:
        assert set(s.scalars(select(Nomination.state).where(Nomination.id.in_(ids)))) == {"draft"}


def digest_mails(db, org_day_state: str) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(OutboxMessage)
                        .where(OutboxMessage.dedup_key.like(f"digest:%:{org_day_state}:%")))


def test_the_days_digest_is_queued_by_the_first_arrival_only(db, users, open_plan):
    first, second = (draft(db, users, open_plan, name=name) for name in ("Thứ nhất", "Thứ hai"))
    act(db, users, "vtc.canbo", first.id, "submit")
    queued = digest_mails(db, "council_review")
    assert queued >= 1  # the council's secretary is mailed once for the day
    act(db, users, "vtc.canbo", second.id, "submit")
    assert digest_mails(db, "council_review") == queued


def test_a_digest_whose_transaction_rolled_back_is_queued_by_the_next_arrival(db, users, open_plan):
    first, second = (draft(db, users, open_plan, name=name) for name in ("Thứ nhất", "Thứ hai"))
    with pytest.raises(RuntimeError), db.write() as s:
        submit_in(s, users, first.id)
        raise RuntimeError("the command failed after the notice was written")
    assert digest_mails(db, "council_review") == 0
    act(db, users, "vtc.canbo", second.id, "submit")
    assert digest_mails(db, "council_review") >= 1
