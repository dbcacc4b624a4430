"""Every calendar the app serves or sends parses in two independent libraries (icalendar
and vobject) with the right local times and properties; feeds answer 304 when unchanged."""

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from app.extensions import db
from app.models import EventKind, EventStatus
from app.services import agenda, events
from app.services.calendars.ical import invitation_ics
from tests.conftest import local

STOCKHOLM = ZoneInfo("Europe/Stockholm")

# The events here lie on fixed dates; the window's own tests below set it.
pytestmark = pytest.mark.usefixtures("feeds_hold_every_event")


@pytest.fixture
def spring_conference(make_event, make_item, organiser):
    """Two days across the switch to summer time (2027-03-28, 02:00 → 03:00) in Gävleborg."""
    event = make_event(
        kind=EventKind.NATIONAL_CONFERENCE,
        title="Nationell konferens, våren",
        region_code="21",
        venue_name="Gävle Konserthus",
        venue_city="Gävle",
        organisers=[organiser],
        starts_at=local(2027, 3, 27, 10),
        ends_at=local(2027, 3, 28, 15),
        description="Två dagar om **validering**; för [regionerna](https://example.se/regioner).\n\n- Ett\n- Två",
    )
    before = make_item(
        event,
        "Inledning",
        local(2027, 3, 27, 10),
        local(2027, 3, 27, 11),
        room="Stora salen",
        speakers=[("Elin Landell", "kanslichef", "Valideringsdelegationen")],
        description="Om *strategin*.",
    )
    after = make_item(event, "Dag två, panel", local(2027, 3, 28, 9), local(2027, 3, 28, 10), room="Lilla salen")
    return event, before, after


def every_calendar(app, client, event, item) -> dict[str, bytes]:
    """What the app produces for one event: files, feeds, and the iTIP messages for mail."""
    calendars = {
        "event": client.get(f"/events/{event.id}.ics"),
        "item": client.get(f"/events/{event.id}/agenda/{item.id}.ics"),
        "feed": client.get("/calendar.ics"),
        "region feed": client.get(f"/regions/{event.region.code}/calendar.ics"),
    }
    for name, response in calendars.items():
        assert response.status_code == 200, name
        assert response.mimetype == "text/calendar", name
    found = {name: response.data for name, response in calendars.items()}
    with app.test_request_context():
        found["invitation"] = invitation_ics(event, "dana@example.se", "Dana Deltagare")
        found["cancellation"] = invitation_ics(event, "dana@example.se", "Dana Deltagare", cancel=True)
    return found


def expected_times(event, *items) -> dict[str, tuple[datetime, datetime]]:
    host = "samverkan.localhost"
    times = {f"event-{event.id}@{host}": (event.starts_at, event.ends_at)}
    times.update({f"agenda-item-{item.id}@{host}": (item.starts_at, item.ends_at) for item in items})
    return times


def check_with_icalendar(data: bytes, times: dict) -> list:
    cal = icalendar.Calendar.from_ical(data)
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    [zone] = cal.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Stockholm"
    assert {c.name for c in zone.subcomponents} == {"DAYLIGHT", "STANDARD"}
    vevents = cal.walk("VEVENT")
    assert vevents
    for vevent in vevents:
        uid = str(vevent["UID"])
        start, end = times[uid]
        assert vevent["DTSTART"].params["TZID"] == "Europe/Stockholm"
        assert vevent.decoded("DTSTART") == start and vevent.decoded("DTEND") == end
        assert vevent.decoded("DTSTART").utcoffset() == start.astimezone(STOCKHOLM).utcoffset()
        assert vevent.decoded("DTSTAMP").tzinfo is not None
        assert int(vevent["SEQUENCE"]) >= 0
        assert str(vevent["SUMMARY"])
        description = str(vevent["DESCRIPTION"])
        assert "<" not in description and "**" not in description
        assert str(vevent["LOCATION"]).endswith("Gävle Konserthus, Gävle")
        assert str(vevent["URL"]).startswith("http://localhost/events/")
        assert str(vevent["ORGANIZER"]).startswith("mailto:")
        assert vevent["ORGANIZER"].params["CN"] == "Valideringsdelegationen"
        assert vevent["STATUS"] in ("CONFIRMED", "CANCELLED")
    return vevents


