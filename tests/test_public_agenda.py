"""The public agenda: a section per day, parallel rooms grouped, speakers shown, calendar
links on the pages, the agenda in the API; the same few queries however long the agenda."""

import re

import pytest

from app.extensions import db
from app.models import EventKind, EventStatus
from tests.conftest import local


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def gavle(make_event, make_item):
    """The two-day national conference in Gävle with parallel sessions in two rooms."""
    event = make_event(
        kind=EventKind.NATIONAL_CONFERENCE,
        title="Nationell valideringskonferens",
        region_code="21",
        venue_name="Gävle Konserthus",
        venue_city="Gävle",
        starts_at=local(2018, 11, 13, 10),
        ends_at=local(2018, 11, 14, 15),
        status=EventStatus.COMPLETED,
    )
    landell = ("Elin Landell", "kanslichef", "Valideringsdelegationen")
    make_item(
        event,
        "En nationell strategi för validering",
        local(2018, 11, 13, 10, 20),
        local(2018, 11, 13, 11, 15),
        room="Stora salen",
        speakers=[landell],
        description="Tillgänglig och *likvärdig*.",
    )
    make_item(
        event,
        "Validering inom vård och omsorg",
        local(2018, 11, 13, 12, 15),
        local(2018, 11, 13, 13, 30),
        room="Stora salen",
    )
    make_item(event, "Branschvalidering", local(2018, 11, 13, 12, 15), local(2018, 11, 13, 13, 30), room="Lilla salen")
    make_item(
        event,
        "Modellen i fem steg",
        local(2018, 11, 14, 9, 30),
        local(2018, 11, 14, 10, 30),
        room="Stora salen",
        speakers=[landell, ("Cecilia Stevrin", "projektledare", "Motala kommun")],
    )
    return event


def test_the_agenda_page_has_a_section_per_day_and_groups_parallel_sessions(client, gavle):
    page = text(client.get(f"/events/{gavle.id}/agenda"))
    assert re.search(r"<h1>.*Program.*Nationell valideringskonferens</h1>", page, re.S)
    day_headings = re.findall(r'<h2 class="agenda-day-heading"[^>]*>(.*?)</h2>', page, re.S)
    assert [re.sub(r"<[^>]+>", "", h) for h in day_headings] == [
        "Dag 1: tisdag 13 november 2018",
        "Dag 2: onsdag 14 november 2018",
    ]
    assert '<a class="nav-link border" href="#day-2018-11-14">Dag 2' in page
    assert '<time datetime="2018-11-13T10:20:00+01:00">10:20</time>' in page
    # The two parallel sessions are in one group, each under its room.
    parallel = page.split('class="agenda-slot agenda-parallel"')[1].split('class="agenda-slot"')[0]
    assert "Parallella pass" in parallel and "12:15" in parallel and "13:30" in parallel
    assert parallel.index("Stora salen") < parallel.index("Validering inom vård") < parallel.index("Lilla salen")
    assert parallel.index("Lilla salen") < parallel.index("Branschvalidering")
    # Speakers with role and organisation, in the order given.
    assert (
        '<span class="speaker-name">Elin Landell</span>, kanslichef, '
        '<span class="speaker-organisation">Valideringsdelegationen</span>'
    ) in page
    day_two = page.split('id="day-2018-11-14"')[1]
    assert day_two.index("Elin Landell") < day_two.index("Cecilia Stevrin")
    assert "<em>likvärdig</em>" in page
    # Heading order: h1, h2 for days, h3 for items.
    levels = [int(n) for n in re.findall(r"<h([1-6])", page.split("<main")[1])]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_overlapping_items_in_one_room_are_not_parallel_sessions(client, make_event, make_item):
    event = make_event(starts_at=local(2027, 5, 4, 9), ends_at=local(2027, 5, 4, 16))
    make_item(event, "Inledning", local(2027, 5, 4, 9), local(2027, 5, 4, 10), room="Aulan")
    make_item(event, "Frågestund", local(2027, 5, 4, 9, 45), local(2027, 5, 4, 10, 30), room="aulan ")
    page = text(client.get(f"/events/{event.id}/agenda"))
    assert "agenda-parallel" not in page and "Parallella pass" not in page
    # Each item a line of the list of its own, with its room, as a single item has.
    lines = re.findall(r'<li class="agenda-slot">\s*<article class="agenda-item".*?</article>\s*</li>', page, re.S)
    assert len(lines) == 2
    assert '<p class="agenda-room">Aulan</p>' in lines[0] and "Inledning" in lines[0]
    assert '<p class="agenda-room">aulan</p>' in lines[1] and "Frågestund" in lines[1]
    assert '<time datetime="2027-05-04T09:45:00+02:00">09:45</time>–' in lines[1]


