"""Tables of the domain (DESIGN.md §2). Times are stored in UTC."""
from datetime import date, datetime, timezone

from sqlalchemy import (
    JSON, BigInteger, Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, LargeBinary, String,
    Text,
    TypeDecorator, UniqueConstraint, text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes on every backend (SQLite keeps no offset, so we store naive UTC)."""
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; times are stored in UTC")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict: JSON, list: JSON}


BigId = BigInteger().with_variant(Integer, "sqlite")


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


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(40))
    org_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]


class ApiToken(Base):
    """API tokens are stored as SHA-256 digests; the token itself is shown once."""
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class AwardType(Base):
    """Hình thức khen thưởng / danh hiệu thi đua: data, kept by the administrator."""
    __tablename__ = "award_types"
    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    name_vi: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(String(20))  # individual | collective | both
    route: Mapped[str] = mapped_column(String(30))
    deciding_level: Mapped[str] = mapped_column(String(20))
    vote_threshold: Mapped[float] = mapped_column(Float)  # share of ALL council members
    quorum: Mapped[float] = mapped_column(Float)          # share of members present
    required_documents: Mapped[list] = mapped_column(JSON, default=list)
    legal_note: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Plan(Base):
    """Kế hoạch / phong trào thi đua."""
    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(80))      # as written, e.g. "3793/KH-BTTTT"
    title: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))        # annual | thematic | ad_hoc
    issuer_org_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    issuer_name: Mapped[str | None] = mapped_column(String(300))  # as signed, e.g. "Ban Tổ chức Đại hội"
    issued_on: Mapped[date | None] = mapped_column(Date)
    issued_text: Mapped[str | None] = mapped_column(String(200))  # "tháng 5 năm 2024" when the day is blank
    parent_number: Mapped[str | None] = mapped_column(String(200))
    parent_plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"))
    basis: Mapped[str | None] = mapped_column(Text)      # "Căn cứ ..."
    period_text: Mapped[str | None] = mapped_column(String(200))
    award_codes: Mapped[list | None] = mapped_column(JSON)  # None: every award type
    award_forms_text: Mapped[list | None] = mapped_column(JSON)  # as named in the plan
    criteria: Mapped[str | None] = mapped_column(Text)
    # End of the submission window (UTC), derived from the `submission` milestones.
    submission_closes_at: Mapped[datetime | None] = mapped_column(index=True)
    drafts_expired_at: Mapped[datetime | None]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]


class PlanMilestone(Base):
    """A deadline of a plan, as written and as normalised."""
    __tablename__ = "plan_milestones"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str] = mapped_column(String(20))  # submission | report | event
    description: Mapped[str | None] = mapped_column(Text)
    periods: Mapped[list] = mapped_column(JSON)       # [{"start", "end"}]
    expected: Mapped[bool] = mapped_column(Boolean, default=False)
    ends_at: Mapped[datetime]                          # end of the last period, UTC


class PlanUnit(Base):
    """A unit taking part in a plan (receives its obligations)."""
    __tablename__ = "plan_units"
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), primary_key=True)


class Dossier(Base):
    """Hồ sơ / tờ trình: what a level sends up, carrying many nominations."""
    __tablename__ = "dossiers"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(80))
    title: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20), default="unit")  # unit | aggregate
    org_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    addressed_org_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), default="draft")
    version: Mapped[int] = mapped_column(Integer, default=1)
    aggregated_into_id: Mapped[int | None] = mapped_column(ForeignKey("dossiers.id"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]
    audit_head: Mapped[str | None] = mapped_column(String(64))
    audit_seq: Mapped[int] = mapped_column(Integer, default=0)
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}


class Decision(Base):
    """Quyết định khen thưởng: one decision awards many nominations."""
    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(80))
    decided_on: Mapped[date] = mapped_column(Date)
    org_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    signer: Mapped[str | None] = mapped_column(String(200))
    on_behalf_of: Mapped[str | None] = mapped_column(String(200))  # "KT. BỘ TRƯỞNG"
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    __table_args__ = (UniqueConstraint("org_id", "number", name="uq_decision_org_number"),)


class Nomination(Base):
    """Hồ sơ đề nghị khen thưởng of one person or collective."""
    __tablename__ = "nominations"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    award_code: Mapped[str] = mapped_column(ForeignKey("award_types.code"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    nominee_kind: Mapped[str] = mapped_column(String(20))
    nominee_name: Mapped[str] = mapped_column(String(300))
    nominee_key: Mapped[str] = mapped_column(String(300))
    nominee_title: Mapped[str | None] = mapped_column(String(300))
    achievements: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer, default=1)
    route: Mapped[str] = mapped_column(String(30))
    definition_version: Mapped[int] = mapped_column(Integer, default=1)
    level: Mapped[str | None] = mapped_column(String(20))
    holder_org_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    due_at: Mapped[datetime | None]
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    returned_from: Mapped[str | None] = mapped_column(String(20))
    legal_basis: Mapped[str | None] = mapped_column(String(300))
    submitted_at: Mapped[datetime | None]
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossiers.id"), index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    audit_head: Mapped[str | None] = mapped_column(String(64))
    audit_seq: Mapped[int] = mapped_column(Integer, default=0)
    __table_args__ = (
        # The inbox: what waits at my org, most urgent first.
        Index("ix_nominations_inbox", "holder_org_id", "state", "due_at", "id"),
        Index("ix_nominations_unit_state", "unit_id", "state", "id"),
        Index("ix_nominations_unit_id", "unit_id", "id"),  # a unit's list, newest first
        Index("ix_nominations_plan_award_key", "plan_id", "award_code", "nominee_key"),
    )
    # Every UPDATE is conditional on the version read: WHERE id = ? AND version = ?.
    # The engine bumps the version itself, so bookkeeping writes do not count as changes.
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}


class CouncilVote(Base):
    """The tally of a council's secret ballot; individual ballots are never stored."""
    __tablename__ = "council_votes"
    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id", ondelete="CASCADE"), index=True)
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossiers.id"))
    members: Mapped[int] = mapped_column(Integer)
    present: Mapped[int] = mapped_column(Integer)  # in person plus written votes
    yes: Mapped[int] = mapped_column(Integer)
    no: Mapped[int] = mapped_column(Integer)
    threshold: Mapped[float] = mapped_column(Float)
    passed: Mapped[bool] = mapped_column(Boolean)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime]


