"""At the door, on a phone: the organiser opens the event's scan page, the camera (a video
file of a printed badge's QR code) reads the badge, and the person shows as checked in.
Before that, the badge sheet downloads from the badge page. axe finds nothing on either."""

from io import BytesIO

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from app.extensions import db
from app.models import Registration, RegistrationStatus
from app.services import attendance, registrations
from app.services.registrations import RegistrationDetails
from tests.conftest import PASSWORD
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.test_qr_scan import camera_video

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def phone_with_camera(browser, video):
    """A Chromium whose camera plays `video`, and a phone-sized page in it."""
    args = [
        *CHROMIUM_ARGS,
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]
    chromium = browser.browser_type.launch(executable_path=CHROMIUM, args=args)
    context = chromium.new_context(
        locale="sv-SE", timezone_id="Europe/Stockholm", viewport=PHONE, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return chromium, page


def log_in(page, live_server, user):
    page.goto(f"{live_server}/login")
    page.locator("#email").fill(user.email)
    page.locator("#password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server}/manage/")


def test_the_organiser_scans_a_badge_on_a_phone_and_the_person_is_checked_in(
    app, browser, live_server, make_event, organiser, tmp_path, axe_check
):
    event = make_event(title="Regional konferens i Västmanland", organisers=[organiser])
    details = RegistrationDetails(
        name="Anna-Karin Lindqvist",
        email="ak@example.se",
        organisation="Västerås stad",
        sector="municipality",
        consent=True,
    )
    anna = registrations.register(event, details, locale="sv").registration
    # The QR code as the badge sheet prints it (under BASE_URL, not this server's address).
    with app.test_request_context(base_url=app.config["BASE_URL"]):
        printed = attendance.checkin_link(event, anna)
    assert printed.startswith("http://localhost/manage/")
    chromium, page = phone_with_camera(browser, camera_video(tmp_path / "badge.y4m", printed))
    try:
        log_in(page, live_server, organiser)

        # The badge sheet downloads as a PDF with her name.
        page.goto(f"{live_server}/manage/events/{event.id}/badges")
        axe_check(page)
        page.get_by_label("10 per ark", exact=False).check()
        with page.expect_download() as download:
            page.get_by_role("button", name="Ladda ned namnbrickorna (pdf)").click()
        sheet = PdfReader(BytesIO(download.value.path().read_bytes()))
        assert "Anna-Karin Lindqvist" in " ".join(sheet.pages[0].extract_text().split())

        # From the event page to the scan page, then the camera.
        page.goto(f"{live_server}/manage/events/{event.id}")
        page.get_by_role("link", name="Skanna namnbrickor").click()
        expect(page.get_by_role("heading", name="Skanna namnbrickor")).to_be_visible()
        assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
        axe_check(page)
        page.get_by_role("button", name="Starta kameran").click()

        page.wait_for_url(f"**/checkin/scan?person={anna.id}")
        expect(page.locator(".scan-result-name")).to_have_text("Anna-Karin Lindqvist")
        expect(page.get_by_text("Anna-Karin Lindqvist är incheckad.")).to_be_visible()
        expect(page.get_by_text("1 av 1 incheckade")).to_be_visible()
        axe_check(page)
    finally:
        chromium.close()
    db.session.expire_all()
    assert db.session.get(Registration, anna.id).status == RegistrationStatus.ATTENDED
