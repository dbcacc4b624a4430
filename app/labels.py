"""Translated names for the values of the domain's enums."""

from flask_babel import lazy_gettext as _l

from app.models import EventKind, EventStatus, OutboxStatus, Role

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

MAIL_STATUS_LABELS = {
    OutboxStatus.QUEUED: _l("Queued"),
    OutboxStatus.SENDING: _l("Sending"),
    OutboxStatus.SENT: _l("Sent"),
    OutboxStatus.FAILED: _l("Failed"),
    OutboxStatus.KEPT: _l("Kept, not sent (no mail server)"),
}
