"""Reading an event's agenda: its days, the schedule by day and room, and what to check."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import bindparam, select
from sqlalchemy.orm import selectinload

from app.display.formatting import long_date, time_of_day
from app.display.timezones import local_to_utc, utc_to_local
from app.extensions import db
from app.models import AgendaItem, AgendaItemSpeaker, Event, Speaker

DEFAULT_DURATION = timedelta(minutes=30)


def event_days(event: Event) -> list[date]:
    """The local dates the event spans, first to last."""
    first, last = utc_to_local(event.starts_at).date(), utc_to_local(event.ends_at).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def event_bounds(event: Event) -> tuple[datetime, datetime]:
    """00:00 on the event's first day and 24:00 on its last, Swedish time, in UTC."""
    days = event_days(event)
    # Local midnight always exists in Sweden: the clocks change at 02:00 and 03:00.
    return (
        local_to_utc(datetime.combine(days[0], time())),
        local_to_utc(datetime.combine(days[-1] + timedelta(days=1), time())),
    )


def local_day(moment: datetime) -> date:
    return utc_to_local(moment).date()


def agenda_items(event: Event) -> list[AgendaItem]:
    """The event's items in time order, with their speakers, in three queries."""
    return list(
        db.session.scalars(
            select(AgendaItem)
            .where(AgendaItem.event_id == event.id)
            .order_by(AgendaItem.starts_at, AgendaItem.position, AgendaItem.id)
            .options(selectinload(AgendaItem.speaker_links).selectinload(AgendaItemSpeaker.speaker))
        )
    )


@dataclass(slots=True)
class PublicSpeaker:
    name: str
    role: str
    organisation: str


@dataclass(slots=True)
class PublicItem:
    """An agenda item as the public pages show it: plain data, read in one query."""

    id: int
    starts_at: datetime
    ends_at: datetime
    title: str
    room: str
    description_html: str
    speakers: list[PublicSpeaker]


@cache
def _public_agenda_statement():
    """Built once: making a statement and its cache key costs more than running it."""
    return (
        select(
            AgendaItem.id,
            AgendaItem.starts_at,
            AgendaItem.ends_at,
            AgendaItem.title,
            AgendaItem.room,
            AgendaItem.description_html,
            Speaker.name,
            Speaker.role,
            Speaker.organisation,
        )
        .outerjoin(AgendaItemSpeaker, AgendaItemSpeaker.item_id == AgendaItem.id)
        .outerjoin(Speaker, Speaker.id == AgendaItemSpeaker.speaker_id)
        .where(AgendaItem.event_id == bindparam("event_id"))
        .order_by(AgendaItem.starts_at, AgendaItem.position, AgendaItem.id, AgendaItemSpeaker.position)
    )


def public_agenda(event: Event) -> list[PublicItem]:
    """The event's items in time order with their speakers, as `agenda_items` gives them,
    in one query and without the ORM's bookkeeping: what the public event and agenda pages
    render, often (issue 17: a 16-item agenda was 3 statements and about a third of the
    page's CPU as ORM objects). Run on the session's connection as plain Core: the session's
    own execute costs half as much CPU again, for rows that become no ORM objects; nothing
    is pending to flush on these read-only pages."""
    rows = db.session.connection().execute(_public_agenda_statement(), {"event_id": event.id})
    items: list[PublicItem] = []
    for item_id, starts_at, ends_at, title, room, description_html, name, role, organisation in rows:
        if not items or items[-1].id != item_id:
            items.append(PublicItem(item_id, starts_at, ends_at, title, room, description_html, []))
        if name is not None:
            items[-1].speakers.append(PublicSpeaker(name, role, organisation))
    return items


def item_of(event: Event, item_id: int) -> AgendaItem | None:
    """The event's item with this id, or None."""
    item = db.session.get(AgendaItem, item_id)
    return item if item is not None and item.event_id == event.id else None


def speakers() -> list[Speaker]:
    """Every speaker, to pick from when building an agenda."""
    return list(db.session.scalars(select(Speaker).order_by(Speaker.name, Speaker.organisation, Speaker.id)))


