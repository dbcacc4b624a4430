"""The data model, one module per aggregate."""

from app.models.account import AccountSession, PasswordReset, RecoveryCode
from app.models.agenda import AgendaItem, AgendaItemSpeaker, Speaker
from app.models.audit import AuditEntry
from app.models.contact import Contact, ContactSource, SuppressedAddress
from app.models.content_version import ContentVersion
from app.models.event import (
    HELD_STATUSES,
    MAX_REMINDER_DAYS,
    PUBLIC_STATUSES,
    Event,
    EventKind,
    EventStatus,
    event_organiser,
)
from app.models.import_batch import ImportBatch, ImportPurpose
from app.models.invitation import (
    UNANSWERED_STATUSES,
    Invitation,
    InvitationHistory,
    InvitationStatus,
    InvitationStep,
)
from app.models.outbox import OutboxAttachment, OutboxMessage, OutboxStatus
from app.models.parallel_session import ChoiceStatus, ParallelSession, SessionChoice, SessionSlot
from app.models.question import (
    CHOICE_KINDS,
    CONDITION_KINDS,
    FormAnswer,
    FormQuestion,
    FormQuestionKind,
    FormQuestionOption,
)
from app.models.region import CollaborationStep, Region, RegionStepRecord
from app.models.registration import (
    ACTIVE_STATUSES,
    SEATED_STATUSES,
    Registration,
    RegistrationStatus,
    Sector,
)
from app.models.setting import Setting
from app.models.survey import (
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyLink,
    SurveyOption,
    SurveyQuestion,
    SurveyRespondent,
    SurveyResponse,
)
from app.models.user import Role, User
from app.models.visit_request import (
    OPEN_VISIT_STATUSES,
    RegionContact,
    VisitNote,
    VisitNoteKind,
    VisitOrigin,
    VisitRequest,
    VisitStatus,
)

__all__ = [
    "CHOICE_KINDS",
    "CONDITION_KINDS",
    "FormAnswer",
    "FormQuestion",
    "FormQuestionKind",
    "FormQuestionOption",
    "AccountSession",
    "PasswordReset",
    "RecoveryCode",
    "Setting",
    "ACTIVE_STATUSES",
    "OPEN_VISIT_STATUSES",
    "AgendaItem",
    "AgendaItemSpeaker",
    "AuditEntry",
    "HELD_STATUSES",
    "MAX_REMINDER_DAYS",
    "PUBLIC_STATUSES",
    "QuestionKind",
    "SEATED_STATUSES",
    "UNANSWERED_STATUSES",
    "CollaborationStep",
    "Contact",
    "ContactSource",
    "ContentVersion",
    "Event",
    "EventKind",
    "EventStatus",
    "ImportBatch",
    "ImportPurpose",
    "Invitation",
    "InvitationHistory",
    "InvitationStatus",
    "InvitationStep",
    "OutboxAttachment",
    "OutboxMessage",
    "OutboxStatus",
    "Region",
    "RegionContact",
    "RegionStepRecord",
    "Registration",
    "RegistrationStatus",
    "Role",
    "Sector",
    "Speaker",
    "SuppressedAddress",
    "Survey",
    "SurveyAnswer",
    "SurveyLink",
    "SurveyOption",
    "SurveyQuestion",
    "SurveyRespondent",
    "SurveyResponse",
    "User",
    "VisitNote",
    "VisitNoteKind",
    "VisitOrigin",
    "VisitRequest",
    "VisitStatus",
    "event_organiser",
    # parallel sessions (issue 16)
    "ChoiceStatus",
    "ParallelSession",
    "SessionChoice",
    "SessionSlot",
]
