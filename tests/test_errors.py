"""Unexpected errors: logged with their traceback and the request's id, which the person sees too;
never a bare 500, also when the database connection dies after the page was made."""

import logging
import os
import re
import secrets
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from werkzeug.serving import make_server

from app.extensions import db
from tests.conftest import require_postgres
from tests.mailserver import free_port

pytestmark = pytest.mark.logs_errors  # these tests make the app log errors on purpose

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
GENERATED_ID = re.compile(r"[0-9a-f]{16}")


@pytest.fixture
def unreachable_database(monkeypatch, tmp_path) -> str:
    """A database that cannot be opened: every page that reads data fails unexpectedly."""
    url = f"sqlite:///{tmp_path}/missing/dir/samverkan.db"
    monkeypatch.setenv("TEST_DATABASE_URL", url)
    return url


@pytest.fixture
def broken(make_app, unreachable_database):
    return make_app()


def error_records(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.levelno >= logging.ERROR]


def test_an_unexpected_error_is_logged_with_its_traceback_and_the_page_shows_its_id(broken, caplog, capsys):
    response = broken.test_client().get("/events/archive")
    assert response.status_code == 500
    reference = response.headers["X-Request-ID"]
    assert GENERATED_ID.fullmatch(reference)
    page = response.get_data(as_text=True)
    assert "Något gick fel hos oss" in page and f"Felkod: {reference}" in page
    assert "<nav" in page  # the site's own page, with its menu

    [record] = error_records(caplog)
    assert record.name == "app" and record.request_id == reference
    assert record.getMessage() == "Exception on /events/archive [GET]"
    assert record.exc_info[0] is OperationalError
    # The line as it reaches standard error (gunicorn's error log): the id, then the traceback.
    logged = capsys.readouterr().err
    assert (
        f"[ERROR] [{reference}] app: Exception on /events/archive [GET]\nTraceback (most recent call last):" in logged
    )
    assert "sqlite3.OperationalError: unable to open database file" in logged


def test_an_error_on_a_personal_page_is_logged_without_its_token(broken, capsys):
    token = secrets.token_urlsafe(32)
    response = broken.test_client().get(f"/r/{token}")
    assert response.status_code == 500
    logged = capsys.readouterr().err
    assert "Exception on /r/[token] [GET]" in logged and token not in logged


def test_the_error_page_is_in_the_visitors_language(broken):
    client = broken.test_client()
    client.set_cookie("lang", "en")
    response = client.get("/")
    assert response.status_code == 500
    assert f"Reference: {response.headers['X-Request-ID']}" in response.get_data(as_text=True)


def test_an_api_error_carries_the_id_in_its_json(broken, caplog):
    response = broken.test_client().get("/api/v1/events")
    assert response.status_code == 500
    error = response.get_json()["error"]
    assert error["status"] == 500 and error["request_id"] == response.headers["X-Request-ID"]
    assert [record.request_id for record in error_records(caplog)] == [error["request_id"]]


def test_a_logged_in_organiser_gets_a_page_even_when_the_menu_cannot_load(broken, caplog):
    """The site's page needs the organiser from the database; when it cannot have it, a plain page."""
    client = broken.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1:token"
    response = client.get("/events/archive")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Något gick fel hos oss" in page and f"Felkod: {response.headers['X-Request-ID']}" in page
    messages = [record.getMessage() for record in error_records(caplog)]
    assert messages == ["Exception on /events/archive [GET]", "The error page could not be shown; a plain one was sent"]


def test_every_answer_has_its_own_request_id(client, make_event):
    event = make_event()
    seen = set()
    for path in ("/", f"/events/{event.id}", "/healthz", "/static/favicon.svg", "/no/such/page", "/api/v1/regions"):
        with client.get(path) as response:  # closed: a static file's answer holds the file open
            reference = response.headers["X-Request-ID"]
        assert GENERATED_ID.fullmatch(reference), path
        seen.add(reference)
    assert len(seen) == 6


@pytest.mark.parametrize(
    "sent, kept",
    [
        ("3f2a9c1e-77b0-4c1e-9d1a-5b7e0c2d4f61", True),  # a UUID
        ("0123456789abcdef0123456789abcdef", True),  # nginx's $request_id
        ("short", False),
        ("a" * 129, False),
        ("two words here", False),
        ("<script>alert(1)</script>", False),
        ("ünïcödé-request-id", False),
    ],
)
def test_a_well_formed_id_from_the_proxy_is_kept_any_other_replaced(broken, caplog, sent, kept):
    response = broken.test_client().get("/", headers={"X-Request-ID": sent})
    reference = response.headers["X-Request-ID"]
    assert (reference == sent) is kept
    if not kept:
        assert GENERATED_ID.fullmatch(reference)
    assert f"Felkod: {reference}" in response.get_data(as_text=True)
    assert [record.request_id for record in error_records(caplog)] == [reference]


