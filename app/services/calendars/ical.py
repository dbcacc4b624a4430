"""Calendar files (RFC 5545) for events and agenda items, built with the icalendar library.

Times are written in Europe/Stockholm with a VTIMEZONE, so calendar programs
keep the wall-clock time across daylight-saving changes. UIDs are stable per
event and item, and SEQUENCE rises when time, place or status changes, so an
update or cancellation lands on the entry people already have.

This module is the one place calendars are made. What a VEVENT says is decided
once, in `event_properties` and `item_properties`; icalendar turns that into
single files. Subscription feeds can hold thousands of events, which icalendar
serialises at about 0.3 ms each, and every registration's mail carries an
invitation (1.2 ms with icalendar), so `feed_ics` and `invitation_ics` write the
same properties with a small writer of their own; the tests prove its output is
byte for byte what icalendar writes.
"""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr

from flask import current_app, url_for
from icalendar import Calendar, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress, vDuration, vRecur
from icalendar import Event as VEvent
from icalendar.caselessdict import canonsort_keys
from icalendar.parser import Contentline

from app.display.timezones import LOCAL_TZ, utc_to_local
from app.models import AgendaItem, Event, EventStatus
from app.models.types import utcnow
from app.services.text import html_to_text

PRODID = "-//Samverkan//Samverkan//SV"
TZID = "Europe/Stockholm"
# Hints for subscribed calendars: look again every hour.
REFRESH_INTERVAL = timedelta(hours=1)


def stockholm_vtimezone() -> Timezone:
    """Sweden's time zone as the compact rule every calendar program knows (EU rules
    since 1996: summer time from the last Sunday of March to the last Sunday of October)."""
    zone = Timezone()
    zone.add("tzid", TZID)
    zone.add("x-lic-location", TZID)
    summer = TimezoneDaylight()
    summer.add("tzname", "CEST")
    summer.add("tzoffsetfrom", timedelta(hours=1))
    summer.add("tzoffsetto", timedelta(hours=2))
    summer.add("dtstart", datetime(1970, 3, 29, 2, 0))
    summer.add("rrule", vRecur(freq="YEARLY", bymonth=3, byday="-1SU"))
    winter = TimezoneStandard()
    winter.add("tzname", "CET")
    winter.add("tzoffsetfrom", timedelta(hours=2))
    winter.add("tzoffsetto", timedelta(hours=1))
    winter.add("dtstart", datetime(1970, 10, 25, 3, 0))
    winter.add("rrule", vRecur(freq="YEARLY", bymonth=10, byday="-1SU"))
    zone.add_component(summer)
    zone.add_component(winter)
    return zone


def event_uid(event: Event) -> str:
    return f"event-{event.id}@{current_app.config['CALENDAR_UID_DOMAIN']}"


def item_uid(item: AgendaItem) -> str:
    return f"agenda-item-{item.id}@{current_app.config['CALENDAR_UID_DOMAIN']}"


def _location(event: Event, private_link: bool = False) -> str:
    """The venue, else the online link, unless that is kept for participants (issue 16)
    and this calendar is not a participant's own."""
    parts = [event.venue_name, event.venue_address, event.venue_city]
    place = ", ".join(part for part in parts if part)
    if place or (event.online_url_private and not private_link):
        return place
    return event.online_url


def _organizer() -> vCalAddress:
    name, address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["CN"] = current_app.config["ORGANISATION_NAME"] or name
    return organizer


def _status(event: Event) -> str:
    return "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED"


def event_properties(
    event: Event,
    *,
    stamp: datetime,
    url: str | None = None,
    organizer: vCalAddress | None = None,
    private_link: bool = False,
) -> list[tuple[str, object]]:
    """What the VEVENT of an event says, in the order it is added.

    `event` may be an Event or a row with the same attribute names (feeds read rows);
    `url` and `organizer` may be given to save work when making many at once;
    `private_link` is for a participant's own calendar, which may hold a private online link.
    """
    url = url or url_for("public.event", event_id=event.id, _external=True)
    description = "\n\n".join(part for part in (html_to_text(event.description_html), url) if part)
    properties = [
        ("uid", event_uid(event)),
        ("dtstamp", stamp),
        ("dtstart", utc_to_local(event.starts_at)),
        ("dtend", utc_to_local(event.ends_at)),
        ("sequence", event.sequence),
        ("summary", event.title),
        ("description", description),
    ]
    if location := _location(event, private_link):
        properties.append(("location", location))
    properties += [
        ("url", url),
        ("status", _status(event)),
        ("organizer", organizer or _organizer()),
    ]
    return properties


