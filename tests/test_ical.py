"""Calendar files parse in two independent libraries, with correct local times."""

from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
import vobject

from app.models import EventKind
from app.services.ical import event_ics, invitation_ics
from tests.conftest import local

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def only_vevent(data: bytes):
    cal = icalendar.Calendar.from_ical(data)
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == 1
    return cal, events[0]


def test_event_ics_across_the_switch_to_summer_time(app, make_event):
    # 2027-03-28: clocks go from 02:00 CET to 03:00 CEST.
    event = make_event(kind=EventKind.NATIONAL_CONFERENCE, title="Nationell konferens",
                       starts_at=local(2027, 3, 27, 10), ends_at=local(2027, 3, 28, 15))
    with app.test_request_context():
        data = event_ics(event)
    assert b"DTSTART;TZID=Europe/Stockholm:20270327T100000" in data
    assert b"DTEND;TZID=Europe/Stockholm:20270328T150000" in data
    cal, vevent = only_vevent(data)
    assert cal["METHOD"] == "PUBLISH"
    assert vevent.decoded("DTSTART") == datetime(2027, 3, 27, 10, tzinfo=STOCKHOLM)
    assert vevent.decoded("DTEND").utcoffset().total_seconds() == 2 * 3600
    assert str(vevent["UID"]).startswith(f"event-{event.id}@")
    assert vevent["SEQUENCE"] == 0
    assert str(vevent["LOCATION"]) == "Missionskyrkan, Linköping"
    assert str(vevent["URL"]).endswith(f"/events/{event.id}")
    assert len(cal.walk("VTIMEZONE")) == 1

    parsed = vobject.readOne(data.decode())
    start = parsed.vevent.dtstart.value
    end = parsed.vevent.dtend.value
    assert start.utcoffset().total_seconds() == 3600 and (start.hour, start.minute) == (10, 0)
    assert end.utcoffset().total_seconds() == 7200 and (end.hour, end.minute) == (15, 0)


def test_invitation_and_cancellation_carry_the_attendee(app, make_event):
    event = make_event(title="Inspirationsdag")
    with app.test_request_context():
        request = invitation_ics(event, "deltagare@example.se", "Dana Deltagare")
        cancel = invitation_ics(event, "deltagare@example.se", "Dana Deltagare", cancel=True)
    cal, vevent = only_vevent(request)
    assert cal["METHOD"] == "REQUEST"
    assert str(vevent["ATTENDEE"]) == "mailto:deltagare@example.se"
    assert "mailto:" in str(vevent["ORGANIZER"])
    cal, vevent = only_vevent(cancel)
    assert cal["METHOD"] == "CANCEL" and vevent["STATUS"] == "CANCELLED"
    assert vobject.readOne(cancel.decode()).vevent.status.value == "CANCELLED"
