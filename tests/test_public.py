"""What anyone can see: upcoming events, event pages, regions, the archive; never drafts."""

from datetime import timedelta

import pytest

from app.models import EventKind, EventStatus
from app.models.types import utcnow
from tests.conftest import local


def text(response) -> str:
    return response.get_data(as_text=True)


def test_home_lists_upcoming_published_events_and_never_drafts(client, make_event):
    make_event(title="Publicerad dag")
    make_event(title="Hemligt utkast", status=EventStatus.DRAFT)
    make_event(title="Gammal dag", starts_at=utcnow() - timedelta(days=40))
    page = text(client.get("/"))
    assert "Publicerad dag" in page
    assert "Hemligt utkast" not in page
    assert "Gammal dag" not in page


def test_home_filters_by_region_and_kind(client, make_event):
    make_event(title="Östgöta-dag", region_code="05")
    make_event(title="Kronoberg-workshop", region_code="07", kind=EventKind.WORKSHOP)
    page = text(client.get("/?region=07"))
    assert "Kronoberg-workshop" in page and "Östgöta-dag" not in page
    page = text(client.get("/?kind=inspiration_day"))
    assert "Östgöta-dag" in page and "Kronoberg-workshop" not in page


@pytest.mark.parametrize("query", ["region=99", "kind=party", "page=-1", "page=abc", "region=" + "x" * 5000])
def test_bad_filters_give_a_message_not_an_error(client, make_event, query):
    make_event(title="Synlig dag")
    response = client.get(f"/?{query}")
    assert response.status_code == 200
    assert "Synlig dag" in text(response)


def test_event_page_shows_swedish_dates_venue_and_seats(client, make_event):
    event = make_event(
        title="Inspirationsdag",
        starts_at=local(2019, 1, 31, 9),
        ends_at=local(2019, 1, 31, 16),
        capacity=100,
    )
    page = text(client.get(f"/events/{event.id}"))
    assert "torsdag 31 januari 2019, 09:00–16:00" in page
    assert "Missionskyrkan" in page and "Linköping" in page
    assert "100" in page
    assert "<strong>validering</strong>" in page


def test_english_dates_are_british_and_24_hour_swedish_ones_unchanged(client, make_event):
    event = make_event(starts_at=local(2027, 12, 4, 9), ends_at=local(2027, 12, 4, 15, 30), capacity=10)
    assert "lördag 4 december 2027, 09:00–15:30" in text(client.get(f"/events/{event.id}"))
    client.get("/language/en")
    page = text(client.get(f"/events/{event.id}"))
    assert "Saturday 4 December 2027, 09:00–15:30" in page
    assert "December 4" not in page and " PM" not in page and " AM" not in page
    assert "Saturday 4 December 2027" in text(client.get("/"))


def test_multi_day_event_shows_both_days(client, make_event):
    event = make_event(
        kind=EventKind.NATIONAL_CONFERENCE, starts_at=local(2018, 11, 13, 10), ends_at=local(2018, 11, 14, 15)
    )
    page = text(client.get(f"/events/{event.id}"))
    assert "tisdag 13 november 2018 10:00 – onsdag 14 november 2018 15:00" in page


def test_draft_event_page_is_not_found(client, make_event):
    draft = make_event(status=EventStatus.DRAFT)
    assert client.get(f"/events/{draft.id}").status_code == 404
    assert client.get("/events/424242").status_code == 404


def test_cancelled_event_page_says_so(client, make_event):
    event = make_event(status=EventStatus.CANCELLED)
    assert "Evenemanget är inställt." in text(client.get(f"/events/{event.id}"))


def test_archive_lists_past_held_events(client, make_event):
    make_event(
        title="Hölls 2019",
        starts_at=local(2019, 1, 31, 9),
        ends_at=local(2019, 1, 31, 16),
        status=EventStatus.COMPLETED,
    )
    make_event(
        title="Ställdes in", starts_at=local(2019, 2, 1, 9), ends_at=local(2019, 2, 1, 16), status=EventStatus.CANCELLED
    )
    make_event(title="Kommande")
    page = text(client.get("/events/archive"))
    assert "Hölls 2019" in page
    assert "Ställdes in" not in page and "Kommande" not in page


