"""The header in a real browser: one line for an admin on a 1280 px screen, in both languages,
tabbed through from left to right; on a phone it folds into a menu behind a button that works by
keyboard, and visitors, who never log in, find "Log in" in the footer instead."""

import pytest
from playwright.sync_api import expect

from app.models import Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

STOPS = "header nav a, header nav button"
# Only what is shown: the phone's own language link and menu button are hidden on wide screens.
CENTRES = (
    "els => els.filter(e => e.getClientRects().length)"
    ".map(e => { const r = e.getBoundingClientRect(); return r.top + r.height / 2; })"
)
SHOWN = "els => els.filter(e => e.getClientRects().length).length"


def admin_page(browser, live_server, admin, *, width, lang):
    context = browser.new_context(
        locale="sv-SE", timezone_id="Europe/Stockholm", viewport={"width": width, "height": 800}
    )
    context.add_cookies([{"name": "lang", "value": lang, "url": live_server}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server}/login")
    page.locator("#email").fill(admin.email)
    page.locator("#password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server}/manage/")
    return page


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_an_admins_header_is_one_line_at_1280_px_and_tabs_left_to_right(
    live_server, browser, make_user, axe_check, lang
):
    admin = make_user(name="Ada Admin", role=Role.ADMIN)
    page = admin_page(browser, live_server, admin, width=1280, lang=lang)
    assert page.locator("header nav a[href='/admin/users']").count() == 1  # the longest header there is
    centres = page.eval_on_selector_all(STOPS, CENTRES)
    assert max(centres) - min(centres) < 2, centres
    axe_check(page)

    stops = page.eval_on_selector_all(STOPS, SHOWN)
    page.locator("header nav a.site-name").focus()
    lefts = []
    for _ in range(stops):
        lefts.append(page.evaluate("document.activeElement.getBoundingClientRect().left"))
        page.keyboard.press("Tab")
    assert lefts == sorted(lefts) and len(set(lefts)) == stops, lefts
    page.context.close()


def test_on_a_phone_an_organisers_menu_folds_behind_a_button_that_works_by_keyboard(
    live_server, browser, make_user, axe_check
):
    admin = make_user(name="Ada Admin", role=Role.ADMIN)
    page = admin_page(browser, live_server, admin, width=390, lang="sv")
    toggle = page.get_by_role("button", name="Meny")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator("header").get_by_role("link", name="Mina evenemang")).to_be_hidden()
    assert page.locator("header").bounding_box()["height"] < 70  # one row: name, language, menu
    axe_check(page)

    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    for name in ("Evenemang", "Mina evenemang", "Adressbok", "Admin"):
        expect(page.locator("header").get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(page.locator("header").get_by_role("button", name="Logga ut")).to_be_visible()
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    boxes = [page.locator(STOPS).nth(i).bounding_box() for i in range(page.locator(STOPS).count())]
    assert all(box["x"] >= 0 and box["x"] + box["width"] <= width for box in boxes if box)
    axe_check(page)

    page.keyboard.press("Tab")  # into the menu; Escape folds it and gives the focus back
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    page.keyboard.press("Space")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.context.close()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_visitor_on_a_phone_sees_no_log_in_in_the_header_but_finds_it_in_the_footer(
    live_server, browser, axe_check, lang
):
    context = browser.new_context(locale="sv-SE", viewport={"width": 390, "height": 844})
    context.add_cookies([{"name": "lang", "value": lang, "url": live_server}])
    page = context.new_page()
    page.goto(live_server)
    log_in = {"sv": "Logga in", "en": "Log in"}[lang]
    expect(page.locator("header").get_by_text(log_in)).to_have_count(0)
    assert page.locator("header").bounding_box()["height"] < 70
    page.get_by_role("button", name={"sv": "Meny", "en": "Menu"}[lang]).click()
    expect(
        page.locator("header").get_by_role("link", name={"sv": "Be om ett besök", "en": "Ask for a visit"}[lang])
    ).to_be_visible()
    expect(page.locator("header").get_by_text(log_in)).to_have_count(0)
    axe_check(page)
    page.locator("footer").get_by_role("link", name=log_in).click()
    page.wait_for_url(f"{live_server}/login")
    context.close()


def test_without_javascript_the_menu_stays_open_and_there_is_no_dead_button(live_server, browser):
    context = browser.new_context(locale="sv-SE", viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server)
    expect(page.get_by_role("button", name="Meny")).to_be_hidden()
    expect(page.locator("header").get_by_role("link", name="Arkiv")).to_be_visible()
    context.close()


def test_on_a_desktop_a_visitor_sees_the_whole_menu_and_no_menu_button(live_server, browser):
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(live_server)
    expect(page.get_by_role("button", name="Meny")).to_be_hidden()
    for name in ("Evenemang", "Regioner", "Arkiv", "Be om ett besök", "English"):
        expect(page.locator("header").get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(page.locator("header").get_by_text("Logga in")).to_have_count(0)
    context.close()
