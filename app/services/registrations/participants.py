"""The organiser's participant list: confirmed first, then the waiting list in order."""

from sqlalchemy import case, func, select

from app.extensions import db
from app.models import Event, Registration, RegistrationStatus, Sector
from app.services.questions import answered_with
from app.services.search import any_contains

LIST_ORDER = {
    RegistrationStatus.CONFIRMED: 0,
    RegistrationStatus.ATTENDED: 0,
    RegistrationStatus.WAITLISTED: 1,
    RegistrationStatus.CANCELLED: 2,
}


def participants_query(
    event: Event,
    *,
    search: str = "",
    status: RegistrationStatus | None = None,
    sector: Sector | None = None,
    answer: int | None = None,
):
    """An event's registrations for the organiser: confirmed first, then the waiting list in order."""
    query = select(Registration).where(Registration.event_id == event.id)
    if search:
        query = query.where(
            any_contains(
                search,
                func.lower(Registration.name),
                func.lower(Registration.email),
                func.lower(Registration.organisation),
            )
        )
    if status is not None:
        query = query.where(Registration.status == status)
    if sector is not None:
        query = query.where(Registration.sector == sector)
    if answer is not None:  # Those who chose this option of one of the event's questions
        query = query.where(answered_with(answer))
    return query.order_by(
        case(LIST_ORDER, value=Registration.status, else_=len(LIST_ORDER)),
        Registration.waitlisted_at,
        func.lower(Registration.name),
        Registration.id,
    )


def participants(event: Event, **filters) -> list[Registration]:
    """The list `participants_query` gives, read whole (for the CSV export)."""
    return list(db.session.scalars(participants_query(event, **filters)))


def at_the_door(event: Event, search: str = "") -> list[Registration]:
    """Those with a seat, by name: at the door people are found by name, not by status."""
    query = participants_query(event, search=search).where(Registration.holds_seat)
    return list(db.session.scalars(query.order_by(None).order_by(func.lower(Registration.name), Registration.id)))


def waiting_count(event: Event) -> int:
    """How many are on the waiting list."""
    return db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.WAITLISTED)
    )
