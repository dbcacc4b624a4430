"""Registration under pressure, through the running server.

- The race: many people register for a few seats at the same moment (attempts,
  capacity, confirmed, waitlisted, errors). Exactly `capacity` must be confirmed,
  the rest waitlisted, none refused with an error. The race itself is the
  registration feature's own script, `bench/registration_race.py`; here it runs
  against the benchmark's gunicorn, on the benchmark's database, and the outcome
  is checked once more in the database.
- The flow: one person's whole registration, four requests one after the other: the
  event page, the form, the POST (answered with the "check your email" page) and the
  registration's own page from the link in the mail (/r/TOKEN), where the person
  confirms what they registered. Its median time is issue 17's aim (≤ 24 ms, at scale
  1 and 50); the server's CPU and the SQL statements of a whole flow are reported too.

Both use a new event made for the purpose and deleted afterwards, and send the
form with its CSRF token, as a browser does, through the proxy (bench/client.py).
"""

from datetime import timedelta
from statistics import median

from sqlalchemy import delete, func, select

from bench.client import Answer, Browser
from bench.context import BenchContext, failed, not_available, remove_event
from bench.pages import PAGES, Sample, find_rule, path_for, registration_form

ATTEMPTS = 100
CAPACITY = 20
FLOW_REPETITIONS = 20
# Flows before the timed ones, per worker: each comes on a new connection, which the kernel
# hands to any worker, and each worker connects to the database and compiles each statement
# of the flow the first time it runs it (templates are compiled before the fork). Warm-up
# flows enough for every worker to have run them.
FLOW_WARM_UP_PER_WORKER = 3
FLOW_SEATS = 200  # seats left are shown (and counted) on the way, as for most events
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
    """Delete what the registration POST load made (its addresses are @bench.example.com),
    so the next run starts from the generated data again."""
    from app.extensions import db
    from app.models import Registration

    deleted = db.session.execute(
        delete(Registration).where(Registration.email.like("load-%@bench.example.com"))
    ).rowcount
    try:
        from app.models import OutboxMessage
    except ImportError:
        pass
    else:
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.recipient.like("load-%@bench.example.com")))
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
            result = race(ctx.base, event_id, ATTEMPTS, behind_proxy=True)
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


def _form_for(browser: Browser, path: str, n: str) -> tuple[dict, Answer]:
    """The registration form's fields with this browser's CSRF token, and the form page's answer."""
    form_page = browser.get(path)
    fields = {name: value.replace("__N__", n) for name, value in registration_form(None).items()}
    return {**fields, "csrf_token": form_page.csrf_token() or ""}, form_page


def mailed_link(email: str) -> str | None:
    """The personal link of the registration mailed to `email`: /r/TOKEN."""
    from app.extensions import db
    from app.models import Registration

    token = db.session.scalar(select(Registration.manage_token).where(Registration.email == email))
    db.session.rollback()
    return f"/r/{token}" if token else None


def one_flow(base: str, event_id: int, path: str, n: int) -> tuple[list[Answer], str | None]:
    """One person's four requests; the answers, and a problem if the flow did not go through."""
    browser = Browser(base)
    try:
        answers = [browser.get(f"/events/{event_id}")]
        form, form_page = _form_for(browser, path, f"flow{n}")
        answers.append(form_page)
        answers.append(browser.post(path, form))
        # Looked up between the requests, outside the timed ones: the link the mail carries.
        link = mailed_link(form["email"])
        if link is None:
            return answers, f"no registration after the POST (HTTP {answers[-1].status})"
        answers.append(browser.get(link))
        return answers, None
    finally:
        browser.close()


def measure_registration_flow(ctx: BenchContext) -> dict:
    """Event page, form, POST, the registration's page: one person after another. The
    time of a flow is the sum of its four requests' times (the link's look-up between
    them is not counted); the server's CPU is read before and after all the flows."""
    if missing := _missing_feature(ctx):
        return missing
    with ctx.app.app_context():
        event_id = _new_event(FLOW_SEATS)
        try:
            path = path_for(ctx.app, REGISTRATION, Sample(event_id, "05"))
            workers = len(ctx.server.cpu_seconds()[1]) if ctx.server else 1
            for n in range(FLOW_WARM_UP_PER_WORKER * workers):  # not counted
                one_flow(ctx.base, event_id, path, -1 - n)
            cpu_before = ctx.server.cpu_seconds()[0] if ctx.server else None
            timings, statuses, statements, problems = [], [], [], []
            for n in range(FLOW_REPETITIONS):
                answers, problem = one_flow(ctx.base, event_id, path, n)
                if problem:
                    problems.append(problem)
                    continue
                timings.append(sum(answer.seconds for answer in answers))
                statuses.append(tuple(answer.status for answer in answers))
                statements.append(sum(answer.sql_count or 0 for answer in answers))
            cpu = (ctx.server.cpu_seconds()[0] - cpu_before) if ctx.server else None
            if not timings:
                return failed(RuntimeError("; ".join(problems[:3])))
            timings.sort()
            per_request = [" ".join(str(s) for s in flow) for flow in statuses]
            return {
                "status": "measured",
                "registrations": len(timings),
                "requests_per_flow": 4,
                "median_ms": round(median(timings) * 1000, 1),
                "p95_ms": round(timings[round(0.95 * (len(timings) - 1))] * 1000, 1),
                "server_cpu_ms_per_flow": round(cpu * 1000 / FLOW_REPETITIONS, 1) if cpu is not None else None,
                "sql_per_flow": sorted(statements)[len(statements) // 2],
                "statuses": {flow: per_request.count(flow) for flow in sorted(set(per_request))},
                "problems": problems,
            }
        except Exception as error:  # report a mismatch with the feature, never stop the run
            return failed(error)
        finally:
            remove_event(event_id)
            _remove_flow_mail()


def _remove_flow_mail() -> None:
    from app.extensions import db
    from app.models import OutboxMessage

    db.session.execute(delete(OutboxMessage).where(OutboxMessage.recipient.like("load-flow%@bench.example.com")))
    db.session.commit()
