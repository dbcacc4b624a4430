"""The demo's national conference with parallel sessions (issue 16): two days, two blocks
of sessions with rooms and capacities, people who chose, no mail queued, reserved domains."""

from datetime import date

from sqlalchemy import func, select

from app.demo.parallel_sessions import add_conference_with_sessions
from app.extensions import db
from app.models import OutboxMessage, Registration
from app.services.registrations import sessions


def test_the_conference_has_two_blocks_of_sessions_with_rooms_seats_and_waiting_lists(organiser):
    event = add_conference_with_sessions(organiser, date(2026, 12, 6))
    assert event.title.startswith("Nationell konferens")
    assert (event.ends_at - event.starts_at).days >= 1  # two days
    slots = sessions.slots_of(event)
    assert len(slots) == 2
    for slot in slots:
        assert len(slot.sessions) == 3
        assert all(session.item.room and session.capacity for session in slot.sessions)
    seats = sessions.seats_by_session(event)
    assert any(state.full and state.waiting for state in seats.values())
    assert all(
        state.seated <= session.capacity for slot in slots for session in slot.sessions for state in [seats[session.id]]
    )
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    emails = db.session.scalars(select(Registration.email).where(Registration.event_id == event.id)).all()
    assert len(emails) == 40 and all(email.endswith("@example.com") for email in emails)


def test_its_registration_form_and_session_pages_show(client, auth, organiser):
    event = add_conference_with_sessions(organiser, date.today())
    page = client.get(f"/events/{event.id}/register").get_data(as_text=True)
    assert "Seminarier, dag 1 eftermiddag" in page and "Fullt" in page
    auth.login(organiser)
    assert client.get(f"/manage/events/{event.id}/sessions").status_code == 200
    assert client.get(f"/manage/events/{event.id}/sessions/door-list").status_code == 200
