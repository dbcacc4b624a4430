"""What an organiser may open: the events they manage (all of them for an admin)."""

from flask import abort
from flask_login import current_user

from app.models import Event
from app.services import events
from app.web.lookup import found_or_404


def managed_event_or_abort(event_id: int) -> Event:
    """The event, 404 when there is none, 403 when the user does not manage it."""
    event = found_or_404(Event, event_id)
    if not events.can_manage(current_user, event):
        abort(403)
    return event
