"""Registering for an event, the waiting list, the manage link, and the mail that goes with each."""

import re
from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from app.extensions import db
from app.models import EventStatus, OutboxMessage, Registration, RegistrationStatus
from app.models.types import utcnow
from app.services import events, mail, registrations
from app.services.registrations import RegistrationDetails
from tests.mailserver import attachments, text_part

FORM = {
    "name": "Karin Lind",
    "email": "Karin.Lind@Linkoping.se",
    "organisation": "Linköpings kommun",
    "sector": "municipality",
    "municipality": "Linköping",
    "dietary_needs": "Vegetarisk",
    "accessibility_needs": "",
    "consent": "y",
}


def register(client, event, **changes):
    return client.post(f"/events/{event.id}/register", data={**FORM, **changes})


def details(**changes) -> RegistrationDetails:
    fields = {**FORM, "consent": True, **changes}
    return RegistrationDetails(**fields)


def all_registrations() -> list[Registration]:
    db.session.expire_all()
    return list(db.session.scalars(select(Registration).order_by(Registration.id)))


def outbox(template: str | None = None) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if template:
        query = query.where(OutboxMessage.template == template)
    return list(db.session.scalars(query))


def calendar_of(message: OutboxMessage) -> Calendar:
    [attachment] = message.attachments
    return Calendar.from_ical(attachment.data)


def manage_path(registration: Registration) -> str:
    return f"/r/{registration.manage_token}"


def test_a_visitor_registers_and_gets_a_confirmation_with_a_manage_link_and_calendar(client, make_event):
    event = make_event(capacity=10)
    form = client.get(f"/events/{event.id}/register")
    assert form.status_code == 200
    assert 'href="/privacy"' in form.get_data(as_text=True)

    response = register(client, event)

    [registration] = all_registrations()
    # The page says where the link went, and holds no link: only the mailbox's owner gets it.
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Tack! Titta i din e-post" in page and "karin.lind@linkoping.se" in page.lower()
    assert registration.manage_token not in page and response.headers["Cache-Control"] == "no-store"
    assert registration.email == "karin.lind@linkoping.se"
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.consent_at is not None and registration.privacy_notice_version
    assert len(registration.manage_token) >= 43
    [message] = outbox()
    assert message.template == "registration_confirmed" and message.registration_id == registration.id
    assert message.subject == f"Bekräftelse på anmälan: {event.title}"
    assert f"http://localhost{manage_path(registration)}" in message.body_text
    assert f"http://localhost/events/{event.id}" in message.body_text
    calendar = calendar_of(message)
    assert calendar["method"] == "REQUEST"
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["attendee"]) == "mailto:karin.lind@linkoping.se"
    assert message.attachments[0].content_type.startswith("text/calendar; method=REQUEST")

    page = client.get(manage_path(registration))
    assert page.headers["Referrer-Policy"] == "same-origin"
    text = page.get_data(as_text=True)
    assert 'data-registration-status="confirmed"' in text and "Linköpings kommun" in text
    assert client.get(f"/events/{event.id}").get_data(as_text=True).count(">9<") == 1  # seats left


def test_a_new_and_a_known_address_get_the_same_answer(app, client, make_event):
    event = make_event()
    new = register(client, event)
    known = register(app.test_client(), event)
    assert new.status_code == known.status_code == 200
    assert new.get_data(as_text=True) == known.get_data(as_text=True)
    assert new.headers.get("Location") is known.headers.get("Location") is None
    assert [m.template for m in outbox()] == ["registration_confirmed", "registration_link"]


def test_mail_is_written_in_the_language_the_visitor_registered_in(client, make_event):
    event = make_event()
    client.set_cookie("lang", "en")
    register(client, event)
    [message] = outbox()
    assert message.locale == "en"
    assert message.subject == f"Registration confirmed: {event.title}"
    assert "You are registered. Welcome!" in message.body_text


def test_beyond_capacity_people_are_waitlisted_in_order_and_told_so(client, app, make_event):
    event = make_event(capacity=1)
    register(client, event, email="first@example.se")
    register(app.test_client(), event, email="second@example.se")
    register(app.test_client(), event, email="third@example.se")

    first, waiting, third = all_registrations()
    assert first.status == RegistrationStatus.CONFIRMED
    assert waiting.status == third.status == RegistrationStatus.WAITLISTED
    assert waiting.waitlisted_at <= third.waitlisted_at
    page = client.get(manage_path(waiting)).get_data(as_text=True)
    assert "du står på reservlistan" in page
    [message] = [m for m in outbox("registration_waitlisted") if m.recipient == "second@example.se"]
    assert message.subject.startswith("Du står på reservlistan")
    assert message.attachments == []  # no seat, no calendar entry
    assert events.seats_left(event) == 0
    assert "Ställ dig på reservlistan" in client.get(f"/events/{event.id}").get_data(as_text=True)


