"""Views whose GET only reads run it in autocommit (app/database/read_only.py): no BEGIN and
no ROLLBACK, and no write either."""

import pytest

from app.database.read_only import reads_only
from app.extensions import db
from app.models import Event


@pytest.fixture
def event(make_event):
    return make_event(title="Inspirationsdag om validering")


def _reading_app(make_app, event_id: int):
    """An app with two marked views: one says how its session reads, one writes."""
    other = make_app()

    @other.route("/test/how-it-reads", methods=["GET", "POST"])
    @reads_only
    def how_it_reads():
        db.session.get(Event, event_id)
        return str(db.session.connection().get_execution_options().get("isolation_level"))

    @other.get("/test/writes")
    @reads_only
    def writes():
        db.session.get(Event, event_id).title = "Skrivet av en GET"
        db.session.flush()
        return "written"

    return other


def test_a_marked_views_get_reads_without_a_transaction_and_its_post_in_one(make_app, event):
    client = _reading_app(make_app, event.id).test_client()
    assert client.get("/test/how-it-reads").get_data(as_text=True) == "AUTOCOMMIT"
    assert client.post("/test/how-it-reads").get_data(as_text=True) == "None"


@pytest.mark.logs_errors  # the refused write, on purpose
def test_a_marked_view_whose_get_writes_is_refused_and_changes_nothing(make_app, event):
    """In autocommit a write would stay written whatever came after it: it is refused."""
    client = _reading_app(make_app, event.id).test_client()
    assert client.get("/test/writes").status_code == 500
    db.session.expire_all()
    assert db.session.get(Event, event.id).title != "Skrivet av en GET"


def test_after_a_marked_page_the_session_writes_in_a_transaction_again(client, event):
    """Tests hold one session across requests: the page's autocommit ends with its request."""
    event_id = event.id
    db.session.commit()  # nothing open, so the page's GET begins the session's transaction
    assert client.get(f"/events/{event_id}").status_code == 200
    event.title = "Ändrad efter sidan"
    db.session.flush()
    db.session.rollback()
    assert db.session.get(Event, event.id).title != "Ändrad efter sidan"


def test_kept_pages_and_the_registrations_own_page_are_marked(app):
    marked = {endpoint for endpoint, view in app.view_functions.items() if getattr(view, "reads_only", False)}
    assert {"public.event", "public.home", "registrations.register", "registrations.manage"} <= marked
    assert {"registrations.cancel", "registrations.erase", "registrations.keep_informed"}.isdisjoint(marked)
