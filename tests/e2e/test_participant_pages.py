"""In a real browser: an organiser finds a participant, checks people in on a phone,
opens the printable list and reads the mail that was sent; every page passes axe."""

import pytest
from playwright.sync_api import expect

from app.services import registrations
from app.services.registrations import RegistrationDetails
from tests.e2e.steps import log_in

pytestmark = pytest.mark.browser


def test_organiser_participant_pages(live_server, browser, page, axe_check, organiser, make_event):
    event = make_event(title="Workshop: validering i praktiken", capacity=2, organisers=[organiser])
    for name, email, sector in [
        ("Karin Lind", "karin@example.se", "municipality"),
        ("Åsa Öberg", "asa@example.se", "adult_education"),
        ("Per Persson", "per@example.se", "employer"),
    ]:
        registrations.register(
            event,
            RegistrationDetails(name=name, email=email, sector=sector, municipality="Motala", consent=True),
            locale="sv",
        )

    log_in(page, live_server, organiser)
    page.get_by_role("link", name=event.title).click()
    expect(page.get_by_text("2 bekräftade, 1 på reservlistan")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Deltagare", exact=True).click()
    axe_check(page)
    page.get_by_role("searchbox", name="Sök").fill("åsa")
    page.get_by_role("button", name="Visa").click()
    expect(page.get_by_role("cell", name="Per Persson")).to_have_count(0)
    expect(page.get_by_text("asa@example.se")).to_be_visible()
    page.get_by_label("Status").select_option("waitlisted")
    page.get_by_role("searchbox", name="Sök").fill("")
    page.get_by_role("button", name="Visa").click()
    page.get_by_role("button", name="Bekräfta").click()
    expect(page.get_by_text("Per Persson är bekräftad.")).to_be_visible()
    expect(page.get_by_text("fler deltagare än platser")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Utskriftsvänlig lista").click()
    expect(page.get_by_role("cell", name="Per Persson")).to_be_visible()
    axe_check(page)

    phone = browser.new_context(locale="sv-SE", viewport={"width": 375, "height": 740}, is_mobile=True)
    phone.add_cookies(page.context.cookies())
    door = phone.new_page()
    door.goto(f"{live_server}/manage/events/{event.id}/checkin")
    expect(door.get_by_text("0 av 3 incheckade")).to_be_visible()
    axe_check(door)
    door.get_by_role("button", name="Checka in Karin Lind").click()
    expect(door.get_by_text("1 av 3 incheckade")).to_be_visible()
    door.get_by_role("button", name="Ångra incheckningen av Karin Lind").click()
    expect(door.get_by_text("0 av 3 incheckade")).to_be_visible()
    axe_check(door)
    phone.close()

    page.goto(f"{live_server}/manage/events/{event.id}/mail")
    expect(page.get_by_text("Ingen e-postserver är inställd")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name=f"Du har fått en plats: {event.title}").click()
    expect(page.get_by_role("heading", name="Länkar i meddelandet")).to_be_visible()
    axe_check(page)
