"""In a real browser on a phone-sized screen: a visitor takes the last seat and gets the
confirmation through a real SMTP server; the next visitor is waitlisted; the first cancels
through the link in the mail and the waitlisted one is confirmed and emailed. Every page
passes axe."""

import re

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from app.services import mail, registrations
from app.services.registrations import RegistrationDetails
from tests.mailserver import attachments, text_part

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def phone(browser):
    """Another visitor with their own cookies, on a small touch screen."""
    contexts = []

    def open_page():
        context = browser.new_context(
            locale="sv-SE", timezone_id="Europe/Stockholm", viewport=PHONE, is_mobile=True, has_touch=True
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def fill_registration(page, name, email, *, consent=True):
    page.get_by_label("Namn").fill(name)
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Organisation").fill("Norrköpings kommun")
    page.get_by_label("Sektor").select_option("municipality")
    page.get_by_label("Kommun", exact=True).fill("Norrköping")
    page.get_by_label("Specialkost").fill("Vegetarisk")
    if consent:
        page.get_by_label("Jag godkänner").check()
    page.get_by_role("button", name="Anmäl dig").click()


def delivered_to(mail_server, address):
    assert mail.deliver_due().failed == 0
    return mail_server.to(address)


def calendar_method(message) -> str:
    ics = attachments(message)["event.ics"]
    return str(Calendar.from_ical(ics.get_payload(decode=True))["method"])


def test_last_seat_waiting_list_and_automatic_promotion(
    live_server, phone, axe_check, make_event, mail_server, mail_links_to
):
    mail_links_to(live_server)
    event = make_event(title="Inspirationsdag om validering i Östergötland", capacity=2)
    registrations.register(
        event,
        RegistrationDetails(name="Redan Anmäld", email="redan@example.se", sector="region", consent=True),
        locale="sv",
    )

    first = phone()
    first.goto(f"{live_server}/events/{event.id}")
    expect(first.get_by_role("heading", name=event.title)).to_be_visible()
    axe_check(first)
    first.get_by_role("link", name="Anmäl dig").click()
    axe_check(first)
    fill_registration(first, "Karin Lind", "karin@example.se", consent=False)
    expect(first.locator("#consent-error")).to_contain_text("Du behöver godkänna integritetspolicyn")
    axe_check(first)
    first.get_by_label("Jag godkänner").check()
    first.get_by_role("button", name="Anmäl dig").click()
    expect(first.get_by_role("heading", name="Tack! Titta i din e-post")).to_be_visible()
    expect(first.get_by_text("karin@example.se")).to_be_visible()
    axe_check(first)

    [confirmation] = delivered_to(mail_server, "karin@example.se")
    assert confirmation["Subject"] == f"Bekräftelse på anmälan: {event.title}"
    assert calendar_method(confirmation) == "REQUEST"
    assert b"ATTENDEE" in attachments(confirmation)["event.ics"].get_payload(decode=True)
    manage_link = re.search(rf"{re.escape(live_server)}/r/[\w-]+", text_part(confirmation)).group(0)

    second = phone()
    second.goto(f"{live_server}/events/{event.id}")
    second.get_by_role("link", name="Ställ dig på reservlistan").click()
    expect(second.get_by_text("Evenemanget är fullt.")).to_be_visible()
    fill_registration(second, "Åsa Öberg", "asa@example.se")
    expect(second.get_by_role("heading", name="Tack! Titta i din e-post")).to_be_visible()
    axe_check(second)
    [waitlisted] = delivered_to(mail_server, "asa@example.se")
    assert waitlisted["Subject"].startswith("Du står på reservlistan")

    first.goto(manage_link)
    expect(first.get_by_role("heading", name="Din anmälan")).to_be_visible()
    axe_check(first)
    first.get_by_role("link", name="Avanmäl mig").click()
    expect(first.get_by_role("heading", name=f"Vill du avanmäla dig från {event.title}?")).to_be_visible()
    axe_check(first)
    first.get_by_role("link", name="Nej, behåll min anmälan").click()  # a second thought changes nothing
    expect(first.get_by_role("heading", name="Din anmälan")).to_be_visible()
    first.get_by_role("link", name="Avanmäl mig").click()
    first.get_by_role("button", name="Ja, avanmäl mig").click()
    expect(first.get_by_text("Du är avanmäld.")).to_be_visible()
    axe_check(first)

    delivered = delivered_to(mail_server, "asa@example.se")
    assert len(delivered) == 2
    promoted = delivered[-1]
    assert promoted["Subject"] == f"Du har fått en plats: {event.title}"
    assert calendar_method(promoted) == "REQUEST"
    [_, cancelled] = mail_server.to("karin@example.se")
    assert calendar_method(cancelled) == "CANCEL"

    promoted_link = re.search(rf"{re.escape(live_server)}/r/[\w-]+", text_part(promoted)).group(0)
    second.goto(promoted_link)
    expect(second.locator("[data-registration-status]")).to_have_text("Bekräftad")
    expect(second.get_by_text("Du är anmäld till")).to_have_count(0)  # said right after registering only
    axe_check(second)
