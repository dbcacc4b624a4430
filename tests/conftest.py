"""Fixtures: one migrated database per run (SQLite file, or PostgreSQL via
TEST_DATABASE_URL), emptied after each test; factories; a logged-in client."""

import itertools
import logging
import os
import secrets
from datetime import datetime, timedelta

import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import delete, event, insert, select, text
from werkzeug.datastructures import MultiDict

from app import create_app
from app.extensions import db
from app.models import Event, EventKind, EventStatus, Region, Role, User
from app.models.types import utcnow
from app.services.text import markdown_to_html
from config import TestingConfig

IN_CI = os.environ.get("CI") == "true"
# Tables the migrations fill; restored rather than emptied between tests.
SEEDED_TABLES = ("region", "collaboration_step", "content_version")
PASSWORD = "correct horse battery"


def refuse_unless_a_test_database(url: str) -> None:
    """The suite drops the schema of TEST_DATABASE_URL and empties its tables: never on a
    database whose name does not say it is for tests."""
    from pathlib import PurePosixPath

    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    name = parsed.database or ""
    if parsed.get_backend_name() == "sqlite":
        name = PurePosixPath(name).name  # the file's, not its folder's
    if name and "test" not in name.lower():
        pytest.exit(
            f"TEST_DATABASE_URL names the database {name!r}. The test suite drops its schema and deletes "
            "every row, so it runs only on a database whose name contains 'test', e.g. "
            "postgresql://postgres@127.0.0.1:5432/samverkan_test (createdb samverkan_test).",
            returncode=4,
        )


def _reset_database(url: str) -> None:
    """Start every run from an empty database, so migrations are tested for real."""
    refuse_unless_a_test_database(url)
    if url.startswith("postgresql"):
        from sqlalchemy import create_engine

        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()


CI_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def require_postgres(why: str) -> None:
    """Skip a test that needs PostgreSQL when the suite runs on SQLite.

    CI runs the suite on both; there, PostgreSQL that does not answer is a failure, not a skip.
    """
    if db.engine.dialect.name == "postgresql":
        return
    if IN_CI and not _postgres_answers(os.environ.get("CI_POSTGRES_URL", CI_POSTGRES_URL)):
        pytest.fail(f"CI must run this test on PostgreSQL, which does not answer: {why}")
    pytest.skip(f"needs PostgreSQL (TEST_DATABASE_URL=postgresql://...): {why}")


