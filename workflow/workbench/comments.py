"""Comments on a nomination or a dossier (ý kiến trao đổi): offices discuss a file where it is.

Whoever may see the item may read its thread and write in it. A comment is written with an
audit event on the item's own chain (`comment`, naming the comment), by the kernel's write path
without a new version of the item: a form open on the item does not go stale because someone
commented, but a comment and a command racing on the item cannot both pass unnoticed.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from states.routes import ADMIN, AUDITOR
from workflow import validation as v
from workflow.access.actors import NO_CONTEXT, Actor, RequestContext
from workflow.access.loading import load_actor
from workflow.dossiers import core as dossier_core
from workflow.errors import Forbidden, InvalidInput
from workflow.kernel.db import Database
from workflow.kernel.uow import flush, unit_of_work
from workflow.models import Comment, User
from workflow.nominations import transitions
from workflow.nominations.queries import load_visible
from workflow.orgs.tree import OrgTree, org_tree

SUBJECTS = ("nomination", "dossier")
MAX_TEXT = 4000


@dataclass(frozen=True)
class CommentView:
    id: int
    author: str
    role: str
    org: str | None
    text: str
    created_at: datetime


def may_write(actor: Actor) -> bool:
    """Auditors (and the administrator) read threads; the people who handle the files write."""
    return actor.role not in (AUDITOR, ADMIN) and not actor.is_system


def _item(s: Session, actor: Actor, tree: OrgTree, subject: str, subject_id: int):
    """The nomination or dossier, or NotFound when the actor may not see it."""
    if subject == "nomination":
        return load_visible(s, actor, tree, subject_id)
    return dossier_core.load(s, actor, tree, subject_id)


def add_comment(db: Database, actor_id: int, subject: str, subject_id: int, body: dict, *, now: datetime,
                ctx: RequestContext = NO_CONTEXT) -> CommentView:
    """Add `{"text"}` to the thread of the nomination or dossier."""
    subject = v.choice(subject, "subject", SUBJECTS)
    if not isinstance(body, dict):
        raise InvalidInput("Nội dung phải là đối tượng JSON", "The body must be a JSON object")
    text = v.text(body.get("text"), "text", max_len=MAX_TEXT, multiline=True)
    with unit_of_work(db) as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        item = _item(s, actor, tree, subject, subject_id)
        if not may_write(actor):
            raise Forbidden("Thanh tra, kiểm tra chỉ đọc ý kiến trao đổi", "Auditors read the comments only")
        comment = Comment(subject=subject, subject_id=item.id, author_id=actor.user_id, org_id=actor.org_id,
                          text=text, created_at=now)
        s.add(comment)
        flush(s)
        payload = {"comment_id": comment.id}
        if subject == "nomination":
            transitions.record(s, item, actor, "comment", now, ctx, payload=payload, bump=False)
        else:
            dossier_core.record(s, item, actor, "comment", now, ctx, payload=payload, bump=False)
        return _views(s, tree, [comment])[0]


def list_comments(db: Database, actor_id: int, subject: str, subject_id: int) -> list[CommentView]:
    """The thread, oldest first."""
    subject = v.choice(subject, "subject", SUBJECTS)
    with db.read() as s:
        actor = load_actor(s, actor_id)
        tree = org_tree(s)
        item = _item(s, actor, tree, subject, subject_id)
        rows = s.execute(select(Comment).where(Comment.subject == subject, Comment.subject_id == item.id)
                         .order_by(Comment.id)).scalars().all()
        return _views(s, tree, list(rows))


def _views(s: Session, tree: OrgTree, rows: list[Comment]) -> list[CommentView]:
    ids = {c.author_id for c in rows}
    users = {u.id: u for u in s.execute(select(User).where(User.id.in_(ids))).scalars()} if ids else {}
    out = []
    for c in rows:
        u = users.get(c.author_id)
        org = tree.get(c.org_id)
        out.append(CommentView(c.id, u.full_name if u else "—", u.role if u else "", org.name if org else None,
                               c.text, c.created_at))
    return out
