"""Finding the row a URL names, or answering 404: one way for every page."""

from flask import abort

from app.extensions import db
from app.models import PUBLIC_STATUSES, Event


def found_or_404(model, row_id: int, **belongs_to):
    """The row of `model` with this id; 404 when there is none, or when it belongs elsewhere:
    `found_or_404(AgendaItem, item_id, event_id=event.id)`."""
    row = db.get_or_404(model, row_id)
    if any(getattr(row, name) != value for name, value in belongs_to.items()):
        abort(404)
    return row


def public_event_or_404(event_id: int) -> Event:
    """An event the public may see (published, cancelled or completed); 404 for a draft."""
    event = found_or_404(Event, event_id)
    if event.status not in PUBLIC_STATUSES:
        abort(404)
    return event
