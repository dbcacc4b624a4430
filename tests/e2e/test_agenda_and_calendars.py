"""In a real browser: a visitor reads the two-day Gävle conference's agenda, downloads its
.ics and finds Gävleborg's feed; an organiser builds an agenda. Every page passes axe,
also 390 px wide."""

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from playwright.sync_api import expect

from app.models import EventKind, EventStatus
from tests.conftest import local
from tests.e2e.steps import log_in

pytestmark = pytest.mark.browser

STOCKHOLM = ZoneInfo("Europe/Stockholm")
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def gavle(make_event, make_item):
    event = make_event(
        kind=EventKind.NATIONAL_CONFERENCE,
        title="Nationell valideringskonferens",
        region_code="21",
        venue_name="Gävle Konserthus",
        venue_city="Gävle",
        status=EventStatus.COMPLETED,
        starts_at=local(2018, 11, 13, 10),
        ends_at=local(2018, 11, 14, 15),
        description="Region Gävleborg anordnar en nationell konferens om validering.",
    )
    landell = ("Elin Landell", "kanslichef", "Valideringsdelegationen")
    make_item(
        event,
        "En nationell strategi för validering",
        local(2018, 11, 13, 10, 20),
        local(2018, 11, 13, 11, 15),
        room="Stora salen",
        speakers=[landell],
    )
    make_item(
        event,
        "Validering inom vård och omsorg",
        local(2018, 11, 13, 12, 15),
        local(2018, 11, 13, 13, 30),
        room="Stora salen",
    )
    make_item(
        event,
        "Branschvalidering – arbetslivets modeller",
        local(2018, 11, 13, 12, 15),
        local(2018, 11, 13, 13, 30),
        room="Lilla salen",
    )
    make_item(
        event,
        "Modellen i fem steg för regional samverkan",
        local(2018, 11, 14, 9, 30),
        local(2018, 11, 14, 10, 30),
        room="Stora salen",
        speakers=[landell],
    )
    return event


def no_sideways_scrolling(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a phone"


def test_a_visitor_reads_the_agenda_and_takes_it_to_the_calendar(
    live_server, page, browser, axe_check, gavle, make_event
):
    coming = make_event(title="Inspirationsdag i Gävle", region_code="21")
    page.goto(f"{live_server}/regions/21")
    axe_check(page)
    page.get_by_role("link", name="Nationell valideringskonferens").click()
    expect(page.get_by_role("heading", level=1, name="Nationell valideringskonferens")).to_be_visible()
    expect(page.get_by_role("heading", name="Dag 1: tisdag 13 november 2018")).to_be_visible()
    expect(page.get_by_role("heading", name="Dag 2: onsdag 14 november 2018")).to_be_visible()
    expect(page.get_by_text("Parallella pass")).to_be_visible()
    expect(page.get_by_role("heading", name="Modellen i fem steg för regional samverkan")).to_be_visible()
    expect(page.get_by_text("Valideringsdelegationen").first).to_be_visible()
    axe_check(page)

    # The .ics downloads and has the conference's local times.
    with page.expect_download() as download:
        page.get_by_role("link", name="Lägg till i kalendern (.ics)").click()
    data = Path(download.value.path()).read_bytes()
    [vevent] = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert vevent.decoded("DTSTART") == datetime(2018, 11, 13, 10, tzinfo=STOCKHOLM)
    assert vevent.decoded("DTEND") == datetime(2018, 11, 14, 15, tzinfo=STOCKHOLM)
    parsed = vobject.readOne(data.decode()).vevent
    assert (parsed.dtstart.value.hour, parsed.dtstart.value.utcoffset().total_seconds()) == (10, 3600)
    assert parsed.summary.value == "Nationell valideringskonferens"

    # The subscribe link is a webcal:// link to Gävleborg's feed, which holds what is ahead there;
    # the 2018 conference left it a month after it ended (its own file above stays).
    subscribe = page.get_by_role("link", name="Prenumerera på kalendern för Gävleborg")
    href = subscribe.get_attribute("href")
    assert re.fullmatch(r"webcal://127\.0\.0\.1:\d+/regions/21/calendar\.ics", href)
    feed = page.request.get(href.replace("webcal://", "http://"))
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    uids = [str(v["UID"]) for v in icalendar.Calendar.from_ical(feed.body()).walk("VEVENT")]
    assert uids == [f"event-{coming.id}@samverkan.localhost"]
    assert [v.uid.value for v in vobject.readOne(feed.text()).vevent_list] == uids

    # The agenda's own page, and printing it: no navigation, no buttons.
    page.get_by_role("link", name="Program att skriva ut").click()
    expect(page.get_by_role("heading", name="Dag 2: onsdag 14 november 2018")).to_be_visible()
    axe_check(page)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".agenda-ics").first).to_be_hidden()
    expect(page.get_by_role("heading", name="En nationell strategi för validering")).to_be_visible()

    # On a phone: everything fits the width and still passes axe.
    phone = browser.new_context(viewport=PHONE, locale="sv-SE", timezone_id="Europe/Stockholm")
    try:
        mobile = phone.new_page()
        for url in (f"/events/{gavle.id}", f"/events/{gavle.id}/agenda"):
            mobile.goto(f"{live_server}{url}")
            expect(mobile.get_by_text("Parallella pass")).to_be_visible()
            no_sideways_scrolling(mobile)
            axe_check(mobile)
    finally:
        phone.close()


