"""The registration burst: 1,000 people register at the same moment for the last seats
of one event, against the app as deployed: gunicorn with deploy/gunicorn.conf.py,
production configuration, PostgreSQL. Each person is a browser of their own behind
the TLS proxy (their own address and cookies; the form's CSRF token posted back).

Targets: no errors (a "busy, try again" answer counts as one: that person is not
registered), no overbooking (issue 12), and the whole burst answered within 15 s
(issue 17; issue 12 asked for every answer within 30 s).

The server is bench/server.py's, serving `wsgi:app` itself (no benchmark headers):
deploy/gunicorn.conf.py, production configuration, Redis when redis-server is installed.

    python -m bench.registration_burst --database-url postgresql://postgres@127.0.0.1:5432/bench

`make bench` runs it on PostgreSQL (`make bench-burst` alone); on SQLite it reports
"not available": one machine's SQLite is not what a burst of this size meets.
"""

import argparse
import http.client
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import timedelta

from sqlalchemy import delete, select

from bench.client import Browser
from bench.context import BenchContext, failed, not_available, remove_event
from bench.load import at_share
from bench.server import Redis, Server
from config import DevelopmentConfig, normalise_database_url

PEOPLE = 1000
SEATS = 20
ANSWER_WITHIN_S = 30
BURST_WITHIN_S = 15
EMAIL_DOMAIN = "burst.bench.example.com"


class Person:
    """One person: their own browser, address and cookies (behind the TLS proxy, as
    bench/client.py sends each request: their own X-Forwarded-For, https, Origin)."""

    def __init__(self, base: str, event_id: int, n: int) -> None:
        self.base, self.path, self.n = base, f"/events/{event_id}/register", n
        self.browser = Browser(base)
        self.token = ""
        self.status: int | str = "not sent"
        self.seconds: float | None = None

    def load_form(self) -> None:
        self.token = self.browser.get(self.path).csrf_token() or ""
        # A new connection for the POST, as after a person's minute on the form.
        self.browser.close()
        self.browser.conn = http.client.HTTPConnection(self.browser.host, self.browser.port, timeout=120)

    def register(self, started: float) -> None:
        form = {
            "csrf_token": self.token,
            "name": f"Bänk Deltagare {self.n}",
            "email": f"person{self.n}@{EMAIL_DOMAIN}",
            "organisation": "Mjölby kommun",
            "sector": "municipality",
            "municipality": "Mjölby",
            "consent": "y",
        }
        try:
            self.status = self.browser.post(self.path, form).status
        except OSError as error:  # refused, reset, timed out: an error like any other
            self.status = type(error).__name__
        self.seconds = time.perf_counter() - started
        self.browser.close()


def burst(base: str, event_id: int, people: int) -> dict:
    crowd = [Person(base, event_id, n) for n in range(people)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(Person.load_form, crowd))
    started: list[float] = []
    # The clock starts as the last person is ready, and everyone sends at once.
    ready = threading.Barrier(people, action=lambda: started.append(time.perf_counter()))

    def go(person: Person) -> None:
        ready.wait()
        person.register(started[0])

    threads = [threading.Thread(target=go, args=(person,)) for person in crowd]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = sorted(person.seconds for person in crowd)
    statuses: dict[str, int] = {}
    for person in crowd:
        statuses[str(person.status)] = statuses.get(str(person.status), 0) + 1
    return {
        "people": people,
        "answers": statuses,
        "errors": sum(count for status, count in statuses.items() if status != "200"),
        "p50_s": round(at_share(seconds, 0.50), 2),
        "p99_s": round(at_share(seconds, 0.99), 2),
        "max_s": round(seconds[-1], 2),
    }


def _new_event(seats: int) -> int:
    from app.extensions import db
    from app.models import Event, EventKind, EventStatus, Region
    from app.models.types import utcnow

    starts_at = utcnow().replace(microsecond=0) + timedelta(days=45)
    event = Event(
        kind=EventKind.NATIONAL_CONFERENCE,
        title="Bench: 1 000 på en gång",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=7),
        venue_name="Gävle Konserthus",
        venue_city="Gävle",
        region=db.session.scalar(select(Region).where(Region.code == "21")),
        capacity=seats,
        registration_opens_at=utcnow() - timedelta(days=1),
        status=EventStatus.PUBLISHED,
    )
    db.session.add(event)
    db.session.commit()
    return event.id


def _remove(event_id: int) -> None:
    from app.extensions import db
    from app.models import OutboxMessage

    remove_event(event_id)  # its registrations go with it
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.recipient.like(f"%@{EMAIL_DOMAIN}")))
    db.session.commit()


def run_burst(
    app, database_url: str, *, people: int = PEOPLE, seats: int = SEATS, redis_url: str | None = None
) -> dict:
    from bench.registration_load import registration_counts

    with app.app_context():
        event_id = _new_event(seats)
        try:
            with Server(database_url, app="wsgi:app", name="burst", redis_url=redis_url) as server:
                result = burst(server.base, event_id, people)
                settings = server.settings()
            counts = registration_counts(event_id)
        finally:
            _remove(event_id)
    confirmed = counts.get("confirmed", 0)
    return {
        "status": "measured",
        **result,
        "seats": seats,
        "confirmed": confirmed,
        "waitlisted": counts.get("waitlisted", 0),
        "overbooked": max(confirmed - seats, 0),
        "registered": sum(counts.values()),
        "redis": bool(redis_url),
        **{key: settings[key] for key in ("workers", "threads", "worker_class")},
    }


def measure_registration_burst(ctx: BenchContext) -> dict:
    if not ctx.database_url.startswith("postgresql"):
        return not_available("PostgreSQL only (BENCH_DB=postgresql://...)")
    try:
        return run_burst(ctx.app, ctx.database_url, redis_url=ctx.redis_url)
    except Exception as error:  # report it, never stop the run
        return failed(error)


def met(result: dict) -> bool:
    """The issues' aims: nobody gets an error or is overbooked, and all are answered within 15 s."""
    return (
        result["errors"] == 0
        and result["overbooked"] == 0
        and result["registered"] == result["people"]
        and result["max_s"] < BURST_WITHIN_S
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL"),
        required=not os.environ.get("DATABASE_URL"),
        help="a PostgreSQL database (migrated here when it is not)",
    )
    parser.add_argument("--people", type=int, default=PEOPLE)
    parser.add_argument("--seats", type=int, default=SEATS)
    args = parser.parse_args()
    url = normalise_database_url(args.database_url)
    if not url.startswith("postgresql"):
        parser.error("the burst runs on PostgreSQL")
    os.environ["DATABASE_URL"] = url
    from flask_migrate import upgrade

    from app import create_app
    from bench import report

    app = create_app(DevelopmentConfig)
    with app.app_context():
        upgrade()
    with ExitStack() as stack:
        redis_url = stack.enter_context(Redis()).url if Redis.available() else None
        result = run_burst(app, url, people=args.people, seats=args.seats, redis_url=redis_url)
    print("\n".join(report.burst_table(result)))
    return 0 if met(result) else 1


if __name__ == "__main__":
    sys.exit(main())
