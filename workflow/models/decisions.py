"""Decisions (quyết định khen thưởng)."""
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column

from workflow.models.base import Base


class Decision(Base):
    """Quyết định khen thưởng: one decision awards many nominations.

    Numbered per issuing org and year (NĐ 30/2020/NĐ-CP Art. 15: numbers restart at 01 on 1 January):
    "123/QĐ-BTTTT" is `seq` "123" and `symbol` "QĐ-BTTTT"; one (org, year, seq, symbol) is one
    decision, a database rule."""
    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(80))
    decided_on: Mapped[date] = mapped_column(Date)
    org_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    signer: Mapped[str | None] = mapped_column(String(200))
    on_behalf_of: Mapped[str | None] = mapped_column(String(200))  # "KT. BỘ TRƯỞNG"
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[str] = mapped_column(String(10))
    symbol: Mapped[str] = mapped_column(String(70))
    # Who the decision is of ("Thủ tướng Chính phủ", "Chủ tịch nước") and who proposed it (the
    # central office appraising for them), when that is not the recording org's own head.
    decider: Mapped[str | None] = mapped_column(String(200))
    proposed_by: Mapped[str | None] = mapped_column(String(300))
    issued: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # After a decision of the Prime Minister / President the central office sends copies to the
    # submitting ministry or province within 10 working days (NĐ 98/2023 Art. 32; QĐ 311/QĐ-BNV).
    follow_up_by: Mapped[date | None] = mapped_column(Date)
    __table_args__ = (UniqueConstraint("org_id", "year", "seq", "symbol", name="uq_decision_org_year_number"),)