def check_with_vobject(data: bytes, times: dict) -> None:
    cal = vobject.readOne(data.decode("utf-8"))
    assert cal.vtimezone.tzid.value == "Europe/Stockholm"
    for vevent in cal.vevent_list:
        start, end = times[vevent.uid.value]
        assert vevent.dtstart.value == start and vevent.dtend.value == end
        # vobject reads the VTIMEZONE itself: the offsets prove it agrees with the rules.
        assert vevent.dtstart.value.utcoffset() == start.astimezone(STOCKHOLM).utcoffset()
        assert vevent.dtend.value.utcoffset() == end.astimezone(STOCKHOLM).utcoffset()
        assert vevent.dtstamp.value.tzinfo is not None
        assert vevent.summary.value and vevent.description.value and vevent.location.value
        assert vevent.url.value and vevent.organizer.value.startswith("mailto:")
        assert int(vevent.sequence.value) >= 0


def test_every_calendar_parses_in_both_libraries_across_summer_time(app, client, spring_conference):
    event, before, after = spring_conference
    times = expected_times(event, before, after)
    calendars = every_calendar(app, client, event, after)
    for name, data in calendars.items():
        vevents = check_with_icalendar(data, times)
        check_with_vobject(data, times)
        for line in data.split(b"\r\n"):
            assert len(line) <= 75, (name, line)
        assert len(vevents) == 1, name  # the feeds hold just this event
    # Winter time on the first day, summer time on the second, as written on the wall clock.
    assert b"DTSTART;TZID=Europe/Stockholm:20270327T100000" in calendars["event"]
    assert b"DTEND;TZID=Europe/Stockholm:20270328T150000" in calendars["event"]
    assert b"DTSTART;TZID=Europe/Stockholm:20270328T090000" in calendars["item"]
    assert icalendar.Calendar.from_ical(calendars["event"])["METHOD"] == "PUBLISH"
    assert icalendar.Calendar.from_ical(calendars["invitation"])["METHOD"] == "REQUEST"
    assert icalendar.Calendar.from_ical(calendars["cancellation"])["METHOD"] == "CANCEL"


def test_the_properties_say_what_the_event_and_item_are(app, client, spring_conference):
    event, before, _after = spring_conference
    [vevent] = icalendar.Calendar.from_ical(client.get(f"/events/{event.id}.ics").data).walk("VEVENT")
    assert str(vevent["UID"]) == f"event-{event.id}@samverkan.localhost"
    assert str(vevent["SUMMARY"]) == "Nationell konferens, våren"
    assert str(vevent["DESCRIPTION"]) == (
        "Två dagar om validering; för regionerna (https://example.se/regioner).\n\n- Ett\n- Två\n\n"
        f"http://localhost/events/{event.id}"
    )
    assert str(vevent["URL"]) == f"http://localhost/events/{event.id}"
    assert vevent.decoded("DTSTAMP") == event.updated_at.replace(microsecond=0)
    assert vevent["STATUS"] == "CONFIRMED"

    [item] = icalendar.Calendar.from_ical(client.get(f"/events/{event.id}/agenda/{before.id}.ics").data).walk("VEVENT")
    assert str(item["UID"]) == f"agenda-item-{before.id}@samverkan.localhost"
    assert str(item["SUMMARY"]) == "Inledning – Nationell konferens, våren"
    assert str(item["LOCATION"]) == "Stora salen, Gävle Konserthus, Gävle"
    assert str(item["URL"]) == f"http://localhost/events/{event.id}/agenda#item-{before.id}"
    assert str(item["DESCRIPTION"]).startswith("Elin Landell, kanslichef, Valideringsdelegationen\n\nOm strategin.")


