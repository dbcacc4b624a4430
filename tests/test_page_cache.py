"""The page cache: anonymous visitors get a kept copy of a public page until anything it
shows changes, in this process or another; nobody else ever gets one."""

import gzip
import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
from flask import template_rendered
from sqlalchemy import select, text, update

from app.cache import content_version, page_cache
from app.cache.page_cache import Entry, PageStore
from app.extensions import db
from app.models import ContentVersion, Event, OutboxMessage
from app.services import mail
from tests.conftest import PASSWORD, require_postgres

# Every page the cache serves, by a path for one event.
CACHED_PAGES = [
    lambda event: "/",
    lambda event: "/events/archive",
    lambda event: f"/events/{event.id}",
    lambda event: f"/events/{event.id}/agenda",
    lambda event: f"/events/{event.id}.ics",
    lambda event: "/calendar.ics",
    lambda event: "/privacy",
    lambda event: "/regions/",
    lambda event: "/regions/05",
    lambda event: "/regions/05/calendar.ics",
    lambda event: "/api/v1/regions",
    lambda event: "/api/v1/events",
    lambda event: f"/api/v1/events/{event.id}",
]


def version() -> dict[int, int]:
    return dict(db.session.execute(select(ContentVersion.id, ContentVersion.version)).all())


def seats_shown(client, event) -> str:
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    return re.search(r"Lediga platser</dt>\s*<dd[^>]*>(\d+)<", page).group(1)


@pytest.fixture
def event(make_event):
    return make_event(title="Inspirationsdag om validering")


@pytest.mark.parametrize("path", CACHED_PAGES)
def test_a_public_page_sets_no_cookie_and_is_served_again_with_one_query(client, event, count_queries, path):
    first = client.get(path(event))
    assert first.status_code == 200
    assert "Set-Cookie" not in first.headers
    assert "Cookie" in first.headers["Vary"]
    with count_queries() as statements:
        again = client.get(path(event))
    assert again.get_data() == first.get_data()
    assert statements == [content_version.READ]
    assert again.headers["Content-Security-Policy"]  # the security headers are added to kept pages too
    assert {part.strip() for part in again.headers["Vary"].split(",")} == {"Cookie", "Accept-Encoding"}


def test_a_change_through_the_session_shows_at_once(client, event):
    assert "Inspirationsdag om validering" in client.get(f"/events/{event.id}").get_data(as_text=True)
    before = version()
    event.title = "Ny titel"
    db.session.commit()
    assert version() == {content_version.CONTENT: before[1] + 1, content_version.PARTICIPATION: before[2]}
    assert "Ny titel" in client.get(f"/events/{event.id}").get_data(as_text=True)


def test_a_bulk_update_shows_at_once(client, event):
    client.get("/")
    db.session.execute(update(Event).where(Event.id == event.id).values(title="Massuppdaterad"))
    db.session.commit()
    assert "Massuppdaterad" in client.get("/").get_data(as_text=True)


def test_a_change_in_another_process_shows_at_once(client, event, make_app):
    """Another app instance stands in for another gunicorn worker or machine: only the
    database is shared."""
    client.get(f"/events/{event.id}")
    other = make_app()
    with other.app_context():
        db.session.execute(update(Event).where(Event.id == event.id).values(title="Ändrad någon annanstans"))
        db.session.commit()
        db.session.remove()
    db.session.expire_all()
    assert "Ändrad någon annanstans" in client.get(f"/events/{event.id}").get_data(as_text=True)


def test_a_rolled_back_change_keeps_the_version(event):
    before = version()
    event.title = "Aldrig sparad"
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert version() == before


def register(client, event, email: str):
    response = client.post(
        f"/events/{event.id}/register",
        data={"name": "Ada", "email": email, "sector": "municipality", "consent": "y"},
    )
    assert response.status_code == 200


@contextmanager
def pages_rendered(app):
    """The templates rendered meanwhile, by name."""
    names: list[str] = []

    def note(sender, template, context, **extra):
        names.append(template.name)

    template_rendered.connect(note, app)
    try:
        yield names
    finally:
        template_rendered.disconnect(note, app)


