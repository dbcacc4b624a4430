"""Parallel sessions (issue 16): choosing one session per slot when registering, each
session's own seats and waiting list, changes from the participant's own page, the mail
when a place frees up, and the calendar file with every chosen session."""

from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from app.extensions import db
from app.models import ChoiceStatus, OutboxMessage, Registration, SessionChoice
from app.services import mail, registrations
from app.services.registrations import RegistrationDetails, sessions
from app.services.registrations.session_changes import NeedsConfirmation, change_choices, move, save_slot


def form_for(n: int, **choices) -> dict:
    return {
        "name": f"Deltagare {n}",
        "email": f"deltagare{n}@example.se",
        "organisation": "Gävle kommun",
        "sector": "municipality",
        "municipality": "Gävle",
        "consent": "y",
        **choices,
    }


@pytest.fixture
def conference(make_event, make_item, organiser):
    """A conference with one slot of two workshops: A has 2 places, B has 10; none allowed."""
    event = make_event(title="Nationell konferens om validering", capacity=100, organisers=[organiser])
    start = event.starts_at + timedelta(hours=2)
    a = make_item(event, "Workshop A", start, start + timedelta(hours=1), room="Sal A")
    b = make_item(event, "Workshop B", start, start + timedelta(hours=1), room="Sal B")
    slot = save_slot(event, title="Pass 1", allow_none=True, capacities={a.id: 2, b.id: 10}, by=organiser)
    by_title = {session.item.title: session for session in slot.sessions}
    return event, slot, by_title["Workshop A"], by_title["Workshop B"]


def register(event, n: int, choices) -> Registration:
    details = RegistrationDetails(name=f"Deltagare {n}", email=f"p{n}@example.se", sector="municipality", consent=True)
    return registrations.register(event, details, locale="sv", choices=choices).registration


def choice_of(registration: Registration, slot) -> SessionChoice | None:
    return sessions.choices_of(registration).get(slot.id)


def test_the_form_offers_each_session_with_its_places_and_a_full_one_says_full(client, conference):
    event, slot, a, b = conference
    register(event, 1, {slot.id: a.id})
    register(event, 2, {slot.id: a.id})
    page = client.get(f"/events/{event.id}/register").get_data(as_text=True)
    assert "Pass 1" in page and "Workshop A" in page and "Sal B" in page
    assert "Fullt" in page and "10 platser kvar" in page
    assert "Ingen av dessa" in page


def test_registering_through_the_form_takes_a_seat_and_a_full_session_its_waiting_list(client, conference):
    event, slot, a, b = conference
    for n in range(3):
        answer = client.post(f"/events/{event.id}/register", data=form_for(n, **{f"slot_{slot.id}": str(a.id)}))
        assert answer.status_code == 200
    statuses = [
        choice_of(
            db.session.scalar(select(Registration).where(Registration.email == f"deltagare{n}@example.se")), slot
        ).status
        for n in range(3)
    ]
    assert statuses == [ChoiceStatus.SEATED, ChoiceStatus.SEATED, ChoiceStatus.WAITLISTED]
    assert sessions.seats_by_session(event)[a.id] == sessions.SessionSeats(seated=2, waiting=1, left=0)


def test_a_session_of_another_slot_or_event_is_refused_and_nothing_is_made(client, conference, make_event):
    event, slot, a, b = conference
    answer = client.post(f"/events/{event.id}/register", data=form_for(1, **{f"slot_{slot.id}": "999999"}))
    assert answer.status_code == 400
    assert db.session.scalar(select(Registration)) is None


def test_a_slot_that_requires_a_choice_refuses_none(client, conference, organiser):
    event, slot, a, b = conference
    save_slot(
        event, title="Pass 1", allow_none=False, capacities={a.item.id: 2, b.item.id: 10}, by=organiser, slot=slot
    )
    answer = client.post(f"/events/{event.id}/register", data=form_for(1))
    assert answer.status_code == 400
    assert "Välj ett av passen." in answer.get_data(as_text=True)
    assert "Ingen av dessa" not in answer.get_data(as_text=True)
    answer = client.post(f"/events/{event.id}/register", data=form_for(1, **{f"slot_{slot.id}": "none"}))
    assert answer.status_code == 400
    assert db.session.scalar(select(Registration)) is None


def test_a_cancellation_gives_the_session_seat_to_the_first_waiting_and_mails_them(conference, mail_server):
    event, slot, a, b = conference
    first, second, third = (register(event, n, {slot.id: a.id}) for n in range(3))
    mail.deliver_due()
    registrations.cancel(first)
    assert choice_of(third, slot).status == ChoiceStatus.SEATED
    report = mail.deliver_due()
    assert report.sent == 2  # the cancellation, and the place for the third
    [received] = [m for m in mail_server.to("p2@example.se") if "Workshop A" in m["Subject"]]
    assert received["Subject"] == f"Du har fått en plats i Workshop A: {event.title}"
    calendar = Calendar.from_ical(received.get_payload()[-1].get_payload(decode=True))
    summaries = sorted(str(component["summary"]) for component in calendar.walk("VEVENT"))
    assert summaries == sorted([event.title, f"Workshop A – {event.title}"])


def test_the_participant_changes_session_and_the_seat_they_leave_moves_up(conference):
    event, slot, a, b = conference
    first, _second, third = (register(event, n, {slot.id: a.id}) for n in range(3))
    change_choices(first, {slot.id: b.id})
    assert choice_of(first, slot).session_id == b.id
    assert choice_of(third, slot).status == ChoiceStatus.SEATED
    change_choices(first, {slot.id: None})
    assert choice_of(first, slot) is None


