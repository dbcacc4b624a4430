"""The app as deployed, in a real browser: nginx ends TLS (a certificate made here) in
front of gunicorn with deploy/gunicorn.conf.py, the production configuration, CSRF on,
PostgreSQL and a mail worker delivering to a real SMTP server. A visitor registers,
changes, cancels and erases; an invitee registers through the link in the mail and
unsubscribes; a mail provider unsubscribes another by one click; a participant answers the
survey; a region sends a visit request; an organiser logs in, retries a failed mail and
logs out. No request is refused."""

import re
import shutil
import ssl
import time
import urllib.request

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import Contact, OutboxMessage, OutboxStatus, Registration, RegistrationStatus
from app.models.tokens import TOKEN_IN_TEXT
from app.services import invitations, mail
from tests.conftest import require_postgres
from tests.deployment import NGINX, deploy
from tests.e2e.conftest import CHROMIUM
from tests.e2e.steps import log_in
from tests.feedback_data import participant, past_event, survey_for
from tests.mailserver import MailServer, text_part

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def deployed(app, tmp_path_factory):
    with app.app_context():
        require_postgres("the deployed app runs on PostgreSQL, as the README deploys it")
    if not shutil.which(NGINX):
        pytest.fail("nginx is missing (apt-get install nginx-light); the deployed test needs a TLS proxy")
    mail_server = MailServer()
    mail_server.start()
    deployment = deploy(
        app.config["SQLALCHEMY_DATABASE_URI"], tmp_path_factory.mktemp("deployed"), mail_port=mail_server.port
    )
    deployment.mail_server = mail_server
    yield deployment
    deployment.stop()
    mail_server.stop()
    log = deployment.app_log
    assert "Traceback" not in log, log[-5000:]
    # Every personal link was opened, and gunicorn logged each request without its token.
    assert re.search(r'"GET /r/\[token\] HTTP', log), log[-3000:]
    assert not TOKEN_IN_TEXT.search(log), TOKEN_IN_TEXT.search(log)


@pytest.fixture(autouse=True)
def setup_as_deployed(app, deployed):
    """Mail the test queues itself (setting up a scene) is sent and linked as the deployed app's."""
    keys = ("MAIL_SERVER", "MAIL_PORT", "BASE_URL")
    saved = {key: app.config[key] for key in keys}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=deployed.mail_server.port, BASE_URL=deployed.url)
    yield
    app.config.update(saved)


@pytest.fixture
def visitor(browser, deployed):
    """A browser of its own, trusting the test's certificate; every answer is recorded, and
    none may be refused but those a test lists in `visitor.refusals` as (status, method, path):
    a form sent with bad input on purpose."""
    if not shutil.which(CHROMIUM):
        pytest.fail("chromium is missing")
    contexts, answers = [], []

    def open_page():
        context = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm", ignore_https_errors=True)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("response", lambda response: answers.append((response.status, response.request.method, response.url)))
        return page

    open_page.refusals = []
    yield open_page
    for context in contexts:
        context.close()
    refused = [
        (status, method, url)
        for status, method, url in answers
        if status >= 400 and (status, method, url.removeprefix(deployed.url)) not in open_page.refusals
    ]
    assert refused == [], refused
    assert any(method == "POST" for _, method, _ in answers)
    assert all(url.startswith(deployed.url) for _, _, url in answers), answers


