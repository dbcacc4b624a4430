"""The organiser's participant list: confirmed first, then the waiting list in order."""

from sqlalchemy import case, func, or_, select

from app.models import Event, Registration, RegistrationStatus, Sector

LIST_ORDER = {
    RegistrationStatus.CONFIRMED: 0, RegistrationStatus.ATTENDED: 0,
    RegistrationStatus.WAITLISTED: 1, RegistrationStatus.CANCELLED: 2,
}


def participants_query(event: Event, *, search: str = "", status: RegistrationStatus | None = None,
                       sector: Sector | None = None):
    """An event's registrations for the organiser: confirmed first, then the waiting list in order."""
    query = select(Registration).where(Registration.event_id == event.id)
    if search:
        pattern = "%" + search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(
            func.lower(Registration.name).like(pattern, escape="\\"),
            func.lower(Registration.email).like(pattern, escape="\\"),
            func.lower(Registration.organisation).like(pattern, escape="\\"),
        ))
    if status is not None:
        query = query.where(Registration.status == status)
    if sector is not None:
        query = query.where(Registration.sector == sector)
    return query.order_by(
        case(LIST_ORDER, value=Registration.status, else_=len(LIST_ORDER)),
        Registration.waitlisted_at, func.lower(Registration.name), Registration.id,
    )