def _component(properties: list[tuple[str, object]]) -> VEvent:
    component = VEvent()
    for name, value in properties:
        component.add(name, value)
    return component


def event_component(event: Event, *, stamp: datetime | None = None, private_link: bool = False) -> VEvent:
    """One VEVENT for an event, with its public page as URL."""
    return _component(event_properties(event, stamp=stamp or utcnow(), private_link=private_link))


def _speaker_line(speaker) -> str:
    return ", ".join(part for part in (speaker.name, speaker.role, speaker.organisation) if part)


def item_stamp(item: AgendaItem) -> datetime:
    """When the item, or the event it belongs to, last changed."""
    return max(item.updated_at, item.event.updated_at)


def item_properties(
    item: AgendaItem, *, stamp: datetime | None = None, private_link: bool = False
) -> list[tuple[str, object]]:
    """What the VEVENT of an agenda item says.

    Its SEQUENCE adds the event's to the item's own: both only rise, so the sum
    rises when either the item moves or the event moves, changes place or is cancelled.
    """
    event = item.event
    url = url_for("public.agenda", event_id=event.id, _external=True) + f"#item-{item.id}"
    speakers = "\n".join(_speaker_line(speaker) for speaker in item.speakers)
    text = html_to_text(item.description_html)
    description = "\n\n".join(part for part in (speakers, text, event.title, url) if part)
    place = ", ".join(part for part in (item.room, _location(event, private_link)) if part)
    properties = [
        ("uid", item_uid(item)),
        ("dtstamp", stamp or item_stamp(item)),
        ("dtstart", utc_to_local(item.starts_at)),
        ("dtend", utc_to_local(item.ends_at)),
        ("sequence", event.sequence + item.sequence),
        ("summary", f"{item.title} – {event.title}"),
        ("description", description),
    ]
    if place:
        properties.append(("location", place))
    properties += [("url", url), ("status", _status(event)), ("organizer", _organizer())]
    return properties


def item_component(item: AgendaItem, *, stamp: datetime | None = None, private_link: bool = False) -> VEvent:
    """One VEVENT for an agenda item; its URL points at the item on the agenda page."""
    return _component(item_properties(item, stamp=stamp, private_link=private_link))


