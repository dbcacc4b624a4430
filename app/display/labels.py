"""Translated names for the values of the domain's enums."""

from collections.abc import Callable
from enum import Enum

from flask_babel import get_locale, lazy_pgettext
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from app.models import (
    ContactSource,
    EventKind,
    EventStatus,
    InvitationStatus,
    InvitationStep,
    OutboxStatus,
    QuestionKind,
    RegistrationStatus,
    Role,
    Sector,
    VisitNoteKind,
    VisitOrigin,
    VisitStatus,
)


def choices_of(labels: dict[Enum, LazyString]) -> Callable[[], list[tuple[str, str]]]:
    """A select's (value, label) pairs from an enum's labels, in the visitor's language.

    Translated once per language and process rather than each time a form is made: each
    lazy label costs Flask-Babel's whole lookup (about 12 µs), and forms on public pages
    list eight or nine of them.
    """
    translated: dict[str, tuple[tuple[str, str], ...]] = {}

    def choices() -> list[tuple[str, str]]:
        language = str(get_locale())
        pairs = translated.get(language)
        if pairs is None:
            pairs = translated[language] = tuple((value.value, str(label)) for value, label in labels.items())
        return list(pairs)

    return choices


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
    # "Cancelled" is "Inställt" for an event and "Avanmäld" for a registration.
    EventStatus.CANCELLED: lazy_pgettext("event", "Cancelled"),
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
    RegistrationStatus.CANCELLED: lazy_pgettext("registration", "Cancelled"),
    RegistrationStatus.ATTENDED: _l("Attended"),
}


kind_choices = choices_of(KIND_LABELS)


sector_choices = choices_of(SECTOR_LABELS)


MAIL_STATUS_LABELS = {
    OutboxStatus.QUEUED: _l("Queued"),
    OutboxStatus.SENDING: _l("Sending"),
    OutboxStatus.SENT: _l("Sent"),
    OutboxStatus.FAILED: _l("Failed"),
    OutboxStatus.KEPT: _l("Kept, not sent (no mail server)"),
}


registration_status_choices = choices_of(REGISTRATION_STATUS_LABELS)


AUDIT_LABELS = {
    "event.created": _l("Created the event"),
    "event.changed": _l("Changed the event"),
    "event.published": _l("Published the event"),
    "event.cancelled": _l("Cancelled the event"),
    "event.completed": _l("Marked the event as completed"),
    "event.deleted": _l("Deleted the draft"),
    "event.personal_data_purged": _l("Erased participants' personal data after the retention period"),
    "registration.erased": _l("Erased a registration's personal data"),
    "person.erased": _l("Erased everything kept about a person"),
    "person.exported": _l("Downloaded everything kept about a person"),
    "registration.confirmed": _l("Confirmed a registration"),
    "registration.waitlisted": _l("Moved a registration to the waiting list"),
    "registration.cancelled": _l("Cancelled a registration"),
    "registration.checked_in": _l("Checked a participant in"),
    "registration.check_in_undone": _l("Undid a check-in"),
    "participants.exported": _l("Exported the participant list"),
    "visit.requested": _l("A region asked for a visit"),
    "visit.proposed": _l("Proposed a visit to a region"),
    "visit.in_review": _l("Started reviewing the visit request"),
    "visit.assigned": _l("Assigned the visit request"),
    "visit.noted": _l("Added an internal note to the visit request"),
    "visit.answered": _l("Answered the requester"),
    "visit.accepted": _l("Accepted the visit request"),
    "visit.declined": _l("Declined the visit request"),
    "visit.reopened": _l("Reopened the visit request"),
    "visit.scheduled": _l("The visit is scheduled: its event is published"),
    "visit.contact_accepted": _l("The region's contact accepted the proposal"),
    "visit.contact_declined": _l("The region's contact declined the proposal"),
    "visit.contact_suggested": _l("The region's contact suggested another period"),
    "visit.personal_data_purged": _l("Erased the contact's details after the retention period"),
    "region.contact_added": _l("Added a region contact"),
    "region.contact_changed": _l("Changed a region contact"),
    "region.contact_removed": _l("Removed a region contact"),
    "account.created": _l("Created an account"),
    "account.changed": _l("Changed an account"),
    "account.password_changed": _l("Changed their password"),
    "account.password_reset_requested": _l("A link to choose a new password was mailed"),
    "account.password_reset": _l("Chose a new password through the mailed link"),
    "account.session_ended": _l("Logged out one of their devices"),
    "account.sessions_ended": _l("Logged an account out everywhere"),
    "account.two_factor_enabled": _l("Set up a second factor"),
    "account.two_factor_disabled": _l("Turned their second factor off"),
    "account.two_factor_reset": _l("Reset an account's second factor"),
    "account.recovery_codes_renewed": _l("Made new recovery codes"),
    "account.recovery_code_used": _l("Logged in with a recovery code"),
    "settings.two_factor_required": _l("Changed whether a second factor is required"),
    "survey.created": _l("Created the feedback survey"),
    "survey.changed": _l("Changed the feedback survey's settings"),
    "survey.question_added": _l("Added a survey question"),
    "survey.question_changed": _l("Changed a survey question"),
    "survey.question_removed": _l("Removed a survey question"),
    "survey.question_moved": _l("Moved a survey question"),
    "feedback.exported": _l("Downloaded the feedback answers (CSV)"),
    "invitations.sent": _l("Sent invitations"),
    "invitations.resent": _l("Sent an invitation again"),
    "invitations.revoked": _l("Revoked an invitation"),
    "invitations.reminded": _l("Sent reminders to invitees"),
    "contacts.added_from_event": _l("Added participants to the address book"),
    "contacts.imported": _l("Imported contacts to the address book"),
    "contacts.deleted": _l("Deleted a contact"),
    "question.added": _l("Added a registration question"),
    "question.changed": _l("Changed a registration question"),
    "question.moved": _l("Moved a registration question"),
    "question.archived": _l("Removed a registration question (its answers are kept)"),
    "question.from_field": _l("Made a registration question of a fixed field"),
    "session.slot_saved": _l("Saved a slot of parallel sessions"),
    "session.slot_deleted": _l("Removed a slot of parallel sessions"),
    "session.moved": _l("Moved a participant to a session"),
    "session.left": _l("Took a participant out of a session"),
    "sessions.exported": _l("Exported the session lists"),
}