@dataclass
class Track:
    """The items of one room within a time slot."""

    room: str
    items: list[AgendaItem]


@dataclass
class Slot:
    """Items whose times overlap, directly or through each other; parallel when in several rooms."""

    starts_at: datetime
    ends_at: datetime
    tracks: list[Track]

    @property
    def is_parallel(self) -> bool:
        return len(self.tracks) > 1

    @property
    def items(self) -> list[AgendaItem]:
        return [item for track in self.tracks for item in track.items]


@dataclass
class AgendaDay:
    day: date
    slots: list[Slot]

    @property
    def items(self) -> list[AgendaItem]:
        return [item for slot in self.slots for item in slot.items]


def room_key(room: str) -> str:
    return room.strip().casefold()


def schedule(items: list[AgendaItem]) -> list[AgendaDay]:
    """The agenda as people read it: by day, then by time slot, parallel rooms side by side.

    `items` must be in time order (as `agenda_items` gives them).
    """
    days: list[AgendaDay] = []
    for item in items:
        day = local_day(item.starts_at)
        if not days or days[-1].day != day:
            days.append(AgendaDay(day, []))
        slots = days[-1].slots
        if slots and item.starts_at < slots[-1].ends_at:
            slot = slots[-1]
            slot.ends_at = max(slot.ends_at, item.ends_at)
        else:
            slot = Slot(item.starts_at, item.ends_at, [])
            slots.append(slot)
        track = next((t for t in slot.tracks if room_key(t.room) == room_key(item.room)), None)
        if track is None:
            slot.tracks.append(Track(item.room, [item]))
        else:
            track.items.append(item)
    return days


def flagged(event: Event, items: list[AgendaItem]) -> dict[int, list[str]]:
    """Things an organiser should look at, by item id: overlaps in the same room, and
    items outside the event's announced times. Shown, never enforced."""
    found: dict[int, list[str]] = {}
    for item in items:
        messages = []
        if item.starts_at < event.starts_at:
            messages.append(_("Starts before the event does (%(time)s).", time=_when(event.starts_at)))
        if item.ends_at > event.ends_at:
            messages.append(_("Ends after the event does (%(time)s).", time=_when(event.ends_at)))
        for other in items:
            if other is item or room_key(other.room) != room_key(item.room):
                continue
            if other.starts_at < item.ends_at and item.starts_at < other.ends_at:
                messages.append(_overlap_message(other))
        if messages:
            found[item.id] = messages
    return found


def _when(moment: datetime) -> str:
    return f"{long_date(moment)} {time_of_day(moment)}"


def _overlap_message(other: AgendaItem) -> str:
    times = {"title": other.title, "start": time_of_day(other.starts_at), "end": time_of_day(other.ends_at)}
    if other.room.strip():
        return _("Overlaps with “%(title)s” (%(start)s–%(end)s) in %(room)s.", room=other.room, **times)
    return _(
        "Overlaps with “%(title)s” (%(start)s–%(end)s), and neither has a room. "
        "Give them rooms if they run in parallel.",
        **times,
    )


def suggested_times(event: Event, after: AgendaItem | None = None) -> tuple[datetime, datetime, str]:
    """Start, end and room for a new item: right after `after` (or after the last item),
    as long as that one, in its room; the event's start when the agenda is empty."""
    if after is None:
        after = db.session.scalar(
            select(AgendaItem)
            .where(AgendaItem.event_id == event.id)
            .order_by(AgendaItem.ends_at.desc(), AgendaItem.id.desc())
            .limit(1)
        )
    if after is None:
        return event.starts_at, min(event.starts_at + DEFAULT_DURATION, event.ends_at), ""
    starts_at = after.ends_at
    ends_at = starts_at + after.duration
    # Stay on the same day: the form picks a day and two times.
    day_end = local_to_utc(datetime.combine(local_day(starts_at) + timedelta(days=1), time()))
    ends_at = min(ends_at, day_end - timedelta(minutes=1))
    if ends_at <= starts_at:
        ends_at = starts_at + DEFAULT_DURATION
    return starts_at, ends_at, after.room