def test_an_organiser_adds_two_items_the_second_after_the_first(
    live_server, page, browser, axe_check, organiser, make_event
):
    event = make_event(
        kind=EventKind.NATIONAL_CONFERENCE,
        title="Nationell konferens 2027",
        region_code="21",
        starts_at=local(2027, 11, 16, 10),
        ends_at=local(2027, 11, 17, 15),
        organisers=[organiser],
    )
    log_in(page, live_server, organiser)
    page.goto(f"{live_server}/manage/events/{event.id}")
    page.get_by_role("link", name="Program", exact=True).click()
    expect(page.get_by_text("Programmet är tomt.")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Lägg till en programpunkt").click()
    expect(page.get_by_label("Börjar")).to_have_value("10:00")  # the event's start
    axe_check(page)
    page.get_by_label("Rubrik").fill("Välkommen till Gävleborg")
    page.get_by_label("Slutar").fill("10:20")
    page.get_by_label("Lokal eller spår").fill("Stora salen")
    page.get_by_label("Eller en ny talare: namn").first.fill("Elin Landell")
    page.get_by_label("Roll").first.fill("kanslichef")
    page.get_by_label("Organisation").first.fill("Valideringsdelegationen")
    page.get_by_role("button", name="Spara och lägg till nästa programpunkt").click()

    # The next item starts where the first ends, in the same room.
    expect(page.get_by_text("Programpunkten är tillagd i programmet.")).to_be_visible()
    expect(page.get_by_label("Börjar")).to_have_value("10:20")
    expect(page.get_by_label("Lokal eller spår")).to_have_value("Stora salen")
    axe_check(page)
    page.get_by_label("Rubrik").fill("En nationell strategi för validering")
    page.get_by_label("Slutar").fill("11:15")
    page.get_by_label("Tidigare talare").first.select_option(label="Elin Landell, kanslichef, Valideringsdelegationen")
    page.get_by_role("button", name="Spara", exact=True).click()

    expect(page.get_by_role("heading", name="tisdag 16 november 2027")).to_be_visible()
    titles = page.locator(".manage-agenda .agenda-title").all_inner_texts()
    assert titles == ["Välkommen till Gävleborg", "En nationell strategi för validering"]
    expect(page.get_by_text("Elin Landell").nth(1)).to_be_visible()
    axe_check(page)

    # The organiser's pages work on a phone too.
    phone = browser.new_context(
        viewport=PHONE, locale="sv-SE", timezone_id="Europe/Stockholm", storage_state=page.context.storage_state()
    )
    try:
        mobile = phone.new_page()
        for url in (f"/manage/events/{event.id}/agenda", f"/manage/events/{event.id}/agenda/new"):
            mobile.goto(f"{live_server}{url}")
            no_sideways_scrolling(mobile)
            axe_check(mobile)
    finally:
        phone.close()

    # And the public agenda shows what was built.
    page.goto(f"{live_server}/events/{event.id}/agenda")
    expect(page.get_by_role("heading", name="En nationell strategi för validering")).to_be_visible()
    expect(page.get_by_text("10:20–11:15").first).to_be_visible()
