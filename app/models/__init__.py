"""The data model, one module per aggregate."""

from app.models.event import PUBLIC_STATUSES, Event, EventKind, EventStatus, event_organiser
from app.models.outbox import OutboxAttachment, OutboxMessage, OutboxStatus
from app.models.region import CollaborationStep, Region, RegionStepRecord
from app.models.user import Role, User

__all__ = [
    "PUBLIC_STATUSES",
    "CollaborationStep",
    "Event",
    "EventKind",
    "EventStatus",
    "OutboxAttachment",
    "OutboxMessage",
    "OutboxStatus",
    "Region",
    "RegionStepRecord",
    "Role",
    "User",
    "event_organiser",
]
