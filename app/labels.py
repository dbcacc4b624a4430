"""Translated names for the values of the domain's enums."""

from flask_babel import lazy_gettext as _l

from app.models import EventKind, EventStatus, OutboxStatus, RegistrationStatus, Role, Sector

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


SECTOR_LABELS = {
    Sector.MUNICIPALITY: _l("Municipality"),
    Sector.ADULT_EDUCATION: _l("Adult education"),
    Sector.PUBLIC_EMPLOYMENT_SERVICE: _l("The Public Employment Service"),
    Sector.EMPLOYER: _l("Employer or industry"),
    Sector.POLITICIAN: _l("Elected representative"),
    Sector.EDUCATION_PROVIDER: _l("Education provider"),
    Sector.REGION: _l("Region"),
    Sector.OTHER: _l("Other"),
}

REGISTRATION_STATUS_LABELS = {
    RegistrationStatus.CONFIRMED: _l("Confirmed"),
    RegistrationStatus.WAITLISTED: _l("On the waiting list"),
    RegistrationStatus.CANCELLED: _l("Cancelled"),
    RegistrationStatus.ATTENDED: _l("Attended"),
}


def kind_choices() -> list[tuple[str, str]]:
    return [(kind.value, str(label)) for kind, label in KIND_LABELS.items()]


def sector_choices() -> list[tuple[str, str]]:
    return [(sector.value, str(label)) for sector, label in SECTOR_LABELS.items()]

MAIL_STATUS_LABELS = {
    OutboxStatus.QUEUED: _l("Queued"),
    OutboxStatus.SENDING: _l("Sending"),
    OutboxStatus.SENT: _l("Sent"),
    OutboxStatus.FAILED: _l("Failed"),
    OutboxStatus.KEPT: _l("Kept, not sent (no mail server)"),
}


def registration_status_choices() -> list[tuple[str, str]]:
    return [(status.value, str(label)) for status, label in REGISTRATION_STATUS_LABELS.items()]

AUDIT_LABELS = {
    "event.created": _l("Created the event"),
    "event.changed": _l("Changed the event"),
    "event.published": _l("Published the event"),
    "event.cancelled": _l("Cancelled the event"),
    "event.completed": _l("Marked the event as completed"),
    "event.deleted": _l("Deleted the draft"),
    "event.personal_data_purged": _l("Erased participants' personal data after the retention period"),
    "registration.erased": _l("Erased a registration's personal data"),
    "registration.confirmed": _l("Confirmed a registration"),
    "registration.waitlisted": _l("Moved a registration to the waiting list"),
    "registration.cancelled": _l("Cancelled a registration"),
    "registration.checked_in": _l("Checked a participant in"),
    "registration.check_in_undone": _l("Undid a check-in"),
    "participants.exported": _l("Exported the participant list"),
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