# A database connection that dies after the page was made (PostgreSQL: its backend is ended)


def _end_backend_of_the_session() -> None:
    pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar_one()
    with psycopg.connect(os.environ["TEST_DATABASE_URL"], autocommit=True) as other:
        # Waits until the backend has gone, so the next statement on it fails for certain.
        other.execute("SELECT pg_terminate_backend(%s, 5000)", (pid,))


@contextmanager
def serving(app):
    """The app behind a real HTTP server, so what the server sends when the app fails is seen."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


def fetch(url: str) -> tuple[int, dict, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.fixture
def backend_ends_after_each_page(make_app):
    """An app whose request's database backend is ended once the page is made."""
    require_postgres("ends the database backend of a request")
    other = make_app()
    other.after_request(lambda response: (_end_backend_of_the_session(), response)[1])
    return other


def test_a_connection_that_dies_after_the_page_is_made_still_gives_the_page(
    backend_ends_after_each_page, make_event, caplog
):
    """When the request ends, its session rolls back on the dead connection; that must not cost
    the page. (The certificate check reads in a transaction; public pages read without one.)"""
    event = make_event(title="Dagen då anslutningen dog")
    other = backend_ends_after_each_page
    with serving(other) as base:
        status, headers, page = fetch(f"{base}/verify/ABCD-EFGH-JKLM")
    assert status == 404  # no such certificate: the page that says so
    assert "ABCD-EFGH-JKLM" in page
    [record] = [record for record in caplog.records if record.name == "app"]
    assert record.levelno == logging.WARNING and record.exc_info[0] is OperationalError
    assert record.getMessage() == "The database connection failed as the request ended"
    assert record.request_id == headers["X-Request-ID"]
    with serving(other) as base:  # the next request gets a working connection
        assert fetch(f"{base}/events/{event.id}/agenda")[0] == 200


def test_a_connection_that_dies_after_a_public_page_is_made_costs_nothing(
    backend_ends_after_each_page, make_event, caplog
):
    """A public page read without a transaction: nothing to roll back on the dead connection,
    and the next request gets a working one."""
    event = make_event(title="Dagen då anslutningen dog")
    with serving(backend_ends_after_each_page) as base:
        status, _, page = fetch(f"{base}/events/{event.id}")
        assert status == 200 and "Dagen då anslutningen dog" in page
        assert fetch(f"{base}/events/{event.id}/agenda")[0] == 200
    assert not [record for record in caplog.records if record.name == "app"]


def test_a_connection_that_dies_in_an_after_request_hook_gives_the_error_page(make_app, make_event, caplog):
    """A query after the view (here in a hook) on a dead connection: the logged error page, with a body."""
    require_postgres("ends the database backend of a request")
    event = make_event()
    other = make_app()

    @other.after_request
    def query_after_the_backend_ended(response):
        _end_backend_of_the_session()
        db.session.execute(text("SELECT 1"))
        return response

    with serving(other) as base:
        status, headers, page = fetch(f"{base}/events/{event.id}")
    assert status == 500
    reference = headers["X-Request-ID"]
    assert "Något gick fel hos oss" in page and f"Felkod: {reference}" in page
    first = error_records(caplog)[0]
    assert first.getMessage() == f"Exception on /events/{event.id} [GET]"
    assert first.exc_info[0] is OperationalError and first.request_id == reference


# As deployed: the traceback reaches gunicorn's error log; and the terminal of `flask run`


def _wait_for(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(process.communicate()[0])
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                return
        except urllib.error.HTTPError:
            return  # answering (503: the database is unreachable, as intended)
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{base} did not start")


@pytest.mark.parametrize("server", ["gunicorn", "flask run"])
def test_the_traceback_reaches_the_servers_error_log(unreachable_database, server):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": unreachable_database,
        "SECRET_KEY": secrets.token_hex(32),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
    }
    if server == "gunicorn":
        env["SAMVERKAN_CONFIG"] = "production"
        command = [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "wsgi:app"]
    else:
        env["SAMVERKAN_CONFIG"] = "development"
        command = [str(BIN / "flask"), "--app", "wsgi", "run", "--port", str(port)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(base, process)
        status, headers, page = fetch(f"{base}/events/archive")
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0]
    assert status == 500
    reference = headers["X-Request-ID"]
    assert f"Felkod: {reference}" in page
    assert (
        f"[ERROR] [{reference}] app: Exception on /events/archive [GET]\nTraceback (most recent call last):" in output
    ), output
    assert "OperationalError" in output