def test_changing_then_cancelling_updates_the_same_entry(app, client, spring_conference, organiser):
    """What a calendar program needs to apply an update: the same UID and a higher SEQUENCE."""
    event, before, _after = spring_conference

    def current(url):
        [vevent] = [
            v
            for v in icalendar.Calendar.from_ical(client.get(url).data).walk("VEVENT")
            if str(v["UID"]).startswith(f"event-{event.id}@")
        ]
        return str(vevent["UID"]), int(vevent["SEQUENCE"]), str(vevent["STATUS"]), vevent.decoded("DTSTART")

    def item_sequence():
        [vevent] = icalendar.Calendar.from_ical(client.get(f"/events/{event.id}/agenda/{before.id}.ics").data).walk(
            "VEVENT"
        )
        return int(vevent["SEQUENCE"]), str(vevent["STATUS"])

    for url in (f"/events/{event.id}.ics", "/calendar.ics", "/regions/21/calendar.ics"):
        assert current(url)[1:3] == (0, "CONFIRMED")
    assert item_sequence() == (0, "CONFIRMED")

    details = events.EventDetails(
        kind=event.kind,
        title=event.title,
        region=event.region,
        venue_name=event.venue_name,
        venue_city=event.venue_city,
        starts_at=local(2027, 3, 27, 9),
        ends_at=local(2027, 3, 28, 15),
    )
    events.update_event(event, details, organiser)
    for url in (f"/events/{event.id}.ics", "/calendar.ics", "/regions/21/calendar.ics"):
        uid, sequence, status, start = current(url)
        assert (uid, sequence, status) == (f"event-{event.id}@samverkan.localhost", 1, "CONFIRMED")
        assert start == datetime(2027, 3, 27, 9, tzinfo=STOCKHOLM)
    assert item_sequence() == (1, "CONFIRMED")  # its place in the event moved

    events.cancel_event(event, None)
    for url in (f"/events/{event.id}.ics", "/calendar.ics", "/regions/21/calendar.ics"):
        assert current(url)[1:3] == (2, "CANCELLED")
    assert item_sequence() == (2, "CANCELLED")
    cal = vobject.readOne(client.get("/calendar.ics").get_data(as_text=True))
    assert [v.status.value for v in cal.vevent_list] == ["CANCELLED"]


def test_an_item_sequence_adds_its_own_changes(app, client, spring_conference):
    event, before, _after = spring_conference
    agenda.update_item(
        before,
        agenda.ItemDetails(
            title=before.title,
            starts_at=before.starts_at + timedelta(minutes=15),
            ends_at=before.ends_at + timedelta(minutes=15),
            room=before.room,
        ),
    )
    [vevent] = icalendar.Calendar.from_ical(client.get(f"/events/{event.id}/agenda/{before.id}.ics").data).walk(
        "VEVENT"
    )
    assert int(vevent["SEQUENCE"]) == 1
    assert str(vevent["UID"]) == f"agenda-item-{before.id}@samverkan.localhost"


def test_feeds_hold_public_events_never_drafts(client, make_event):
    published = make_event(title="Publicerad", region_code="21")
    cancelled = make_event(title="Inställd", region_code="21", status=EventStatus.CANCELLED)
    ended = datetime.now(UTC).replace(microsecond=0) - timedelta(days=20)
    completed = make_event(
        title="Genomförd",
        region_code="05",
        status=EventStatus.COMPLETED,
        starts_at=ended - timedelta(hours=7),
        ends_at=ended,
    )
    draft = make_event(title="Hemligt utkast", region_code="21", status=EventStatus.DRAFT)

    def uids(url):
        data = client.get(url).data
        assert b"Hemligt utkast" not in data
        return {str(v["UID"]).split("@")[0] for v in icalendar.Calendar.from_ical(data).walk("VEVENT")}

    assert uids("/calendar.ics") == {f"event-{e.id}" for e in (published, cancelled, completed)}
    assert uids("/regions/21/calendar.ics") == {f"event-{e.id}" for e in (published, cancelled)}
    assert uids("/regions/05/calendar.ics") == {f"event-{completed.id}"}
    assert uids("/regions/01/calendar.ics") == set()
    assert client.get(f"/events/{draft.id}.ics").status_code == 404
    assert client.get("/regions/99/calendar.ics").status_code == 404
    assert client.get("/regions/x%00/calendar.ics").status_code in (400, 404)


