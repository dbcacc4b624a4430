"""Calendar subscription feeds: which events they hold, and a cheap test of whether
they changed, so calendar programs polling every few minutes mostly get a 304."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select

from app.extensions import db
from app.models import PUBLIC_STATUSES, Event, Region
from app.services import ical

# The columns a VEVENT needs (see ical.event_properties); rows, not objects, for speed.
FEED_COLUMNS = (
    Event.id, Event.title, Event.description_html, Event.venue_name, Event.venue_address,
    Event.venue_city, Event.online_url, Event.starts_at, Event.ends_at, Event.sequence,
    Event.status, Event.updated_at,
)


@dataclass(frozen=True)
class FeedVersion:
    """How many events a feed holds and when the newest change was: together they change
    whenever the feed's content does (a removal lowers the count, any change is newest)."""

    count: int
    last_modified: datetime | None


def _scope(region: Region | None) -> Select:
    # Drafts never appear; cancelled events stay, so subscribers see STATUS:CANCELLED.
    query = select(*FEED_COLUMNS).where(Event.status.in_(PUBLIC_STATUSES))
    if region is not None:
        query = query.where(Event.region_id == region.id)
    return query


def feed_version(region: Region | None = None) -> FeedVersion:
    """One aggregate query: the feed's event count and its newest `updated_at`."""
    query = select(func.count(Event.id), func.max(Event.updated_at)).where(Event.status.in_(PUBLIC_STATUSES))
    if region is not None:
        query = query.where(Event.region_id == region.id)
    count, newest = db.session.execute(query).one()  # max() keeps the column's UTC type
    return FeedVersion(count, newest)


def feed_name(region: Region | None = None) -> str:
    return f"Samverkan – {region.name}" if region else "Samverkan"


def feed_ics(region: Region | None = None) -> bytes:
    """The feed of all public events, or of one region's, oldest first."""
    rows = db.session.execute(_scope(region).order_by(Event.starts_at, Event.id))
    return ical.feed_ics(rows, name=feed_name(region))
