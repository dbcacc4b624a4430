"""In a real browser (the issue's "Done when"): a contact in Kronoberg asks for a visit and
follows it through the link in the email a real SMTP server received; an organiser accepts
it, completes and publishes the draft event, and the requester is told; the region page and
the national overview show the new event and the region's step. Swedish and English; axe on
every page."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.services import mail
from tests.conftest import PASSWORD
from tests.mailserver import text_part

pytestmark = pytest.mark.browser

CONTACT = "karin.kronoberg@example.se"


def deliver(mail_server, address):
    """Let the mail worker run, and return what the SMTP server received for the address."""
    db.session.remove()
    mail.deliver_due()
    return mail_server.to(address)


def link_in(message, path_pattern=r"/visit/[\w-]{43}"):
    return re.search(rf"http://127\.0\.0\.1:\d+{path_pattern}", text_part(message)).group(0)


def test_a_region_asks_for_a_visit_and_follows_it_until_the_event_is_published(
    live_server, browser, page, axe_check, organiser, mail_server, mail_links_to
):
    mail_links_to(live_server)
    organiser_email = organiser.email  # `deliver` ends the test's session, detaching the fixture
    day = date.today() + timedelta(days=45)
    while day.weekday() >= 5:
        day += timedelta(days=1)

    # The contact finds the form from the region's page.
    page.goto(f"{live_server}/regions/07")
    page.get_by_role("link", name="Vill ni att vi kommer till Kronoberg? Be om ett besök").click()
    expect(page.get_by_role("heading", name="Vill du att vi kommer till din region?")).to_be_visible()
    expect(page.get_by_role("combobox", name="Region")).to_have_value("07")
    axe_check(page)
    page.get_by_label("Typ av evenemang").select_option("inspiration_day")
    page.get_by_label("Tidigaste datum").fill(day.isoformat())
    page.get_by_label("Kommun").check()
    page.get_by_label("Vuxenutbildning").check()
    page.get_by_label("Ungefärligt antal deltagare").fill("90")
    page.get_by_label("Meddelande").fill("Vi vill samla kommunerna kring validering.")
    page.get_by_label("Ditt namn").fill("Karin Kronoberg")
    page.get_by_label("E-postadress").fill(CONTACT)
    page.get_by_label("Organisation").fill("Region Kronoberg")
    page.get_by_role("button", name="Skicka förfrågan").click()  # no consent yet
    consent = "Du behöver godkänna integritetspolicyn för att skicka förfrågan."
    expect(page.locator("#consent-error")).to_have_text(consent)
    # The error summary at the top names it too, as a link to the box to tick.
    expect(page.locator("[data-error-summary]").get_by_role("link", name=consent)).to_have_attribute("href", "#consent")
    axe_check(page)
    page.get_by_label("Jag godkänner").check()
    page.get_by_role("button", name="Skicka förfrågan").click()
    expect(page.get_by_text("Tack! Er förfrågan är skickad.")).to_be_visible()
    axe_check(page)

    # The confirmation reached the mail server; its link opens the status page in a fresh browser.
    [confirmation] = deliver(mail_server, CONTACT)
    status_link = link_in(confirmation)
    requester = browser.new_context(locale="sv-SE").new_page()
    requester.goto(status_link)
    expect(requester.locator("[data-visit-status]")).to_have_text("Ny")
    axe_check(requester)

    # An organiser accepts the request.
    organiser_page = browser.new_context(locale="sv-SE").new_page()
    organiser_page.goto(f"{live_server}/login")
    organiser_page.get_by_label("E-postadress").fill(organiser_email)
    organiser_page.get_by_label("Lösenord").fill(PASSWORD)
    organiser_page.get_by_role("button", name="Logga in").click()
    organiser_page.get_by_role("link", name="Besöksförfrågningar").click()
    axe_check(organiser_page)
    organiser_page.get_by_role("link", name="Inspirationsdag – Karin Kronoberg").click()
    expect(organiser_page.get_by_text("Vi vill samla kommunerna kring validering.")).to_be_visible()
    axe_check(organiser_page)
    organiser_page.get_by_role("link", name="Godkänn och gör ett utkast till evenemang").click()
    question = organiser_page.get_by_role("heading", name="Vill du godkänna förfrågan från Karin Kronoberg?")
    expect(question).to_be_visible()
    axe_check(organiser_page)
    organiser_page.get_by_label("Meddelande med godkännandet (frivilligt)").fill("Vi kommer gärna till er!")
    organiser_page.get_by_role("button", name="Ja, godkänn och gör ett utkast").click()
    expect(organiser_page.get_by_text("Förfrågan är godkänd")).to_be_visible()
    expect(organiser_page.get_by_label("Rubrik")).to_have_value("Inspirationsdag i Kronoberg")
    expect(organiser_page.get_by_label("Börjar")).to_have_value(f"{day.isoformat()}T09:00")
    axe_check(organiser_page)

    requester.reload()
    expect(requester.locator("[data-visit-status]")).to_have_text("Godkänd")
    expect(requester.get_by_text("Vi kommer gärna till er!")).to_be_visible()

    # Publishing needs a venue; then the requester is told, with the event's link.
    organiser_page.get_by_label("Lokal").fill("Regionhuset")
    organiser_page.get_by_label("Ort").fill("Växjö")
    organiser_page.get_by_role("button", name="Spara").click()
    expect(organiser_page.get_by_text("Gjord av en besöksförfrågan från Kronoberg")).to_be_visible()
    axe_check(organiser_page)
    organiser_page.get_by_role("button", name="Publicera").click()
    expect(organiser_page.get_by_text("Evenemanget är publicerat.")).to_be_visible()

    received = deliver(mail_server, CONTACT)
    assert [m["Subject"] for m in received][1:] == [
        "Din besöksförfrågan är godkänd",
        "Ert besök är planerat: Inspirationsdag i Kronoberg",
    ]
    event_link = link_in(received[-1], r"/events/\d+")
    requester.reload()
    expect(requester.locator("[data-visit-status]")).to_have_text("Planerad")
    requester.get_by_role("link", name="Inspirationsdag i Kronoberg").click()
    expect(requester).to_have_url(event_link)
    expect(requester.get_by_role("heading", name="Inspirationsdag i Kronoberg")).to_be_visible()

    # The requester reads the status page in English.
    requester.goto(status_link)
    requester.get_by_role("link", name="English").click()
    expect(requester.get_by_role("heading", name="Your visit request")).to_be_visible()
    expect(requester.locator("[data-visit-status]")).to_have_text("Scheduled")
    axe_check(requester)
    requester.context.close()

    # The region page shows the new event; the organiser records the region's step.
    organiser_page.goto(f"{live_server}/regions/07")
    expect(organiser_page.get_by_role("link", name="Inspirationsdag i Kronoberg")).to_be_visible()
    organiser_page.get_by_label("Steg", exact=True).select_option("2")
    organiser_page.get_by_role("button", name="Registrera steg").click()
    expect(organiser_page.get_by_text("Nuvarande steg: 2. Samla aktörerna")).to_be_visible()
    axe_check(organiser_page)

    # The national overview shows both, in Swedish and in English.
    organiser_page.get_by_role("link", name="Översikt").click()
    kronoberg = organiser_page.locator('tr[data-region="07"]')
    expect(kronoberg.locator("[data-step]")).to_contain_text("2. Samla aktörerna")
    expect(kronoberg.locator("[data-next-event]")).to_contain_text(str(day.year))
    expect(kronoberg.locator("[data-open-visits]")).to_have_text("0")
    expect(organiser_page.locator('svg.tile-map g[data-region="07"]')).to_have_attribute("data-level", "2")
    axe_check(organiser_page)
    organiser_page.get_by_label("Färglägg kartan efter").select_option("held_overall")
    organiser_page.get_by_role("button", name="Visa").click()
    organiser_page.get_by_role("link", name="Nästa evenemang").click()
    expect(organiser_page.locator("tbody tr").first).to_have_attribute("data-region", "07")
    expect(organiser_page.locator("th[aria-sort]")).to_contain_text("Nästa evenemang")
    organiser_page.get_by_role("link", name="English").click()
    expect(organiser_page.get_by_role("heading", name="National overview")).to_be_visible()
    axe_check(organiser_page)
    organiser_page.goto(f"{live_server}/manage/visits?status=all")
    expect(organiser_page.get_by_role("heading", name="Visit requests")).to_be_visible()
    expect(organiser_page.locator("td[data-visit-status]")).to_contain_text("Scheduled")
    axe_check(organiser_page)
    organiser_page.goto(f"{live_server}/visit")
    expect(organiser_page.get_by_role("heading", name="Do you want us to come to your region?")).to_be_visible()
    axe_check(organiser_page)
    organiser_page.context.close()


def test_a_contact_answers_a_proposal_in_the_browser(
    live_server, browser, page, axe_check, organiser, mail_server, mail_links_to
):
    from app.services import visits
    from app.services.visits import VisitDetails

    mail_links_to(live_server)
    organiser_email = organiser.email
    visits.propose(
        VisitDetails(
            region_code="20",
            contact_name="Dan Dalarna",
            contact_email="dan@example.se",
            kind="workshop",
            period_text="våren 2027",
            message="Vi vill gärna hålla en workshop hos er.",
        ),
        organiser,
        locale="en",
    )
    [proposal] = deliver(mail_server, "dan@example.se")
    assert proposal["Subject"] == "Would you like a visit to Dalarna?"

    page.goto(link_in(proposal))
    expect(page.get_by_text("Vi vill gärna hålla en workshop hos er.")).to_be_visible()
    axe_check(page)
    page.get_by_label("Ja, men under en annan period").check()
    page.get_by_role("button", name="Skicka svar").click()
    expect(page.locator("#period_start-error")).to_contain_text("Ange en period")
    axe_check(page)
    page.get_by_label("Eller beskriv perioden").fill("hösten 2027")
    page.get_by_label("Meddelande (frivilligt)").fill("Hösten passar bättre.")
    page.get_by_role("button", name="Skicka svar").click()
    expect(page.get_by_text("Tack för ert svar.")).to_be_visible()
    expect(page.locator("[data-visit-status]")).to_have_text("Under behandling")
    expect(page.locator("[data-visit-period]")).to_have_text("hösten 2027")
    told = deliver(mail_server, organiser_email)
    assert told[-1]["Subject"] == "Dalarna föreslår en annan period för ett besök"
