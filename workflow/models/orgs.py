"""The organisation tree (cơ quan, đơn vị)."""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from workflow.models.base import Base


class OrgUnit(Base):
    """Cơ quan, đơn vị: a node of the organisation tree."""
    __tablename__ = "org_units"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    level: Mapped[str] = mapped_column(String(20))  # central | ministry | unit
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    path: Mapped[str] = mapped_column(String(400), index=True)  # "/1/2/5/"
    email: Mapped[str | None] = mapped_column(String(200))
