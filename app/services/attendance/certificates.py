"""Attendance certificates: who may have one, the PDFs, and verifying a printed code.

A certificate is for a person checked in at an event that has ended and was held (not
cancelled). It states the event's days and hours, the organisation, the event's contact as
signer, and the registration's certificate code, which /verify confirms for anyone holding
the paper; the code says nothing else and cannot be guessed."""

from dataclasses import dataclass
from datetime import datetime

from flask import current_app, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.display.timezones import LOCAL_TZ
from app.documents import CertificateData, certificates_pdf, normalise_code
from app.extensions import db
from app.models import HELD_STATUSES, Event, Registration, RegistrationStatus
from app.services import mail


def certificate_available(registration: Registration) -> bool:
    """Whether this person may download a certificate now."""
    event = registration.event
    return (
        registration.status == RegistrationStatus.ATTENDED
        and registration.erased_at is None
        and event.status in HELD_STATUSES
        and event.has_ended
    )


def _data(registration: Registration, event: Event) -> CertificateData:
    with mail.links_context():  # the printed link points at the public site, whoever asks
        verify_url = url_for("public.verify", _external=True)
    return CertificateData(
        participant_name=registration.name,
        participant_organisation=registration.organisation,
        event_title=event.title,
        event_kind=event.kind.value,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        venue_name=event.venue_name,
        venue_city=event.venue_city,
        online=event.is_online,
        agenda_spans=[(item.starts_at, item.ends_at) for item in event.agenda_items],
        organiser_name=current_app.config["ORGANISATION_NAME"],
        signer_name=event.contact_name,
        # The day the event ended: the same certificate whenever it is downloaded again.
        issued_on=event.ends_at.astimezone(LOCAL_TZ).date(),
        verification_code=registration.certificate_code,
        verify_url=verify_url,
    )


def participant_certificate(registration: Registration) -> bytes | None:
    """The person's certificate in their language; None when they may not have one."""
    if not certificate_available(registration):
        return None
    return certificates_pdf([_data(registration, registration.event)], locale=registration.locale)


def certificate_filename(registration: Registration) -> str:
    name = "deltagarintyg" if registration.locale == "sv" else "certificate-of-attendance"
    return f"{name}-{registration.event_id}.pdf"


def certificate_attachment(registration: Registration) -> mail.Attachment | None:
    """The certificate as a mail attachment (the survey mail's); None when there is none."""
    data = participant_certificate(registration)
    if data is None:
        return None
    return mail.Attachment(certificate_filename(registration), "application/pdf", data)


def event_certificates(event: Event, *, locale: str) -> bytes | None:
    """Every checked-in participant's certificate, one page each, for the organiser to
    print; None before the event has ended or when nobody was checked in."""
    if not event.has_ended or event.status not in HELD_STATUSES:
        return None
    people = db.session.scalars(
        select(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.ATTENDED,
            Registration.erased_at.is_(None),
        )
        .order_by(func.lower(Registration.name), Registration.id)
    ).all()
    if not people:
        return None
    return certificates_pdf([_data(person, event) for person in people], locale=locale)


@dataclass(frozen=True)
class VerifiedCertificate:
    """What a genuine certificate's check tells: who, which event, when; nothing more."""

    participant_name: str
    event_title: str
    starts_at: datetime
    ends_at: datetime


def verify(typed_code: str) -> VerifiedCertificate | None:
    """The certificate with this code, if one was issued; None for any other code."""
    code = normalise_code(typed_code)
    if not code:
        return None
    registration = db.session.scalar(
        select(Registration)
        .where(Registration.certificate_code == code)
        .options(selectinload(Registration.event).selectinload(Event.agenda_items))
    )
    if registration is None or not certificate_available(registration):
        return None
    event = registration.event
    return VerifiedCertificate(registration.name, event.title, event.starts_at, event.ends_at)
