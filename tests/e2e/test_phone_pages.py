"""Every page a visitor or participant opens, on a 390 px phone and a 1280 px screen, in Swedish
and English: nothing scrolls sideways, no word is broken in the middle, axe finds nothing."""

import pytest
from sqlalchemy import select

from app.demo import load_demo_data
from app.extensions import db
from app.models import Event, EventStatus, Invitation, Registration, RegistrationStatus, SurveyLink, VisitRequest
from app.models.types import utcnow

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# Words the browser had to split across lines: each word of each visible text node, measured
# with a Range. Hyphens and slashes are where a word may break; addresses (links, email,
# calendar feeds) may break anywhere and are left out.
BROKEN_WORDS = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest("script, style, [hidden], .visually-hidden, .visually-hidden-focusable")) continue;
    if (!parent.getClientRects().length) continue;
    for (const match of node.data.matchAll(/[^\\s\\-\\u2010-\\u2014/]{2,}/g)) {
      const word = match[0];
      if (/@|:\\/\\/|^www\\.|\\.(se|ics|com|example)$/.test(word)) continue;
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + word.length);
      const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (tops.size > 1) broken.push(word);
    }
  }
  return broken;
}"""


def visitor_pages() -> list[str]:
    """One of each page anyone without an account sees, from the demo data."""
    upcoming = db.session.scalar(
        select(Event).where(Event.status == EventStatus.PUBLISHED, Event.starts_at > utcnow()).order_by(Event.id)
    )
    registration = db.session.scalar(
        select(Registration).where(Registration.status == RegistrationStatus.CONFIRMED).order_by(Registration.id)
    )
    invitation = db.session.scalar(select(Invitation).order_by(Invitation.id))
    # Someone checked in at an event that has ended: their page offers the certificate.
    attended = db.session.scalar(
        select(Registration)
        .join(Event, Registration.event_id == Event.id)
        .where(Registration.status == RegistrationStatus.ATTENDED, Event.ends_at < utcnow())
        .order_by(Registration.id)
    )
    return [
        "/",
        "/events/archive",
        f"/events/{upcoming.id}",
        f"/events/{upcoming.id}/agenda",
        f"/events/{upcoming.id}/register",
        "/regions/",
        f"/regions/{upcoming.region.code if upcoming.region else '05'}",
        "/privacy",
        "/verify",
        "/visit",
        f"/visit/{db.session.scalar(select(VisitRequest).order_by(VisitRequest.id)).token}",
        "/login",
        f"/r/{registration.manage_token}",
        f"/r/{attended.manage_token}",
        f"/r/{registration.manage_token}/cancel",
        f"/r/{registration.manage_token}/erase",
        f"/i/{invitation.token}",
        f"/u/{invitation.contact.unsubscribe_token}",
        f"/s/{db.session.scalar(select(SurveyLink).order_by(SurveyLink.id)).token}",
    ]


def all_violations(page) -> list[str]:
    """axe's violations of any impact (the shared axe_check fails on serious and critical)."""
    from axe_playwright_python.sync_playwright import Axe

    page.evaluate("Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null)))")
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in results.response["violations"]
    ]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_visitor_and_participant_page_fits_a_phone_and_a_desktop(live_server, browser, lang):
    load_demo_data()
    paths = visitor_pages()
    problems = []
    for viewport in (PHONE, DESKTOP):
        context = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm", viewport=viewport)
        context.add_cookies([{"name": "lang", "value": lang, "url": live_server}])
        page = context.new_page()
        page.set_default_timeout(10_000)
        for path in paths:
            response = page.goto(f"{live_server}{path}")
            where = f"{viewport['width']} px {lang} {path}"
            if response.status >= 400:
                problems.append(f"{where}: HTTP {response.status}")
                continue
            assert page.evaluate("document.documentElement.lang") == lang, where
            if page.evaluate("document.scrollingElement.scrollWidth > window.innerWidth"):
                problems.append(f"{where}: scrolls sideways")
            if broken := page.evaluate(BROKEN_WORDS):
                problems.append(f"{where}: words broken mid-word: {broken[:5]}")
            if violations := all_violations(page):
                problems.append(f"{where}: axe: {violations}")
        context.close()
    assert problems == [], "\n".join(problems)