def test_region_page_shows_upcoming_and_past_events_and_steps(client, make_event, organiser):
    from datetime import date

    from app.services import regions
    from tests.conftest import region

    make_event(title="Framtida", region_code="07")
    make_event(title="Förra året", region_code="07", starts_at=local(2019, 2, 12, 9), ends_at=local(2019, 2, 12, 15))
    make_event(title="Annan region", region_code="05")
    make_event(title="Utkast i Kronoberg", region_code="07", status=EventStatus.DRAFT)
    regions.record_step(region("07"), 1, date(2018, 5, 1), "Kartlagt", organiser)
    regions.record_step(region("07"), 2, date(2019, 2, 12), "Uppstartskonferens", organiser)
    page = text(client.get("/regions/07"))
    assert "Kronoberg" in page and "Framtida" in page and "Förra året" in page
    assert "Annan region" not in page and "Utkast i Kronoberg" not in page
    assert "2. Samla aktörerna" in page
    assert "Kartlagt" in page  # history kept
    assert client.get("/regions/99").status_code == 404


def test_regions_index_lists_all_21(client):
    page = text(client.get("/regions/"))
    assert page.count('href="/regions/') == 21 + 1  # the regions and the menu link


def test_language_choice_is_remembered(client):
    assert "Kommande evenemang" in text(client.get("/"))
    response = client.get("/language/en", query_string={"next": "/regions/"})
    assert response.headers["Location"] == "/regions/"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Upcoming events" in text(client.get("/"))
    assert '<html lang="en">' in text(client.get("/"))


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)"]
)
def test_language_switch_never_redirects_off_site(client, target):
    response = client.get("/language/en", query_string={"next": target})
    assert response.headers["Location"] == "/"


def test_unknown_language_is_ignored(client):
    assert client.get("/language/xx").status_code == 302
    assert "Kommande evenemang" in text(client.get("/"))


def test_html_in_titles_is_escaped(client, make_event):
    event = make_event(title="<script>alert('x')</script>")
    page = text(client.get(f"/events/{event.id}"))
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page


def test_home_page_query_count_does_not_grow_with_events(client, make_event, count_queries):
    make_event()
    with count_queries() as few:
        client.get("/")
    for _ in range(15):
        make_event(region_code="07")
    with count_queries() as many:
        client.get("/")
    assert len(many) == len(few) <= 8


@pytest.mark.parametrize("url", ["/?region=%00", "/events/archive?kind=a%00b", "/api/v1/events?region=%00"])
def test_nul_bytes_are_refused_with_400(client, url):
    assert client.get(url).status_code == 400


def test_nul_bytes_in_forms_are_refused(client, auth, organiser):
    auth.login(organiser)
    response = client.post("/manage/events/new", data={"title": "a\x00b"})
    assert response.status_code == 400


@pytest.mark.parametrize("page", ["99999999999999999999", "²", "0", "-3", "10001"])
def test_page_numbers_the_database_cannot_hold_show_the_first_page(client, auth, organiser, make_event, page):
    make_event(title="Första sidan")
    assert "Första sidan" in text(client.get(f"/?page={page}"))
    auth.login(organiser)
    for url in ("/manage/", "/manage/visits", "/manage/mail"):
        assert client.get(f"{url}?page={page}").status_code == 200, url


@pytest.mark.parametrize("path, status", [("/", EventStatus.PUBLISHED), ("/events/archive", EventStatus.COMPLETED)])
def test_long_lists_are_paged_and_keep_their_filters(client, make_event, path, status):
    days = 1 if status == EventStatus.PUBLISHED else -1
    for n in range(21):
        make_event(
            title=f"Dag {n:02}",
            region_code="07",
            status=status,
            starts_at=utcnow().replace(microsecond=0) + timedelta(days=days * (n + 2)),
        )
    first = client.get(f"{path}?region=07")
    assert first.status_code == 200
    assert "Sida 1 av 2" in text(first)
    assert f"{path}?page=2&amp;region=07" in text(first)
    second = text(client.get(f"{path}?region=07&page=2"))
    assert "Dag 20" in second and "Dag 00" not in second
