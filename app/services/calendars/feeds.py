"""Calendar subscription feeds: which events they hold, and a cheap test of whether
they changed, so calendar programs polling every few minutes mostly get a 304.

A feed holds what is ahead and what ended within `CALENDAR_FEED_PAST_DAYS` (31), as
Indico's and pretix's feeds do: every subscribed calendar fetches the whole feed again
every hour, so it stays the size of the coming year rather than of every event ever held
(the archive page keeps those). Each event's own calendar file is not limited.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ColumnElement, and_, case, func, select

from app.extensions import db
from app.models import PUBLIC_STATUSES, Event, Region
from app.models.types import utcnow
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

    `last_modified` is the newest change of any public event, in any region (an event
    that moved to another region left this feed, and only its own time stamp says when),
    or the moment the last event to grow too old left the feed, if that came later.
    """

    count: int
    newest: datetime | None
    last_modified: datetime | None
    since: datetime  # the oldest end an event in the feed has; `feed_ics` holds the same events

    @property
    def tag(self) -> tuple:
        return (self.count, self.newest)


def kept_after_end() -> timedelta:
    """How long an event stays in the feeds after it ends."""
    return timedelta(days=current_app.config["CALENDAR_FEED_PAST_DAYS"])


def _in_scope(region: Region | None) -> ColumnElement[bool]:
    # Drafts never appear; cancelled events stay, so subscribers see STATUS:CANCELLED.
    public = Event.status.in_(PUBLIC_STATUSES)
    return public if region is None else and_(public, Event.region_id == region.id)


def feed_version(region: Region | None = None) -> FeedVersion:
    """One aggregate query over the public events: the feed's count and newest change,
    the newest change of all, and when the feed's last event to grow too old left it."""
    kept = kept_after_end()
    since = utcnow() - kept
    in_scope = _in_scope(region)
    in_feed = and_(in_scope, Event.ends_at >= since)
    query = select(
        func.count(case((in_feed, Event.id))),
        func.max(case((in_feed, Event.updated_at))),  # max() keeps the column's UTC type
        func.max(Event.updated_at),
        func.max(case((and_(in_scope, Event.ends_at < since), Event.ends_at))),
    ).where(Event.status.in_(PUBLIC_STATUSES))
    count, newest, last_modified, last_ended = db.session.execute(query).one()
    if last_ended is not None:
        left = last_ended + kept
        last_modified = left if last_modified is None else max(last_modified, left)
    return FeedVersion(count, newest, last_modified, since)


def feed_name(region: Region | None = None) -> str:
    return f"Samverkan – {region.name}" if region else "Samverkan"


def feed_ics(version: FeedVersion, region: Region | None = None) -> bytes:
    """The feed of the public events, or of one region's, oldest first: those `version` counted."""
    query = select(*FEED_COLUMNS).where(_in_scope(region), Event.ends_at >= version.since)
    rows = db.session.execute(query.order_by(Event.starts_at, Event.id))
    return ical.feed_ics(rows, name=feed_name(region))
