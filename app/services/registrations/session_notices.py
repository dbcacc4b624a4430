"""The mail about a parallel session: a seat in it has become free and is the person's."""

from flask_babel import lazy_gettext as _l

from app.models import AgendaItem, SessionChoice
from app.services.registrations.notices import calendar_file, send


def mail_session_seat(choice: SessionChoice, seated: list[AgendaItem]) -> None:
    """Tell the person they moved up from a session's waiting list, with their calendar
    file holding every session they now have a seat in (`seated`)."""
    registration = choice.registration
    item = choice.session.item
    send(
        registration,
        "session_promoted",
        _l("You have a place in %(session)s: %(title)s", session=item.title, title=registration.event.title),
        ics=calendar_file(registration, sessions=seated, private_link=registration.holds_seat),
        item=item,
        sessions=seated,
    )
