"""Finding the row a URL names, or answering 404: one way for every page."""

from functools import cache

from flask import abort
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, with_expression

from app.extensions import db
from app.models import PUBLIC_STATUSES, Event
from app.services.registrations.seats import seats_taken_expression


def found_or_404(model, row_id: int, **belongs_to):
    """The row of `model` with this id; 404 when there is none, or when it belongs elsewhere:
    `found_or_404(AgendaItem, item_id, event_id=event.id)`."""
    row = db.get_or_404(model, row_id)
    if any(getattr(row, name) != value for name, value in belongs_to.items()):
        abort(404)
    return row


@cache
def _public_event(with_seats: bool):
    """Built once: a statement's options and cache key cost more to make than to run."""
    options = [joinedload(Event.region)]
    if with_seats:
        options.append(with_expression(Event.seats_taken, seats_taken_expression()))
    return select(Event).options(*options).where(Event.id == bindparam("event_id"))


def public_event_or_404(event_id: int, *, with_seats: bool = False) -> Event:
    """An event the public may see (published, cancelled or completed); 404 for a draft.

    Its region comes in the same query (every public page names it), and with `with_seats`
    its seats taken too (`Event.seats_taken`, which `seats_left` then reads).
    """
    event = db.session.scalar(_public_event(with_seats), {"event_id": event_id})
    if event is None or event.status not in PUBLIC_STATUSES:
        abort(404)
    return event