def test_the_event_page_shows_the_agenda_and_calendar_links(client, gavle):
    page = text(client.get(f"/events/{gavle.id}"))
    assert '<h2 id="agenda-heading">Program</h2>' in page
    assert re.search(r'<h3 class="agenda-day-heading"[^>]*>Dag 1', page)
    assert re.search(r'<h4 class="agenda-title"[^>]*>En nationell strategi för validering</h4>', page)
    assert f'href="/events/{gavle.id}.ics"' in page
    assert f'href="/events/{gavle.id}/agenda"' in page
    for item in gavle.agenda_items:  # each item's own calendar file
        assert f'href="/events/{gavle.id}/agenda/{item.id}.ics"' in page
    assert 'href="webcal://localhost/regions/21/calendar.ics">Prenumerera på kalendern för Gävleborg' in page
    assert "http://localhost/regions/21/calendar.ics" in page
    assert 'href="webcal://localhost/calendar.ics">Prenumerera på alla evenemang' in page


def test_the_agenda_is_in_english_too(client, gavle):
    client.set_cookie("lang", "en")
    page = text(client.get(f"/events/{gavle.id}/agenda"))
    assert "Day 1: <time" in page and "Tuesday 13 November 2018" in page and "Parallel sessions" in page


def test_an_event_without_agenda_says_so(client, make_event):
    event = make_event()
    assert "Programmet är inte publicerat än." in text(client.get(f"/events/{event.id}/agenda"))
    assert 'id="agenda-heading"' not in text(client.get(f"/events/{event.id}"))


def test_a_cancelled_event_agenda_says_it_is_cancelled(client, gavle):
    gavle.status = EventStatus.CANCELLED
    db.session.commit()
    assert "Evenemanget är inställt." in text(client.get(f"/events/{gavle.id}/agenda"))


def test_drafts_agendas_are_not_found(client, make_event):
    draft = make_event(status=EventStatus.DRAFT)
    assert client.get(f"/events/{draft.id}/agenda").status_code == 404
    assert client.get("/events/999999/agenda").status_code == 404


def test_home_and_region_pages_offer_subscriptions(client, make_event):
    make_event(region_code="21")
    home = text(client.get("/"))
    assert 'href="webcal://localhost/calendar.ics"' in home
    assert "webcal://localhost/regions/21/calendar.ics" in text(client.get("/?region=21"))
    region = text(client.get("/regions/21"))
    assert 'href="webcal://localhost/regions/21/calendar.ics">Prenumerera på kalendern för Gävleborg' in region


