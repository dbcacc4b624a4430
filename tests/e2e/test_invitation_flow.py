"""In a real browser: an organiser invites three addresses by pasting them; the mail
arrives at a real SMTP server; one invitee registers through the link in it (the
address locked to the invited one), one declines; the organiser sees each state.
Then the address book: a list imported through its preview, people invited by region
and sector, and the unsubscribe link. Every page passes axe."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import Contact, Registration
from app.services import mail
from tests.e2e.steps import log_in
from tests.mailserver import html_part, text_part

pytestmark = pytest.mark.browser


@pytest.fixture
def visitor(browser):
    """Another person with their own cookies."""
    contexts = []

    def open_page():
        context = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
        contexts.append(context)
        new_page = context.new_page()
        new_page.set_default_timeout(10_000)
        return new_page

    yield open_page
    for context in contexts:
        context.close()


def invitation_link(live_server, message) -> str:
    return re.search(rf"{re.escape(live_server)}/i/[\w-]+", text_part(message)).group(0)


def test_an_organiser_invites_three_one_registers_one_declines(
    live_server, page, visitor, axe_check, organiser, make_event, mail_server, mail_links_to
):
    mail_links_to(live_server)
    event = make_event(
        title="Uppstartskonferens om validering i Norrbotten",
        region_code="25",
        invitation_only=True,
        capacity=80,
        organisers=[organiser],
    )
    log_in(page, live_server, organiser)

    page.goto(f"{live_server}/manage/events/{event.id}")
    page.get_by_role("link", name="Inbjudningar").click()
    expect(page.get_by_text("Ingen är inbjuden än.")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Bjud in med adresser eller CSV").click()
    axe_check(page)
    page.get_by_label("Klistra in adresser").fill(
        "Anna Andersson <anna.andersson@lulea.se>\nBo Berg <bo.berg@kiruna.se>\ncilla.ek@pitea.se\n"
    )
    page.get_by_role("button", name="Förhandsgranska").click()
    expect(page.get_by_role("heading", name="Kontrollera listan innan du bjuder in")).to_be_visible()
    expect(page.locator("[data-count=valid]")).to_have_text("3")
    axe_check(page)
    page.get_by_role("button", name="Bjud in alla 3").click()
    expect(page.get_by_text("3 inbjudningar är skickade.")).to_be_visible()
    axe_check(page)

    assert mail.deliver_due().sent == 3
    [to_anna] = mail_server.to("anna.andersson@lulea.se")
    [to_bo] = mail_server.to("bo.berg@kiruna.se")
    assert to_anna["Subject"] == f"Inbjudan: {event.title}"
    assert invitation_link(live_server, to_anna) in html_part(to_anna)

    anna = visitor()
    anna.goto(invitation_link(live_server, to_anna))
    expect(anna.get_by_role("heading", name=event.title)).to_be_visible()
    email = anna.get_by_label("E-postadress")
    expect(email).to_have_value("anna.andersson@lulea.se")
    expect(email).not_to_be_editable()
    expect(anna.get_by_label("Namn")).to_have_value("Anna Andersson")
    axe_check(anna)
    anna.get_by_label("Organisation").fill("Luleå kommun")
    anna.get_by_label("Sektor").select_option("municipality")
    anna.get_by_role("button", name="Anmäl dig").click()
    expect(anna.locator("#consent-error")).to_be_visible()
    axe_check(anna)
    anna.get_by_label("Jag godkänner").check()
    anna.get_by_role("button", name="Anmäl dig").click()
    expect(anna.get_by_text("Du är anmäld till")).to_be_visible()
    axe_check(anna)
    assert db.session.scalar(select(Registration.email)) == "anna.andersson@lulea.se"
    mail.deliver_due()
    assert mail_server.to("anna.andersson@lulea.se")[-1]["Subject"].startswith("Bekräftelse på anmälan")

    bo = visitor()
    bo.goto(invitation_link(live_server, to_bo))
    bo.get_by_role("button", name="Tacka nej till inbjudan").click()
    expect(bo.get_by_text("Tack för att du hör av dig")).to_be_visible()
    expect(bo.get_by_text("Du har tackat nej till inbjudan.")).to_be_visible()
    axe_check(bo)

    page.reload()
    rows = page.locator("tr[data-invitation]")
    expect(page.locator('tr[data-invitation="anna.andersson@lulea.se"]')).to_contain_text("Anmäld")
    expect(page.locator('tr[data-invitation="bo.berg@kiruna.se"]')).to_contain_text("Avböjd")
    expect(page.locator('tr[data-invitation="cilla.ek@pitea.se"]')).to_contain_text("Skickad, inte öppnad")
    expect(rows).to_have_count(3)
    page.locator('tr[data-invitation="bo.berg@kiruna.se"] summary').click()
    expect(page.locator('tr[data-invitation="bo.berg@kiruna.se"]')).to_contain_text("Inbjudan skickad")
    axe_check(page)

    page.get_by_role("link", name="Påminn dem som inte har svarat").click()
    expect(page.get_by_role("checkbox")).to_have_count(1)
    axe_check(page)
    page.get_by_role("button", name="Skicka påminnelserna").click()
    expect(page.get_by_text("1 påminnelse är skickad.")).to_be_visible()


def test_the_address_book_invites_by_region_and_sector_and_honours_unsubscribes(
    live_server, page, visitor, axe_check, organiser, make_event
):
    event = make_event(title="Inspirationsdag i Linköping", organisers=[organiser])
    log_in(page, live_server, organiser)

    page.get_by_role("link", name="Adressbok").click()
    axe_check(page)
    page.get_by_role("link", name="Importera en lista").click()
    axe_check(page)
    page.get_by_label("Klistra in adresser").fill(
        "namn;e-post;organisation;sektor;kommun\n"
        "Gun Gren;gun@linkoping.se;Linköpings kommun;Kommun;Linköping\n"
        "Hans Holm;hans@norrkoping.se;Komvux Norrköping;Vuxenutbildning;Norrköping\n"
        "Ida Isaksson;ida@example.se;Företagarna;Arbetsgivare;Motala\n"
        "Trasig rad;inte-en-adress;;;\n"
    )
    page.get_by_label("Region för rader utan region").select_option("05")
    page.get_by_role("button", name="Förhandsgranska").click()
    expect(page.get_by_text("Inte en giltig e-postadress.")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Lägg till 3 kontakter").click()
    expect(page.get_by_text("3 kontakter är tillagda.")).to_be_visible()

    page.goto(f"{live_server}/manage/events/{event.id}/invitations/from-contacts")
    page.get_by_role("combobox", name="Region").select_option("05")
    page.get_by_label("Kommun", exact=True).check()
    page.get_by_label("Vuxenutbildning").check()
    page.get_by_role("button", name="Visa").click()
    expect(page.get_by_role("checkbox", name="Bjud in gun@linkoping.se")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Bjud in hans@norrkoping.se")).to_be_checked()
    expect(page.get_by_text("ida@example.se")).to_have_count(0)
    axe_check(page)
    page.get_by_role("button", name="Förhandsgranska inbjudningarna").click()
    page.get_by_role("button", name="Bjud in alla 2").click()
    expect(page.get_by_text("2 inbjudningar är skickade.")).to_be_visible()

    ida = db.session.scalar(select(Contact).where(Contact.email == "ida@example.se"))
    person = visitor()
    person.goto(f"{live_server}/u/{ida.unsubscribe_token}")
    axe_check(person)
    person.get_by_role("button", name="Avregistrera mig från inbjudningar").click()
    expect(person.get_by_text("ida@example.se får inga fler inbjudningar från oss.")).to_be_visible()
    axe_check(person)

    page.goto(f"{live_server}/manage/events/{event.id}/invitations/new")
    page.get_by_label("Klistra in adresser").fill("ida@example.se\nny@example.se")
    page.get_by_role("button", name="Förhandsgranska").click()
    expect(page.get_by_text("Har avregistrerat sig från inbjudningar.")).to_be_visible()
    page.get_by_role("button", name="Bjud in den 1 giltiga").click()
    expect(page.get_by_text("1 inbjudan är skickad.")).to_be_visible()
