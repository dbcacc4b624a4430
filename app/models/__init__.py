"""The data model, one module per aggregate."""

from app.models.agenda import AgendaItem, AgendaItemSpeaker, Speaker
from app.models.audit import AuditEntry
from app.models.event import PUBLIC_STATUSES, Event, EventKind, EventStatus, event_organiser
from app.models.outbox import OutboxAttachment, OutboxMessage, OutboxStatus
from app.models.region import CollaborationStep, Region, RegionStepRecord
from app.models.registration import (
    ACTIVE_STATUSES,
    SEATED_STATUSES,
    Registration,
    RegistrationStatus,
    Sector,
)
from app.models.user import Role, User

__all__ = [
    "ACTIVE_STATUSES",
    "AgendaItem",
    "AgendaItemSpeaker",
    "AuditEntry",
    "PUBLIC_STATUSES",
    "SEATED_STATUSES",
    "CollaborationStep",
    "Event",
    "EventKind",
    "EventStatus",
    "OutboxAttachment",
    "OutboxMessage",
    "OutboxStatus",
    "Region",
    "RegionStepRecord",
    "Registration",
    "RegistrationStatus",
    "Role",
    "Sector",
    "Speaker",
    "User",
    "event_organiser",
]