def test_a_registration_renews_pages_with_seats_and_keeps_the_others(client, make_event, count_queries):
    event = make_event(capacity=10)
    kept, renewed = ["/calendar.ics", f"/events/{event.id}/agenda", f"/events/{event.id}.ics"], ["/", "/regions/05"]
    for path in kept + renewed:
        client.get(path)
    register(client, event, "ada@example.se")
    for path in kept:
        with count_queries() as statements:
            client.get(path)
        assert statements == [content_version.READ], path
    for path in renewed:
        with count_queries() as statements:
            client.get(path)
        assert len(statements) > 1, path


def test_the_event_page_stays_kept_and_its_seats_are_filled_in(app, client, make_event, count_queries):
    """The seats left are live parts (app/cache/live_parts.py): a registration reads them
    again, once, and leaves the rest of the page as it was kept."""
    event = make_event(capacity=2)
    path = f"/events/{event.id}"
    assert seats_shown(client, event) == "2"
    register(client, event, "ada@example.se")
    with pages_rendered(app) as rendered, count_queries() as statements:
        page = client.get(path).get_data(as_text=True)
    assert rendered == []
    assert statements[0] == content_version.READ and len(statements) == 2  # the seats, once
    assert re.search(r"Lediga platser</dt>\s*<dd[^>]*>1<", page) and ">Anmäl dig</a>" in page
    with count_queries() as statements:
        assert client.get(path).get_data(as_text=True) == page
    assert statements == [content_version.READ]
    register(client, event, "bo@example.se")
    english_client = app.test_client()
    english_client.set_cookie("lang", "en")
    with pages_rendered(app) as rendered:
        full = client.get(path).get_data(as_text=True)
        english = english_client.get(path).get_data(as_text=True)
    assert rendered == ["public/event.html"]  # English was not kept yet; Swedish was
    assert seats_shown(client, event) == "0" and ">Ställ dig på reservlistan</a>" in full
    assert re.search(r"Seats left</dt>\s*<dd[^>]*>0<", english) and ">Join the waiting list</a>" in english
    assert "<!--live" not in full + english


def test_live_parts_are_filled_for_everyone_the_cache_does_not_serve(app, client, auth, make_event, organiser):
    event = make_event(capacity=5, organisers=[organiser])
    auth.login(organiser, PASSWORD)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Logga ut" in page and "<!--live" not in page
    assert re.search(r"Lediga platser</dt>\s*<dd[^>]*>5<", page)


def test_a_filled_page_has_an_etag_and_a_compressed_body_of_its_own(client, make_event):
    event = make_event(capacity=3, description="Lång beskrivning. " * 200)  # worth compressing
    first = client.get(f"/events/{event.id}", headers={"Accept-Encoding": "gzip"})
    register(client, event, "ada@example.se")
    second = client.get(f"/events/{event.id}", headers={"Accept-Encoding": "gzip"})
    assert first.headers["Content-Encoding"] == second.headers["Content-Encoding"] == "gzip"
    assert first.headers["ETag"] != second.headers["ETag"]
    assert re.search(r"Lediga platser</dt>\s*<dd[^>]*>2<", gzip.decompress(second.get_data()).decode())
    revalidated = client.get(
        f"/events/{event.id}", headers={"Accept-Encoding": "gzip", "If-None-Match": second.headers["ETag"]}
    )
    assert revalidated.status_code == 304
    stale = client.get(
        f"/events/{event.id}", headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]}
    )
    assert stale.status_code == 200


def test_mail_and_other_private_work_keeps_the_pages(client, event):
    client.get("/")
    before = version()
    mail.enqueue("a@example.se", "test", locale="sv", subject="Test")
    db.session.commit()
    assert db.session.scalar(select(OutboxMessage.id)) is not None
    assert version() == before


