"""In a real browser on a 390 px phone: a visitor registers for a conference with two blocks
of parallel sessions and one of its own questions, finds a full session marked "Fullt" and
chooses its waiting list, answers the question, gets the
confirmation listing their session, and changes session on their own page; the organiser's
session page and door list pass axe too (issue 16)."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import FormAnswer
from app.services import mail, questions, registrations
from app.services.questions import QuestionDetails
from app.services.registrations import RegistrationDetails
from app.services.registrations.session_changes import save_slot
from tests.conftest import local
from tests.e2e.steps import log_in
from tests.mailserver import text_part

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        locale="sv-SE", timezone_id="Europe/Stockholm", viewport=PHONE, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_registering_with_session_choices_on_a_phone(
    live_server, phone, axe_check, make_event, make_item, organiser, mail_server, mail_links_to
):
    mail_links_to(live_server)
    starts_at = local(2031, 11, 13, 9)
    event = make_event(
        title="Nationell konferens om validering",
        capacity=100,
        organisers=[organiser],
        starts_at=starts_at,
        ends_at=starts_at + timedelta(days=1, hours=7),
    )
    day1 = event.starts_at + timedelta(hours=3)
    day2 = event.starts_at + timedelta(days=1)
    seminars = [
        make_item(event, "Seminarium om vården", day1, day1 + timedelta(hours=1), room="Stora salen"),
        make_item(event, "Seminarium om nyanlända", day1, day1 + timedelta(hours=1), room="Sal C"),
    ]
    workshops = [
        make_item(event, "Workshop om strukturer", day2, day2 + timedelta(hours=1), room="Sal B"),
        make_item(event, "Workshop om verktyg", day2, day2 + timedelta(hours=1), room="Sal D"),
    ]
    first = save_slot(
        event, title="Seminarier", allow_none=True, capacities={seminars[0].id: 50, seminars[1].id: 1}, by=organiser
    )
    second = save_slot(
        event, title="Workshoppar", allow_none=False, capacities={w.id: 20 for w in workshops}, by=organiser
    )
    dinner = questions.add_question(
        event, QuestionDetails(kind="yes_no", text_sv="Deltar du på middagen?", required=True), by=organiser
    )
    full = next(s for s in first.sessions if s.capacity == 1)
    registrations.register(
        event,
        RegistrationDetails(name="Redan Anmäld", email="redan@example.com", sector="region", consent=True),
        locale="sv",
        choices={first.id: full.id, second.id: second.sessions[0].id},
    )

    phone.goto(f"{live_server}/events/{event.id}/register")
    expect(phone.get_by_role("group", name="Seminarier")).to_be_visible()
    expect(phone.locator("[data-session-full]")).to_have_text("Fullt")
    axe_check(phone)
    phone.get_by_label("Namn").fill("Karin Lind")
    phone.get_by_label("E-postadress").fill("karin@example.com")
    phone.get_by_label("Sektor").select_option("municipality")
    phone.get_by_label("Seminarium om nyanlända").check()  # full: its waiting list
    phone.get_by_label("Jag godkänner").check()
    phone.get_by_role("button", name="Anmäl dig").click()
    # The workshops must be chosen and the question answered: the form says both at once, in
    # its summary too, and keeps what was filled in.
    expect(phone.locator(".invalid-feedback", has_text="Välj ett av passen.")).to_be_visible()
    expect(phone.locator("[data-error-summary]")).to_contain_text("Frågan behöver ett svar.")
    axe_check(phone)
    phone.get_by_label("Workshop om verktyg").check()
    phone.get_by_role("group", name="Deltar du på middagen?").get_by_label("Ja").check()
    phone.get_by_label("Jag godkänner").check()
    phone.get_by_role("button", name="Anmäl dig").click()
    expect(phone.get_by_role("heading", name="Tack! Titta i din e-post")).to_be_visible()

    [answer] = db.session.query(FormAnswer).all()
    assert answer.question_id == dinner.id and answer.option_id == dinner.options[0].id  # "Ja"
    assert mail.deliver_due().failed == 0
    [confirmation] = mail_server.to("karin@example.com")
    assert "Workshop om verktyg" in text_part(confirmation)
    manage_link = re.search(rf"{re.escape(live_server)}/r/[\w-]+", text_part(confirmation)).group(0)

    phone.goto(manage_link)
    sessions = phone.locator("[data-my-sessions]")
    expect(sessions).to_contain_text("Seminarium om nyanlända (Sal C) – reservlista")
    expect(sessions).to_contain_text("Workshop om verktyg (Sal D) – du har en plats")
    axe_check(phone)
    phone.get_by_label("Seminarium om vården").check()
    phone.get_by_role("button", name="Spara mina pass").click()
    expect(phone.get_by_text("Dina pass är sparade.")).to_be_visible()
    expect(sessions).to_contain_text("Seminarium om vården (Stora salen) – du har en plats")
    axe_check(phone)

    # The organiser's pages for the sessions.
    log_in(phone, live_server, organiser)
    phone.goto(f"{live_server}/manage/events/{event.id}/sessions")
    expect(phone.get_by_role("heading", name="Seminarium om vården")).to_be_visible()
    axe_check(phone)
    phone.goto(f"{live_server}/manage/events/{event.id}/sessions/door-list?room=Sal%20D")
    expect(phone.get_by_text("Karin Lind")).to_be_visible()
    axe_check(phone)
    phone.goto(f"{live_server}/manage/events/{event.id}/sessions/new")
    axe_check(phone)
