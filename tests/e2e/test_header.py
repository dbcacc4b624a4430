"""The header in a real browser: one line for an admin on a 1280 px screen, in both languages,
tabbed through from left to right; on a phone it wraps, all of it in view, without scrolling sideways."""

import pytest

from app.models import Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

STOPS = "header nav a, header nav button"
CENTRES = "els => els.map(e => { const r = e.getBoundingClientRect(); return r.top + r.height / 2; })"


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

    stops = page.locator(STOPS).count()
    page.locator("header nav a.site-name").focus()
    lefts = []
    for _ in range(stops):
        lefts.append(page.evaluate("document.activeElement.getBoundingClientRect().left"))
        page.keyboard.press("Tab")
    assert lefts == sorted(lefts) and len(set(lefts)) == stops, lefts
    page.context.close()


def test_on_a_phone_the_header_wraps_and_everything_is_in_view(live_server, browser, make_user, axe_check):
    admin = make_user(name="Ada Admin", role=Role.ADMIN)
    page = admin_page(browser, live_server, admin, width=390, lang="sv")
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    boxes = [page.locator(STOPS).nth(i).bounding_box() for i in range(page.locator(STOPS).count())]
    assert all(box["x"] >= 0 and box["x"] + box["width"] <= width for box in boxes)
    header = page.locator("header").bounding_box()
    assert header["height"] < 200  # four short rows, not a screenful
    axe_check(page)
    page.context.close()
