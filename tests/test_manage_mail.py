"""The "Sent mail" pages: organisers read the mail of their own events, with working links."""

import pytest
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.models import OutboxMessage, OutboxStatus
from app.services import mail

SUBJECT = _l("Test message from Samverkan")


def queue(event=None, to="anna@example.se", **kwargs):
    message = mail.enqueue(to, "test", locale="sv", subject=SUBJECT, event=event, **kwargs)
    db.session.commit()
    return message


@pytest.fixture
def own_event(make_event, organiser):
    return make_event(organisers=[organiser])


def test_pages_need_a_login(client, own_event):
    message = queue(own_event)
    for url in ("/manage/mail", f"/manage/events/{own_event.id}/mail", f"/manage/mail/{message.id}"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_an_organiser_sees_only_the_mail_of_their_events(client, auth, make_user, make_event, own_event):
    mine = queue(own_event, to="mine@example.se")
    theirs = queue(make_event(), to="theirs@example.se")
    without_event = queue(to="nobody-knows@example.se")
    auth.login(own_event.organisers[0])

    page = client.get("/manage/mail").get_data(as_text=True)
    assert "mine@example.se" in page
    assert "theirs@example.se" not in page and "nobody-knows@example.se" not in page
    assert "Ingen e-postserver är inställd" in page
    for url in (
        f"/manage/mail/{theirs.id}",
        f"/manage/mail/{theirs.id}/html",
        f"/manage/mail/{without_event.id}",
        f"/manage/events/{theirs.event_id}/mail",
    ):
        assert client.get(url).status_code == 403, url
    assert client.get(f"/manage/mail/{mine.id}").status_code == 200
    assert client.get("/manage/mail/999999").status_code == 404


def test_an_admin_sees_all_mail(client, auth, admin, make_event):
    queue(make_event(), to="one@example.se")
    queue(to="two@example.se")
    auth.login(admin)
    page = client.get("/manage/mail").get_data(as_text=True)
    assert "one@example.se" in page and "two@example.se" in page


def test_a_message_shows_its_text_links_and_attachments(client, auth, own_event):
    message = queue(own_event, attachments=[mail.ics_attachment(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")])
    auth.login(own_event.organisers[0])

    response = client.get(f"/manage/mail/{message.id}")
    page = response.get_data(as_text=True)
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Testmeddelande från Samverkan" in page
    assert "Sparat, inte skickat" in page
    assert '<a href="http://localhost/" rel="noreferrer">' in page
    attachment_id = message.attachments[0].id

    download = client.get(f"/manage/mail/{message.id}/attachments/{attachment_id}")
    assert download.data == b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    assert download.headers["Content-Type"].startswith("text/calendar")
    assert "event.ics" in download.headers["Content-Disposition"]
    other = queue(own_event)
    assert client.get(f"/manage/mail/{other.id}/attachments/{attachment_id}").status_code == 404

    html = client.get(f"/manage/mail/{message.id}/html")
    assert "sandbox" in html.headers["Content-Security-Policy"]
    assert "fungerar utgående e-post" in html.get_data(as_text=True)


def test_a_failed_message_can_be_tried_again(client, auth, own_event):
    message = queue(own_event)
    auth.login(own_event.organisers[0])
    page = client.post(f"/manage/mail/{message.id}/retry", follow_redirects=True).get_data(as_text=True)
    assert "Bara ett meddelande som misslyckades" in page
    message.status = OutboxStatus.FAILED
    db.session.commit()
    client.post(f"/manage/mail/{message.id}/retry")
    db.session.refresh(message)
    assert message.status == OutboxStatus.KEPT  # no mail server in tests: kept again, not lost


def test_the_mail_list_makes_the_same_queries_however_much_mail_there_is(client, auth, own_event, count_queries):
    queue(own_event, attachments=[mail.ics_attachment(b"x")])
    auth.login(own_event.organisers[0])
    event_id = own_event.id
    urls = ("/manage/mail", f"/manage/events/{event_id}/mail")

    def measure(url):
        db.session.expunge_all()  # as in a real request, nothing is loaded yet
        with count_queries() as statements:
            page = client.get(url).get_data(as_text=True)
        return page, len(statements)

    few = {url: measure(url)[1] for url in urls}
    event = db.session.get(type(own_event), event_id)
    for n in range(15):
        queue(event, to=f"p{n}@example.se", attachments=[mail.ics_attachment(b"x")])
    for url in urls:
        page, count = measure(url)
        assert "p14@example.se" in page
        assert count == few[url], url


def test_organisers_read_a_participants_mail_with_the_personal_link_masked(client, auth, own_event):
    from app.services.registrations import RegistrationDetails, register

    registration = register(
        own_event,
        RegistrationDetails(name="Petra Persson", email="petra@example.se", sector="municipality", consent=True),
        locale="sv",
    ).registration
    token = registration.manage_token
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.registration_id == registration.id)).one()
    assert token in message.body_text and token in message.body_html  # the participant's own copy has it
    auth.login(own_event.organisers[0])

    page = client.get(f"/manage/mail/{message.id}").get_data(as_text=True)
    html = client.get(f"/manage/mail/{message.id}/html").get_data(as_text=True)
    assert token not in page and token not in html
    assert f"/r/{mail.MASK}" in page and f"/r/{mail.MASK}" in html
    assert "bara mottagaren kan öppna den" in page
