"""The survey's rating scale on a 390 px phone (issue 14): its end labels ("Mycket användbart",
"Very useful") are never split in the middle of a word, nothing scrolls sideways, and the
scale still works and passes axe, in Swedish and English; on a desktop it stays a row."""

import pytest
from playwright.sync_api import expect

from app.services import surveys
from tests.e2e.test_phone_pages import BROKEN_WORDS, PHONE, all_violations
from tests.feedback_data import links, participant, past_event, survey_for

pytestmark = pytest.mark.browser

# Each word of each end label on one line: the word's line boxes (a Range's rects) share a top.
SPLIT_LABEL_WORDS = """() => [...document.querySelectorAll(".rating-end")].flatMap((label) => {
  const node = label.firstChild;
  return [...node.data.matchAll(/\\S+/g)].filter((m) => {
    const range = document.createRange();
    range.setStart(node, m.index);
    range.setEnd(node, m.index + m[0].length);
    return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size > 1;
  }).map((m) => m[0]);
})"""


@pytest.mark.parametrize("lang, label", [("sv", "5 Mycket användbart"), ("en", "5 Very useful")])
def test_rating_labels_keep_their_words_whole_on_a_phone(live_server, browser, make_event, organiser, lang, label):
    event = past_event(make_event, organiser)
    survey = survey_for(event)
    registration = participant(event, "Karin Lind")
    surveys.send_due_survey_mail()
    path = f"/s/{links(survey)[registration.id].token}"

    context = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm", viewport=PHONE)
    context.add_cookies([{"name": "lang", "value": lang, "url": live_server}])
    page = context.new_page()
    page.goto(f"{live_server}{path}")
    ends = page.locator(".rating-end")
    assert ends.count() >= 4  # two rating questions, two ends each
    assert page.evaluate(SPLIT_LABEL_WORDS) == []
    assert page.evaluate(BROKEN_WORDS) == []
    assert not page.evaluate("document.scrollingElement.scrollWidth > window.innerWidth")
    # No label is wider than its box (nothing overflows into its neighbour).
    assert page.evaluate(
        "[...document.querySelectorAll('.rating-option')].every((o) => o.scrollWidth <= o.clientWidth)"
    )
    option = page.get_by_label(label, exact=True)
    option.check()
    expect(option).to_be_checked()
    assert all_violations(page) == []

    # On a desktop the scale stays a row of five.
    page.set_viewport_size({"width": 1280, "height": 900})
    tops = page.evaluate(
        "[...document.querySelector('.rating-scale').children].map((o) => Math.round(o.getBoundingClientRect().top))"
    )
    assert len(set(tops)) == 1
    assert page.evaluate(SPLIT_LABEL_WORDS) == []
    context.close()