def calendar(components: list[VEvent], *, method: str | None = None, name: str | None = None) -> Calendar:
    """Wrap VEVENTs in a VCALENDAR with the time zones they use."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    cal.add_component(stockholm_vtimezone())
    for component in components:
        cal.add_component(component)
    return cal


def event_ics(event: Event) -> bytes:
    """The .ics file of one event, for download; DTSTAMP is when the event last changed,
    so the file is the same until the event changes (and can be cached by ETag)."""
    return calendar([event_component(event, stamp=event.updated_at)], method="PUBLISH").to_ical()


def item_ics(item: AgendaItem) -> bytes:
    """The .ics file of one agenda item, for download."""
    return calendar([item_component(item)], method="PUBLISH").to_ical()


def invitation_ics(
    event: Event,
    attendee_email: str,
    attendee_name: str,
    *,
    cancel: bool = False,
    sessions: Iterable[AgendaItem] = (),
    private_link: bool = False,
) -> bytes:
    """An iTIP message for one participant's calendar (RFC 5546).

    REQUEST lets Outlook and Gmail offer "add to calendar" and apply later updates
    with a higher SEQUENCE; CANCEL removes the entry. `sessions`, the parallel sessions
    the participant has a seat in, are VEVENTs of their own beside the event's.
    `private_link`: the participant has a seat, so a private online link is theirs to have.

    Every registration's mail carries one, so it is written by the fast writer: byte for
    byte what icalendar writes of `invitation_properties` (the tests compare the two).
    """
    method = "CANCEL" if cancel else "REQUEST"
    head, tail = _calendar_frame(method)
    writer = _VEventWriter()
    body = b"".join(
        writer.vevent(properties)
        for properties in invitation_properties(
            event, attendee_email, attendee_name, cancel=cancel, sessions=sessions, private_link=private_link
        )
    )
    return head + body + tail


def invitation_properties(
    event: Event,
    attendee_email: str,
    attendee_name: str,
    *,
    cancel: bool = False,
    sessions: Iterable[AgendaItem] = (),
    private_link: bool = False,
) -> list[list[tuple[str, object]]]:
    """The VEVENTs of an invitation: the event's, then each session's, with the attendee."""
    attendee = vCalAddress(f"mailto:{attendee_email}")
    attendee.params["CN"] = attendee_name
    attendee.params["ROLE"] = "REQ-PARTICIPANT"
    attendee.params["PARTSTAT"] = "ACCEPTED"
    events = [event_properties(event, stamp=utcnow(), private_link=private_link)]
    events += [item_properties(item, private_link=private_link) for item in sessions]
    for properties in events:
        properties.append(("attendee", attendee))
        if cancel:
            properties[:] = [(name, "CANCELLED" if name == "status" else value) for name, value in properties]
    return events


_FRAMES: dict[str, tuple[bytes, bytes]] = {}


def _calendar_frame(method: str) -> tuple[bytes, bytes]:
    """The VCALENDAR around the VEVENTs, with its VTIMEZONE: the same for every file of a method."""
    if method not in _FRAMES:
        head, end = calendar([], method=method).to_ical().rsplit(b"END:VCALENDAR", 1)
        _FRAMES[method] = (head, b"END:VCALENDAR" + end)
    return _FRAMES[method]


# --- Feeds -------------------------------------------------------------------------


def feed_ics(events: Iterable[Event], *, name: str) -> bytes:
    """A subscription feed of many events (Event objects or rows with the same names).

    DTSTAMP is each event's `updated_at`, so the feed is the same bytes until an
    event in it changes, which is what makes its ETag honest.
    """
    header = calendar([], method="PUBLISH", name=name)
    header.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    header.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
    head, end = header.to_ical().rsplit(b"END:VCALENDAR", 1)
    # Made once per feed, not per event: the organizer, and the page URL, which is this with
    # the id in the middle (url_for per event was a tenth of the feed's time).
    organizer = _organizer()
    marker = 987654321
    url_head, url_tail = url_for("public.event", event_id=marker, _external=True).split(str(marker))
    writer = _VEventWriter()
    body = b"".join(
        writer.vevent(
            event_properties(event, stamp=event.updated_at, url=f"{url_head}{event.id}{url_tail}", organizer=organizer)
        )
        for event in events
    )
    return head + body + b"END:VCALENDAR" + end


class _VEventWriter:
    """Writes VEVENTs from their properties (`event_properties`, `item_properties`) exactly
    as icalendar would, but fast. The address lines (ORGANIZER, ATTENDEE), whose parameters
    have quoting rules of their own, are icalendar's content lines, folded here."""

    def __init__(self):
        self.orders: dict[tuple[str, ...], list[str]] = {}

    def vevent(self, properties: list[tuple[str, object]]) -> bytes:
        values = dict(properties)
        keys = tuple(values)
        order = self.orders.get(keys)
        if order is None:
            # icalendar writes properties in VEVENT's canonical order; so do we.
            order = self.orders[keys] = canonsort_keys([key.upper() for key in keys], VEvent.canonical_order)
        lines = [b"BEGIN:VEVENT\r\n"]
        for key in order:
            value = values[key.lower()]
            if isinstance(value, vCalAddress):
                line = Contentline.from_parts(key, value.params, value, sorted=True)
                lines.append(_fold(line.encode()) + b"\r\n")  # icalendar's own folding is slow
            else:
                lines.append(_content_line(key, value))
        lines.append(b"END:VEVENT\r\n")
        return b"".join(lines)


URI_PROPERTIES = {"URL"}


def _content_line(name: str, value) -> bytes:
    if isinstance(value, datetime):
        stamp = f"{value.year:04}{value.month:02}{value.day:02}T{value.hour:02}{value.minute:02}{value.second:02}"
        if value.tzinfo is UTC:
            line = f"{name}:{stamp}Z"
        elif value.tzinfo is LOCAL_TZ:
            line = f"{name};TZID={TZID}:{stamp}"
        else:
            raise ValueError(f"{name} must be in UTC or Stockholm time")
    elif isinstance(value, int):
        line = f"{name}:{value}"
    elif name in URI_PROPERTIES:
        line = f"{name}:{value}"
    else:
        line = f"{name}:{_escape_text(value)}"
    return _fold(line.encode()) + b"\r\n"


def _escape_text(text: str) -> str:
    """RFC 5545 TEXT escaping, in icalendar's order."""
    return (
        text.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


FOLD_LIMIT = 74  # octets per physical line, as icalendar writes them


def _fold(data: bytes) -> bytes:
    """Fold a content line at 74 octets, never inside a UTF-8 character and never
    right after a backslash or caret (icalendar's rule, for clients that mis-read that)."""
    if len(data) <= FOLD_LIMIT:
        return data
    chunks = []
    start = 0
    while len(data) - start > FOLD_LIMIT:
        end = start + FOLD_LIMIT
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte
            end -= 1
        if data[end - 1] in b"\\^" and end - 1 > start:
            end -= 1
        chunks.append(data[start:end])
        start = end
    chunks.append(data[start:])
    return b"\r\n ".join(chunks)
