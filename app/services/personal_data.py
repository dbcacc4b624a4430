"""Participants' personal data: a copy for them, erasure on request, and erasure after
the retention period. Erasing keeps what the reports count (status, sector,
municipality), so every aggregate figure stays correct; it removes who the person was."""

from dataclasses import dataclass, field
from datetime import datetime

from dateutil.relativedelta import relativedelta
from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Event, Invitation, OutboxMessage, Registration, User
from app.models.tokens import new_token
from app.models.types import utcnow
from app.services import audit, contacts, registrations
from app.services.users import normalise_email

ERASED_DOMAIN = "erased.invalid"


def export(registration: Registration) -> dict:
    """Everything kept about the person behind this registration, as JSON-ready data.

    Mail from before the registration was last made is left out: a cancelled registration
    taken up again may be someone else's doing, who should not learn of the earlier one.
    """
    event = registration.event
    messages = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.registration_id == registration.id,
               OutboxMessage.created_at >= registration.created_at)
        .order_by(OutboxMessage.created_at)
    )
    return {
        "registration": {
            "name": registration.name,
            "email": registration.email,
            "organisation": registration.organisation,
            "sector": registration.sector.value,
            "municipality": registration.municipality,
            "dietary_needs": registration.dietary_needs,
            "accessibility_needs": registration.accessibility_needs,
            "status": registration.status.value,
            "language": registration.locale,
            "consent_at": registration.consent_at.isoformat(),
            "privacy_notice_version": registration.privacy_notice_version,
            "registered_at": registration.created_at.isoformat(),
            "checked_in_at": registration.checked_in_at.isoformat() if registration.checked_in_at else None,
            "cancelled_at": registration.cancelled_at.isoformat() if registration.cancelled_at else None,
        },
        "event": {
            "title": event.title,
            "starts_at": event.starts_at.isoformat(),
            "ends_at": event.ends_at.isoformat(),
            "retention_months": event.retention_months,
        },
        "emails": [
            {"subject": m.subject, "to": m.recipient, "created_at": m.created_at.isoformat(), "status": m.status.value}
            for m in messages
        ],
    }


def _anonymise(registration: Registration) -> None:
    """Remove who the person was; keep what is counted. Their mail and invitation go too."""
    db.session.execute(delete(Invitation).where(
        Invitation.event_id == registration.event_id, Invitation.email == registration.email,
    ))
    registration.name = ""
    registration.email = f"erased-{registration.id}@{ERASED_DOMAIN}"
    registration.organisation = ""
    registration.dietary_needs = ""
    registration.accessibility_needs = ""
    registration.manage_token = new_token()  # the old link opens nothing
    registration.erased_at = utcnow()
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.registration_id == registration.id))


def erase(registration: Registration, *, by: User | None, reason: str) -> None:
    """Erase one registration's personal data; a seat it held passes on. Logged without the data."""
    if registration.erased_at is not None:
        return
    if not registration.event.has_ended:
        registrations.withdraw(registration)
    _anonymise(registration)
    audit.record(by, "registration.erased", event=registration.event, registration=registration.id, reason=reason)
    db.session.commit()


def registrations_of(email: str) -> list[Registration]:
    """Every registration an address has, across all events."""
    address = normalise_email(email)
    return list(
        db.session.scalars(
            select(Registration)
            .options(selectinload(Registration.event))
            .where(Registration.email == address, Registration.erased_at.is_(None))
            .order_by(Registration.created_at)
        )
    )


def erase_person(email: str, *, by: User) -> int:
    """An admin erases a person by email across all events; returns how many registrations.

    Their invitations and address-book entry go too (an unsubscribed address keeps only
    itself, so that it is never invited again).
    """
    found = registrations_of(email)
    for registration in found:
        erase(registration, by=by, reason="admin")
    address = normalise_email(email)
    db.session.execute(delete(Invitation).where(Invitation.email == address))
    contacts.forget(address)
    db.session.commit()
    return len(found)


@dataclass
class PurgeReport:
    registrations: int = 0
    messages: int = 0
    events: list[int] = field(default_factory=list)


def retention_ended(event: Event, now: datetime) -> bool:
    return event.ends_at + relativedelta(months=event.retention_months) <= now


def purge_expired(*, now: datetime | None = None, dry_run: bool = False) -> PurgeReport:
    """Erase the personal data of events whose retention period has passed.

    Safe to run again and again: erased registrations are skipped. `dry_run` counts
    what would go and changes nothing.
    """
    now = now or utcnow()
    report = PurgeReport()
    ended = db.session.scalars(select(Event).where(Event.ends_at < now).order_by(Event.ends_at))
    for event in ended:
        if not retention_ended(event, now):
            continue
        kept = list(db.session.scalars(
            select(Registration).where(Registration.event_id == event.id, Registration.erased_at.is_(None))
        ))
        messages = db.session.scalars(
            select(OutboxMessage.id).where(OutboxMessage.event_id == event.id)
        ).all()
        invited = db.session.scalars(select(Invitation.id).where(Invitation.event_id == event.id)).all()
        if not kept and not messages and not invited:
            continue
        report.events.append(event.id)
        report.registrations += len(kept)
        report.messages += len(messages)
        if dry_run:
            continue
        for registration in kept:
            _anonymise(registration)
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.event_id == event.id))
        db.session.execute(delete(Invitation).where(Invitation.event_id == event.id))
        audit.record(None, "event.personal_data_purged", event=event, registrations=len(kept))
        db.session.commit()
    return report