def mail_to(deployed, address: str, count: int = 1, timeout: float = 20):
    """The messages the mail worker delivered to `address`, once there are `count`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        received = deployed.mail_server.to(address)
        if len(received) >= count:
            return received
        time.sleep(0.1)
    raise AssertionError(
        f"{count} mail(s) to {address} did not arrive; mail worker log:\n"
        + (deployed.workdir / "mail-worker.log").read_text(errors="replace")[-3000:]
    )


def link_in(deployed, message, kind: str) -> str:
    return re.search(rf"{re.escape(deployed.url)}/{kind}/[\w-]+", text_part(message)).group(0)


def test_a_visitor_registers_changes_cancels_and_erases_over_https(deployed, visitor, make_event):
    event = make_event(title="Inspirationsdag om validering i Linköping", capacity=40)
    page = visitor()
    page.goto(f"{deployed.url}/events/{event.id}")
    expect(page.get_by_role("heading", name=event.title)).to_be_visible()
    page.get_by_role("link", name="Anmäl dig").click()
    page.get_by_label("Namn").fill("Karin Lind")
    page.get_by_label("E-postadress").fill("karin.lind@example.com")
    page.get_by_label("Organisation").fill("Linköpings kommun")
    page.get_by_label("Sektor").select_option("municipality")
    page.get_by_label("Jag godkänner").check()
    page.get_by_label("Håll mig informerad om kommande evenemang").check()
    page.get_by_role("button", name="Anmäl dig").click()
    expect(page.get_by_role("heading", name="Tack! Titta i din e-post")).to_be_visible()
    assert "/r/" not in page.content()  # the link goes to the mailbox only

    [confirmation] = mail_to(deployed, "karin.lind@example.com")
    manage_link = link_in(deployed, confirmation, "r")
    page.goto(manage_link)
    page.get_by_role("button", name="Ja, håll mig informerad").click()
    expect(page.get_by_text("Tack! Vi berättar om kommande evenemang.")).to_be_visible()
    page.get_by_label("Organisation").fill("Region Östergötland")
    page.get_by_role("button", name="Spara ändringar").click()
    expect(page.get_by_label("Organisation")).to_have_value("Region Östergötland")

    page.get_by_role("link", name="Avanmäl mig").click()
    page.get_by_role("button", name="Ja, avanmäl mig").click()
    expect(page.get_by_text("Du är avanmäld.")).to_be_visible()

    page.get_by_role("link", name="Radera mina uppgifter").click()
    page.get_by_role("button", name="Radera mina uppgifter").click()
    expect(page.get_by_role("heading", name="Dina uppgifter är raderade")).to_be_visible()


def test_in_english_bad_input_changes_nothing_and_a_logged_in_organiser_reads_the_public_pages(
    deployed, visitor, make_event, organiser
):
    """The pages that read without a transaction (the event page, the form's GET, the
    registration's own page) in English, with bad input on both forms, and seen logged in."""
    event = make_event(title="Inspiration day on validation", capacity=40, organisers=[organiser])
    registered = select(Registration).where(Registration.event_id == event.id)
    page = visitor()
    page.goto(f"{deployed.url}/language/en?next=/events/{event.id}")
    expect(page.get_by_role("heading", name=event.title)).to_be_visible()
    page.get_by_role("link", name="Register").click()
    page.get_by_label("Email address").fill("not an address")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("Enter your name.").first).to_be_visible()
    expect(page.get_by_text("You need to agree to the privacy notice to register.").first).to_be_visible()
    visitor.refusals.append((400, "POST", f"/events/{event.id}/register"))  # the form again, with its problems
    assert db.session.scalars(registered).all() == []

    page.get_by_label("Name").fill("Karin Lind")
    page.get_by_label("Email address").fill("karin.english@example.com")
    page.get_by_label("Sector").select_option("municipality")
    page.get_by_label("I agree").check()
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="Thank you! Check your email")).to_be_visible()

    [confirmation] = mail_to(deployed, "karin.english@example.com")
    manage_link = link_in(deployed, confirmation, "r")
    page.goto(manage_link)
    expect(page.get_by_role("heading", name="Your registration", exact=True)).to_be_visible()
    page.get_by_label("Name").fill("")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Enter your name.").first).to_be_visible()
    visitor.refusals.append((400, "POST", manage_link.removeprefix(deployed.url)))
    db.session.expire_all()
    assert [registration.name for registration in db.session.scalars(registered)] == ["Karin Lind"]

    organiser_page = visitor()
    log_in(organiser_page, deployed.url, organiser)
    for path in (f"/events/{event.id}", f"/events/{event.id}/register", "/"):
        organiser_page.goto(f"{deployed.url}{path}")
        expect(organiser_page.get_by_text(event.title).first).to_be_visible()


def test_an_invitee_registers_through_the_mail_and_unsubscribes(deployed, visitor, make_event, organiser):
    event = make_event(
        title="Uppstartskonferens i Kronoberg", region_code="07", invitation_only=True, organisers=[organiser]
    )
    invitations.import_rows(event, "Anna Andersson <anna.andersson@example.com>", organiser)
    db.session.commit()
    [invitation] = mail_to(deployed, "anna.andersson@example.com")

    page = visitor()
    page.goto(link_in(deployed, invitation, "i"))
    expect(page.get_by_label("E-postadress")).to_have_value("anna.andersson@example.com")
    page.get_by_label("Organisation").fill("Växjö kommun")
    page.get_by_label("Sektor").select_option("municipality")
    page.get_by_label("Jag godkänner").check()
    page.get_by_role("button", name="Anmäl dig").click()
    expect(page.get_by_text("Du är anmäld till")).to_be_visible()

    page.goto(link_in(deployed, invitation, "u"))
    page.get_by_role("button", name="Avregistrera mig från inbjudningar").click()
    expect(page.get_by_text("anna.andersson@example.com får inga fler inbjudningar från oss.")).to_be_visible()


