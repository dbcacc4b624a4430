"""Calendar files parse in two independent libraries, with correct local times."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import vobject

from app.models import EventKind, EventStatus
from app.services.calendars.ical import event_ics, invitation_ics
from tests.conftest import local

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def only_vevent(data: bytes):
    cal = icalendar.Calendar.from_ical(data)
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == 1
    return cal, events[0]


def test_event_ics_across_the_switch_to_summer_time(app, make_event):
    # 2027-03-28: clocks go from 02:00 CET to 03:00 CEST.
    event = make_event(
        kind=EventKind.NATIONAL_CONFERENCE,
        title="Nationell konferens",
        starts_at=local(2027, 3, 27, 10),
        ends_at=local(2027, 3, 28, 15),
    )
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


TRICKY_TITLES = [
    "Konferens; med, komma och \\ backslash",
    "Å" * 80,
    "a" * 73 + "\\" + "b" * 10,
    "a" * 72 + "é" + "b" * 10,
    'Rubrik med ^ caret och "citat" och radbrytning\nhär',
    "x" * 200,
    # Around the first fold (74 octets with "SUMMARY:"): escapes and two-byte letters.
    *("a" * k + "\\b;c" for k in range(62, 68)),
    *("a" * k + "éé" for k in range(63, 68)),
    *("a" * k + "^^" for k in range(63, 67)),
]


def test_the_feed_writer_writes_exactly_what_icalendar_writes(app, make_event, feeds_hold_every_event):
    """Feeds use a fast writer; it must give the same bytes as icalendar for the same events."""
    from app.services.calendars.feeds import feed_ics, feed_version
    from app.services.calendars.ical import calendar, event_component

    made = []
    for n, title in enumerate(TRICKY_TITLES):
        made.append(
            make_event(
                title=title,
                description=f"Stycke {n}; med, tecken \\N och **fetstil**.\n\n" + "ÅÄÖ " * 40,
                starts_at=local(2027, 3, 1, 10) + timedelta(days=n),
                ends_at=local(2027, 3, 1, 16) + timedelta(days=n),
                venue_address="Gata 1, 582 22",
                online_url="https://meet.example.se/a,b;c",
                status=EventStatus.CANCELLED if n % 2 else EventStatus.PUBLISHED,
                sequence=n,
            )
        )
    made.append(
        make_event(
            title="Online",
            venue_name="",
            venue_city="",
            online_url="https://meet.example.se/x",
            kind=EventKind.WEBINAR,
            starts_at=local(2027, 7, 1, 10),
            ends_at=local(2027, 7, 1, 11),
        )
    )
    with app.test_request_context():
        fast = feed_ics(feed_version())
        reference = calendar([event_component(e, stamp=e.updated_at) for e in made]).to_ical()

    def vevents(data: bytes) -> bytes:
        return data[data.index(b"BEGIN:VEVENT") :]

    assert vevents(fast) == vevents(reference)
    assert fast.count(b"BEGIN:VEVENT") == len(made)
    parsed = vobject.readOne(fast.decode())
    assert [v.summary.value for v in parsed.vevent_list] == [e.title for e in made]


def test_folding_never_splits_a_character_and_keeps_lines_short():
    from app.services.calendars.ical import _fold

    for text in ["a" * 74, "a" * 75, "å" * 100, "a" + "€" * 60, "\\" * 200, "a" * 73 + "\\" + "b" * 80]:
        folded = _fold(text.encode())
        lines = folded.split(b"\r\n ")
        assert all(len(line) <= 74 for line in lines)
        assert all(line.decode("utf-8") for line in lines)  # every piece is whole UTF-8
        assert b"".join(lines).decode() == text


def test_descriptions_are_plain_text():
    from app.services.text import html_to_text, markdown_to_html

    source = (
        "Om **validering** & *samverkan* <script>x</script>, se [Tillväxtverket](https://tillvaxtverket.se/a?b=1&c=2) "
        "eller <mailto:kansli@example.se>.\n\n- ett\n- två\n\n1. först\n2. sen\n\nSlut."
    )
    assert html_to_text(markdown_to_html(source)) == (
        "Om validering & samverkan , se Tillväxtverket (https://tillvaxtverket.se/a?b=1&c=2) "
        "eller kansli@example.se.\n\n- ett\n- två\n\n- först\n- sen\n\nSlut."
    )
    assert html_to_text("") == ""


def test_the_invitation_writer_writes_exactly_what_icalendar_writes(app, make_event, make_item):
    """Every registration's mail carries an invitation, written by the fast writer: the same
    bytes as icalendar for the same properties, with sessions, tricky names and cancellation."""
    from app.services.calendars.ical import _component, calendar, invitation_properties

    names = ["Dana Deltagare", 'Åsa "Ö" Öst, enhetschef; Region', "Ann:e", "x" * 90]
    for n, title in enumerate(TRICKY_TITLES[:8]):
        event = make_event(
            title=title,
            description=f"Stycke {n}; med, tecken och **fetstil**.",
            online_url="https://meet.example.se/a,b;c",
            online_url_private=bool(n % 2),
        )
        sessions = [
            make_item(event, f"Pass {k}: {title[:150]}", event.starts_at, event.ends_at, room=f"Sal {k}")
            for k in range(n % 3)
        ]
        for cancel in (False, True):
            options = {"cancel": cancel, "sessions": sessions, "private_link": bool(n % 3)}
            name = names[n % len(names)]
            with app.test_request_context():
                fast = invitation_ics(event, f"deltagare{n}@example.se", name, **options)
                vevents = invitation_properties(event, f"deltagare{n}@example.se", name, **options)
                reference = calendar(
                    [_component(properties) for properties in vevents], method="CANCEL" if cancel else "REQUEST"
                ).to_ical()
            # The event's DTSTAMP is the moment each was written; everything else is the same.
            assert _without_event_stamp(fast) == _without_event_stamp(reference)
            assert fast.count(b"BEGIN:VEVENT") == 1 + len(sessions)
            assert icalendar.Calendar.from_ical(fast)["METHOD"] == ("CANCEL" if cancel else "REQUEST")


def _without_event_stamp(data: bytes) -> bytes:
    """The invitation without its first DTSTAMP (the event's: the moment it was written)."""
    first = data.index(b"DTSTAMP:")
    return data[:first] + data[data.index(b"\r\n", first) :]
