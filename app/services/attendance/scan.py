"""Checking a person in by the code in their badge's QR code."""

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select

from app.extensions import db
from app.models import Event, Registration, RegistrationStatus, User
from app.models.tokens import looks_like_token
from app.services import registrations


class ScanOutcome(StrEnum):
    CHECKED_IN = "checked_in"
    ALREADY_CHECKED_IN = "already_checked_in"
    READY = "ready"  # found and may be checked in (a look-up, nothing changed)
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    OTHER_EVENT = "other_event"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class ScanResult:
    outcome: ScanOutcome
    # The person, for every outcome about this event's registration; never one of another
    # event (the organiser may not manage it, so not even its name is told).
    registration: Registration | None = None


def find_by_code(event: Event, code: str) -> ScanResult:
    """What checking this code in would do, changing nothing."""
    if not looks_like_token(code):
        return ScanResult(ScanOutcome.UNKNOWN)
    registration = db.session.scalar(select(Registration).where(Registration.checkin_code == code))
    if registration is None or registration.erased_at is not None:
        return ScanResult(ScanOutcome.UNKNOWN)
    if registration.event_id != event.id:
        return ScanResult(ScanOutcome.OTHER_EVENT)
    outcome = {
        RegistrationStatus.ATTENDED: ScanOutcome.ALREADY_CHECKED_IN,
        RegistrationStatus.CONFIRMED: ScanOutcome.READY,
        RegistrationStatus.WAITLISTED: ScanOutcome.WAITLISTED,
        RegistrationStatus.CANCELLED: ScanOutcome.CANCELLED,
    }[registration.status]
    return ScanResult(outcome, registration)


def check_in_by_code(event: Event, code: str, *, by: User) -> ScanResult:
    """Check in the confirmed person whose badge holds `code`; anyone else is only reported.

    A person on the waiting list or cancelled is not let in by a scan: their seat is not
    theirs, so the organiser decides in the participant list."""
    found = find_by_code(event, code)
    if found.outcome != ScanOutcome.READY:
        return found
    registrations.check_in(found.registration, True, by=by)
    return ScanResult(ScanOutcome.CHECKED_IN, found.registration)


def person_at(event: Event, registration_id: int | None) -> Registration | None:
    """The registration with this id when it is this event's; else None."""
    if registration_id is None:
        return None
    registration = db.session.get(Registration, registration_id)
    return registration if registration is not None and registration.event_id == event.id else None