def test_submitting_twice_in_the_same_browser_makes_and_mails_nothing_new(client, make_event):
    event = make_event()
    first = register(client, event)
    again = register(client, event, email="  KARIN.LIND@linkoping.se ")
    assert first.status_code == again.status_code == 200
    assert len(all_registrations()) == 1
    assert len(outbox()) == 1


def test_another_browser_with_a_registered_address_sees_nothing_and_the_link_is_mailed_once(app, client, make_event):
    event = make_event()
    register(client, event)
    stranger = app.test_client()
    response = register(stranger, event, name="Someone Else")
    page = response.get_data(as_text=True)
    [registration] = all_registrations()
    assert response.status_code == 200
    assert registration.manage_token not in page and "Linköpings kommun" not in page
    assert f"Vi har skickat ett mejl om {event.title} till karin.lind@linkoping.se" in page.replace(
        "Karin.Lind@Linkoping", "karin.lind@linkoping"
    )
    assert registration.name == "Karin Lind"
    register(stranger, event)  # again within minutes: no second mail
    assert [m.template for m in outbox()] == ["registration_confirmed", "registration_link"]
    assert manage_path(registration) in outbox("registration_link")[0].body_text


def test_the_answer_to_a_registered_address_does_not_confirm_it_is_registered(app, client, make_event):
    event = make_event(capacity=1)
    register(client, event, email="seated@example.se")
    register(app.test_client(), event, email="waiting@example.se")
    stranger = app.test_client()

    answers = [
        register(stranger, event, email="seated@example.se"),  # the link is mailed
        register(stranger, event, email="waiting@example.se"),  # another status
        register(stranger, event, email="seated@example.se"),  # no mail: sent minutes ago
    ]

    assert [r.status_code for r in answers] == [200, 200, 200]
    # Each page names only the address typed, as any new registration's would.
    pages = [r.get_data(as_text=True).replace("seated@", "X@").replace("waiting@", "X@") for r in answers]
    assert pages[0] == pages[1] == pages[2]
    assert "Tack!" in pages[0] and "Vi har skickat ett mejl om" in pages[0]
    assert "redan" not in pages[0]
    assert [m.recipient for m in outbox("registration_link")] == ["seated@example.se", "waiting@example.se"]
    assert len(all_registrations()) == 2


def test_cancelling_through_the_manage_link_frees_the_seat_for_the_first_on_the_waiting_list(app, client, make_event):
    event = make_event(capacity=1)
    register(client, event, email="first@example.se")
    register(app.test_client(), event, email="second@example.se")
    register(app.test_client(), event, email="third@example.se")
    first, second, third = all_registrations()

    response = client.post(f"{manage_path(first)}/cancel", follow_redirects=True)

    assert "Du är avanmäld" in response.get_data(as_text=True)
    first, second, third = all_registrations()
    assert first.status == RegistrationStatus.CANCELLED
    assert second.status == RegistrationStatus.CONFIRMED
    assert third.status == RegistrationStatus.WAITLISTED
    [cancelled] = outbox("registration_cancelled")
    assert cancelled.recipient == "first@example.se" and calendar_of(cancelled)["method"] == "CANCEL"
    [promoted] = outbox("registration_promoted")
    assert promoted.recipient == "second@example.se" and calendar_of(promoted)["method"] == "REQUEST"
    assert manage_path(second) in promoted.body_text
    # Cancelling twice changes nothing more.
    client.post(f"{manage_path(first)}/cancel")
    assert len(outbox("registration_promoted")) == 1


def test_cancelling_asks_first_and_only_the_confirmed_post_cancels(client, make_event):
    event = make_event(capacity=5)
    register(client, event)
    [registration] = all_registrations()
    cancel_path = f"{manage_path(registration)}/cancel"
    manage = client.get(manage_path(registration)).get_data(as_text=True)
    assert f'href="{cancel_path}"' in manage
    assert f'action="{cancel_path}"' not in manage  # no one-click cancel

    response = client.get(cancel_path)
    assert response.status_code == 200
    assert response.headers["Referrer-Policy"] == "same-origin" and response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert f"Vill du avanmäla dig från {event.title}?" in page
    assert '<form method="post">' in page and "Ja, avanmäl mig" in page
    assert f'href="{manage_path(registration)}">Nej, behåll min anmälan</a>' in page
    assert all_registrations()[0].status == RegistrationStatus.CONFIRMED
    assert outbox("registration_cancelled") == []

    client.post(cancel_path)
    assert all_registrations()[0].status == RegistrationStatus.CANCELLED
    # Nothing is left to cancel: the link leads back to the registration, which says so.
    again = client.get(cancel_path)
    assert again.status_code == 302 and again.headers["Location"] == manage_path(registration)


