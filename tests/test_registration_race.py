"""The pretix-style proof that concurrent registrations never overbook: many people
register at once over real HTTP for an event with few seats."""

import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from sqlalchemy import func, select

from app.extensions import db
from app.models import Registration, RegistrationStatus
from tests.conftest import require_postgres

ATTEMPTS = 40
CAPACITY = 5


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def post_registration(url: str, n: int) -> int:
    """One person registering; the status code the server answered (302 is success)."""
    data = urllib.parse.urlencode({
        "name": f"Deltagare {n}", "email": f"deltagare{n}@example.se", "organisation": "Motala kommun",
        "sector": "municipality", "municipality": "Motala", "consent": "y",
    }).encode()
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, data=data), timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        error.close()
        return error.code


def test_concurrent_registrations_get_exactly_the_seats_and_the_rest_wait(live_server, make_event):
    require_postgres(
        "SQLite lets one writer in at a time, so there is no race to prove; on PostgreSQL the "
        "seat count runs under a row lock on the event (SELECT … FOR UPDATE)"
    )
    event = make_event(capacity=CAPACITY)
    url = f"{live_server}/events/{event.id}/register"
    start = threading.Barrier(ATTEMPTS)
    answers: list[int] = []

    def person(n: int) -> None:
        start.wait()
        answers.append(post_registration(url, n))

    began = time.monotonic()
    threads = [threading.Thread(target=person, args=(n,)) for n in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    seconds = time.monotonic() - began

    assert sorted(answers) == [302] * ATTEMPTS, f"errors: {[a for a in answers if a != 302]}"
    counts = dict(db.session.execute(
        select(Registration.status, func.count()).where(Registration.event_id == event.id)
        .group_by(Registration.status)
    ).all())
    assert counts == {RegistrationStatus.CONFIRMED: CAPACITY, RegistrationStatus.WAITLISTED: ATTEMPTS - CAPACITY}
    print(f"{ATTEMPTS} registrations for {CAPACITY} seats in {seconds:.2f} s")
