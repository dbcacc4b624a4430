"""In a real browser: an organiser takes an inspiration day through to its feedback.
Participants get the survey link by email through a real SMTP server, one answers on a
phone, answers again through the same link (an edit, not a second response), and the
organiser reads the charts, the non-responders, the CSV and the printable report.
Every page passes axe."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.cli import worker_round
from app.extensions import db
from app.models import RegistrationStatus, Sector, SurveyAnswer, SurveyQuestion, SurveyResponse
from tests.e2e.steps import log_in
from tests.feedback_data import participant, past_event
from tests.mailserver import text_part

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def test_an_inspiration_day_ends_with_feedback_people_want_to_read(
    live_server,
    page,
    axe_check,
    organiser,
    make_event,
    mail_server,
    mail_links_to,
):
    mail_links_to(live_server)
    event = past_event(make_event, organiser, title="Inspirationsdag om validering i Östergötland")
    karin = participant(event, "Karin Lind", municipality="Linköping")
    participant(event, "Åsa Öberg", sector=Sector.ADULT_EDUCATION, municipality="Norrköping")
    participant(event, "Bo Borta", status=RegistrationStatus.CONFIRMED, municipality="Motala")
    karin_email, event_id = karin.email, event.id

    # The organiser closes the day and prepares a named survey.
    log_in(page, live_server, organiser)
    page.get_by_role("link", name="Inspirationsdag om validering i Östergötland").click()
    page.get_by_role("button", name="Markera som genomfört").click()
    expect(page.get_by_text("Evenemanget är markerat som genomfört.")).to_be_visible()
    page.get_by_role("link", name="Utvärdering", exact=True).click()
    axe_check(page)
    page.get_by_role("button", name="Skapa enkäten").click()
    expect(page.get_by_role("heading", name="Enkätens frågor")).to_be_visible()
    expect(page.get_by_role("heading", name="1. Vilket helhetsbetyg ger du evenemanget?")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Lägg till en fråga").click()
    page.get_by_label("Typ av fråga").select_option("yes_no")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".invalid-feedback", has_text="Skriv frågan på svenska, engelska eller båda.")).to_be_visible()
    axe_check(page)
    page.get_by_label("Frågan på svenska").fill("Skulle du rekommendera dagen till en kollega?")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", name="7. Skulle du rekommendera dagen till en kollega?")).to_be_visible()
    page.get_by_role("link", name="Inställningar").click()
    page.get_by_label("Namngivna: svaren kopplas till anmälan").check()
    page.get_by_label("Påminnelse (dagar innan enkäten stänger)").fill("40")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".invalid-feedback", has_text="Välj från 0 (ingen påminnelse) till 30 dagar.")).to_be_visible()
    axe_check(page)
    page.get_by_label("Påminnelse (dagar innan enkäten stänger)").fill("3")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Namngivna: kopplas till anmälningarna")).to_be_visible()

    # The mail worker invites the two who attended; the link arrives through SMTP.
    worker_round(batch=20)
    db.session.remove()
    assert len(mail_server.messages) == 2
    [invitation] = mail_server.to(karin_email)
    assert invitation["Subject"] == "Vad tyckte du om Inspirationsdag om validering i Östergötland?"
    [link] = re.findall(rf"{re.escape(live_server)}/s/[A-Za-z0-9_-]+", text_part(invitation))

    # Karin answers on her phone; forgetting the required questions first.
    phone = page.context.browser.new_context(locale="sv-SE", viewport=PHONE, timezone_id="Europe/Stockholm")
    mobile = phone.new_page()
    mobile.goto(link)
    expect(
        mobile.get_by_role("heading", name="Vad tyckte du om Inspirationsdag om validering i Östergötland?")
    ).to_be_visible()
    axe_check(mobile)
    mobile.get_by_role("button", name="Skicka mina svar").click()
    expect(mobile.get_by_text("Rätta de markerade frågorna.")).to_be_visible()
    overall = mobile.get_by_role("group", name=re.compile("Vilket helhetsbetyg"))
    expect(overall.get_by_text("Välj ett betyg från 1 till 5.")).to_be_visible()
    expect(
        mobile.get_by_role("group", name=re.compile("Kommer din organisation")).get_by_text("Välj ett av svaren.")
    ).to_be_visible()
    axe_check(mobile)
    overall.get_by_label("4", exact=True).check()
    mobile.get_by_role("group", name=re.compile("Hur användbart")).get_by_label("5 Mycket användbart").check()
    mobile.get_by_label("Vad var mest värdefullt?").fill("Att träffa Komvux och Arbetsförmedlingen.")
    mobile.get_by_role("group", name=re.compile("Kommer din organisation")).get_by_label("Ja").check()
    mobile.get_by_label("Workshoppar").check()
    mobile.get_by_role("group", name=re.compile("rekommendera")).get_by_label("Ja").check()
    mobile.get_by_role("button", name="Skicka mina svar").click()
    expect(mobile.get_by_text("Tack! Dina svar är sparade.")).to_be_visible()
    axe_check(mobile)

    # Later, through the same link, she changes her mind: an edit, not a second response.
    mobile.goto(link)
    expect(mobile.get_by_text("Du har svarat.")).to_be_visible()
    expect(
        mobile.get_by_role("group", name=re.compile("Vilket helhetsbetyg")).get_by_label("4", exact=True)
    ).to_be_checked()
    mobile.get_by_role("group", name=re.compile("Vilket helhetsbetyg")).get_by_label("5 Mycket bra").check()
    mobile.get_by_role("button", name="Spara mina svar").click()
    expect(mobile.get_by_text("Dina ändringar är sparade.")).to_be_visible()
    phone.close()
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 1
    assert (
        db.session.scalar(select(SurveyAnswer.number).join(SurveyQuestion).where(SurveyQuestion.key == "overall")) == 5
    )

    # The organiser reads the results: charts drawn as SVG, with their values.
    page.goto(f"{live_server}/manage/events/{event_id}/feedback")
    expect(page.get_by_text("1 av 2 inbjudna har svarat")).to_be_visible()
    expect(page.locator("svg.bar-chart[role=img]")).to_have_count(5)
    expect(page.get_by_role("img", name=re.compile("Vilket helhetsbetyg"))).to_be_visible()
    expect(page.get_by_text("Att träffa Komvux och Arbetsförmedlingen.")).to_be_visible()
    page.get_by_text("Visa som tabell").first.click()
    expect(page.get_by_role("cell", name="5 – Mycket bra")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Har inte svarat").click()
    expect(page.get_by_role("cell", name=re.compile("Åsa Öberg"))).to_be_visible()
    expect(page.get_by_text("Karin Lind")).to_have_count(0)
    axe_check(page)

    page.get_by_role("link", name="← Utvärdering").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner svaren (CSV)").click()
    with open(download.value.path(), encoding="utf-8-sig") as exported:
        rows = list(csv.reader(io.StringIO(exported.read()), delimiter=";"))
    assert rows[1][0] == "Karin Lind" and rows[1][6] == "5"

    page.get_by_role("link", name="Rapport för utskrift").click()
    expect(page.get_by_role("heading", name="Rapport: Inspirationsdag om validering i Östergötland")).to_be_visible()
    expect(page.get_by_role("heading", name="Per sektor")).to_be_visible()
    axe_check(page)
    page.emulate_media(media="print")
    expect(page.locator("header.site-header")).to_be_hidden()
    expect(page.get_by_role("img", name="Deltagare per sektor")).to_be_visible()
    page.emulate_media(media="screen")

    page.goto(f"{live_server}/manage/feedback")
    expect(page.get_by_role("img", name="Medelbetyg per typ av evenemang och år")).to_be_visible()
    expect(page.get_by_role("cell", name="Inspirationsdag", exact=True)).to_be_visible()
    axe_check(page)
