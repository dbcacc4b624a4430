"""How long a registration holds its event's lock, measured from outside the app.

While one registration holds the event (PostgreSQL: `SELECT … FROM event … FOR NO KEY UPDATE`;
SQLite: the no-op `UPDATE event SET sequence=event.sequence …` that takes the write
lock), every other registration for that event waits: the hold time bounds how fast a
burst for the last seats can go (issue 17 wants it held for the seat decision only).

The app is the production app, built in this process (production configuration, the
benchmark's database and Redis); nothing in it changes. SQLAlchemy event listeners,
installed here on its engine and session, note when the locking statement returns (the
lock is held from then), each statement run while it is held, and when the transaction
ends (the session's after_commit/after_rollback: the database has released it). Then
REGISTRATIONS people register one after another through the app's test client (GET the
form, POST it with its CSRF token and the proxy's headers, as bench/client.py sends
them), for an event with half as many seats, so seated and waiting-list registrations
are both measured. No contention: this is the hold time of one registration's own work.

    python -m bench.lock_hold --database-url postgresql://postgres@127.0.0.1:5432/bench17_scale1
"""

import argparse
import os
import re
import secrets
import sys
import threading
import time
from contextlib import contextmanager
from datetime import timedelta
from statistics import median

from sqlalchemy import event, select

from bench.client import visitor_address
from bench.context import BenchContext, failed, remove_event
from bench.load import at_share
from config import normalise_database_url

REGISTRATIONS = 60
WARM_UP = 5  # the first few load templates and fill caches; not counted
LOCKING = re.compile(
    r"^\s*(SELECT\b.*\bFROM event\b.*\bFOR NO KEY UPDATE\b|UPDATE event SET sequence=event\.sequence\b)", re.DOTALL
)
CSRF_FIELD = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"')


def summary(statement: str) -> str:
    """'SELECT registration', 'INSERT outbox_message': what a statement does, and to which
    table (a SELECT's own FROM, not one of a subquery in its columns)."""
    words = statement.replace("(", " ( ").replace(")", " ) ").split()
    verb = words[0].upper() if words else "?"
    keyword = {"SELECT": "FROM", "INSERT": "INTO", "UPDATE": "UPDATE", "DELETE": "FROM"}.get(verb)
    depth = 0
    for at, word in enumerate(words):
        depth += (word == "(") - (word == ")")
        if depth == 0 and word.upper() == keyword and at + 1 < len(words):
            table = words[at + 1].strip('"')
            return f"{verb} {table}"
    return verb


