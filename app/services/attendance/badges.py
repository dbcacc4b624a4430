"""An event's name badges as a printable sheet of labels."""

from flask import url_for
from sqlalchemy import func, select

from app.documents import Badge, badge_sheet_pdf
from app.extensions import db
from app.models import SEATED_STATUSES, Event, Registration, RegistrationStatus

# Whose badges to print: those with a seat, or the waiting list as well (they may get one
# on the day).
BADGE_GROUPS = {
    "seated": SEATED_STATUSES,
    "with_waitlist": (*SEATED_STATUSES, RegistrationStatus.WAITLISTED),
}


def checkin_link(event: Event, registration: Registration) -> str:
    """What a badge's QR code holds: the event's scan page with the person's check-in code.

    The scanner on that page takes only the code from it; a phone's own camera app opens
    the link, which asks the organiser (logged in) to confirm the check-in."""
    return url_for("manage.checkin_scan", event_id=event.id, code=registration.checkin_code, _external=True)


def badge_sheet(event: Event, *, layout: str, with_qr: bool, group: str, locale: str) -> bytes | None:
    """The PDF of the badges, by name; None when nobody is in the group."""
    people = db.session.scalars(
        select(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status.in_(BADGE_GROUPS[group]),
            Registration.erased_at.is_(None),
        )
        .order_by(func.lower(Registration.name), Registration.id)
    ).all()
    if not people:
        return None
    badges = [
        Badge(person.name, person.organisation, qr_text=checkin_link(event, person) if with_qr else "")
        for person in people
    ]
    return badge_sheet_pdf(badges, layout=layout, event_title=event.title, locale=locale)
