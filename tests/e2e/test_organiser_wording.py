"""In a real browser, issue 14's faults as an organiser meets them, in Swedish and English on
a phone and a desktop, every page axe-clean (any impact): cancelling a participant asks first
and then says "Avanmäld"; a change of time asks whom to tell; a form's problems open with a
summary that takes the focus and links to each field; the paste hint shows its address; a
draft from a visit request shows what the region asked for."""

import pytest
from playwright.sync_api import expect

from app.services import registrations, visits
from app.services.registrations import RegistrationDetails
from tests.conftest import local
from tests.e2e.test_organiser_event_pages import fits, organiser_page
from tests.e2e.test_phone_pages import BROKEN_WORDS, all_violations
from tests.test_visits import details as visit_details

pytestmark = pytest.mark.browser

WORDS = {
    "sv": {
        "cancel": "Avanmäl …",
        "question": "Avanmäla Anna Ek?",
        "yes": "Ja, avanmäl deltagaren",
        "cancelled": "Avanmäld",
        "save": "Spara",
        "tell": "Meddela deltagarna?",
        "silent": "Spara utan att meddela",
        "saved": "Inget mejl har skickats.",
        "summary": "Rätta de markerade fälten.",
        "title_error": "Ge evenemanget en rubrik.",
        "from_visit": "Från besöksförfrågan",
    },
    "en": {
        "cancel": "Cancel registration…",
        "question": "Cancel Anna Ek's registration?",
        "yes": "Yes, cancel the registration",
        "cancelled": "Cancelled",
        "save": "Save",
        "tell": "Tell the participants?",
        "silent": "Save without telling them",
        "saved": "No one was mailed.",
        "summary": "Please correct the marked fields.",
        "title_error": "Give the event a title.",
        "from_visit": "From the visit request",
    },
}


def clean(page):
    assert fits(page), page.url
    assert page.evaluate(BROKEN_WORDS) == [], page.url
    assert all_violations(page) == [], page.url


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("width", [390, 1280])
def test_an_organisers_day_with_issue_14s_faults_fixed(live_server, browser, make_user, make_event, lang, width):
    words = WORDS[lang]
    organiser = make_user(name="Olga Organiser")
    event = make_event(
        organisers=[organiser],
        capacity=5,
        starts_at=local(2027, 3, 10, 9),
        ends_at=local(2027, 3, 10, 16),
        venue_address="Apotekaregatan 1",
    )
    for name in ("Anna Ek", "Bo Ek"):
        registrations.register(
            event,
            RegistrationDetails(
                name=name, email=f"{name.split()[0].lower()}@example.com", sector="municipality", consent=True
            ),
            locale="sv",
        )
    page = organiser_page(browser, live_server, organiser, width=width, lang=lang)

    # Fault 1: a labelled link, a question, then "Avanmäld" (not the cancelled event's word).
    page.goto(f"{live_server}/manage/events/{event.id}/participants")
    page.get_by_role("link", name=f"{words['cancel']} Anna Ek").click()
    expect(page.get_by_role("heading", name=words["question"])).to_be_visible()
    clean(page)
    page.get_by_role("button", name=words["yes"]).click()
    row = page.locator("tr", has_text="anna@example.com")
    expect(row).to_contain_text(words["cancelled"])
    clean(page)

    # Fault 4: the error summary takes the focus and its link leads to the field.
    page.goto(f"{live_server}/manage/events/{event.id}/edit")
    page.locator("#title").fill("")
    page.get_by_role("button", name=words["save"], exact=True).click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(words["summary"])
    clean(page)
    summary.get_by_role("link", name=words["title_error"]).click()
    expect(page.locator("#title")).to_be_focused()

    # Fault 3: a new time asks whom to tell; saved silently, it says no one was mailed.
    page.locator("#title").fill(event.title)
    page.locator("#starts_at").fill("2027-03-10T10:00")
    page.get_by_role("button", name=words["save"], exact=True).click()
    expect(page.get_by_role("heading", name=words["tell"])).to_be_visible()
    expect(page.locator("[data-change-preview]")).to_be_focused()
    clean(page)
    page.get_by_role("button", name=words["silent"]).click()
    expect(page.get_by_text(words["saved"])).to_be_visible()
    clean(page)

    # Fault 6: the paste hint shows its example address.
    page.goto(f"{live_server}/manage/events/{event.id}/invitations/new")
    expect(page.locator("#addresses-hint")).to_contain_text("Anna Andersson <anna.andersson@linkoping.se>")
    clean(page)

    # Fault 8: a draft from a visit request shows the request, and no empty "Where".
    visit = visits.submit_request(visit_details(message="Vi vill samla kommunerna."), locale="sv")
    draft = visits.accept(visit, organiser)
    page.goto(f"{live_server}/manage/events/{draft.id}")
    section = page.get_by_role("region", name=words["from_visit"])
    expect(section).to_contain_text("Vi vill samla kommunerna.")
    expect(section).to_contain_text("Karin Kronoberg")
    clean(page)
    page.context.close()