QUESTION_KIND_LABELS = {
    QuestionKind.RATING: _l("Rating from 1 to 5"),
    QuestionKind.SINGLE_CHOICE: _l("Single choice"),
    QuestionKind.MULTIPLE_CHOICE: _l("Multiple choice"),
    QuestionKind.YES_NO: _l("Yes or no"),
    QuestionKind.FREE_TEXT: _l("Free text"),
}


question_kind_choices = choices_of(QUESTION_KIND_LABELS)


INVITATION_STATUS_LABELS = {
    InvitationStatus.SENT: _l("Sent, not opened"),
    InvitationStatus.OPENED: _l("Opened"),
    InvitationStatus.REGISTERED: _l("Registered"),
    InvitationStatus.DECLINED: _l("Declined"),
    InvitationStatus.BOUNCED: _l("Bounced"),
    InvitationStatus.REVOKED: _l("Revoked"),
}

INVITATION_STEP_LABELS = {
    InvitationStep.SENT: _l("Invitation sent"),
    InvitationStep.RESENT: _l("Sent again"),
    InvitationStep.REMINDED: _l("Reminded"),
    InvitationStep.OPENED: _l("Opened"),
    InvitationStep.REGISTERED: _l("Registered"),
    InvitationStep.DECLINED: _l("Declined"),
    InvitationStep.BOUNCED: _l("Bounced"),
    InvitationStep.REVOKED: _l("Revoked"),
}

CONTACT_SOURCE_LABELS = {
    ContactSource.MANUAL: _l("Added by hand"),
    ContactSource.IMPORT: _l("Imported"),
    ContactSource.REGISTRATION: _l("From a registration"),
    ContactSource.INVITATION: _l("Invited by address"),
}


invitation_status_choices = choices_of(INVITATION_STATUS_LABELS)


EVENT_FIELD_LABELS = {
    "kind": _l("Kind of event"),
    "title": _l("Title"),
    "description": _l("Description"),
    "region": _l("Region"),
    "venue_name": _l("Venue"),
    "venue_address": _l("Street address"),
    "venue_city": _l("City"),
    "online_url": _l("Online link"),
    "online_url_private": _l("Online link only for participants"),
    "certificate_with_survey": _l("Certificate with the survey"),
    "contact_name": _l("Contact person"),
    "contact_email": _l("Contact's email address"),
    "contact_phone": _l("Contact's phone"),
    "starts_at": _l("Starts"),
    "ends_at": _l("Ends"),
    "capacity": _l("Capacity"),
    "registration_opens_at": _l("Registration opens"),
    "registration_closes_at": _l("Registration closes"),
    "invitation_only": _l("Invitation only"),
    "organisers": _l("Organisers"),
    "survey_anonymous": _l("Anonymous or named answers"),
    "survey_opens_at": _l("Survey opens"),
    "survey_closes_at": _l("Survey closes"),
    "survey_reminder_days": _l("Survey reminder"),
}


VISIT_STATUS_LABELS = {
    VisitStatus.PROPOSED: _l("Proposed, waiting for the region"),
    VisitStatus.NEW: _l("New"),
    VisitStatus.IN_REVIEW: _l("In review"),
    VisitStatus.ACCEPTED: _l("Accepted"),
    VisitStatus.DECLINED: _l("Declined"),
    VisitStatus.SCHEDULED: _l("Scheduled"),
}

VISIT_ORIGIN_LABELS = {
    VisitOrigin.REQUEST: _l("Request from the region"),
    VisitOrigin.PROPOSAL: _l("Our proposal"),
}

VISIT_NOTE_LABELS = {
    VisitNoteKind.ANSWER: _l("Answer to the requester"),
    VisitNoteKind.INTERNAL: _l("Internal note"),
    VisitNoteKind.REPLY: _l("Reply from the region"),
}


visit_status_choices = choices_of(VISIT_STATUS_LABELS)
