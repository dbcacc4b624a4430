"""Walk every page an admin (who sees all an organiser sees, and more) can reach by following
links from the demo data, on a phone: no page may fail and none may scroll sideways."""

import re
from urllib.parse import urljoin, urlsplit

from sqlalchemy import select

from app.demo import DEMO_ADMIN, load_demo_data
from app.extensions import db
from app.models import Invitation, Registration, RegistrationStatus, SurveyLink, VisitRequest
from app.services import mail

PHONE = {"width": 390, "height": 844}
# Files are fetched, not rendered; they have no width to check.
DOWNLOAD = re.compile(r"\.(ics|csv|json)$|/attachments/\d+$|/mail/\d+/html$")
# Pages of one shape (the 12th event is laid out like the 3rd) are visited this many times.
PER_SHAPE = 2


def shape(path: str) -> str:
    """The page's shape: ids and link tokens replaced, so one of each kind is enough."""
    path = re.sub(r"/[A-Za-z0-9_-]{30,}", "/<token>", path)
    return re.sub(r"/\d+", "/<id>", path)


def _token_pages() -> list[str]:
    registration = db.session.scalar(
        select(Registration).where(Registration.status == RegistrationStatus.CONFIRMED).limit(1)
    )
    survey_link = db.session.scalar(select(SurveyLink).limit(1))
    visit = db.session.scalar(select(VisitRequest).limit(1))
    invitation = db.session.scalar(select(Invitation).limit(1))
    return [
        f"/r/{registration.manage_token}",
        f"/s/{survey_link.token}",
        f"/visit/{visit.token}",
        f"/i/{invitation.token}",
    ]


def test_every_linked_page_opens_without_error_and_fits_a_phone(live_server, browser):
    load_demo_data()
    # The demo queues no mail (issue 14): a test message gives the admin's mail pages one to open.
    mail.enqueue_test_message("maja@example.com", "sv")
    seeds = ["/", "/manage/", "/admin/users", *_token_pages()]
    context = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server}/login")
    page.get_by_label("E-postadress").fill(DEMO_ADMIN["email"])
    page.get_by_label("Lösenord").fill(DEMO_ADMIN["password"])
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{live_server}/manage/")

    queue = [f"{live_server}{path}" for path in seeds]
    seen, shapes, failures, too_wide = set(), {}, [], []
    origin = urlsplit(live_server).netloc
    while queue:
        url = queue.pop(0).split("#")[0]
        path = urlsplit(url).path
        if url in seen or shapes.get(shape(path), 0) >= PER_SHAPE:
            continue
        seen.add(url)
        shapes[shape(path)] = shapes.get(shape(path), 0) + 1
        if DOWNLOAD.search(path):
            status = context.request.get(url).status
            if status >= 400:
                failures.append((url, status))
            continue
        response = page.goto(url)
        if response.status >= 400:
            failures.append((url, response.status))
            continue
        scroll_width, client_width = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if scroll_width > client_width:
            too_wide.append((url, scroll_width))
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            parts = urlsplit(urljoin(url, href))
            if parts.scheme in ("http", "https") and parts.netloc == origin:
                queue.append(parts.geturl())
    context.close()

    visited = {shape(urlsplit(url).path) for url in seen}
    # The walk really reached the organiser's and the admin's pages, not only the front page.
    for expected in (
        "/manage/events/<id>/agenda",
        "/manage/events/<id>/participants/print",
        "/manage/events/<id>/feedback",
        "/manage/mail/<id>",
        "/manage/overview",
        "/manage/visits/<id>",
        "/admin/users/<id>",
        "/regions/<id>",
        "/r/<token>",
        "/manage/contacts",
        "/manage/events/<id>/invitations",
        "/i/<token>",
    ):
        assert expected in visited, f"{expected} was not reached; visited {sorted(visited)}"
    assert failures == []
    assert too_wide == [], f"pages wider than a {PHONE['width']} px phone: {too_wide}"
