"""Registration under pressure, through the running server.

- The race: many people register for a few seats at the same moment (attempts,
  capacity, confirmed, waitlisted, errors). Exactly `capacity` must be confirmed,
  the rest waitlisted, none refused with an error. The race itself is the
  registration feature's own script, `bench/registration_race.py`; here it runs
  against the benchmark's gunicorn, on the benchmark's database, and the outcome
  is checked once more in the database.
- The flow: one person's whole registration (event page, form, POST, confirmation
  page), timed end to end (target: under 40 ms).

Both use a new event made for the purpose and deleted afterwards, and send the
form with its CSRF token, as a browser does.
"""

import time
from datetime import timedelta
from statistics import median
from urllib.parse import urlsplit

from sqlalchemy import delete, func, select

from bench.client import Browser
from bench.context import BenchContext, failed, not_available, remove_event
from bench.pages import PAGES, Sample, find_rule, path_for, registration_form

ATTEMPTS = 100
CAPACITY = 20
FLOW_REPETITIONS = 20
REGISTRATION = next(page for page in PAGES if page.form is registration_form)


def registration_counts(event_id: int) -> dict[str, int]:
    """Registrations of the event by status; adjust if the model names them otherwise."""
    from app.extensions import db
    from app.models import Registration

    rows = (
        db.session.execute(
            select(Registration.status, func.count())
            .where(Registration.event_id == event_id)
            .group_by(Registration.status)
        )
        .tuples()
        .all()
    )
    db.session.rollback()
    return {getattr(status, "value", status): count for status, count in rows}


def remove_load_registrations() -> int:
    """Delete what the registration POST load made (its addresses are @bench.example.se),
    so the next run starts from the generated data again."""
    from app.extensions import db
    from app.models import Registration

    deleted = db.session.execute(
        delete(Registration).where(Registration.email.like("load-%@bench.example.se"))
    ).rowcount
    try:
        from app.models import OutboxMessage
    except ImportError:
        pass
    else:
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.recipient.like("load-%@bench.example.se")))
    db.session.commit()
    return deleted


def _missing_feature(ctx: BenchContext) -> dict | None:
    import app.models

    if not hasattr(app.models, "Registration"):
        return not_available("no app.models.Registration")
    if find_rule(ctx.app, REGISTRATION) is None:
        return not_available("no registration POST route")
    return None


def _new_event(capacity: int | None) -> int:
    from app.extensions import db
    from app.models import Event, EventKind, EventStatus, Region
    from app.models.types import utcnow

    starts_at = utcnow().replace(microsecond=0) + timedelta(days=45)
    event = Event(
        kind=EventKind.INSPIRATION_DAY,
        title="Bench: sista platserna",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=7),
        venue_name="Missionskyrkan",
        venue_city="Linköping",
        region=db.session.scalar(select(Region).where(Region.code == "05")),
        capacity=capacity,
        registration_opens_at=utcnow() - timedelta(days=1),
        status=EventStatus.PUBLISHED,
    )
    db.session.add(event)
    db.session.commit()
    return event.id


def measure_registration_race(ctx: BenchContext) -> dict:
    if missing := _missing_feature(ctx):
        return missing
    try:
        from bench.registration_race import race
    except ImportError:
        return not_available("no bench/registration_race.py")
    with ctx.app.app_context():
        event_id = _new_event(CAPACITY)
        try:
            result = race(ctx.base, event_id, ATTEMPTS)
            in_database = registration_counts(event_id)
            return {
                "status": "measured",
                "attempts": result["attempts"],
                "capacity": CAPACITY,
                "confirmed": in_database.get("confirmed", 0),
                "waitlisted": in_database.get("waitlisted", 0),
                "errors": result["errors"],
                "seconds": result["seconds"],
                "in_database": in_database,
            }
        except Exception as error:  # report a mismatch with the feature, never stop the run
            return failed(error)
        finally:
            remove_event(event_id)


def _form_for(browser: Browser, path: str, n: str) -> dict:
    """The registration form's fields with this browser's CSRF token."""
    token = browser.get(path).csrf_token()
    fields = {name: value.replace("__N__", n) for name, value in registration_form(None).items()}
    return {**fields, "csrf_token": token or ""}


def measure_registration_flow(ctx: BenchContext) -> dict:
    """Event page, form, POST, confirmation: one client, one after the other."""
    if missing := _missing_feature(ctx):
        return missing
    with ctx.app.app_context():
        event_id = _new_event(None)
        try:
            path = path_for(ctx.app, REGISTRATION, Sample(event_id, "05"))
            timings, statuses = [], []
            for n in range(FLOW_REPETITIONS):
                browser = Browser(ctx.base)
                started = time.perf_counter()
                browser.get(f"/events/{event_id}")
                answer = browser.post(path, _form_for(browser, path, f"flow{n}"))
                if answer.status in (302, 303) and (location := answer.headers.get("Location")):
                    answer = browser.get(urlsplit(location).path)
                timings.append(time.perf_counter() - started)
                statuses.append(answer.status)
                browser.close()
            timings.sort()
            return {
                "status": "measured",
                "registrations": FLOW_REPETITIONS,
                "median_ms": round(median(timings) * 1000, 1),
                "p95_ms": round(timings[round(0.95 * (len(timings) - 1))] * 1000, 1),
                "final_statuses": {str(s): statuses.count(s) for s in sorted(set(statuses))},
            }
        except Exception as error:  # report a mismatch with the feature, never stop the run
            return failed(error)
        finally:
            remove_event(event_id)
