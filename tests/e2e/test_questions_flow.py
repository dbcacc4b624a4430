"""In a real browser: an organiser builds an event's registration questions (one shown only
on an earlier answer); on a phone (390 px) a visitor registers, the follow-up questions
appearing as they answer; later they change an answer on their own page and the question
that no longer applies goes, on the page and on the server. Every page passes axe."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import FormAnswer, FormQuestion, Registration
from tests.e2e.steps import log_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def answers(email: str) -> dict[str, list[str]]:
    db.session.expire_all()
    registration = db.session.scalar(select(Registration).where(Registration.email == email))
    found: dict[str, list[str]] = {}
    for answer, question in db.session.execute(
        select(FormAnswer, FormQuestion)
        .join(FormQuestion, FormQuestion.id == FormAnswer.question_id)
        .where(FormAnswer.registration_id == registration.id)
    ):
        text = next((o.text_sv for o in question.options if o.id == answer.option_id), None) or answer.text
        found.setdefault(question.text_sv, []).append(text)
    return found


def test_an_organiser_asks_and_a_visitor_answers_on_a_phone(
    live_server, page, browser, axe_check, make_event, organiser
):
    event = make_event(title="Regional konferens i Gävle", capacity=50, organisers=[organiser])

    log_in(page, live_server, organiser)
    page.goto(f"{live_server}/manage/events/{event.id}")
    page.get_by_role("link", name="Anmälningsfrågor").click()
    expect(page.get_by_role("heading", name="Anmälningsfrågor")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name=re.compile(r"^Lägg till\W+Deltar du på middagen\?$")).click()
    page.get_by_role("link", name="Lägg till en fråga").click()
    axe_check(page)
    page.get_by_label("Typ av fråga").select_option("single_choice")
    page.get_by_label("Frågan på svenska").fill("Specialkost?")
    page.get_by_label("Svarsalternativ på svenska").fill("Nej\nVegetariskt\nAnnat")
    page.get_by_label("Visa frågan bara när").select_option(label="Deltar du på middagen? = Ja")
    page.get_by_role("button", name="Spara").click()
    page.get_by_role("link", name="Lägg till en fråga").click()
    page.get_by_label("Typ av fråga").select_option("short_text")
    page.get_by_label("Frågan på svenska").fill("Vilken?")
    page.get_by_label("Frågan måste besvaras").check()
    page.get_by_label("Visa frågan bara när").select_option(label="Specialkost? = Annat")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Visas bara när ”Specialkost?” besvaras med ”Annat”.")).to_be_visible()
    axe_check(page)

    context = browser.new_context(
        locale="sv-SE", timezone_id="Europe/Stockholm", viewport=PHONE, is_mobile=True, has_touch=True
    )
    phone = context.new_page()
    phone.set_default_timeout(10_000)
    phone.goto(f"{live_server}/events/{event.id}/register")
    diet = phone.get_by_role("group", name="Specialkost?")
    which = phone.get_by_label("Vilken?")
    expect(diet).to_be_hidden()
    expect(which).to_be_hidden()
    axe_check(phone)
    phone.get_by_label("Namn").fill("Karin Lind")
    phone.get_by_label("E-postadress").fill("karin@example.se")
    phone.get_by_label("Sektor").select_option("municipality")
    phone.get_by_role("group", name="Deltar du på middagen?").get_by_label("Ja").check()
    expect(diet).to_be_visible()
    diet.get_by_label("Annat").check()
    expect(which).to_be_visible()
    phone.get_by_label("Jag godkänner").check()
    phone.get_by_role("button", name="Anmäl dig").click()
    # "Vilken?" is required once it applies: the page says so, with the answers kept.
    expect(phone.locator(".event-question .invalid-feedback")).to_have_text("Frågan behöver ett svar.")
    expect(which).to_be_visible()
    axe_check(phone)
    which.fill("Glutenfritt")
    phone.get_by_label("Jag godkänner").check()
    phone.get_by_role("button", name="Anmäl dig").click()
    expect(phone.get_by_text("karin@example.se")).to_be_visible()
    assert answers("karin@example.se") == {
        "Deltar du på middagen?": ["Ja"],
        "Specialkost?": ["Annat"],
        "Vilken?": ["Glutenfritt"],
    }

    # On their own page, no dinner after all: the follow-ups go, and so do their answers.
    token = db.session.scalar(select(Registration.manage_token).where(Registration.email == "karin@example.se"))
    phone.goto(f"{live_server}/r/{token}")
    expect(which).to_have_value("Glutenfritt")
    axe_check(phone)
    phone.get_by_role("group", name="Deltar du på middagen?").get_by_label("Nej").check()
    expect(diet).to_be_hidden()
    phone.get_by_role("button", name="Spara ändringar").click()
    expect(phone.get_by_text("Dina ändringar är sparade.")).to_be_visible()
    assert answers("karin@example.se") == {"Deltar du på middagen?": ["Nej"]}
    context.close()

    page.goto(f"{live_server}/manage/events/{event.id}/participants")
    expect(page.get_by_role("cell", name="Deltar du på middagen?: Nej")).to_be_visible()
    axe_check(page)