class AuditEvent(Base):
    """Append-only, hash-chained record of everything that happened.

    No foreign keys: events must outlive what they describe (a deleted draft's history stays).
    `chain` is one chain per nomination / dossier / plan / user (e.g. "n:42"); `seq` counts
    within it; `hash` covers the content and `prev_hash`.
    """
    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    chain: Mapped[str] = mapped_column(String(100))  # "auth:<username>" fits an 80-character name
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(40))
    org_id: Mapped[int | None] = mapped_column(Integer)
    on_behalf_of: Mapped[str | None] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(20))  # nomination | dossier | plan | user | ...
    entity_id: Mapped[int | None] = mapped_column(BigId)
    nomination_id: Mapped[int | None] = mapped_column(BigId)
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[dict | None] = mapped_column(JSON)
    request_id: Mapped[str | None] = mapped_column(String(64))
    client_ip: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    __table_args__ = (
        UniqueConstraint("chain", "seq", name="uq_audit_chain_seq"),
        Index("ix_audit_nomination", "nomination_id", "id"),
        Index("ix_audit_actor", "actor", "id"),
        Index("ix_audit_action", "action", "id"),
        Index("ix_audit_org", "org_id", "id"),
        Index("ix_audit_at", "at"),
        Index("ix_audit_actor_at", "actor", "at"),
        Index("ix_audit_to_state", "to_state", "id"),
        Index("ix_audit_from_state", "from_state", "id"),
    )


