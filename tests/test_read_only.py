"""Views whose GET only reads run it in autocommit (app/database/read_only.py): no BEGIN and
no ROLLBACK, and no write either."""

import logging
from contextlib import contextmanager

import pytest
from sqlalchemy import event, text

from app.cache import content_version
from app.database.read_only import _plain_select, reads_only
from app.extensions import db
from app.models import Event


@pytest.fixture
def event_row(make_event):
    return make_event(title="Inspirationsdag om validering")


def _reading_app(make_app, event_id: int):
    """An app with marked views: one says how its session reads, two write."""
    other = make_app()

    @other.route("/test/how-it-reads", methods=["GET", "POST"])
    @reads_only
    def how_it_reads():
        db.session.get(Event, event_id)
        return str(db.session.connection().get_execution_options().get("isolation_level"))

    @other.get("/test/flushes")
    @reads_only
    def flushes():
        db.session.get(Event, event_id).title = "Skrivet av en GET"
        db.session.flush()
        return "written"

    @other.get("/test/updates")
    @reads_only
    def updates():
        db.session.get(Event, event_id)
        db.session.execute(text("UPDATE event SET title = 'Skrivet av en GET' WHERE id = :id"), {"id": event_id})
        return "written"

    return other


@contextmanager
def isolation_of_statements():
    """The isolation level ("AUTOCOMMIT" or None) each statement of the session ran at on the
    app's engine (not the content version's read, on a connection of its own)."""
    seen: list = []

    def note(conn, cursor, statement, *_):
        if statement != content_version.READ:
            seen.append(conn.get_execution_options().get("isolation_level"))

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def test_a_marked_views_get_reads_without_a_transaction_and_its_post_in_one(make_app, event_row):
    client = _reading_app(make_app, event_row.id).test_client()
    assert client.get("/test/how-it-reads").get_data(as_text=True) == "AUTOCOMMIT"
    assert client.post("/test/how-it-reads").get_data(as_text=True) == "None"


@pytest.mark.logs_errors  # the refused writes, on purpose
@pytest.mark.parametrize("path", ["/test/flushes", "/test/updates"])
def test_a_marked_view_whose_get_writes_is_refused_and_changes_nothing(make_app, event_row, caplog, path):
    """In autocommit a write would stay written whatever came after it: it is refused."""
    client = _reading_app(make_app, event_row.id).test_client()
    assert client.get(path).status_code == 500
    [record] = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert record.exc_info[0] is RuntimeError and "UPDATE, in autocommit" in str(record.exc_info[1])
    db.session.expire_all()
    assert db.session.get(Event, event_row.id).title == "Inspirationsdag om validering"


@pytest.mark.parametrize(
    ("statement", "plain"),
    [
        ("SELECT event.id FROM event WHERE event.id = %(id)s", True),
        ("\n  select 1", True),
        ("SELECT event.id FROM event WHERE event.id = %(id)s FOR NO KEY UPDATE", False),
        ("SELECT event.id FROM event FOR UPDATE", False),
        ("SELECT registration.id FROM registration FOR KEY SHARE", False),
        ("UPDATE event SET title = %(title)s", False),
        ("WITH moved AS (DELETE FROM event RETURNING id) SELECT id FROM moved", False),
        ("SAVEPOINT seat_lock", False),
    ],
)
def test_a_read_only_connection_runs_plain_selects_only(statement, plain):
    assert _plain_select(statement) is plain


def test_a_marked_page_that_reads_nothing_needs_no_database(make_app, monkeypatch, tmp_path):
    monkeypatch.setenv("TEST_DATABASE_URL", f"sqlite:///{tmp_path}/missing/dir/samverkan.db")
    assert make_app().test_client().get("/privacy").status_code == 200


def test_after_a_marked_page_the_session_writes_in_a_transaction_again(client, event_row):
    """Tests hold one session across requests: the page's autocommit ends with its request."""
    event_id = event_row.id
    db.session.commit()  # nothing open, so the page's first statement begins the session's transaction
    with isolation_of_statements() as page:
        assert client.get(f"/events/{event_id}").status_code == 200
    with isolation_of_statements() as after:
        event_row.title = "Ändrad efter sidan"
        db.session.flush()
    db.session.rollback()
    assert page and set(page) == {"AUTOCOMMIT"}
    assert after and set(after) == {None}
    assert db.session.get(Event, event_id).title == "Inspirationsdag om validering"


def test_a_session_in_a_transaction_before_the_page_is_left_as_it_was(client, event_row):
    """A logged-in visitor's session has loaded their user before the view: it reads on in
    its transaction, which the page does not end (here: a change not yet committed)."""
    event_row.title = "Ännu inte sparad"
    db.session.flush()
    with isolation_of_statements() as page:
        assert client.get(f"/events/{event_row.id}").status_code == 200
    assert page and set(page) == {None}
    assert db.session.get(Event, event_row.id).title == "Ännu inte sparad"
    db.session.rollback()


def test_kept_pages_and_the_registrations_own_page_are_marked(app):
    marked = {endpoint for endpoint, view in app.view_functions.items() if getattr(view, "reads_only", False)}
    assert {"public.event", "public.home", "registrations.register", "registrations.manage"} <= marked
    assert {"registrations.cancel", "registrations.erase", "registrations.keep_informed"}.isdisjoint(marked)
