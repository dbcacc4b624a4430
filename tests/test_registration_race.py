"""The pretix-style proof that concurrent registrations never overbook: many people
register at once over real HTTP for an event with few seats."""

import threading
import time

from sqlalchemy import func, select

from app.extensions import db
from app.models import Registration, RegistrationStatus
from tests.conftest import require_postgres
from tests.visitor import Visitor

ATTEMPTS = 40
CAPACITY = 5


def registration_form(n: int) -> dict:
    return {
        "name": f"Deltagare {n}",
        "email": f"deltagare{n}@example.se",
        "organisation": "Motala kommun",
        "sector": "municipality",
        "municipality": "Motala",
        "consent": "y",
    }


def test_concurrent_registrations_get_exactly_the_seats_and_the_rest_wait(live_server, make_event):
    require_postgres(
        "SQLite lets one writer in at a time, so there is no race to prove; on PostgreSQL the "
        "seat count runs under a row lock on the event (SELECT … FOR NO KEY UPDATE)"
    )
    event = make_event(capacity=CAPACITY)
    path = f"/events/{event.id}/register"
    people = [Visitor(live_server) for _ in range(ATTEMPTS)]
    tokens = [person.get(path).csrf_token() for person in people]  # each opens the form first
    start = threading.Barrier(ATTEMPTS)
    answers: list[int] = []

    def person(n: int) -> None:
        start.wait()
        answers.append(people[n].send(path, registration_form(n), token=tokens[n]).status)

    began = time.monotonic()
    threads = [threading.Thread(target=person, args=(n,)) for n in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    seconds = time.monotonic() - began

    assert sorted(answers) == [200] * ATTEMPTS, f"errors: {[a for a in answers if a != 200]}"
    counts = dict(
        db.session.execute(
            select(Registration.status, func.count())
            .where(Registration.event_id == event.id)
            .group_by(Registration.status)
        ).all()
    )
    assert counts == {RegistrationStatus.CONFIRMED: CAPACITY, RegistrationStatus.WAITLISTED: ATTEMPTS - CAPACITY}
    print(f"{ATTEMPTS} registrations for {CAPACITY} seats in {seconds:.2f} s")
