"""Translated names for the values of the domain's enums."""

from flask_babel import lazy_gettext as _l

from app.models import EventKind, EventStatus, Role

KIND_LABELS = {
    EventKind.INSPIRATION_DAY: _l("Inspiration day"),
    EventKind.WORKSHOP: _l("Workshop"),
    EventKind.REGIONAL_CONFERENCE: _l("Regional conference"),
    EventKind.NATIONAL_CONFERENCE: _l("National conference"),
    EventKind.WEBINAR: _l("Webinar"),
}

STATUS_LABELS = {
    EventStatus.DRAFT: _l("Draft"),
    EventStatus.PUBLISHED: _l("Published"),
    EventStatus.CANCELLED: _l("Cancelled"),
    EventStatus.COMPLETED: _l("Completed"),
}

ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.ORGANISER: _l("Organiser"),
}


def kind_choices() -> list[tuple[str, str]]:
    return [(kind.value, str(label)) for kind, label in KIND_LABELS.items()]

AUDIT_LABELS = {
    "event.created": _l("Created the event"),
    "event.changed": _l("Changed the event"),
    "event.published": _l("Published the event"),
    "event.cancelled": _l("Cancelled the event"),
    "event.completed": _l("Marked the event as completed"),
    "event.deleted": _l("Deleted the draft"),
}

EVENT_FIELD_LABELS = {
    "kind": _l("Kind of event"),
    "title": _l("Title"),
    "description": _l("Description"),
    "region": _l("Region"),
    "venue_name": _l("Venue"),
    "venue_address": _l("Street address"),
    "venue_city": _l("City"),
    "online_url": _l("Online link"),
    "starts_at": _l("Starts"),
    "ends_at": _l("Ends"),
    "capacity": _l("Capacity"),
    "registration_opens_at": _l("Registration opens"),
    "registration_closes_at": _l("Registration closes"),
    "invitation_only": _l("Invitation only"),
    "organisers": _l("Organisers"),
}