def test_the_cancel_page_needs_a_csrf_token_to_cancel(make_app, make_event):
    app = make_app()
    event = make_event()
    registration = registrations.register(event, details(), locale="sv").registration
    client = app.test_client(csrf=False)
    cancel_path = f"{manage_path(registration)}/cancel"
    page = client.get(cancel_path).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post(cancel_path).status_code == 400
    assert client.post(cancel_path, data={"csrf_token": token}).status_code == 302
    assert all_registrations()[0].status == RegistrationStatus.CANCELLED


def test_a_participant_changes_their_details_but_bad_input_changes_nothing(client, make_event):
    event = make_event()
    register(client, event)
    [registration] = all_registrations()
    response = client.post(manage_path(registration), data={**FORM, "name": "Karin Lind-Berg", "sector": "region"})
    assert response.status_code == 302
    [registration] = all_registrations()
    assert registration.name == "Karin Lind-Berg" and registration.sector.value == "region"

    response = client.post(manage_path(registration), data={**FORM, "name": "", "sector": "pirates"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="name-error"' in page and 'id="sector-error"' in page
    assert all_registrations()[0].name == "Karin Lind-Berg"


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        "x" * 43,
        "A" * 500,
        "%00",
        "../../etc/passwd",
    ],
)
def test_an_unknown_link_shows_a_friendly_page_and_no_data(client, make_event, token):
    event = make_event()
    register(client, event)
    answers = (client.get(f"/r/{token}"), client.post(f"/r/{token}/cancel"), client.post(f"/r/{token}", data=FORM))
    for response in answers:
        assert response.status_code in (400, 404)
        if response.status_code == 404 and "/" not in token:
            assert "Länken är inte giltig" in response.get_data(as_text=True)
        assert "Karin" not in response.get_data(as_text=True)
    assert all_registrations()[0].status == RegistrationStatus.CONFIRMED


def test_a_tampered_token_opens_nothing(client, make_event):
    event = make_event()
    register(client, event)
    token = all_registrations()[0].manage_token
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    response = client.get(f"/r/{tampered}")
    assert response.status_code == 404
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Karin" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"name": ""}, "name", "Ange ditt namn."),
        ({"name": "K" * 121}, "name", "Högst 120 tecken."),
        ({"email": "not-an-address"}, "email", "Ange en giltig e-postadress."),
        ({"email": "a@b"}, "email", "Ange en giltig e-postadress."),
        ({"email": ""}, "email", "Ange din e-postadress."),
        ({"email": "a" * 250 + "@example.se"}, "email", "Högst 254 tecken."),
        ({"consent": ""}, "consent", "Du behöver godkänna integritetspolicyn"),
        ({"sector": "pirates"}, "sector", "Inte ett giltigt val"),
        ({"name": "Karin\r\nBcc: all@example.se"}, "name", "Skriv det på en rad"),
        ({"sector": ""}, "sector", "Välj den sektor du arbetar inom."),
        ({"dietary_needs": "x" * 5000}, "dietary_needs", "Högst 500 tecken."),
        ({"organisation": "<script>alert(1)</script>" * 20}, "organisation", "Högst 200 tecken."),
    ],
)
def test_bad_input_is_refused_next_to_its_field_and_nothing_is_saved(client, make_event, changes, field, message):
    event = make_event()
    response = register(client, event, **changes)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    assert message in page
    assert "<script>alert(1)</script>" not in page
    assert all_registrations() == [] and outbox() == []


@pytest.mark.parametrize(
    "setup, message",
    [
        (dict(status=EventStatus.CANCELLED), "Evenemanget är inställt."),
        (dict(registration_closes_at=utcnow() - timedelta(hours=1)), "Anmälan har stängt."),
        (dict(registration_opens_at=utcnow() + timedelta(days=2)), "Anmälan öppnar"),
        (dict(starts_at=utcnow() - timedelta(hours=1)), "Anmälan har stängt."),
        (dict(invitation_only=True), "bara för inbjudna"),
    ],
)
def test_registration_is_refused_outside_its_window_and_for_closed_events(client, make_event, setup, message):
    event = make_event(**setup)
    response = register(client, event)
    assert message in response.get_data(as_text=True)
    assert all_registrations() == []
    with pytest.raises(registrations.RegistrationClosed):
        registrations.register(event, details(), locale="sv")


