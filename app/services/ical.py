"""Calendar files (RFC 5545) for events, built with the icalendar library.

Times are written in Europe/Stockholm with a VTIMEZONE, so calendar programs
keep the wall-clock time across daylight-saving changes. UIDs are stable per
event and SEQUENCE rises when time, place or status changes, so an update or
cancellation lands on the entry people already have.
"""

from datetime import datetime, timedelta

from flask import current_app, url_for
from icalendar import Calendar, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress, vRecur
from icalendar import Event as VEvent

from app.models import Event, EventStatus
from app.models.types import utcnow
from app.timezones import utc_to_local

PRODID = "-//Samverkan//Samverkan//SV"
TZID = "Europe/Stockholm"


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


def _location(event: Event) -> str:
    parts = [event.venue_name, event.venue_address, event.venue_city]
    place = ", ".join(part for part in parts if part)
    return place or event.online_url


def _organizer() -> vCalAddress:
    from email.utils import parseaddr

    name, address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["CN"] = current_app.config["ORGANISATION_NAME"] or name
    return organizer


def event_component(event: Event, *, stamp: datetime | None = None) -> VEvent:
    """One VEVENT for an event, with its public page as URL."""
    component = VEvent()
    component.add("uid", event_uid(event))
    component.add("dtstamp", stamp or utcnow())
    component.add("dtstart", utc_to_local(event.starts_at))
    component.add("dtend", utc_to_local(event.ends_at))
    component.add("sequence", event.sequence)
    component.add("summary", event.title)
    url = url_for("public.event", event_id=event.id, _external=True)
    description = "\n\n".join(part for part in (event.description.strip(), url) if part)
    component.add("description", description)
    if location := _location(event):
        component.add("location", location)
    component.add("url", url)
    component.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")
    component.add("organizer", _organizer())
    return component


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
    """The .ics file of one event, for download and subscription."""
    return calendar([event_component(event)], method="PUBLISH").to_ical()


def invitation_ics(event: Event, attendee_email: str, attendee_name: str, *, cancel: bool = False) -> bytes:
    """An iTIP message for one participant's calendar (RFC 5546).

    REQUEST lets Outlook and Gmail offer "add to calendar" and apply later updates
    with a higher SEQUENCE; CANCEL removes the entry.
    """
    component = event_component(event)
    attendee = vCalAddress(f"mailto:{attendee_email}")
    attendee.params["CN"] = attendee_name
    attendee.params["ROLE"] = "REQ-PARTICIPANT"
    attendee.params["PARTSTAT"] = "ACCEPTED"
    component.add("attendee", attendee)
    if cancel:
        component["status"] = "CANCELLED"
    return calendar([component], method="CANCEL" if cancel else "REQUEST").to_ical()