def _postgres_answers(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        # A file, not memory: the browser tests' server thread shares it.
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    os.environ["TEST_DATABASE_URL"] = url

    app = create_app(TestingConfig)
    app.test_client_class = FreshContextClient
    _reset_database(app.config["SQLALCHEMY_DATABASE_URI"])
    with app.app_context():
        upgrade()
        seeded = {
            table: [dict(row._mapping) for row in db.session.execute(text(f"SELECT * FROM {table}"))]
            for table in SEEDED_TABLES
        }
        db.session.remove()
    app.extensions["test_seeded_rows"] = seeded
    yield app
    _dispose(app)


def _dispose(app) -> None:
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def make_app():
    """Another app on the test database, e.g. with other settings; its connections close after the test."""
    made = []

    def make(config_class=TestingConfig):
        other = create_app(config_class)
        other.test_client_class = FreshContextClient
        made.append(other)
        return other

    yield make
    for other in made:
        _dispose(other)


class LimitedConfig(TestingConfig):
    """Rate limits on, as in production (memory storage rather than Redis)."""

    def __init__(self):
        super().__init__()
        self.RATELIMIT_ENABLED = True


@pytest.fixture
def limited_app(make_app):
    """An app with rate limits on; the counts are cleared after the test."""
    from app.extensions import limiter

    yield make_app(LimitedConfig)
    limiter.reset()
    limiter.enabled = False


@pytest.fixture(autouse=True)
def _app_context(app):
    """Each test runs in an app context and leaves the database as the migrations made it."""
    with app.app_context():
        yield
        db.session.rollback()
        db.session.remove()
        _empty_tables(app)
        # The content version starts again at 0: pages kept under it are not current.
        app.extensions["page_cache"].clear()
        app.extensions["content_memo"].clear()


def _empty_tables(app) -> None:
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in SEEDED_TABLES:
                conn.execute(delete(table))
        for name in SEEDED_TABLES:
            table = db.metadata.tables[name]
            conn.execute(delete(table).where(text("1=1")))
            conn.execute(insert(table), app.extensions["test_seeded_rows"][name])


@pytest.fixture(autouse=True)
def _no_logged_errors(request, caplog):
    """An error the app logs (an unexpected exception answered with the 500 page) fails the test,
    whatever its assertions, unless the test is marked as provoking errors on purpose."""
    yield
    if request.node.get_closest_marker("logs_errors"):
        return
    errors = [
        record
        for record in caplog.get_records("call")
        if record.levelno >= logging.ERROR and record.name.split(".")[0] == "app"
    ]
    if errors:
        pytest.fail(
            "the app logged errors:\n" + "\n".join(logging.Formatter().format(record) for record in errors),
            pytrace=False,
        )


class FreshContextClient(FlaskClient):
    """A test client that posts forms as a browser does, CSRF protection on.

    A browser's POST carries the form's CSRF token and an Origin header, so this client
    adds both to every form it posts (unless the test gives its own, or made the client
    with `csrf=False` to prove a request without them is refused). The token is the one
    every page's forms carry for this client's session (a test checks they are equal).

    Requests also start with an empty `g`, as real requests do: tests hold an app context
    open, and Flask lets requests reuse it, so the logged-in user and the locale cached
    in `g` would otherwise leak between requests.
    """

    def __init__(self, *args, csrf: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.csrf = csrf

    def open(self, *args, **kwargs):
        if has_app_context():
            g.__dict__.clear()
        if self.csrf and kwargs.get("method", "GET") in UNSAFE_METHODS:
            self._as_a_browser_posts(kwargs)
        return super().open(*args, **kwargs)

    def _as_a_browser_posts(self, kwargs) -> None:
        headers = dict(kwargs.pop("headers", None) or {})
        base_url = kwargs.get("base_url") or "http://localhost"
        headers.setdefault("Origin", base_url.rstrip("/"))
        kwargs["headers"] = headers
        data = kwargs.get("data")
        if data is None:
            kwargs["data"] = data = {}
        if isinstance(data, dict) and "csrf_token" not in data:
            kwargs["data"] = {**data, "csrf_token": self.csrf_token()}
        elif isinstance(data, MultiDict) and "csrf_token" not in data:
            data = data.copy()
            data["csrf_token"] = self.csrf_token()
            kwargs["data"] = data

    def csrf_token(self) -> str:
        """The token this session's pages put in their forms (Flask-WTF: a signed random
        value kept in the session)."""
        app = self.application
        with self.session_transaction() as session:
            raw = session.setdefault(CSRF_SESSION_KEY, secrets.token_hex(20))
        return URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)


UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
CSRF_SESSION_KEY = "csrf_token"


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


_numbers = itertools.count(1)


@pytest.fixture
def make_user():
    """Create a user; defaults to an active organiser with the password PASSWORD."""

    def make(**fields) -> User:
        n = next(_numbers)
        password = fields.pop("password", PASSWORD)
        user = User(
            email=fields.pop("email", f"person{n}@example.se"),
            name=fields.pop("name", f"Person {n}"),
            role=fields.pop("role", Role.ORGANISER),
            **fields,
        )
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def organiser(make_user):
    return make_user(name="Olga Organiser")


@pytest.fixture
def admin(make_user):
    return make_user(name="Ada Admin", role=Role.ADMIN)


def region(code: str) -> Region:
    return db.session.scalar(select(Region).where(Region.code == code))


@pytest.fixture
def make_event():
    """Create an event; defaults to a published inspiration day in Östergötland in 30 days."""

    def make(**fields) -> Event:
        n = next(_numbers)
        starts_at = fields.pop("starts_at", utcnow().replace(microsecond=0) + timedelta(days=30))
        organisers = fields.pop("organisers", [])
        region_code = fields.pop("region_code", "05")
        description = fields.pop("description", "Om **validering**.")
        event = Event(
            kind=fields.pop("kind", EventKind.INSPIRATION_DAY),
            title=fields.pop("title", f"Inspirationsdag {n}"),
            description=description,
            description_html=markdown_to_html(description),
            region=region(region_code) if region_code else None,
            venue_name=fields.pop("venue_name", "Missionskyrkan"),
            venue_city=fields.pop("venue_city", "Linköping"),
            starts_at=starts_at,
            ends_at=fields.pop("ends_at", starts_at + timedelta(hours=7)),
            status=fields.pop("status", EventStatus.PUBLISHED),
            **fields,
        )
        event.organisers = organisers
        db.session.add(event)
        db.session.commit()
        return event

    return make


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, user: User, password: str = PASSWORD):
        return self.client.post("/login", data={"email": user.email, "password": password})

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def count_queries(app):
    """Count the SQL statements run inside a `with count_queries() as counter:` block."""
    from contextlib import contextmanager

    @contextmanager
    def counting():
        statements: list[str] = []

        def before(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            event.remove(db.engine, "before_cursor_execute", before)

    return counting


def local(year, month, day, hour=0, minute=0) -> datetime:
    """A Stockholm wall-clock time as the aware UTC datetime the app stores."""
    from app.display.timezones import local_to_utc

    return local_to_utc(datetime(year, month, day, hour, minute))


@pytest.fixture(scope="session")
def live_server(app):
    """Serve the test app on a free loopback port, threaded like a real server."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture
def mail_links_to(app):
    """Make the links in mail point at a live server while the test runs."""
    saved = app.config["BASE_URL"]

    def point_at(url: str) -> None:
        app.config["BASE_URL"] = url

    yield point_at
    app.config["BASE_URL"] = saved


@pytest.fixture
def mail_server(app):
    """A real SMTP server on loopback; the app delivers to it while the test runs."""
    from tests.mailserver import MailServer

    server = MailServer()
    server.start()
    saved = {key: app.config[key] for key in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USE_SSL")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, MAIL_USE_TLS=False, MAIL_USE_SSL=False)
    yield server
    app.config.update(saved)
    server.stop()


@pytest.fixture
def make_item():
    """Add an agenda item through the service: make_item(event, "Title", start, end, room=..., speakers=[...]).

    Speakers are (name, role, organisation) tuples or existing Speaker objects.
    """
    from app.models import Speaker
    from app.services import agenda

    def make(
        event: Event,
        title: str,
        starts_at: datetime,
        ends_at: datetime,
        *,
        room: str = "",
        description: str = "",
        speakers=(),
    ):
        entries = [
            agenda.SpeakerEntry(speaker_id=s.id)
            if isinstance(s, Speaker)
            else agenda.SpeakerEntry(name=s[0], role=s[1], organisation=s[2])
            for s in speakers
        ]
        details = agenda.ItemDetails(
            title=title, starts_at=starts_at, ends_at=ends_at, room=room, description=description, speakers=entries
        )
        return agenda.add_item(event, details)

    return make