def test_drafts_cannot_be_registered_for(client, make_event):
    event = make_event(status=EventStatus.DRAFT)
    assert register(client, event).status_code == 404
    assert all_registrations() == []


def test_a_cancelled_registration_can_register_again(client, make_event):
    event = make_event(capacity=5)
    outcome = registrations.register(event, details(), locale="sv")
    registrations.cancel(outcome.registration)
    again = registrations.register(event, details(name="Karin L"), locale="sv")
    assert again.created and again.registration.id == outcome.registration.id
    assert again.registration.status == RegistrationStatus.CONFIRMED and again.registration.name == "Karin L"


def test_whoever_takes_up_a_cancelled_registration_learns_nothing_of_the_earlier_one(client, app, make_event):
    """Anyone can type an address. Registering a cancelled one again must not hand over the
    earlier link, nor show the earlier mails in the data download."""
    event = make_event(capacity=5)
    outcome = registrations.register(event, details(), locale="sv")
    old_link = f"/r/{outcome.manage_token}"
    registrations.cancel(outcome.registration)
    stranger = app.test_client()
    response = register(stranger, event)
    assert response.status_code == 200 and outcome.manage_token not in response.get_data(as_text=True)
    assert client.get(old_link).status_code == 404
    [taken_up] = all_registrations()
    data = client.get(manage_path(taken_up) + "/data.json").get_json()  # from the link in the new mail
    assert [mail["subject"] for mail in data["emails"]] == [f"Bekräftelse på anmälan: {event.title}"]


def test_cancelling_the_event_emails_everyone_still_registered_a_calendar_cancellation(make_event):
    event = make_event(capacity=1)
    confirmed = registrations.register(event, details(email="a@example.se"), locale="sv").registration
    waiting = registrations.register(event, details(email="b@example.se"), locale="en").registration
    gone = registrations.register(event, details(email="c@example.se"), locale="sv").registration
    registrations.cancel(gone)

    events.cancel_event(event, None)

    notices = outbox("event_cancelled")
    assert sorted(m.recipient for m in notices) == [confirmed.email, waiting.email]
    for message in notices:
        calendar = calendar_of(message)
        assert calendar["method"] == "CANCEL"
        [vevent] = calendar.walk("VEVENT")
        assert vevent["sequence"] == 1
    assert {m.subject for m in notices} == {f"Inställt: {event.title}", f"Cancelled: {event.title}"}
    with pytest.raises(registrations.RegistrationClosed):
        registrations.register(event, details(email="late@example.se"), locale="sv")


def _edit(event, **changes):
    fields = dict(
        kind=event.kind,
        title=event.title,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        description=event.description,
        region=event.region,
        venue_name=event.venue_name,
        venue_city=event.venue_city,
        capacity=event.capacity,
        reminder_days=event.reminder_days,
    )
    fields.update(changes)
    events.update_event(event, events.EventDetails(**fields), event.organisers[0])


def test_a_new_time_sends_confirmed_participants_an_updated_calendar_entry(make_event, organiser):
    event = make_event(capacity=1, organisers=[organiser])
    confirmed = registrations.register(event, details(email="a@example.se"), locale="sv").registration
    registrations.register(event, details(email="b@example.se"), locale="sv")

    _edit(event, title="Bara ny rubrik")
    assert outbox("event_changed") == []

    later = event.starts_at + timedelta(days=1)
    _edit(event, starts_at=later, ends_at=later + timedelta(hours=6))

    [message] = outbox("event_changed")
    assert message.recipient == confirmed.email
    [vevent] = calendar_of(message).walk("VEVENT")
    assert calendar_of(message)["method"] == "REQUEST" and vevent["sequence"] == 1
    assert vevent.decoded("dtstart") == later


def test_raising_the_capacity_confirms_the_waiting_list_in_order(make_event, organiser):
    event = make_event(capacity=1, organisers=[organiser])
    for letter in "abcd":
        registrations.register(event, details(email=f"{letter}@example.se"), locale="sv")
    _edit(event, capacity=3)
    statuses = [r.status for r in all_registrations()]
    assert statuses == [RegistrationStatus.CONFIRMED] * 3 + [RegistrationStatus.WAITLISTED]
    assert sorted(m.recipient for m in outbox("registration_promoted")) == ["b@example.se", "c@example.se"]
    _edit(event, capacity=None)
    assert all_registrations()[-1].status == RegistrationStatus.CONFIRMED