def test_feeds_keep_a_month_of_ended_events(app, client, make_event, monkeypatch):
    """What is ahead, and what ended in the last 31 days; an older event keeps its own file."""
    monkeypatch.setitem(app.config, "CALENDAR_FEED_PAST_DAYS", 31)
    now = datetime.now(UTC).replace(microsecond=0)
    ahead = make_event(title="Kommande", region_code="21")
    recent = make_event(
        title="Nyss", region_code="21", starts_at=now - timedelta(days=30), ends_at=now - timedelta(days=29)
    )
    old = make_event(
        title="Länge sedan",
        region_code="21",
        status=EventStatus.COMPLETED,
        starts_at=now - timedelta(days=33),
        ends_at=now - timedelta(days=32),
    )

    for url in ("/calendar.ics", "/regions/21/calendar.ics"):
        vevents = icalendar.Calendar.from_ical(client.get(url).data).walk("VEVENT")
        assert [str(v["SUMMARY"]) for v in vevents] == [recent.title, ahead.title], url
    assert b"L\xc3\xa4nge sedan" in client.get(f"/events/{old.id}.ics").data


def test_an_event_growing_too_old_changes_the_feeds_validators(app, make_event, monkeypatch):
    """When an event leaves a feed by age, its count changes (so the ETag) and its
    Last-Modified becomes the moment it left, later than any change of an event: a client
    that only sends If-Modified-Since must drop it too."""
    from app.services.calendars import feeds

    now = datetime.now(UTC).replace(microsecond=0)
    leaves = make_event(region_code="21", starts_at=now - timedelta(days=21), ends_at=now - timedelta(days=20))
    make_event(region_code="21", updated_at=now - timedelta(days=25))
    leaves.updated_at = now - timedelta(days=25)
    db.session.commit()

    with app.test_request_context():
        for region in (None, leaves.region):
            monkeypatch.setitem(app.config, "CALENDAR_FEED_PAST_DAYS", 31)
            before = feeds.feed_version(region)
            assert (before.count, before.last_modified) == (2, now - timedelta(days=25))
            monkeypatch.setitem(app.config, "CALENDAR_FEED_PAST_DAYS", 10)  # as if it had ended 30 days ago
            after = feeds.feed_version(region)
            assert after.count == 1 and after.tag != before.tag
            assert after.last_modified == leaves.ends_at + timedelta(days=10)
            assert b"event-%d@" % leaves.id not in feeds.feed_ics(after, region)


def test_drafts_items_are_not_served(client, make_event, make_item):
    draft = make_event(status=EventStatus.DRAFT, starts_at=local(2027, 5, 5, 9), ends_at=local(2027, 5, 5, 16))
    item = make_item(draft, "Hemlig punkt", local(2027, 5, 5, 9), local(2027, 5, 5, 10))
    assert client.get(f"/events/{draft.id}/agenda/{item.id}.ics").status_code == 404
    other = make_event()
    assert client.get(f"/events/{other.id}/agenda/{item.id}.ics").status_code == 404
    assert client.get(f"/events/{other.id}/agenda/999999.ics").status_code == 404


def test_feed_names_and_refresh_hints(client, make_event):
    make_event(region_code="21")
    cal = icalendar.Calendar.from_ical(client.get("/regions/21/calendar.ics").data)
    assert str(cal["X-WR-CALNAME"]) == "Samverkan – Gävleborg"
    assert cal["METHOD"] == "PUBLISH"
    assert cal.decoded("REFRESH-INTERVAL") == timedelta(hours=1)