def test_a_mail_provider_unsubscribes_with_one_click_over_https(deployed, make_event, organiser):
    """RFC 8058 as a large receiver does it: it reads List-Unsubscribe from the delivered
    invitation and posts the one-click body to it, through the TLS proxy, with no session,
    CSRF token, Origin or Referer. The deployed app must accept exactly that."""
    event = make_event(title="Workshop om validering i Jönköping", invitation_only=True, organisers=[organiser])
    invitations.import_rows(event, "Per Persson <per.persson@example.com>", organiser)
    db.session.commit()
    [invitation] = mail_to(deployed, "per.persson@example.com")
    assert invitation["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    one_click = re.search(r"<(https://[^>]+)>", " ".join(invitation["List-Unsubscribe"].split())).group(1)
    assert one_click.startswith(f"{deployed.url}/u/") and one_click.endswith("/one-click")

    insecure = ssl.create_default_context()
    insecure.check_hostname, insecure.verify_mode = False, ssl.CERT_NONE  # the test's own certificate
    request = urllib.request.Request(
        one_click,
        data=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    with urllib.request.urlopen(request, context=insecure, timeout=15) as answer:
        assert answer.status == 200
    db.session.expire_all()
    contact = db.session.scalar(select(Contact).where(Contact.email == "per.persson@example.com"))
    assert contact.unsubscribed_at is not None


def test_a_participant_answers_the_survey_from_the_mail(deployed, visitor, make_event, organiser):
    event = past_event(make_event, organiser, title="Workshop om validering i Stockholm")
    karin = participant(event, "Karin Lind", status=RegistrationStatus.ATTENDED)
    survey_for(event, anonymous=False)
    [invitation] = mail_to(deployed, karin.email)

    page = visitor()
    page.goto(link_in(deployed, invitation, "s"))
    page.get_by_role("group", name=re.compile("Vilket helhetsbetyg")).get_by_label("4", exact=True).check()
    page.get_by_role("group", name=re.compile("Hur användbart")).get_by_label("5 Mycket användbart").check()
    page.get_by_role("group", name=re.compile("Kommer din organisation")).get_by_label("Ja").check()
    page.get_by_role("button", name="Skicka mina svar").click()
    expect(page.get_by_text("Tack! Dina svar är sparade.")).to_be_visible()


def test_a_region_asks_for_a_visit_and_follows_it(deployed, visitor):
    page = visitor()
    page.goto(f"{deployed.url}/visit")
    page.get_by_role("combobox", name="Region").select_option("07")
    page.get_by_label("Typ av evenemang").select_option("inspiration_day")
    page.get_by_label("Eller beskriv perioden").fill("hösten 2027")
    page.get_by_role("group", name="Vilka är evenemanget till för?").get_by_label("Kommun").check()
    page.get_by_label("Meddelande").fill("Vi vill samla kommunerna kring validering.")
    page.get_by_label("Ditt namn").fill("Karin Kronoberg")
    page.get_by_label("E-postadress").fill("karin@kronoberg.example")
    page.get_by_label("Organisation").fill("Region Kronoberg")
    page.get_by_label("Jag godkänner").check()
    page.get_by_role("button", name="Skicka förfrågan").click()
    expect(page.get_by_text("Tack! Er förfrågan är skickad.")).to_be_visible()

    [confirmation] = mail_to(deployed, "karin@kronoberg.example")
    page.goto(link_in(deployed, confirmation, "visit"))
    expect(page.locator("[data-visit-status]")).to_have_text("Ny")


def test_an_organiser_logs_in_retries_a_failed_mail_and_logs_out(deployed, visitor, make_event, organiser):
    event = make_event(organisers=[organiser])
    message = mail.enqueue("nobody@example.com", "test", locale="sv", subject="Testmeddelande", event=event)
    db.session.commit()
    message_id = message.id
    deadline = time.monotonic() + 20
    while db.session.get(OutboxMessage, message_id).status != OutboxStatus.FAILED:
        assert time.monotonic() < deadline, "the refused message was not marked failed"
        time.sleep(0.2)
        db.session.expire_all()

    page = visitor()
    log_in(page, deployed.url, organiser)
    secure = {cookie["name"]: cookie["secure"] for cookie in page.context.cookies()}
    assert secure and all(secure.values()), secure

    page.goto(f"{deployed.url}/manage/mail/{message_id}")
    page.get_by_role("button", name="Försök igen").click()
    expect(page.get_by_text("Meddelandet är köat igen.")).to_be_visible()

    page.get_by_role("button", name="Logga ut").click()
    page.goto(f"{deployed.url}/manage/")
    expect(page.get_by_role("button", name="Logga in")).to_be_visible()