def test_organisers_get_their_own_page_and_it_is_not_kept(app, client, auth, make_event, organiser):
    event = make_event(organisers=[organiser])
    anonymous = client.get(f"/events/{event.id}").get_data(as_text=True)
    auth.login(organiser, PASSWORD)
    logged_in = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert logged_in != anonymous
    assert "Logga ut" in logged_in
    auth.logout()
    assert "Logga ut" not in client.get(f"/events/{event.id}").get_data(as_text=True)


def test_a_waiting_message_is_shown_and_never_kept(app, client, event):
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Sparat!")]
    assert "Sparat!" in client.get("/").get_data(as_text=True)
    other_visitor = app.test_client()
    assert "Sparat!" not in other_visitor.get("/").get_data(as_text=True)


def test_languages_are_kept_apart(app, client, event):
    assert "Kommande evenemang" in client.get("/").get_data(as_text=True)
    english = app.test_client()
    english.set_cookie("lang", "en")
    assert "Upcoming events" in english.get("/").get_data(as_text=True)
    assert "Kommande evenemang" in client.get("/").get_data(as_text=True)


def test_browsers_revalidate_with_an_etag(client, event):
    etag = client.get(f"/events/{event.id}").headers["ETag"]
    assert client.get(f"/events/{event.id}", headers={"If-None-Match": etag}).status_code == 304
    event.title = "Ändrad"
    db.session.commit()
    assert client.get(f"/events/{event.id}", headers={"If-None-Match": etag}).status_code == 200


def test_a_kept_page_expires_with_the_clock(client, event, monkeypatch, count_queries):
    client.get("/")
    now = page_cache.time.monotonic()
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: now + 3600)
    with count_queries() as statements:
        client.get("/")
    assert len(statements) > 1  # rendered again


def test_head_is_answered_from_the_kept_page(client, event):
    client.get("/")
    response = client.head("/")
    assert response.status_code == 200
    assert response.get_data() == b""


def test_the_cache_can_be_turned_off(app, client, event, monkeypatch, count_queries):
    monkeypatch.setitem(app.config, "PAGE_CACHE_SECONDS", 0)
    client.get("/")
    with count_queries() as statements:
        client.get("/")
    assert content_version.READ not in statements
    assert len(statements) > 1


def test_the_store_drops_the_least_recently_used_within_its_limits():
    store = PageStore(max_entries=2, max_bytes=100)

    def entry(size: int) -> Entry:
        return Entry(1, float("inf"), 200, [], b"x" * size)

    store.put("a", entry(10))
    store.put("b", entry(10))
    store.get("a")
    store.put("c", entry(10))
    assert store.get("b") is None and store.get("a") and store.get("c")
    store.put("d", entry(26))  # over a quarter of the limit: never kept
    assert store.get("d") is None

    store = PageStore(max_entries=10, max_bytes=100)
    for key in "abcd":
        store.put(key, entry(24))
    store.put("e", entry(24))
    assert store.get("a") is None and len(store) == 4


def test_a_costly_aggregate_is_kept_until_the_data_changes(make_event, count_queries):
    from app.services import regions

    event = make_event()
    assert regions.people_reached_by_region() == {}
    with count_queries() as statements:
        assert regions.people_reached_by_region() == {}
    assert statements == [content_version.READ]
    event.title = "Ändrad"
    db.session.commit()
    with count_queries() as statements:
        regions.people_reached_by_region()
    assert len(statements) == 2


