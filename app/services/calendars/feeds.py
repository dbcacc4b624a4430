"""Calendar subscription feeds: which events they hold, and a cheap test of whether
they changed, so calendar programs polling every few minutes mostly get a 304."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, case, func, select

from app.extensions import db
from app.models import PUBLIC_STATUSES, Event, Region
from app.services.calendars import ical

# The columns a VEVENT needs (see ical.event_properties); rows, not objects, for speed.
FEED_COLUMNS = (
    Event.id,
    Event.title,
    Event.description_html,
    Event.venue_name,
    Event.venue_address,
    Event.venue_city,
    Event.online_url,
    Event.online_url_private,
    Event.starts_at,
    Event.ends_at,
    Event.sequence,
    Event.status,
    Event.updated_at,
)


@dataclass(frozen=True)
class FeedVersion:
    """How many events a feed holds and when its newest one changed: together they change
    whenever the feed's content does (a removal lowers the count, any change is newest),
    so they make its ETag.

    `last_modified` is the newest change of any public event, in any region: an event
    that moved to another region left this feed, and only its own time stamp says when.
    """

    count: int
    newest: datetime | None
    last_modified: datetime | None

    @property
    def tag(self) -> tuple:
        return (self.count, self.newest)


def _scope(region: Region | None) -> Select:
    # Drafts never appear; cancelled events stay, so subscribers see STATUS:CANCELLED.
    query = select(*FEED_COLUMNS).where(Event.status.in_(PUBLIC_STATUSES))
    if region is not None:
        query = query.where(Event.region_id == region.id)
    return query


def feed_version(region: Region | None = None) -> FeedVersion:
    """One aggregate query over the public events: the feed's count and newest change,
    and the newest change of all."""
    public = Event.status.in_(PUBLIC_STATUSES)
    in_feed = public if region is None else and_(public, Event.region_id == region.id)
    query = select(
        func.count(case((in_feed, Event.id))),
        func.max(case((in_feed, Event.updated_at))),  # max() keeps the column's UTC type
        func.max(Event.updated_at),
    ).where(public)
    count, newest, last_modified = db.session.execute(query).one()
    return FeedVersion(count, newest, last_modified)


def feed_name(region: Region | None = None) -> str:
    return f"Samverkan – {region.name}" if region else "Samverkan"


def feed_ics(region: Region | None = None) -> bytes:
    """The feed of all public events, or of one region's, oldest first."""
    rows = db.session.execute(_scope(region).order_by(Event.starts_at, Event.id))
    return ical.feed_ics(rows, name=feed_name(region))