class Deadline(Base):
    """A pending time limit: one row per step entered, swept by the scheduler.

    `version` is the nomination version that created it; once the nomination moves on the
    row is stale and the sweep retires it. `stage` advances remind → escalate1 → escalate2 →
    done by compare-and-set, so a stage fires once however many sweeps race.
    """
    __tablename__ = "deadlines"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subject: Mapped[str] = mapped_column(String(20), default="nomination")  # nomination | obligation
    subject_id: Mapped[int] = mapped_column(BigId)
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20))
    due_at: Mapped[datetime]
    remind_at: Mapped[datetime | None]
    stage: Mapped[str] = mapped_column(String(20))
    next_at: Mapped[datetime | None]
    fired_at: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    claimed_until: Mapped[datetime | None]
    __table_args__ = (
        Index("ix_deadlines_next", "next_at", postgresql_where=text("next_at IS NOT NULL"),
              sqlite_where=text("next_at IS NOT NULL")),
        Index("ix_deadlines_subject", "subject", "subject_id"),
    )


class OutboxMessage(Base):
    """E-mail written in the same transaction as its cause; sent later, at least once."""
    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    dedup_key: Mapped[str] = mapped_column(String(200), unique=True)
    recipient: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(index=True)
    last_error: Mapped[str | None] = mapped_column(Text)


class Notification(Base):
    """In-app notice for a user (or every user of a role at an org)."""
    __tablename__ = "notifications"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    dedup_key: Mapped[str] = mapped_column(String(200), unique=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    role: Mapped[str | None] = mapped_column(String(40))
    nomination_id: Mapped[int | None] = mapped_column(BigId, index=True)
    kind: Mapped[str] = mapped_column(String(30))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]


class CalendarOverride(Base):
    """A day off or a make-up working day declared by the Government for civil servants."""
    __tablename__ = "calendar_overrides"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    working: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(String(300))


class SchedulerLease(Base):
    """Which scheduler process may sweep; only one at a time."""
    __tablename__ = "scheduler_lease"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(120))
    expires_at: Mapped[datetime | None]
    last_sweep_at: Mapped[datetime | None]
    last_sweep: Mapped[dict | None] = mapped_column(JSON)


class DossierNomination(Base):
    """Which nominations a dossier carried; kept when they move on to an outgoing dossier."""
    __tablename__ = "dossier_nominations"
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id", ondelete="CASCADE"),
                                               primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    added_at: Mapped[datetime]


class Attachment(Base):
    """A document attached to a dossier, a nomination or an obligation (tờ trình, biên bản...)."""
    __tablename__ = "attachments"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    owner_type: Mapped[str] = mapped_column(String(20))  # dossier | nomination | obligation
    owner_id: Mapped[int] = mapped_column(BigId)
    doc_type: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime]
    __table_args__ = (Index("ix_attachments_owner", "owner_type", "owner_id"),)


class Obligation(Base):
    """What a plan requires of a participating unit by a `report` milestone (báo cáo)."""
    __tablename__ = "obligations"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("plan_milestones.id", ondelete="CASCADE"))
    org_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), default="pending")
    version: Mapped[int] = mapped_column(Integer, default=1)
    due_at: Mapped[datetime]
    report_text: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    reason: Mapped[str | None] = mapped_column(Text)
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    audit_head: Mapped[str | None] = mapped_column(String(64))
    audit_seq: Mapped[int] = mapped_column(Integer, default=0)
    __table_args__ = (UniqueConstraint("milestone_id", "org_id", name="uq_obligation_unit"),)
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}


class AuditCheckpoint(Base):
    """A signed snapshot of every chain's head: detects a chain cut back at its tail."""
    __tablename__ = "audit_checkpoints"
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime]
    last_event_id: Mapped[int] = mapped_column(BigId)
    events_count: Mapped[int] = mapped_column(BigId)
    heads: Mapped[dict] = mapped_column(JSON)   # {chain: [seq, hash]}
    digest: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(128))


class LoginAttempt(Base):
    """Failed logins per username and client, for rate limiting (audit keeps the record)."""
    __tablename__ = "login_attempts"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    username: Mapped[str] = mapped_column(String(80))
    client_ip: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime]
    __table_args__ = (Index("ix_login_attempts_user_at", "username", "at"),)