def test_kept_pages_are_gzipped_for_clients_that_accept_it(client, make_event):
    for n in range(30):  # a feed large enough to be worth compressing
        make_event(title=f"Evenemang {n}")
    plain = client.get("/calendar.ics")
    assert "Content-Encoding" not in plain.headers
    for _ in range(2):  # when kept, and when served again
        packed = client.get("/calendar.ics", headers={"Accept-Encoding": "gzip, deflate"})
        assert packed.headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in packed.headers["Vary"]
        assert gzip.decompress(packed.get_data()) == plain.get_data()
        assert len(packed.get_data()) < len(plain.get_data()) / 3
    assert packed.headers["ETag"] != plain.headers["ETag"]
    again = client.get("/calendar.ics", headers={"Accept-Encoding": "gzip", "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304
    refused = client.get("/calendar.ics", headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in refused.headers


def test_small_pages_are_not_compressed(client, event):
    small = client.get("/api/v1/regions", headers={"Accept-Encoding": "gzip"})
    assert len(small.get_data()) < page_cache.GZIP_FROM_BYTES
    assert "Content-Encoding" not in small.headers
    assert client.get("/privacy", headers={"Accept-Encoding": "gzip"}).headers["Content-Encoding"] == "gzip"


def test_the_version_is_read_again_after_the_database_closed_its_connections(client, event, count_queries, caplog):
    """The version's own connections (no BEGIN, no pre-ping round trip on every kept page):
    one the server closed, as after a restart, is replaced at once, and the page still kept."""
    require_postgres("the server closing the version reader's connections")
    path = f"/events/{event.id}"
    first = client.get(path)
    reader_pids = db.session.scalars(
        text("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
    ).all()
    # Waiting until each backend has gone, as after a restart.
    db.session.execute(text("SELECT pg_terminate_backend(pid, 5000) FROM unnest(:pids) AS pid"), {"pids": reader_pids})
    db.session.commit()
    with count_queries() as statements:
        again = client.get(path)
    assert again.status_code == 200
    assert again.get_data() == first.get_data()
    assert statements == [content_version.READ]  # on a new connection: the closed one was never used
    assert "could not be read" not in caplog.text


CSRF_VALUE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def test_the_registration_form_is_kept_and_each_visitor_gets_a_token_of_their_own(app, make_event, count_queries):
    """The form's CSRF token is a personal live part: filled in for each answer from the
    visitor's own session, never kept, so a kept form is no one else's."""
    event = make_event(capacity=1)
    path = f"/events/{event.id}/register"
    first, second = app.test_client(), app.test_client()
    with pages_rendered(app) as rendered:
        one = first.get(path)
        with count_queries() as statements:
            two = second.get(path)
    assert rendered == ["registrations/register.html"]  # once, for both visitors
    assert statements == [content_version.READ]
    assert "Set-Cookie" in one.headers and "Set-Cookie" in two.headers
    assert "ETag" not in two.headers and "Content-Encoding" not in two.headers
    tokens = [CSRF_VALUE.search(answer.get_data(as_text=True)).group(1) for answer in (one, two)]
    assert tokens[0] != tokens[1]
    assert "<!--live" not in one.get_data(as_text=True) + two.get_data(as_text=True)
    details = {"name": "Ada", "sector": "municipality", "consent": "y"}
    # Each token works for its own visitor only.
    refused = first.post(path, data={**details, "email": "ada@example.se", "csrf_token": tokens[1]})
    assert refused.status_code == 400
    taken = second.post(path, data={**details, "email": "bo@example.se", "csrf_token": tokens[1]})
    assert taken.status_code == 200
    # Full now: the kept form says so, read again in one statement, not rendered again.
    with pages_rendered(app) as rendered, count_queries() as statements:
        full = app.test_client().get(path).get_data(as_text=True)
    assert rendered == [] and len(statements) == 2
    assert "Evenemanget är fullt. Du kan anmäla dig till reservlistan" in full


def test_a_form_with_parallel_sessions_is_rendered_for_each_visitor(app, make_event, make_item, organiser):
    """Its sessions' seats are not live parts, so a registration must show in them at once."""
    from app.services.registrations.session_changes import save_slot

    event = make_event(capacity=50, organisers=[organiser])
    start = event.starts_at
    items = [make_item(event, f"Pass {k}", start, start + timedelta(hours=1), room=f"Sal {k}") for k in "AB"]
    save_slot(event, title="Pass", allow_none=True, capacities={item.id: 10 for item in items}, by=organiser)
    db.session.commit()
    path = f"/events/{event.id}/register"
    with pages_rendered(app) as rendered:
        for _ in range(2):
            page = app.test_client().get(path).get_data(as_text=True)
    assert rendered == ["registrations/register.html"] * 2
    assert "10 platser kvar" in page and CSRF_VALUE.search(page) and "<!--live" not in page
