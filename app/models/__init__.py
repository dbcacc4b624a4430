"""The data model, one module per aggregate."""

from app.models.audit import AuditEntry
from app.models.event import PUBLIC_STATUSES, Event, EventKind, EventStatus, event_organiser
from app.models.region import CollaborationStep, Region, RegionStepRecord
from app.models.user import Role, User

__all__ = [
    "AuditEntry",
    "PUBLIC_STATUSES",
    "CollaborationStep",
    "Event",
    "EventKind",
    "EventStatus",
    "Region",
    "RegionStepRecord",
    "Role",
    "User",
    "event_organiser",
]
