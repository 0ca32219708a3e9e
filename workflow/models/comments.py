"""Comments (ý kiến trao đổi) on a nomination or a dossier."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
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
