"""Whom participants turn to, and how they find the place: the event's contact on its page and
at the end of every mail, replies reaching that contact (Reply-To, through a real SMTP server),
a map link for the venue, the calendar file on the participant's own page, and the
co-organisers as checkboxes."""

from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Event, EventKind, Invitation, OutboxMessage, Registration
from app.services import mail, registrations
from tests.mailserver import html_part, text_part
from tests.test_invitations import invite_directly
from tests.test_manage_events import VALID_FORM

REGISTRATION = {
    "name": "Karin Lind",
    "email": "karin.lind@linkoping.example",
    "organisation": "Linköpings kommun",
    "sector": "municipality",
    "municipality": "Linköping",
    "consent": "y",
}
CONTACT = {"contact_name": "Eva Berg", "contact_email": "eva.berg@region.example", "contact_phone": "070-123 45 67"}


def text(response) -> str:
    return response.get_data(as_text=True)


def only_event() -> Event:
    return db.session.scalars(select(Event)).one()


def test_a_new_event_names_the_organiser_as_contact_who_may_name_someone_else(client, auth, make_user):
    olga = make_user(name="Olga Organiser", email="olga@delegation.example")
    auth.login(olga)
    page = text(client.get("/manage/events/new"))
    assert 'value="Olga Organiser"' in page and 'value="olga@delegation.example"' in page

    assert client.post("/manage/events/new", data={**VALID_FORM, **CONTACT}).status_code == 302
    event = only_event()
    assert (event.contact_name, event.contact_email, event.contact_phone) == (
        "Eva Berg",
        "eva.berg@region.example",
        "070-123 45 67",
    )
    edit = text(client.get(f"/manage/events/{event.id}/edit"))
    assert 'value="Eva Berg"' in edit and 'value="070-123 45 67"' in edit


def test_a_bad_contact_address_is_shown_at_its_field_and_changes_nothing(client, auth, organiser, make_event):
    auth.login(organiser)
    event = make_event(organisers=[organiser], contact_email="kept@region.example")
    form = {**VALID_FORM, "contact_email": "not an address"}
    response = client.post(f"/manage/events/{event.id}/edit", data=form)
    assert response.status_code == 400
    assert 'id="contact_email-error"' in text(response)
    db.session.expire_all()
    assert db.session.get(Event, event.id).contact_email == "kept@region.example"


def test_the_event_page_shows_the_contact_and_a_map_link_in_a_new_tab(client, make_event):
    event = make_event(venue_name="Missionskyrkan", venue_address="Apotekaregatan 1", **CONTACT)
    page = text(client.get(f"/events/{event.id}"))
    assert "Eva Berg" in page
    assert 'href="mailto:eva.berg@region.example"' in page and 'href="tel:0701234567"' in page
    assert "Karta och vägbeskrivning (OpenStreetMap, öppnas i en ny flik)" in page
    link = page.split('class="map-link" href="', 1)[1].split('"', 1)[0]
    assert link.startswith("https://www.openstreetmap.org/search?")
    assert parse_qs(urlsplit(link).query)["query"] == ["Apotekaregatan 1, Linköping"]
    tag = page.split('class="map-link"', 1)[1].split(">", 1)[0]
    assert 'target="_blank"' in tag and 'rel="noopener noreferrer"' in tag
    assert '<script src="http' not in page and "<iframe" not in page  # no third-party map embedded


def test_an_online_event_has_no_map_and_an_event_without_contact_no_contact_row(client, make_event):
    event = make_event(kind=EventKind.WEBINAR, venue_name="", venue_city="", online_url="https://meet.example/x")
    page = text(client.get(f"/events/{event.id}"))
    assert "map-link" not in page and "data-event-contact" not in page


def register(client, event) -> Registration:
    assert client.post(f"/events/{event.id}/register", data=REGISTRATION).status_code == 200
    return db.session.scalars(select(Registration)).one()


def test_participant_mail_names_the_contact_and_replies_reach_them(client, make_event, mail_server):
    event = make_event(capacity=10, venue_address="Apotekaregatan 1", **CONTACT)
    register(client, event)

    assert mail.deliver_due().sent == 1
    [received] = mail_server.to("karin.lind@linkoping.example")
    assert received["Reply-To"] == "eva.berg@region.example"
    body = text_part(received)
    assert "Frågor om evenemanget? Kontakta Eva Berg, eva.berg@region.example, 070-123 45 67." in body
    assert "Svarar du på det här mejlet når svaret eva.berg@region.example." in body
    assert "läses inte" not in body
    assert "Karta: https://www.openstreetmap.org/search?query=Apotekaregatan+1%2C+Link" in body
    html = html_part(received)
    assert 'href="mailto:eva.berg@region.example"' in html and 'href="tel:0701234567"' in html
    assert "läses inte" not in html