def test_reminders_go_once_to_confirmed_participants_when_due(make_event):
    event = make_event(capacity=1, starts_at=utcnow() + timedelta(days=10), reminder_days=2)
    confirmed = registrations.register(event, details(email="a@example.se"), locale="sv").registration
    registrations.register(event, details(email="b@example.se"), locale="sv")
    cancelled_event = make_event(starts_at=utcnow() + timedelta(days=10))
    registrations.register(cancelled_event, details(email="c@example.se"), locale="sv")
    events.cancel_event(cancelled_event, None)

    assert registrations.send_due_reminders() == 0  # eight days early
    due = event.starts_at - timedelta(days=2) + timedelta(minutes=1)
    assert registrations.send_due_reminders(now=due) == 1
    assert registrations.send_due_reminders(now=due + timedelta(hours=1)) == 0
    [reminder] = outbox("registration_reminder")
    assert reminder.recipient == confirmed.email
    assert reminder.subject == f"Påminnelse: {event.title}"
    assert f"http://localhost/events/{event.id}" in reminder.body_text
    assert calendar_of(reminder)["method"] == "REQUEST"


def test_no_reminder_when_the_event_says_zero_days_or_the_person_registered_late(make_event):
    silent = make_event(starts_at=utcnow() + timedelta(days=5), reminder_days=0)
    registrations.register(silent, details(email="a@example.se"), locale="sv")
    soon = make_event(starts_at=utcnow() + timedelta(days=1), reminder_days=2)
    registrations.register(soon, details(email="b@example.se"), locale="sv")
    assert registrations.send_due_reminders(now=utcnow() + timedelta(hours=20)) == 0


def test_the_confirmation_reaches_a_real_smtp_server_with_link_and_calendar(client, make_event, mail_server):
    event = make_event()
    register(client, event)
    assert mail.deliver_due().sent == 1
    [received] = mail_server.to("karin.lind@linkoping.se")
    body = text_part(received)
    link = re.search(r"http://localhost(/r/[\w-]+)", body).group(1)
    assert "Karin Lind" in client.get(link).get_data(as_text=True)
    ics = attachments(received)["event.ics"]
    assert ics.get_param("method") == "REQUEST"
    assert b"ATTENDEE" in ics.get_payload(decode=True)


def test_seats_left_in_the_api_count_confirmed_and_attended(client, make_event, count_queries):
    event = make_event(capacity=3)
    for letter in "ab":
        registrations.register(event, details(email=f"{letter}@example.se"), locale="sv")
    registrations.check_in(all_registrations()[0], True, by=None)
    assert client.get(f"/api/v1/events/{event.id}").get_json()["event"]["seats_left"] == 1
    [item] = client.get("/api/v1/events").get_json()["events"]
    assert item["seats_left"] == 1

    for _ in range(4):
        make_event(capacity=10)
    with count_queries() as many:
        client.get("/api/v1/events")
    assert len([s for s in many if "FROM registration" in s]) == 1


def test_the_event_row_is_locked_for_the_seat_decision_alone(make_event, count_queries):
    event = make_event(capacity=2)
    with count_queries() as statements:
        registrations.register(event, details(), locale="sv")
    lock = next(i for i, s in enumerate(statements) if "FOR NO KEY UPDATE" in s or s.startswith("UPDATE event"))
    # Seats may be counted before the lock to prepare the likely mail; the count that decides follows it.
    count = max(i for i, s in enumerate(statements) if "count(" in s.lower() and "registration" in s)
    assert lock < count
    # A newcomer's rows are written before the lock; held, the seats are counted and the
    # content version raised, nothing else.
    written = [i for i, s in enumerate(statements) if s.startswith("INSERT")]
    assert written and max(written) < lock
    held = [s.split()[0] + (" content_version" if "content_version" in s else "") for s in statements[lock + 1 :]]
    assert held == ["SELECT", "UPDATE content_version"]
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 1


def test_a_bad_address_is_reported_with_the_other_problems_in_one_round(client, make_event):
    event = make_event(capacity=5)
    response = client.post(f"/events/{event.id}/register", data={"name": "Anna", "email": "not-an-email"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="email-error"' in page and 'id="sector-error"' in page and 'id="consent-error"' in page
