"""Registrations under concurrency on PostgreSQL: one lock order everywhere (the event row,
then the content version at commit), so bursts never deadlock, and the "link mailed again
at most once per interval" rule holds when many identical submissions arrive at once.

Each submission runs in a thread of its own, with its own app context, session and
database connection, through the same service calls the registration view makes.
"""

import threading
from collections import Counter
from datetime import timedelta

import icalendar
import pytest
from sqlalchemy import func, select

import config
from app.extensions import db
from app.models import Event, EventStatus, OutboxMessage, Registration, RegistrationStatus
from app.services import registrations
from app.services.registrations import RegistrationDetails, signup
from tests.conftest import require_postgres

ROUNDS = 200
CAPACITY = 3
BURST = 100


def _details(email: str) -> RegistrationDetails:
    return RegistrationDetails(name="Deltagare", email=email, sector="municipality", consent=True)


def submit(event_id: int, email: str) -> None:
    """What the public form does for a browser that has not registered this address:
    register, and when the address was registered already, mail its link again."""
    event = db.session.get(Event, event_id)
    outcome = registrations.register(event, _details(email), locale="sv")
    if not outcome.created:
        registrations.resend_link(outcome.registration)


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
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a submission hung"
    return errors


def _link_mails(event_id: int) -> Counter:
    return Counter(
        db.session.scalars(
            select(OutboxMessage.recipient).where(
                OutboxMessage.event_id == event_id, OutboxMessage.template == "registration_link"
            )
        )
    )


def test_bursts_with_resubmits_never_deadlock(app, make_event):
    """test_scaling's burst, 200 times: new people, one person on two servers at once, and
    people already registered submitting again (which mails their link)."""
    require_postgres("SQLite lets one writer in at a time; PostgreSQL's row locks can deadlock")
    for round_ in range(ROUNDS):
        event_id = make_event(capacity=CAPACITY).id
        earlier = [f"earlier{n}@example.se" for n in range(2)]
        for email in earlier:
            submit(event_id, email)
        db.session.remove()
        calls = [(submit, event_id, f"new{n}@example.se") for n in range(5)]
        calls += [(submit, event_id, "twice@example.se")] * 2
        calls += [(submit, event_id, email) for email in earlier for _ in range(2)]
        errors = at_once(app, calls)
        assert not errors, f"round {round_}: {errors!r}"

        rows = db.session.execute(
            select(Registration.email, Registration.status).where(Registration.event_id == event_id)
        ).all()
        assert len(rows) == 8 and len({email for email, _ in rows}) == 8
        assert Counter(status for _, status in rows)[RegistrationStatus.CONFIRMED] == CAPACITY
        # Each address registered before gets its link once, however often it is submitted.
        links = _link_mails(event_id)
        assert all(links[email] == 1 for email in earlier), links
        db.session.remove()


class ShortLockWaits(config.TestingConfig):
    """Lock waits that run out after 100 ms: a burst's queue is then far longer than one wait."""

    def __init__(self):
        super().__init__()
        self.DATABASE_LOCK_TIMEOUT_MS = 100


def test_a_burst_for_the_last_seats_turns_nobody_away_while_the_lock_moves(make_app, make_event):
    """Every wait for the event's lock runs out many times over in this burst, but the
    lock keeps changing hands, so each registration waits on: none answers busy."""
    require_postgres("the event's row lock and its holder")
    event_id = make_event(capacity=5).id
    db.session.remove()
    burst = make_app(ShortLockWaits)

    errors = at_once(burst, [(submit, event_id, f"person{n}@example.se") for n in range(BURST)])

    assert not errors, Counter(type(error).__name__ for error in errors)
    counts = Counter(db.session.scalars(select(Registration.status).where(Registration.event_id == event_id)))
    assert counts == {RegistrationStatus.CONFIRMED: 5, RegistrationStatus.WAITLISTED: BURST - 5}


