"""In a real browser: an organiser logs in, creates and publishes an event, and a
visitor finds it on the home page and its region page; every page passes axe."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_organiser_publishes_an_event_and_a_visitor_finds_it(live_server, page, axe_check, organiser, make_event):
    make_event(title="Inspirationsdag i Kalmar", region_code="08")

    page.goto(f"{live_server}/")
    expect(page.get_by_role("heading", name="Kommande evenemang")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Logga in").click()
    axe_check(page)
    page.get_by_label("E-postadress").fill(organiser.email)
    page.get_by_label("Lösenord").fill("wrong password")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_text("Fel e-postadress eller lösenord.")).to_be_visible()
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="Mina evenemang")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Nytt evenemang").first.click()
    page.get_by_label("Rubrik").fill("Uppstartskonferens i Kronoberg")
    page.get_by_label("Typ av evenemang").select_option("regional_conference")
    page.get_by_label("Region", exact=True).select_option("07")
    page.get_by_label("Beskrivning").fill("Vi samlar **regionens aktörer**.")
    page.get_by_label("Börjar").fill("2027-02-12T09:30")
    page.get_by_label("Slutar").fill("2027-02-12T08:00")  # wrong on purpose
    page.get_by_label("Lokal").fill("Regionhuset")
    page.get_by_label("Ort").fill("Växjö")
    page.get_by_label("Antal platser").fill("80")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".invalid-feedback", has_text="Evenemanget måste sluta efter att det börjar.")).to_be_visible()
    # ... and the error summary at the top links to the field.
    expect(page.locator("[data-error-summary]")).to_contain_text("Evenemanget måste sluta efter att det börjar.")
    axe_check(page)

    page.get_by_label("Slutar").fill("2027-02-12T15:30")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Evenemanget är sparat som utkast.")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Publicera").click()
    expect(page.get_by_text("Evenemanget är publicerat.")).to_be_visible()

    visitor = page.context.browser.new_context(locale="sv-SE").new_page()
    visitor.goto(f"{live_server}/")
    expect(visitor.get_by_role("link", name="Uppstartskonferens i Kronoberg")).to_be_visible()
    visitor.get_by_label("Region").select_option("07")
    visitor.get_by_role("button", name="Visa").click()
    expect(visitor.get_by_role("link", name="Inspirationsdag i Kalmar")).to_have_count(0)
    visitor.get_by_role("link", name="Uppstartskonferens i Kronoberg").click()
    expect(visitor.get_by_text("fredag 12 februari 2027, 09:30–15:30")).to_be_visible()
    expect(visitor.locator("strong", has_text="regionens aktörer")).to_be_visible()
    axe_check(visitor)

    visitor.get_by_role("link", name="Kronoberg", exact=True).click()
    expect(visitor).to_have_url(re.compile(r"/regions/07$"))
    expect(visitor.get_by_role("link", name="Uppstartskonferens i Kronoberg")).to_be_visible()
    axe_check(visitor)

    visitor.get_by_role("link", name="English").click()
    expect(visitor.get_by_role("heading", name="Upcoming events")).to_be_visible()
    visitor.goto(f"{live_server}/regions/")
    expect(visitor.get_by_role("heading", name="Regions")).to_be_visible()
    axe_check(visitor)
    visitor.context.close()