class LockWatch:
    """Listeners that time each hold of an event lock on one engine and session factory."""

    def __init__(self) -> None:
        self.holds: list[dict] = []
        self._state = threading.local()

    def before(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if LOCKING.match(statement):
            self._state.asked = time.perf_counter()

    def after(self, conn, cursor, statement, parameters, context, executemany) -> None:
        now = time.perf_counter()
        current = getattr(self._state, "hold", None)
        if current is not None:
            current["statements"].append(summary(statement))
        elif LOCKING.match(statement):
            self._state.hold = {"asked": self._state.asked, "locked": now, "statements": []}

    def committing(self, conn) -> None:
        hold = getattr(self._state, "hold", None)
        if hold is not None:
            hold["committing"] = time.perf_counter()

    def ended(self, session, *args) -> None:
        hold = getattr(self._state, "hold", None)
        if hold is not None:
            hold["released"] = time.perf_counter()
            hold.setdefault("committing", hold["released"])
            self.holds.append(hold)
            self._state.hold = None

    @contextmanager
    def watching(self, engine, session_class):
        listeners = [
            (engine, "before_cursor_execute", self.before),
            (engine, "after_cursor_execute", self.after),
            (engine, "commit", self.committing),
            (session_class, "after_commit", self.ended),
            (session_class, "after_rollback", self.ended),
        ]
        for target, name, listener in listeners:
            event.listen(target, name, listener)
        try:
            yield self
        finally:
            for target, name, listener in listeners:
                event.remove(target, name, listener)


@contextmanager
def production_app(database_url: str, redis_url: str | None):
    """The production app in this process, with the environment it needs for as long as it is built."""
    from app import create_app
    from config import ProductionConfig

    wanted = {"SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": database_url, "BASE_URL": "https://localhost"}
    if redis_url:
        wanted["REDIS_URL"] = redis_url
    saved = {key: os.environ.get(key) for key in {*wanted, "REDIS_URL", "PROXY_HOPS"}}
    try:
        os.environ.pop("PROXY_HOPS", None)
        os.environ.pop("REDIS_URL", None)
        os.environ.update(wanted)
        app = create_app(ProductionConfig)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    yield app
    from app.extensions import db

    with app.app_context():  # the kept pages' version reader too (app/cache/content_version.py)
        for engine in {db.engine, *app.extensions["content_version_reader"]}:
            engine.dispose()


def _new_event(seats: int) -> tuple[int, str, list[int], str, str]:
    """The event, and what its form asks besides the person (as main has it since issue 16):
    a block of two parallel sessions to choose from, each with a third of the seats, and
    one of the event's own questions. Returns the event's id, the block's form field, its
    sessions' ids, the question's field and the option each person picks."""
    from app.extensions import db
    from app.models import Event, EventKind, EventStatus, Region
    from app.models.types import utcnow
    from app.services import agenda, questions
    from app.services.registrations.session_changes import save_slot
    from app.services.registrations.sessions import slot_field

    starts_at = utcnow().replace(microsecond=0) + timedelta(days=50)
    event_ = Event(
        kind=EventKind.WORKSHOP,
        title="Bench: låsets hålltid",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=4),
        venue_name="Folkets hus",
        venue_city="Umeå",
        region=db.session.scalar(select(Region).where(Region.code == "24"))
        or db.session.scalar(select(Region).limit(1)),
        capacity=seats,
        registration_opens_at=utcnow() - timedelta(days=1),
        status=EventStatus.PUBLISHED,
    )
    db.session.add(event_)
    db.session.commit()
    items = [
        agenda.add_item(
            event_,
            agenda.ItemDetails(
                title=f"Pass {room}", starts_at=starts_at, ends_at=starts_at + timedelta(hours=1), room=room
            ),
        )
        for room in ("Sal A", "Sal B")
    ]
    slot = save_slot(
        event_,
        title="Eftermiddagens pass",
        allow_none=True,
        capacities={i.id: max(1, seats // 3) for i in items},
        by=None,
    )
    question = questions.add_question(
        event_,
        questions.QuestionDetails(kind="single_choice", text_sv="Kost", options_sv=["Allt", "Vegetariskt"]),
        by=None,
    )
    db.session.commit()
    return (
        event_.id,
        slot_field(slot),
        [session.id for session in slot.sessions],
        f"q-{question.id}",
        str(question.options[1].id),
    )


def register_once(client, event: tuple, n: int) -> tuple[int, float]:
    """One person: the form, then the POST as a browser behind the proxy sends it, with a
    parallel session chosen and the question answered; the POST's status and its wall
    time in the app."""
    event_id, slot_field, session_ids, question_field, option = event
    headers = {"X-Forwarded-For": visitor_address(), "X-Forwarded-Proto": "https", "X-Forwarded-Host": "localhost"}
    path = f"/events/{event_id}/register"
    token = CSRF_FIELD.search(client.get(path, headers=headers).data)
    form = {
        "csrf_token": token.group(1).decode() if token else "",
        "name": f"Bänk Låstid {n}",
        "email": f"lock-{n}@bench.example.com",
        "organisation": "Umeå kommun",
        "sector": "municipality",
        "municipality": "Umeå",
        "consent": "y",
        slot_field: str(session_ids[n % len(session_ids)]),
        question_field: option,
    }
    started = time.perf_counter()
    answer = client.post(
        path, data=form, headers={**headers, "Origin": "https://localhost", "Referer": f"https://localhost{path}"}
    )
    return answer.status_code, time.perf_counter() - started


def run_lock_hold(database_url: str, *, redis_url: str | None = None, registrations: int = REGISTRATIONS) -> dict:
    from app.extensions import db

    with production_app(database_url, redis_url) as app:
        with app.app_context():
            made = _new_event(max(1, (registrations - WARM_UP) // 2))
            event_id = made[0]
            engine = db.engine
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = "127.0.0.1"  # the proxy
        watch = LockWatch()
        posts, statuses = [], {}
        try:
            with watch.watching(engine, db.session):
                for n in range(registrations):
                    status, seconds = register_once(client, made, n)
                    statuses[str(status)] = statuses.get(str(status), 0) + 1
                    if n >= WARM_UP:
                        posts.append(seconds)
        finally:
            with app.app_context():
                remove_event(event_id)
                _remove_mail()
    holds = watch.holds[WARM_UP:]
    if not holds:
        return {"status": "failed", "reason": f"no event lock seen (answers {statuses})"}
    held = sorted((hold["released"] - hold["locked"]) * 1000 for hold in holds)
    waited = sorted((hold["locked"] - hold["asked"]) * 1000 for hold in holds)
    posts.sort()
    commits = sorted((hold["released"] - hold["committing"]) * 1000 for hold in holds)
    counts = sorted(len(hold["statements"]) for hold in holds)
    return {
        "status": "measured",
        "database": database_url.split(":", 1)[0].split("+")[0],
        "registrations": len(holds),
        "answers": statuses,
        "hold_ms_median": round(median(held), 2),
        "hold_ms_p95": round(at_share(held, 0.95), 2),
        "commit_ms_median": round(median(commits), 2),  # of the hold: the database's COMMIT
        "lock_statement_ms_median": round(median(waited), 2),
        "post_ms_median": round(median(posts) * 1000, 2),
        "hold_share_of_post": round(median(held) / (median(posts) * 1000), 3),
        "statements_while_held": counts[len(counts) // 2],
        # One registration's statements between the lock and the commit, in order.
        "held_for": holds[len(holds) // 2]["statements"],
    }


def _remove_mail() -> None:
    from sqlalchemy import delete

    from app.extensions import db
    from app.models import OutboxMessage

    db.session.execute(delete(OutboxMessage).where(OutboxMessage.recipient.like("lock-%@bench.example.com")))
    db.session.commit()


def measure_lock_hold(ctx: BenchContext) -> dict:
    try:
        return run_lock_hold(ctx.database_url, redis_url=ctx.redis_url)
    except Exception as error:  # report it, never stop the run
        return failed(error)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL"),
        required=not os.environ.get("DATABASE_URL"),
        help="a benchmark database (bench.generate)",
    )
    parser.add_argument("--registrations", type=int, default=REGISTRATIONS)
    args = parser.parse_args()
    result = run_lock_hold(normalise_database_url(args.database_url), registrations=args.registrations)
    for key, value in result.items():
        print(f"{key:>26}: {value}")
    return 0 if result["status"] == "measured" else 1


if __name__ == "__main__":
    sys.exit(main())
