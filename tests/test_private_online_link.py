"""A private online link (issue 16): those with a seat get it, in their confirmation, their
reminder, their own page and their own calendar file; nobody else sees it: not the public
page, the agenda, the API, the calendar feeds and files, the invitation, nor the waiting list.

Each "never" is checked against the same event with a public link, where it does appear,
so a test cannot pass because the link is simply missing everywhere."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import EventKind, Invitation, OutboxMessage
from app.models.types import utcnow
from app.services import events, invitations, mail, registrations
from app.services.registrations import RegistrationDetails
from tests.mailserver import attachments, html_part, text_part

LINK = "https://meet.example.se/hemligt-rum-4711"


def details(name: str, email: str) -> RegistrationDetails:
    return RegistrationDetails(name=name, email=email, sector="municipality", consent=True)


def outbox(template: str, recipient: str) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.template == template, OutboxMessage.recipient == recipient)
        )
    )


def mail_holds_link(message: OutboxMessage) -> bool:
    files = b"".join(attachment.data for attachment in message.attachments)
    return LINK in message.body_text or LINK in message.body_html or LINK.encode() in files


@pytest.fixture(params=[True, False], ids=["private", "public"])
def webinar(request, make_event, make_item, organiser):
    """An online webinar with one seat: Anna has it, Bertil waits. Its link is private or not."""
    event = make_event(
        kind=EventKind.WEBINAR,
        title="Webbinarium om validering",
        venue_name="",
        venue_city="",
        online_url=LINK,
        online_url_private=request.param,
        capacity=1,
        starts_at=utcnow().replace(microsecond=0) + timedelta(days=10),
        organisers=[organiser],
    )
    make_item(event, "Inledning", event.starts_at, event.starts_at + timedelta(hours=1))
    anna = registrations.register(event, details("Anna Andersson", "anna@example.se"), locale="sv").registration
    bertil = registrations.register(event, details("Bertil Berg", "bertil@example.se"), locale="sv").registration
    return event, anna, bertil, request.param


def test_the_participant_with_a_seat_always_gets_the_link(client, webinar):
    event, anna, _, _ = webinar
    [confirmation] = outbox("registration_confirmed", anna.email)
    assert LINK in confirmation.body_text and LINK in confirmation.body_html
    assert LINK.encode() in confirmation.attachments[0].data  # the calendar file
    registrations.send_due_reminders(now=event.starts_at - timedelta(days=2) + timedelta(minutes=1))
    [reminder] = outbox("registration_reminder", anna.email)
    assert LINK in reminder.body_text
    assert LINK in client.get(f"/r/{anna.manage_token}").get_data(as_text=True)
    own_calendar = client.get(f"/r/{anna.manage_token}/calendar.ics")
    assert own_calendar.status_code == 200 and LINK in own_calendar.get_data(as_text=True)


def test_the_public_never_sees_a_private_link(client, webinar):
    event, _, _, private = webinar
    item = event.agenda_items[0]
    public = {
        "event page": client.get(f"/events/{event.id}"),
        "agenda": client.get(f"/events/{event.id}/agenda"),
        "event calendar file": client.get(f"/events/{event.id}.ics"),
        "agenda item calendar file": client.get(f"/events/{event.id}/agenda/{item.id}.ics"),
        "calendar feed": client.get("/calendar.ics"),
        "region feed": client.get("/regions/05/calendar.ics"),
        "API event": client.get(f"/api/v1/events/{event.id}"),
        "API list": client.get("/api/v1/events"),
    }
    assert all(answer.status_code == 200 for answer in public.values())
    showing = {name for name, answer in public.items() if LINK in answer.get_data(as_text=True)}
    if private:
        assert showing == set()
        assert client.get(f"/api/v1/events/{event.id}").get_json()["event"]["online_url"] is None
    else:  # the public link is where it always was: the feeds, the files and the API
        assert showing == {
            "event calendar file",
            "agenda item calendar file",
            "calendar feed",
            "region feed",
            "API event",
            "API list",
        }


def test_the_waiting_list_does_not_get_a_private_link(client, webinar):
    _, _, bertil, private = webinar
    [waitlisted] = outbox("registration_waitlisted", bertil.email)
    page = client.get(f"/r/{bertil.manage_token}").get_data(as_text=True)
    own_calendar = client.get(f"/r/{bertil.manage_token}/calendar.ics").get_data(as_text=True)
    assert (LINK in waitlisted.body_text) is not private
    assert (LINK in page) is not private
    assert (LINK in own_calendar) is not private


def test_the_cancellation_of_the_event_does_not_carry_a_private_link(webinar):
    event, anna, bertil, private = webinar
    events.cancel_event(event, actor=None)
    for person in (anna, bertil):
        [cancelled] = outbox("event_cancelled", person.email)
        assert mail_holds_link(cancelled) is not private


def test_someone_moving_up_from_the_waiting_list_gets_it(webinar):
    _, anna, bertil, _ = webinar
    registrations.cancel(anna)
    [promoted] = outbox("registration_promoted", bertil.email)
    assert mail_holds_link(promoted)


def test_an_invitation_never_carries_a_private_link(client, webinar, organiser):
    event, _, _, private = webinar
    invitations.import_rows(event, "cecilia@example.se", organiser)
    invitation = db.session.scalar(select(Invitation))
    [message] = outbox("invitation", "cecilia@example.se")
    assert mail_holds_link(message) is not private
    page = client.get(f"/i/{invitation.token}")
    assert page.status_code == 200
    assert LINK not in page.get_data(as_text=True)  # the page names it "Online", as the public page does


def test_the_link_reaches_a_real_mailbox_in_the_confirmation_and_its_calendar(make_event, mail_server):
    event = make_event(kind=EventKind.WEBINAR, venue_name="", venue_city="", online_url=LINK, online_url_private=True)
    registrations.register(event, details("Doris Dahl", "doris@example.se"), locale="sv")
    mail.deliver_due()
    [message] = mail_server.to("doris@example.se")
    assert LINK in text_part(message) and LINK in html_part(message)
    [calendar_file] = attachments(message).values()
    assert LINK.encode() in calendar_file.get_payload(decode=True)


def test_the_organiser_sets_it_in_the_event_form_and_sees_it_marked(client, make_event, organiser, auth):
    event = make_event(organisers=[organiser], online_url=LINK)
    auth.login(organiser)
    form = client.get(f"/manage/events/{event.id}/edit").get_data(as_text=True)
    assert 'name="online_url_private"' in form and 'name="certificate_with_survey"' in form
    data = {
        "title": event.title,
        "kind": event.kind.value,
        "region": "05",
        "starts_at": "2031-05-05T09:00",
        "ends_at": "2031-05-05T16:00",
        "venue_name": "Missionskyrkan",
        "venue_city": "Linköping",
        "online_url": LINK,
        "online_url_private": "y",
        "certificate_with_survey": "y",
        "reminder_days": "2",
        "retention_months": "12",
        "organisers": str(organiser.id),
    }
    answer = client.post(f"/manage/events/{event.id}/edit", data=data)
    assert answer.status_code == 302, answer.get_data(as_text=True)
    db.session.refresh(event)
    assert event.online_url_private and event.certificate_with_survey
    assert "Bara för deltagare" in client.get(f"/manage/events/{event.id}").get_data(as_text=True)
