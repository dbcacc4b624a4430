"""The registration race: many people register at once for an event with few seats.

Against a running server (its event must be open for registration):

    python bench/registration_race.py --url http://127.0.0.1:5000 --event 7

Without --url it starts its own threaded server on DATABASE_URL (a fresh SQLite file
when unset), creates an event with --capacity seats and races --attempts registrations:

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench python bench/registration_race.py

It prints attempts, capacity, confirmed, waitlisted, errors and seconds; it exits 1
when the event was overbooked or any request failed.
"""

import argparse
import http.cookiejar
import logging
import os
import re
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class _BehindTheProxy(http.cookiejar.DefaultCookiePolicy):
    """The browser speaks https to the proxy, so its Secure cookies go along."""

    def return_ok_secure(self, cookie, request):
        return True


class Person:
    """One visitor with their own cookies: loads the form, then registers.

    `behind_proxy`: the server runs as deployed (production, PROXY_HOPS=1), so each
    request carries what the TLS proxy adds: this person's own address (rate limits
    count per address) and https, and the POST the Origin a browser sends.
    """

    def __init__(self, base: str, event_id: int, n: int, *, behind_proxy: bool = False):
        self.base, self.event_id, self.n = base, event_id, n
        jar = http.cookiejar.CookieJar(_BehindTheProxy() if behind_proxy else None)
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
        self.token = ""
        self.location = ""
        self.headers: dict[str, str] = {}
        if behind_proxy:
            netloc = urllib.parse.urlsplit(base).netloc
            self.headers = {
                "X-Forwarded-For": f"10.77.{n // 256 % 256}.{n % 256}",
                "X-Forwarded-Proto": "https",
                "X-Forwarded-Host": netloc,
            }
            self.origin = f"https://{netloc}"

    def load_form(self) -> None:
        request = urllib.request.Request(f"{self.base}/events/{self.event_id}/register", headers=self.headers)
        with self.opener.open(request, timeout=60) as response:
            match = CSRF.search(response.read().decode())
        self.token = (match.group(1) or match.group(2)) if match else ""

    def register(self) -> int:
        """The answer's status: 200 ("check your email") when the registration was taken."""
        data = urllib.parse.urlencode(
            {
                "csrf_token": self.token,
                "name": f"Bänk Deltagare {self.n}",
                "email": f"bench-{os.getpid()}-{self.n}@example.com",
                "organisation": "Mjölby kommun",
                "sector": "municipality",
                "municipality": "Mjölby",
                "consent": "y",
            }
        ).encode()
        path = f"/events/{self.event_id}/register"
        headers = {**self.headers, "Origin": self.origin, "Referer": f"{self.origin}{path}"} if self.headers else {}
        request = urllib.request.Request(f"{self.base}{path}", data=data, headers=headers)
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status
        except urllib.error.HTTPError as error:
            error.close()
            return error.code


def race(base: str, event_id: int, attempts: int, *, behind_proxy: bool = False) -> dict:
    people = [Person(base, event_id, n, behind_proxy=behind_proxy) for n in range(attempts)]
    for person in people:
        person.load_form()
    start = threading.Barrier(attempts)
    answers: dict[int, int | str] = {}

    def go(person: Person) -> None:
        start.wait()
        try:
            answers[person.n] = person.register()
        except OSError as error:  # refused, reset, timed out: an error like any other
            answers[person.n] = type(error).__name__

    threads = [threading.Thread(target=go, args=(person,)) for person in people]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - began
    # The answer never says seated or waiting (it must not tell who is registered): the
    # seats are counted afterwards, in the database or through the API.
    return {
        "attempts": attempts,
        "registered": sum(1 for answer in answers.values() if answer == 200),
        "errors": sum(1 for answer in answers.values() if answer != 200),
        "seconds": round(seconds, 2),
    }


def seated_in_database(event_id: int) -> int:
    """Seats taken (confirmed or attended), counted in the database of our own server."""
    from app.extensions import db
    from app.models import Event
    from app.services import registrations

    return registrations.seats_taken(db.session.get(Event, event_id))


def seats_of(base: str, event_id: int) -> tuple[int | None, int | None]:
    """The event's capacity and seats left before the race, from the public API."""
    import json

    with urllib.request.urlopen(f"{base}/api/v1/events/{event_id}", timeout=30) as response:
        event = json.load(response)["event"]
    return event["capacity"], event["seats_left"]


def own_server(capacity: int):
    """A migrated database, an open event and a threaded server on a free port."""
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='samverkan-bench-')}/bench.db"
    # Every attempt comes from one address; the race, not the rate limit, is measured.
    os.environ.setdefault("PUBLIC_FORM_RATE_LIMIT", "100000 per minute")
    from datetime import timedelta

    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from app import create_app
    from app.extensions import db
    from app.models import Event, EventKind, EventStatus
    from app.models.types import utcnow

    app = create_app()
    with app.app_context():
        upgrade()
        # Quiet: the request log would bury the result (and show every manage link).
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        starts = utcnow().replace(microsecond=0) + timedelta(days=30)
        event = Event(
            kind=EventKind.INSPIRATION_DAY,
            title="Bänkevenemang: registreringsrace",
            venue_name="Konsert & Kongress",
            venue_city="Linköping",
            starts_at=starts,
            ends_at=starts + timedelta(hours=6),
            capacity=capacity,
            status=EventStatus.PUBLISHED,
        )
        db.session.add(event)
        db.session.commit()
        event_id = event.id
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, app, f"http://127.0.0.1:{server.server_port}", event_id


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running server; without it the script starts its own")
    parser.add_argument("--event", type=int, help="the event to register for (with --url)")
    parser.add_argument("--attempts", type=int, default=40)
    parser.add_argument("--capacity", type=int, default=5, help="seats of the event the script creates")
    args = parser.parse_args()
    server = app = None
    if args.url:
        if not args.event:
            parser.error("--url needs --event")
        base, event_id = args.url.rstrip("/"), args.event
    else:
        server, app, base, event_id = own_server(args.capacity)
    capacity, seats_before = seats_of(base, event_id)
    try:
        result = race(base, event_id, args.attempts)
    finally:
        if server is not None:
            server.shutdown()
    if app is not None:
        with app.app_context():
            taken = seated_in_database(event_id)
        result["confirmed"] = taken
    else:  # a server elsewhere: the API's seats left, which never goes below 0
        result["confirmed"] = seats_before - seats_of(base, event_id)[1] if seats_before is not None else None
    result["capacity"] = capacity
    result["waitlisted"] = result["registered"] - (result["confirmed"] or 0)
    for key in ("attempts", "capacity", "confirmed", "waitlisted", "errors", "seconds"):
        print(f"{key:>10}: {result[key]}")
    overbooked = capacity is not None and (result["confirmed"] or 0) > capacity
    return 1 if overbooked or result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
