"""The data model, one module per aggregate."""

from app.models.agenda import AgendaItem, AgendaItemSpeaker, Speaker
from app.models.event import PUBLIC_STATUSES, Event, EventKind, EventStatus, event_organiser
from app.models.region import CollaborationStep, Region, RegionStepRecord
from app.models.user import Role, User

__all__ = [
    "AgendaItem",
    "AgendaItemSpeaker",
    "PUBLIC_STATUSES",
    "CollaborationStep",
    "Event",
    "EventKind",
    "EventStatus",
    "Region",
    "RegionStepRecord",
    "Role",
    "Speaker",
    "User",
    "event_organiser",
]
