"""Comments (ý kiến trao đổi) on a nomination or a dossier; delegations (ủy quyền)."""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from workflow.models.base import Base, BigId


class Comment(Base):
    """One message of the thread of a nomination or a dossier; whoever may see the item reads
    it. Written once, never edited (its audit event names it)."""
    __tablename__ = "comments"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subject: Mapped[str] = mapped_column(String(20))  # nomination | dossier
    subject_id: Mapped[int] = mapped_column(BigId)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    org_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    __table_args__ = (Index("ix_comments_subject", "subject", "subject_id", "id"),)


class Delegation(Base):
    """Ủy quyền: a leader names a stand-in for a period (dates inclusive, Vietnam time). While
    it runs, the stand-in may take the leader's actions; each records "KT." and the leader."""
    __tablename__ = "delegations"
    id: Mapped[int] = mapped_column(primary_key=True)
    from_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    to_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime]