def test_invitations_reply_to_the_contact_too(client, auth, organiser, make_event, mail_server):
    event = make_event(organisers=[organiser], **CONTACT)
    auth.login(organiser)
    invite_directly(event, organiser, "anna@kommun.example")
    assert mail.deliver_due().sent == 1
    [received] = mail_server.to("anna@kommun.example")
    assert received["Reply-To"] == "eva.berg@region.example"
    assert "Kontakta Eva Berg" in text_part(received)


def test_without_a_contact_mail_says_replies_are_not_read_and_has_no_reply_to(client, make_event, mail_server):
    event = make_event(capacity=10)
    register(client, event)
    assert mail.deliver_due().sent == 1
    [received] = mail_server.to("karin.lind@linkoping.example")
    assert received["Reply-To"] is None
    assert "Svar på det läses inte." in text_part(received)
    [message] = db.session.scalars(select(OutboxMessage)).all()
    assert message.reply_to == ""


def test_the_participants_own_page_offers_the_calendar_file_the_contact_and_the_map(client, make_event):
    event = make_event(capacity=10, **CONTACT)
    registration = register(client, event)
    page = text(client.get(f"/r/{registration.manage_token}"))
    assert f'href="/events/{event.id}.ics"' in page and "Lägg till i kalendern" in page
    assert "Eva Berg" in page and "map-link" in page
    ics = client.get(f"/events/{event.id}.ics")
    assert ics.status_code == 200 and ics.mimetype == "text/calendar"


def test_a_cancelled_registration_offers_no_calendar_file(client, make_event):
    event = make_event(capacity=10)
    registration = register(client, event)
    registrations.cancel(registration)
    assert f'href="/events/{event.id}.ics"' not in text(client.get(f"/r/{registration.manage_token}"))


def test_co_organisers_are_checkboxes_that_work_without_javascript(client, auth, organiser, make_user):
    colleague = make_user(name="Kim Kollega")
    auth.login(organiser)
    page = text(client.get("/manage/events/new"))
    assert "multiple" not in page and 'id="organisers-list"' in page  # no select that needs Ctrl-click
    assert f'type="checkbox" value="{colleague.id}"' in page
    assert client.post("/manage/events/new", data={**VALID_FORM, "organisers": [colleague.id]}).status_code == 302
    assert set(only_event().organisers) == {organiser, colleague}


def test_a_long_list_of_organisers_gets_a_filter_box(client, auth, organiser, make_user):
    for n in range(9):
        make_user(name=f"Kollega {n}")
    auth.login(organiser)
    page = text(client.get("/manage/events/new"))
    assert 'data-filter-for="organisers-list" hidden' in page and "checkbox-list-long" in page


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("contact_phone", "ring mig"),
        ("contact_phone", "070-123\n45 67"),
        ("contact_phone", "1" * 41),
        ("contact_name", "Eva\nBcc: alla@example.com"),
        ("contact_email", "eva@"),
    ],
)
def test_a_contact_that_cannot_be_shown_or_mailed_is_refused_at_its_field(client, auth, organiser, field, value):
    auth.login(organiser)
    response = client.post("/manage/events/new", data={**VALID_FORM, **CONTACT, field: value})
    assert response.status_code == 400
    assert f'id="{field}-error"' in text(response)
    assert db.session.scalars(select(Event)).all() == []


@pytest.mark.parametrize("phone", ["070-123 45 67", "+46 (0)13 20 60 00", "(013) 20 60 00", "013206000"])
def test_phone_numbers_as_people_write_them_are_accepted(client, auth, organiser, phone):
    auth.login(organiser)
    assert client.post("/manage/events/new", data={**VALID_FORM, **CONTACT, "contact_phone": phone}).status_code == 302


def test_the_invitation_page_names_the_contact_and_links_the_map(client, organiser, make_event):
    event = make_event(organisers=[organiser], **CONTACT)
    invite_directly(event, organiser, "anna@kommun.example")
    invitation = db.session.scalars(select(Invitation)).one()
    page = text(client.get(f"/i/{invitation.token}"))
    assert "data-event-contact" in page and "Eva Berg" in page and "map-link" in page


def test_a_copy_of_an_event_keeps_its_contact(client, auth, organiser, make_event):
    event = make_event(organisers=[organiser], **CONTACT)
    auth.login(organiser)
    assert client.post(f"/manage/events/{event.id}/duplicate").status_code == 302
    copy = db.session.scalars(select(Event).where(Event.id != event.id)).one()
    assert (copy.contact_name, copy.contact_email, copy.contact_phone) == tuple(CONTACT.values())