# --- HTTP caching -----------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/calendar.ics", "/regions/21/calendar.ics", "event", "item"])
def test_unchanged_calendars_answer_304(client, spring_conference, url):
    event, before, _after = spring_conference
    url = {"event": f"/events/{event.id}.ics", "item": f"/events/{event.id}/agenda/{before.id}.ics"}.get(url, url)
    first = client.get(url)
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "public, max-age=300"
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]

    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag and again.headers["Cache-Control"] == "public, max-age=300"
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    later = format_datetime(datetime.now(UTC) + timedelta(days=1), usegmt=True)
    assert client.get(url, headers={"If-Modified-Since": later}).status_code == 304
    # A current ETag wins over an old date, and an old ETag over a current date.
    assert (
        client.get(
            url, headers={"If-None-Match": etag, "If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}
        ).status_code
        == 304
    )
    assert client.get(url, headers={"If-None-Match": '"other"', "If-Modified-Since": modified}).status_code == 200
    for nonsense in ("yesterday", "", "Mon, 99 Foo 2001 00:00:00 GMT"):
        assert client.get(url, headers={"If-Modified-Since": nonsense}).status_code == 200
    assert client.get(url, headers={"If-None-Match": "garbage, *, W/"}).status_code in (200, 304)


def test_a_change_gives_a_new_etag(client, make_event, organiser):
    event = make_event(region_code="21", starts_at=local(2027, 6, 1, 9), ends_at=local(2027, 6, 1, 16))
    etags = {
        url: client.get(url).headers["ETag"]
        for url in ("/calendar.ics", "/regions/21/calendar.ics", f"/events/{event.id}.ics")
    }
    event.title = "Ny rubrik"
    db.session.commit()
    for url, etag in etags.items():
        response = client.get(url, headers={"If-None-Match": etag})
        assert response.status_code == 200, url
        assert b"Ny rubrik" in response.data
    # A new public event changes the feeds; a new draft does not.
    etag = client.get("/calendar.ics").headers["ETag"]
    make_event(status=EventStatus.DRAFT)
    assert client.get("/calendar.ics", headers={"If-None-Match": etag}).status_code == 304
    make_event(region_code="05")
    assert client.get("/calendar.ics", headers={"If-None-Match": etag}).status_code == 200
    assert (
        client.get("/regions/21/calendar.ics", headers={"If-None-Match": etags["/regions/21/calendar.ics"]}).status_code
        == 200
    )  # (changed by the new title above)


def test_the_event_file_downloads_and_the_feeds_do_not(client, spring_conference):
    event, before, _after = spring_conference
    assert client.get(f"/events/{event.id}.ics").headers["Content-Disposition"] == (
        f'attachment; filename="event-{event.id}.ics"'
    )
    assert "attachment" in client.get(f"/events/{event.id}/agenda/{before.id}.ics").headers["Content-Disposition"]
    assert "Content-Disposition" not in client.get("/calendar.ics").headers


def test_the_feed_checks_freshness_in_one_query(client, app, make_event, count_queries, monkeypatch):
    """The feed's own check, for when the page cache has no copy (another process, a restart)."""
    monkeypatch.setitem(app.config, "PAGE_CACHE_SECONDS", 0)
    for day in range(1, 4):
        make_event(starts_at=local(2027, 4, day, 9), ends_at=local(2027, 4, day, 16))
    etag = client.get("/calendar.ics").headers["ETag"]
    with count_queries() as statements:
        assert client.get("/calendar.ics", headers={"If-None-Match": etag}).status_code == 304
    assert len(statements) == 1
    with count_queries() as statements:
        client.get("/calendar.ics")
    assert len(statements) == 2


def test_an_event_leaving_a_region_feed_is_noticed_by_date_too(client, make_event):
    """A client that only sends If-Modified-Since must not keep an event that moved away."""
    from sqlalchemy import select

    from app.models import Region

    hour_ago = datetime.now(UTC) - timedelta(hours=1)
    stays = make_event(title="Stannar", region_code="21", updated_at=hour_ago)
    moves = make_event(title="Flyttar", region_code="21", updated_at=hour_ago)
    first = client.get("/regions/21/calendar.ics")
    assert first.last_modified == hour_ago.replace(microsecond=0)
    moves.region = db.session.scalar(select(Region).where(Region.code == "05"))
    db.session.commit()
    assert moves.updated_at > stays.updated_at
    response = client.get("/regions/21/calendar.ics", headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert response.status_code == 200
    assert b"Flyttar" not in response.data and b"Stannar" in response.data
    response = client.get("/regions/21/calendar.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/events/abc.ics",
        "/events/1.ics.ics",
        "/events/99999999999999999999.ics",
        "/events/-1.ics",
        "/events/1/agenda/x.ics",
        "/events/99999999999999999999/agenda",
        "/regions/" + "9" * 3000 + "/calendar.ics",
        "/regions/%C3%96/calendar.ics",
        "/calendar.ics?region=%00",
        "/calendar.ics/",
        "/events/99999999999999999999",
        "/api/v1/events/99999999999999999999",
    ],
)
def test_odd_calendar_addresses_never_give_a_500(client, make_event, url):
    make_event()
    assert client.get(url).status_code in (200, 400, 404)
