"""In a real browser: the organiser's event page (the next step first, the rest in labelled
groups) and the event form (the contact, co-organisers ticked without Ctrl-click, a filter for
a long list), on a phone and a desktop, in Swedish and English; axe finds nothing."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

LABELS = {
    "sv": {"next": "Nästa steg:", "main": "Deltagare", "before": "Före evenemanget", "find": "Sök person"},
    "en": {"next": "Next step:", "main": "Participants", "before": "Before the event", "find": "Find a person"},
}


def organiser_page(browser, live_server, user, *, width, lang, javascript=True):
    context = browser.new_context(
        locale="sv-SE",
        timezone_id="Europe/Stockholm",
        viewport={"width": width, "height": 900},
        java_script_enabled=javascript,
    )
    context.add_cookies([{"name": "lang", "value": lang, "url": live_server}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server}/login")
    page.locator("#email").fill(user.email)
    page.locator("#password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server}/manage/")
    return page


def fits(page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("width", [390, 1280])
def test_the_event_page_leads_with_the_next_step_and_groups_the_rest(
    live_server, browser, axe_check, make_user, make_event, lang, width
):
    organiser = make_user(name="Olga Organiser")
    event = make_event(organisers=[organiser], capacity=30, contact_name="Eva Berg", contact_email="eva@region.example")
    page = organiser_page(browser, live_server, organiser, width=width, lang=lang)
    page.goto(f"{live_server}/manage/events/{event.id}")
    words = LABELS[lang]
    main = page.locator(".event-next .btn-primary")
    expect(main).to_have_text(words["main"])
    expect(page.locator(".event-actions .btn-primary")).to_have_count(1)
    expect(page.get_by_role("group", name=words["before"])).to_be_visible()
    # The next step comes first in the tab order of the actions.
    first_action = page.eval_on_selector(".event-actions", "el => el.querySelector('a, button').textContent.trim()")
    assert first_action == words["main"]
    assert fits(page)
    axe_check(page)
    page.context.close()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_co_organisers_are_ticked_and_filtered_by_keyboard_on_a_phone(live_server, browser, axe_check, make_user, lang):
    organiser = make_user(name="Olga Organiser")
    colleagues = [make_user(name=f"Kollega {n}") for n in range(10)]
    page = organiser_page(browser, live_server, organiser, width=390, lang=lang)
    page.goto(f"{live_server}/manage/events/new")
    contact_name = page.locator("#contact_name")
    expect(contact_name).to_have_value("Olga Organiser")
    expect(page.locator("#contact_email")).to_have_value(organiser.email)
    assert fits(page)
    axe_check(page)

    find = page.get_by_label(LABELS[lang]["find"])
    find.fill("Kollega 7")
    expect(page.get_by_label(f"Kollega 7 ({colleagues[7].email})")).to_be_visible()
    expect(page.get_by_label(f"Kollega 3 ({colleagues[3].email})")).to_be_hidden()
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the first person left in the list, ticked from the keyboard
    expect(page.get_by_label(f"Kollega 7 ({colleagues[7].email})")).to_be_checked()
    axe_check(page)
    page.context.close()


def test_without_javascript_every_organiser_is_listed_and_no_dead_filter_is_shown(live_server, browser, make_user):
    organiser = make_user(name="Olga Organiser")
    for n in range(10):
        make_user(name=f"Kollega {n}")
    page = organiser_page(browser, live_server, organiser, width=1280, lang="sv", javascript=False)
    page.goto(f"{live_server}/manage/events/new")
    expect(page.get_by_label("Sök person")).to_be_hidden()
    expect(page.locator("#organisers-list input[type=checkbox]")).to_have_count(11)
    page.context.close()
