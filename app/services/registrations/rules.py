"""What a registration holds, and when registering or changing it is possible."""

import re
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from app.display.formatting import short_datetime
from app.models import Event, EventStatus, InvitationStatus, Registration, RegistrationStatus, Sector
from app.models.types import utcnow
from app.services import ValidationError
from app.services.questions import CheckedAnswers
from app.services.text import normalise_email

# Longest text each field keeps; longer input is refused, never cut silently.
LIMITS = {
    "name": 120,
    "email": 254,
    "organisation": 200,
    "municipality": 100,
    "dietary_needs": 500,
    "accessibility_needs": 500,
}


# Names and the like go into mail headers and CSV rows: no line breaks or control characters.
SINGLE_LINE = ("name", "organisation", "municipality")


CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


@dataclass
class RegistrationDetails:
    """What a person fills in to register, or to change their registration."""

    name: str
    email: str
    sector: str
    organisation: str = ""
    municipality: str = ""
    dietary_needs: str = ""
    accessibility_needs: str = ""
    consent: bool = False
    # "Keep me informed about future events": may join the address book.
    keep_informed: bool = False
    # The answers to the event's own questions, checked by
    # services.questions.check_answers; None when the caller asks none (they stay as they are).
    answers: CheckedAnswers | None = None


class RegistrationClosed(Exception):
    """Registration is not possible now; `str(error)` says why, translated."""


def problems_with(details: RegistrationDetails, *, new: bool) -> dict[str, str]:
    """The rules a registration must keep, as translated messages by field name."""
    problems: dict[str, str] = {}
    if not details.name.strip():
        problems["name"] = _("Enter your name.")
    if new:
        try:
            normalise_email(details.email)
        except ValidationError as error:
            problems.update(error.problems)
    if details.sector not in {sector.value for sector in Sector}:
        problems["sector"] = _("Choose the sector you work in.")
    for name in SINGLE_LINE:
        if CONTROL_CHARACTERS.search(getattr(details, name) or ""):
            problems[name] = _("Write it on one line, without special characters.")
    for name, limit in LIMITS.items():
        if len((getattr(details, name) or "").strip()) > limit:
            problems[name] = _("At most %(n)d characters.", n=limit)
    if details.answers is not None:
        problems.update(details.answers.problems)
    if new and not details.consent:
        problems["consent"] = _("You need to agree to the privacy notice to register.")
    return problems


def closed_reason(event: Event, *, invitation=None, now: datetime | None = None) -> str | None:
    """Why nobody can register for the event right now, or None when registration is open.

    `invitation` is the invitation a person came through; invitation-only events accept
    registrations only with one.
    """
    now = now or utcnow()
    if invitation is not None and (invitation.event_id != event.id or invitation.status == InvitationStatus.REVOKED):
        return _("This invitation is no longer valid.")
    if event.status == EventStatus.CANCELLED:
        return _("The event is cancelled.")
    if event.status != EventStatus.PUBLISHED:
        return _("Registration is not open for this event.")
    if event.starts_at <= now or (event.registration_closes_at and event.registration_closes_at <= now):
        return _("Registration has closed.")
    if event.registration_opens_at and event.registration_opens_at > now:
        return _("Registration opens %(when)s.", when=short_datetime(event.registration_opens_at))
    if event.invitation_only and invitation is None:
        return _("This event is by invitation only. Register through the link in your invitation.")
    return None


def apply(registration: Registration, details: RegistrationDetails) -> None:
    registration.name = details.name.strip()
    registration.sector = Sector(details.sector)
    registration.organisation = details.organisation.strip()
    registration.municipality = details.municipality.strip()
    registration.dietary_needs = details.dietary_needs.strip()
    registration.accessibility_needs = details.accessibility_needs.strip()


def ask_to_keep_informed(registration: Registration, asked: bool, *, confirmed: bool) -> None:
    """Record "keep me informed". Through a public form anyone may type anyone's address, so
    it counts only once the mailbox's owner confirms it from the link mailed to them; through
    their own invitation link (or their registration's), the person has just proved it."""
    now = utcnow()
    registration.keep_informed_at = now if asked else None
    registration.keep_informed_confirmed_at = now if asked and confirmed else None


def change_refused_reason(registration: Registration) -> str | None:
    """Why the participant can no longer change or cancel the registration, or None."""
    if registration.status == RegistrationStatus.CANCELLED:
        return _("This registration is cancelled.")
    if registration.event.status == EventStatus.CANCELLED:
        return _("The event is cancelled.")
    if registration.event.starts_at <= utcnow():
        return _("The event has started, so the registration can no longer be changed.")
    return None