def test_changing_sessions_on_the_own_page(client, conference):
    event, slot, a, b = conference
    person = register(event, 1, {slot.id: a.id})
    page = client.get(f"/r/{person.manage_token}").get_data(as_text=True)
    assert "Dina pass" in page and "du har en plats" in page
    answer = client.post(f"/r/{person.manage_token}/sessions", data={f"sessions-slot_{slot.id}": str(b.id)})
    assert answer.status_code == 302
    assert choice_of(person, slot).session_id == b.id
    bad = client.post(f"/r/{person.manage_token}/sessions", data={f"sessions-slot_{slot.id}": "nonsense"})
    assert bad.status_code == 400
    assert choice_of(person, slot).session_id == b.id


def test_the_own_calendar_file_holds_the_event_and_each_seated_session(client, conference):
    event, slot, a, b = conference
    person = register(event, 1, {slot.id: b.id})
    answer = client.get(f"/r/{person.manage_token}/calendar.ics")
    calendar = Calendar.from_ical(answer.data)
    summaries = sorted(str(component["summary"]) for component in calendar.walk("VEVENT"))
    assert summaries == sorted([event.title, f"Workshop B – {event.title}"])
    [session_event] = [c for c in calendar.walk("VEVENT") if "Workshop" in str(c["summary"])]
    assert "Sal B" in str(session_event["location"])


def test_the_confirmation_lists_the_sessions_and_carries_them_in_its_calendar_file(conference):
    event, slot, a, b = conference
    register(event, 1, {slot.id: a.id})
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "registration_confirmed"))
    assert "Workshop A" in message.body_text
    [attachment] = message.attachments
    assert attachment.data.count(b"BEGIN:VEVENT") == 2


def test_the_organiser_moves_a_person_into_a_full_session_only_when_confirmed(conference, organiser):
    event, slot, a, b = conference
    register(event, 1, {slot.id: a.id})
    register(event, 2, {slot.id: a.id})
    mover = register(event, 3, {slot.id: b.id})
    with pytest.raises(NeedsConfirmation):
        move(mover, a, by=organiser)
    assert choice_of(mover, slot).session_id == b.id
    move(mover, a, by=organiser, beyond_capacity=True)
    assert choice_of(mover, slot).session_id == a.id
    assert sessions.seats_by_session(event)[a.id].seated == 3


def test_someone_on_the_event_waiting_list_waits_for_the_session_too(make_event, make_item, organiser):
    event = make_event(capacity=1, organisers=[organiser])
    start = event.starts_at + timedelta(hours=1)
    a = make_item(event, "A", start, start + timedelta(hours=1))
    b = make_item(event, "B", start, start + timedelta(hours=1))
    slot = save_slot(event, title="Pass", allow_none=True, capacities={a.id: 5, b.id: 5}, by=organiser)
    session_a = next(s for s in slot.sessions if s.agenda_item_id == a.id)
    seated = register(event, 1, {slot.id: session_a.id})
    waiting = register(event, 2, {slot.id: session_a.id})
    assert choice_of(waiting, slot).status == ChoiceStatus.WAITLISTED
    registrations.cancel(seated)
    assert db.session.get(Registration, waiting.id).holds_seat
    assert choice_of(waiting, slot).status == ChoiceStatus.SEATED


def test_moved_to_the_event_waiting_list_gives_the_session_seat_on_and_waits_again(conference, organiser):
    event, slot, a, b = conference
    first, second, third = (register(event, n, {slot.id: a.id}) for n in range(3))
    registrations.move_to_waitlist(first, by=organiser)
    assert choice_of(third, slot).status == ChoiceStatus.SEATED
    assert choice_of(first, slot).status == ChoiceStatus.WAITLISTED
    registrations.confirm_by_organiser(db.session.get(Registration, first.id), by=organiser)
    assert sessions.seats_by_session(event)[a.id] == sessions.SessionSeats(seated=2, waiting=1, left=0)
    registrations.cancel(db.session.get(Registration, second.id))
    assert choice_of(first, slot).status == ChoiceStatus.SEATED


def test_an_invitee_chooses_sessions_on_the_invitation_form(client, conference, organiser):
    from app.models import Invitation
    from app.services import invitations

    event, slot, a, b = conference
    invitations.import_rows(event, "anna@example.se", organiser)
    invitation = db.session.scalar(select(Invitation))
    page = client.get(f"/i/{invitation.token}").get_data(as_text=True)
    assert "Pass 1" in page and "Workshop B" in page
    answer = client.post(
        f"/i/{invitation.token}",
        data={**form_for(1), f"slot_{slot.id}": str(b.id)},
    )
    assert answer.status_code == 302
    registration = db.session.scalar(select(Registration).where(Registration.email == "anna@example.se"))
    assert choice_of(registration, slot).session_id == b.id


def test_the_data_export_holds_the_sessions_chosen(client, conference):
    event, slot, a, b = conference
    person = register(event, 1, {slot.id: b.id})
    data = client.get(f"/r/{person.manage_token}/data.json").get_json()
    assert data["registration"]["sessions"] == [
        {"block": "Pass 1", "session": "Workshop B", "room": "Sal B", "place": "seated"}
    ]
