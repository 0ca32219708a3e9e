"""Tables of the domain (DESIGN.md §2), one module per aggregate; all re-exported here so
that `Base.metadata` knows every table and `from workflow.models import X` keeps working."""
from workflow.models.audit import AuditCheckpoint, AuditEvent
from workflow.models.base import Base, BigId, UTCDateTime
from workflow.models.calendar import CalendarOverride
from workflow.models.catalogue import AwardType, AwardTypeVersion
from workflow.models.comments import Comment, Delegation
from workflow.models.deadlines import Deadline
from workflow.models.decisions import Decision
from workflow.models.documents import PaperSettings, SignedPaper, TrustRoot
from workflow.models.dossiers import Attachment, Dossier, DossierNomination
from workflow.models.nominations import CouncilVote, Nomination, Posting
from workflow.models.notices import Notification, OutboxMessage
from workflow.models.orgs import Council, CouncilMember, OrgName, OrgUnit
from workflow.models.people import EligibilitySetting, Person, PersonDiscipline, PersonRating, PersonRecord
from workflow.models.plans import Obligation, Plan, PlanMilestone, PlanUnit
from workflow.models.scheduler import SchedulerLease
from workflow.models.users import ApiToken, LoginAttempt, LoginSession, LoginThrottle, User, UserDigest

__all__ = [
    "ApiToken",
    "Attachment",
    "AuditCheckpoint",
    "AuditEvent",
    "AwardType",
    "AwardTypeVersion",
    "Base",
    "BigId",
    "CalendarOverride",
    "Comment",
    "Council",
    "CouncilMember",
    "CouncilVote",
    "Deadline",
    "Delegation",
    "Decision",
    "Dossier",
    "DossierNomination",
    "EligibilitySetting",
    "LoginAttempt",
    "LoginSession",
    "LoginThrottle",
    "Nomination",
    "Notification",
    "Obligation",
    "OrgName",
    "OrgUnit",
    "OutboxMessage",
    "PaperSettings",
    "Person",
    "PersonDiscipline",
    "PersonRating",
    "PersonRecord",
    "Plan",
    "PlanMilestone",
    "PlanUnit",
    "Posting",
    "SchedulerLease",
    "SignedPaper",
    "TrustRoot",
    "UTCDateTime",
    "User",
    "UserDigest",
]