@pytest.mark.parametrize("url", ["/events/{id}/agenda", "/events/{id}", "/api/v1/events/{id}"])
def test_agenda_queries_do_not_grow_with_items_and_speakers(client, make_event, make_item, count_queries, url):
    def queries_for(item_count: int) -> int:
        event = make_event(
            kind=EventKind.NATIONAL_CONFERENCE, starts_at=local(2027, 9, 1, 8), ends_at=local(2027, 9, 2, 18)
        )
        for n in range(item_count):
            day = 1 + n % 2
            make_item(
                event,
                f"Punkt {n}",
                local(2027, 9, day, 8 + n // 2 % 9),
                local(2027, 9, day, 9 + n // 2 % 9),
                room=f"Sal {n % 3}",
                speakers=[(f"Talare {n}-{k}", "roll", f"Organisation {k}") for k in range(3)],
            )
        with count_queries() as statements:
            response = client.get(url.format(id=event.id))
        assert response.status_code == 200
        return len(statements)

    assert queries_for(2) == queries_for(24)


def test_the_api_gives_the_agenda_and_calendar_addresses(client, gavle):
    data = client.get(f"/api/v1/events/{gavle.id}").get_json()["event"]
    assert data["ical_url"] == f"http://localhost/events/{gavle.id}.ics"
    assert [item["title"] for item in data["agenda"]] == [
        "En nationell strategi för validering",
        "Validering inom vård och omsorg",
        "Branschvalidering",
        "Modellen i fem steg",
    ]
    first = data["agenda"][0]
    assert first["starts_at"] == "2018-11-13T10:20:00+01:00" and first["ends_at"] == "2018-11-13T11:15:00+01:00"
    assert first["room"] == "Stora salen"
    assert first["description_html"] == "<p>Tillgänglig och <em>likvärdig</em>.</p>"
    assert first["speakers"] == [
        {"name": "Elin Landell", "role": "kanslichef", "organisation": "Valideringsdelegationen"}
    ]
    assert first["ical_url"].startswith(f"http://localhost/events/{gavle.id}/agenda/")
    assert [s["name"] for s in data["agenda"][3]["speakers"]] == ["Elin Landell", "Cecilia Stevrin"]

    listed = client.get("/api/v1/events").get_json()["events"][0]
    assert listed["ical_url"] == f"http://localhost/events/{gavle.id}.ics"
    assert "agenda" not in listed  # the list stays light; the detail has the agenda


def test_the_api_gives_summer_time_offsets_for_items(client, make_event, make_item):
    event = make_event(starts_at=local(2027, 6, 10, 9), ends_at=local(2027, 6, 10, 16))
    make_item(event, "Sommarpass", local(2027, 6, 10, 9), local(2027, 6, 10, 10))
    item = client.get(f"/api/v1/events/{event.id}").get_json()["event"]["agenda"][0]
    assert item["starts_at"] == "2027-06-10T09:00:00+02:00"


def test_the_demo_gives_the_article_events_their_programmes(client):
    from sqlalchemy import func, select

    from app.demo import load_demo_data
    from app.models import Event, Speaker
    from app.services import agenda

    load_demo_data()
    load_demo_data()  # a second load reuses the speakers
    by_title = {}
    for event in db.session.scalars(select(Event).order_by(Event.id)):
        by_title.setdefault(event.title, event)
        items = agenda.agenda_items(event)
        assert agenda.flagged(event, items) == {}, event.title  # no clashes, nothing outside the times

    linkoping = agenda.agenda_items(by_title["Inspirationsdag om validering i Östergötland"])
    speaking = [(item.title, [s.name for s in item.speakers]) for item in linkoping if item.speakers]
    assert speaking[0] == ("Välkommen och inledning", ["Martin Tollén"])
    assert ("ESF-projektet Validering i Östergötland – en väg in", ["Cecilia Stevrin"]) in speaking
    assert ("Hur står det till med valideringen i landet?", ["Elin Landell"]) in speaking
    tollen = linkoping[1].speakers[0]
    assert (tollen.role, tollen.organisation) == (
        "regionutvecklingsnämndens 1:e vice ordförande",
        "Region Östergötland",
    )

    for title in ("Nationell valideringskonferens", "Nationell konferens: Validering i hela landet"):
        days = agenda.schedule(agenda.agenda_items(by_title[title]))
        assert len(days) == 2, title
        assert all(any(slot.is_parallel for slot in day.slots) for day in days), title
    assert db.session.scalar(select(func.count(Speaker.id)).where(Speaker.name == "Elin Landell")) == 1

    page = text(client.get(f"/events/{by_title['Nationell valideringskonferens'].id}/agenda"))
    assert 'Dag 2: <time datetime="2018-11-14">onsdag 14 november 2018</time>' in page and "Lilla salen" in page


def test_the_public_agenda_reads_what_the_items_hold_in_one_query(gavle, make_item, count_queries):
    """`public_agenda`, which the public pages render, gives the same items, times, rooms,
    descriptions and speakers in the same order as the ORM's `agenda_items`, in one query."""
    from app.services import agenda

    make_item(
        gavle,
        "Panel",
        local(2018, 11, 14, 9),
        local(2018, 11, 14, 10),
        room="Sal B",
        speakers=[("Tredje", "", ""), ("Första", "moderator", "Region Gävleborg"), ("Andra", "", "Komvux")],
    )
    db.session.expire_all()
    db.session.refresh(gavle)
    with count_queries() as statements:
        public = agenda.public_agenda(gavle)
    assert len(statements) == 1
    expected = [
        (
            item.id,
            item.starts_at,
            item.ends_at,
            item.title,
            item.room,
            item.description_html,
            [(s.name, s.role, s.organisation) for s in item.speakers],
        )
        for item in agenda.agenda_items(gavle)
    ]
    assert [
        (
            item.id,
            item.starts_at,
            item.ends_at,
            item.title,
            item.room,
            item.description_html,
            [(s.name, s.role, s.organisation) for s in item.speakers],
        )
        for item in public
    ] == expected
    assert any(len(speakers) == 3 for *_, speakers in expected)
    assert any(not speakers for *_, speakers in expected)
