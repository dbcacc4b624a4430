"""The proof that a parallel session's seats never overbook (issue 16): many people choose
the last place of a session at once, on PostgreSQL, and exactly one gets it. A control
runs the same burst with the locks taken away and shows the race is real.

Each person runs in a thread of its own, with its own app context, session and database
connection, through the service calls the registration form and the participant's own
page make. The seat check is slowed a little (`slow_seat_check`), or held until everyone
has counted (`seat_checks_all_at_once`), so that without the locks the window between
counting the seats and taking one is open for everyone at once; with the locks, that
window is inside the critical section.
"""

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import ChoiceStatus, Event, Registration, SessionChoice
from app.services import registrations
from app.services.registrations import RegistrationDetails, session_changes, sessions, signup
from app.services.registrations.session_changes import change_choices, save_slot
from tests.conftest import require_postgres

PEOPLE = 16


def _details(n: int) -> RegistrationDetails:
    return RegistrationDetails(name=f"Deltagare {n}", email=f"p{n}@example.se", sector="municipality", consent=True)


def at_once(app, calls: list[tuple]) -> list[BaseException]:
    """Run the calls in threads released together; the exceptions they raised."""
    start = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(function, *args) -> None:
        with app.app_context():
            try:
                start.wait()
                function(*args)
            except BaseException as error:  # noqa: BLE001 (reported by the test)
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a person hung"
    return errors


@pytest.fixture
def slow_seat_check(monkeypatch):
    """Hold every seat check open for a moment after it has counted."""
    counted = sessions.has_free_seat

    def slowly(session):
        free = counted(session)
        time.sleep(0.05)
        return free

    monkeypatch.setattr(sessions, "has_free_seat", slowly)


@pytest.fixture
def seat_checks_all_at_once(monkeypatch):
    """For the registering control, without locks: every seat check, once it has counted, waits
    until all PEOPLE have counted, so the window between counting and taking a seat is open
    for all of them at once however the threads are scheduled (the sleep alone left it to
    timing, and on a busy machine the last had counted after the first had committed). Each
    registration checks once; a switch checks again as it promotes, so that control sleeps."""
    counted = sessions.has_free_seat
    together = threading.Barrier(PEOPLE)

    def all_at_once(session):
        free = counted(session)
        together.wait(timeout=60)
        return free

    monkeypatch.setattr(sessions, "has_free_seat", all_at_once)


@pytest.fixture
def last_place(make_event, make_item, organiser):
    """A session with one place left (capacity 2, one taken) and a roomy one beside it."""
    event = make_event(capacity=1000, organisers=[organiser])
    start = event.starts_at + timedelta(hours=1)
    a = make_item(event, "Workshop A", start, start + timedelta(hours=1), room="Sal A")
    b = make_item(event, "Workshop B", start, start + timedelta(hours=1), room="Sal B")
    slot = save_slot(event, title="Pass 1", allow_none=True, capacities={a.id: 2, b.id: None}, by=organiser)
    session_a = next(s for s in slot.sessions if s.agenda_item_id == a.id)
    session_b = next(s for s in slot.sessions if s.agenda_item_id == b.id)
    registrations.register(event, _details(999), locale="sv", choices={slot.id: session_a.id})
    return event.id, slot.id, session_a.id, session_b.id


def register_choosing(event_id: int, n: int, slot_id: int, session_id: int) -> None:
    event = db.session.get(Event, event_id)
    registrations.register(event, _details(n), locale="sv", choices={slot_id: session_id})


def switch_to(registration_id: int, slot_id: int, session_id: int) -> None:
    change_choices(db.session.get(Registration, registration_id), {slot_id: session_id})


def seats_in(session_id: int) -> dict[ChoiceStatus, int]:
    db.session.expire_all()
    return dict(
        db.session.execute(
            select(SessionChoice.status, func.count())
            .where(SessionChoice.session_id == session_id)
            .group_by(SessionChoice.status)
        ).all()
    )


def test_many_choosing_the_last_place_at_once_when_registering_seat_exactly_one(app, last_place, slow_seat_check):
    require_postgres("SQLite lets one writer in at a time, so there is no race to prove")
    event_id, slot_id, a, _b = last_place
    errors = at_once(app, [(register_choosing, event_id, n, slot_id, a) for n in range(PEOPLE)])
    assert errors == []
    assert seats_in(a) == {ChoiceStatus.SEATED: 2, ChoiceStatus.WAITLISTED: PEOPLE - 1}


def test_many_switching_to_the_last_place_at_once_seat_exactly_one(app, last_place, slow_seat_check):
    require_postgres("SQLite lets one writer in at a time, so there is no race to prove")
    event_id, slot_id, a, b = last_place
    event = db.session.get(Event, event_id)
    people = [registrations.register(event, _details(n), locale="sv", choices={slot_id: b}) for n in range(PEOPLE)]
    ids = [outcome.registration_id for outcome in people]
    errors = at_once(app, [(switch_to, registration_id, slot_id, a) for registration_id in ids])
    assert errors == []
    assert seats_in(a) == {ChoiceStatus.SEATED: 2, ChoiceStatus.WAITLISTED: PEOPLE - 1}
    assert seats_in(b) == {}


def test_control_without_the_locks_the_same_burst_overbooks(app, last_place, seat_checks_all_at_once, monkeypatch):
    """The control: the same burst with the event's and the sessions' locks taken away
    overbooks the session, so the tests above would catch a missing lock."""
    require_postgres("SQLite lets one writer in at a time, so there is no race to show")
    monkeypatch.setattr(signup, "lock_while_it_moves", lambda *args, **kwargs: None)
    monkeypatch.setattr(sessions, "lock_sessions", lambda ids: None)
    event_id, slot_id, a, _b = last_place
    errors = at_once(app, [(register_choosing, event_id, n, slot_id, a) for n in range(PEOPLE)])
    assert errors == []
    seated = seats_in(a)[ChoiceStatus.SEATED]
    assert seated > 2, "without the locks the burst should have overbooked the session"


def test_control_switching_without_the_locks_overbooks(app, last_place, slow_seat_check, monkeypatch):
    require_postgres("SQLite lets one writer in at a time, so there is no race to show")
    monkeypatch.setattr(session_changes, "lock", lambda event: None)
    monkeypatch.setattr(session_changes, "lock_sessions", lambda ids: None)
    event_id, slot_id, a, b = last_place
    event = db.session.get(Event, event_id)
    people = [registrations.register(event, _details(n), locale="sv", choices={slot_id: b}) for n in range(PEOPLE)]
    errors = at_once(app, [(switch_to, outcome.registration_id, slot_id, a) for outcome in people])
    assert errors == []
    assert seats_in(a)[ChoiceStatus.SEATED] > 2