def test_twenty_identical_submissions_mail_the_link_once(app, make_event):
    require_postgres("SQLite lets one writer in at a time; the race needs PostgreSQL")
    event_id = make_event(capacity=10).id
    submit(event_id, "same@example.se")
    db.session.remove()

    errors = at_once(app, [(submit, event_id, "same@example.se")] * 20)

    assert not errors, errors
    assert _link_mails(event_id) == {"same@example.se": 1}
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 1


def while_the_newcomer_waits(app, monkeypatch, call: tuple) -> list:
    """Run `call` (function, *args) in a transaction of its own, committed once the next
    registration has written its rows and before it takes the event's lock; the list
    holds True once it ran."""
    real_wait = signup.lock_while_it_moves
    ran = []

    def first_the_call(*args, **kwargs):
        if not ran:
            ran.append(True)
            assert at_once(app, [call]) == []
        real_wait(*args, **kwargs)

    monkeypatch.setattr(signup, "lock_while_it_moves", first_the_call)
    return ran


def test_a_seat_taken_between_the_count_and_the_lock_puts_the_newcomer_on_the_waiting_list(
    app, make_event, monkeypatch
):
    """A newcomer's rows are written before the lock as the seats then suggest: when the
    last seat goes to someone else meanwhile, the decision under the lock wins, and the
    confirmation written beforehand is replaced by the waiting-list mail."""
    require_postgres("another registration committing while this one waits for the lock")
    event_id = make_event(capacity=1).id
    db.session.remove()
    ran = while_the_newcomer_waits(app, monkeypatch, (submit, event_id, "first@example.se"))
    outcome = registrations.register(db.session.get(Event, event_id), _details("late@example.se"), locale="sv")

    assert outcome.created and ran
    statuses = dict(db.session.execute(select(Registration.email, Registration.status)).all())
    assert statuses == {
        "first@example.se": RegistrationStatus.CONFIRMED,
        "late@example.se": RegistrationStatus.WAITLISTED,
    }
    mails = db.session.execute(select(OutboxMessage.recipient, OutboxMessage.template).order_by(OutboxMessage.id)).all()
    assert mails == [("first@example.se", "registration_confirmed"), ("late@example.se", "registration_waitlisted")]


def move_an_hour_later(event_id: int) -> None:
    """What an organiser's change of time does to the event's row (events.save_changes)."""
    event = db.session.get(Event, event_id)
    event.starts_at += timedelta(hours=1)
    event.ends_at += timedelta(hours=1)
    event.sequence += 1
    db.session.commit()


def test_an_event_moved_while_the_newcomer_waits_gets_the_new_time_in_their_mail(app, make_event, monkeypatch):
    """The confirmation is written before the lock; when the event moves meanwhile, the
    move's own mail goes to those seated then, so the newcomer's is written again."""
    require_postgres("another transaction committing while this one holds its first rows")
    event = make_event(capacity=10)
    event_id, moved_start = event.id, event.starts_at + timedelta(hours=1)
    db.session.remove()
    ran = while_the_newcomer_waits(app, monkeypatch, (move_an_hour_later, event_id))
    registrations.register(db.session.get(Event, event_id), _details("late@example.se"), locale="sv")

    assert ran
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == "late@example.se")).one()
    calendar = icalendar.Calendar.from_ical(message.attachments[0].data)
    vevent = next(iter(calendar.walk("VEVENT")))
    assert vevent.decoded("dtstart") == moved_start
    assert vevent["SEQUENCE"] == db.session.get(Event, event_id).sequence


def cancel(event_id: int) -> None:
    db.session.get(Event, event_id).status = EventStatus.CANCELLED
    db.session.commit()


def test_an_event_cancelled_while_the_newcomer_waits_registers_nobody(app, make_event, monkeypatch):
    """The lock reloads the event: one cancelled meanwhile takes no registration, and the
    newcomer's rows written before the lock go with the rollback."""
    require_postgres("another transaction committing while this one holds its first rows")
    event_id = make_event(capacity=10).id
    db.session.remove()
    ran = while_the_newcomer_waits(app, monkeypatch, (cancel, event_id))
    with pytest.raises(registrations.RegistrationClosed):
        registrations.register(db.session.get(Event, event_id), _details("late@example.se"), locale="sv")

    assert ran
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
