"""A request that waits too long for a database lock answers "busy, try again" (503 with
Retry-After) and saves nothing, instead of holding a worker until it is killed."""

import logging
import sqlite3
import time
from contextlib import contextmanager
from datetime import timedelta

import psycopg
import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import OperationalError

import config
from app.database import timeouts
from app.extensions import db
from app.models import Registration
from app.models.types import utcnow
from app.services import registrations
from app.services.registrations import RegistrationDetails
from tests.conftest import require_postgres

FORM = {"name": "Karin Lind", "email": "karin@example.se", "sector": "municipality", "consent": "y"}


def _url(app) -> str:
    return app.config["SQLALCHEMY_DATABASE_URI"].replace("postgresql+psycopg://", "postgresql://")


@contextmanager
def event_row_held(app, event_id: int):
    """Another connection holds the event's row, as a long transaction would."""
    with psycopg.connect(_url(app)) as holder:
        holder.execute("SELECT id FROM event WHERE id = %s FOR UPDATE", (event_id,))
        yield
        holder.rollback()


def test_a_registration_waiting_for_a_held_event_answers_busy(app, client, make_event, caplog):
    require_postgres("row locks")
    event = make_event(capacity=10)
    with event_row_held(app, event.id), caplog.at_level(logging.WARNING):
        began = time.monotonic()
        response = client.post(f"/events/{event.id}/register", data=FORM)
        seconds = time.monotonic() - began

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "du är inte anmäld än" in response.get_data(as_text=True)  # Swedish first
    assert app.config["DATABASE_LOCK_TIMEOUT_MS"] / 1000 <= seconds < 5
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0
    [record] = [r for r in caplog.records if r.getMessage().startswith("Busy")]
    assert record.levelno == logging.WARNING and "registrations.register" in record.getMessage()
    assert record.exc_info is None  # a lock wait is expected under load: no traceback

    # Once the lock is gone the same form goes through.
    assert client.post(f"/events/{event.id}/register", data=FORM).status_code == 200


def test_the_api_answers_busy_in_json(app, client, make_event):
    require_postgres("table locks")
    make_event()
    with psycopg.connect(_url(app)) as holder:
        holder.execute("LOCK TABLE event IN ACCESS EXCLUSIVE MODE")
        response = client.get("/api/v1/events")
        holder.rollback()

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.json["error"]["status"] == 503


def test_on_sqlite_a_held_write_lock_answers_busy(app, client, make_event):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the SQLite write lock")
    event = make_event(capacity=10)
    holder = sqlite3.connect(db.engine.url.database, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # the database write lock, as another writer holds it
        response = client.post(f"/events/{event.id}/register", data=FORM)
    finally:
        holder.execute("ROLLBACK")
        holder.close()

    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0


def _failed_connection(url: str) -> OperationalError:
    with pytest.raises(OperationalError) as raised:
        create_engine(url).connect()
    return raised.value


@pytest.mark.logs_errors  # an unexpected error, logged on purpose
def test_other_database_errors_are_unexpected_errors_not_busy(make_app, tmp_path):
    """A database that is down is no lock wait: a 500, logged like any unexpected error."""
    for url in ("postgresql+psycopg://postgres@127.0.0.1:1/none", f"sqlite:///{tmp_path}/no/such/dir.db"):
        assert timeouts.ran_out(_failed_connection(url)) is None

    class Deployed(config.TestingConfig):
        TESTING = False

    other = make_app(Deployed)

    @other.get("/database-down")
    def database_down():
        raise _failed_connection("postgresql+psycopg://postgres@127.0.0.1:1/none")

    response = other.test_client().get("/database-down")
    assert response.status_code == 500 and "Retry-After" not in response.headers


def test_a_statement_that_runs_too_long_is_told_apart(app):
    require_postgres("statement_timeout is a PostgreSQL setting")
    with pytest.raises(OperationalError) as raised:
        db.session.execute(text("SET LOCAL statement_timeout = 50"))
        db.session.execute(text("SELECT pg_sleep(1)"))
    db.session.rollback()
    assert timeouts.ran_out(raised.value) == "statement"


def test_the_timeouts_reach_every_connection(app):
    require_postgres("lock_timeout and statement_timeout are PostgreSQL settings")
    with db.engine.connect() as connection:
        lock = connection.execute(text("SHOW lock_timeout")).scalar()
        statement = connection.execute(text("SHOW statement_timeout")).scalar()
    assert lock == "2s" and statement == "10s"


def test_reminders_of_a_held_event_wait_for_the_next_round(app, make_event):
    """The mail worker is not stopped by a held event: its reminders go next time."""
    require_postgres("row locks")
    event = make_event(starts_at=utcnow() + timedelta(days=10), reminder_days=2)
    event_id, due = event.id, event.starts_at - timedelta(days=2) + timedelta(minutes=1)
    registrations.register(
        event,
        RegistrationDetails(
            name="Karin Lind",
            email="karin@example.se",
            sector="municipality",
            consent=True,
        ),
        locale="sv",
    )
    db.session.remove()
    with event_row_held(app, event_id):
        assert registrations.send_due_reminders(now=due) == 0
    assert registrations.send_due_reminders(now=due) == 1
