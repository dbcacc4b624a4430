"""The national overview: the numbers on known data, server-side sorting, the tile map and
its colours, the CSV for Excel, and a fixed number of queries."""

import csv
import io
import re
from datetime import date, timedelta

import pytest

from app.display.timezones import utc_to_local
from app.extensions import db
from app.models import EventKind, EventStatus, RegistrationStatus
from app.models.types import utcnow
from app.services import overview, regions, visits
from app.services.overview import PALETTE, TILES
from app.services.visits import VisitDetails
from tests.conftest import local, region
from tests.test_region_page import add_registrations

A = RegistrationStatus.ATTENDED
C = RegistrationStatus.CONFIRMED
LAST_YEAR = date.today().year - 1


def visit(region_code, status_action=None, organiser=None):
    request = visits.submit_request(
        VisitDetails(
            region_code=region_code,
            contact_name="Karin",
            contact_email="karin@example.se",
            kind="workshop",
            period_text="hösten",
            audience_sectors=["municipality"],
            consent=True,
        ),
        locale="sv",
    )
    if status_action:
        status_action(request, organiser)
    return request


@pytest.fixture
def known_data(make_event, organiser):
    """Kronoberg: two held events (one this year, checked in), one upcoming, one cancelled; step 2;
    one open and one declined request. Dalarna: a workshop last year, step 3, a proposal waiting."""
    now = utcnow().replace(microsecond=0)
    this_year = make_event(region_code="07", starts_at=now - timedelta(hours=3), ends_at=now - timedelta(hours=1))
    add_registrations(this_year, (A, "municipality", "Växjö"), (A, "employer", "Ljungby"), (C, "region", "Växjö"))
    last_year = make_event(
        region_code="07",
        kind=EventKind.REGIONAL_CONFERENCE,
        status=EventStatus.COMPLETED,
        starts_at=local(LAST_YEAR, 2, 12, 9),
        ends_at=local(LAST_YEAR, 2, 12, 15),
    )
    add_registrations(last_year, (C, "municipality", "Växjö"), (C, "adult_education", "Älmhult"))
    upcoming = make_event(region_code="07")  # not held yet: the next event
    make_event(
        region_code="07",
        status=EventStatus.CANCELLED,
        starts_at=local(LAST_YEAR, 3, 1, 9),
        ends_at=local(LAST_YEAR, 3, 1, 12),
    )
    make_event(
        region_code="20",
        kind=EventKind.WORKSHOP,
        starts_at=local(LAST_YEAR, 5, 5, 13),
        ends_at=local(LAST_YEAR, 5, 5, 16),
    )
    regions.record_step(region("07"), 2, date(LAST_YEAR, 2, 12), "", organiser)
    regions.record_step(region("20"), 3, date(LAST_YEAR, 9, 1), "", organiser)
    visit("07")
    visit("07", visits.decline, organiser)
    visits.propose(
        VisitDetails(
            region_code="20",
            contact_name="Dan",
            contact_email="dan@example.se",
            kind="inspiration_day",
            period_text="våren",
        ),
        organiser,
        locale="sv",
    )
    return this_year, last_year, upcoming


@pytest.fixture
def logged_in(client, auth, organiser):
    auth.login(organiser)
    return organiser


def rows_by_code():
    return {row.region.code: row for row in overview.region_rows()}


def test_the_numbers_on_known_data(known_data):
    this_year, last_year, upcoming = known_data
    rows = rows_by_code()
    assert len(rows) == 21
    kronoberg, dalarna, skane = rows["07"], rows["20"], rows["12"]
    assert kronoberg.held(this_year=True) == 1 and kronoberg.held(this_year=False) == 2
    assert kronoberg.held_overall == {EventKind.INSPIRATION_DAY: 1, EventKind.REGIONAL_CONFERENCE: 1}
    assert kronoberg.held(this_year=False, kind=EventKind.REGIONAL_CONFERENCE) == 1
    assert kronoberg.held(this_year=True, kind=EventKind.REGIONAL_CONFERENCE) == 0
    assert kronoberg.reached == 2 + 2  # attended where checked in, confirmed where not
    assert kronoberg.step_number == 2 and kronoberg.open_visits == 1
    assert kronoberg.last_event == this_year.starts_at and kronoberg.next_event == upcoming.starts_at
    assert kronoberg.feedback is None and dalarna.next_event is None
    assert dalarna.held(this_year=False) == 1 and dalarna.held(this_year=True) == 0
    assert dalarna.step_number == 3 and dalarna.open_visits == 1 and dalarna.reached == 0
    assert skane.held(this_year=False) == 0 and skane.step is None and skane.last_event is None


def test_the_page_shows_the_table_and_the_map(client, logged_in, known_data):
    page = client.get("/manage/overview").get_data(as_text=True)
    assert page.count("<tr data-region=") == 21
    kronoberg = page.split('<tr data-region="07">')[1].split("</tr>")[0]
    assert "2. Samla aktörerna" in kronoberg
    assert re.search(r"data-held-this-year>1<", kronoberg) and re.search(r"data-held-overall>2\b", kronoberg)
    assert "Inspirationsdag 1" in kronoberg and "Regional konferens 1" in kronoberg
    assert "data-reached>4<" in kronoberg and "/manage/visits?region=07" in kronoberg
    svg = page.split('<svg class="tile-map"')[1].split("</svg>")[0]
    assert 'role="img"' in svg and 'aria-label="Rutkarta över Sveriges regioner färglagd efter Nuvarande steg.' in svg
    assert svg.count("<title>") == 21 and "<title>Kronoberg: Nuvarande steg 2</title>" in svg
    assert "style=" not in svg  # the CSP forbids inline styles: presentation attributes only
    assert 'data-region="20" data-level="3"' in svg and 'data-region="12" data-level="0"' in svg
    assert "Teckenförklaring" in page and "Inget steg registrerat" in page


def test_sorting_is_done_on_the_server_and_marked_for_screen_readers(client, logged_in, known_data):
    def order(query):
        page = client.get(f"/manage/overview?{query}").get_data(as_text=True)
        return re.findall(r'<tr data-region="(\d\d)">', page), page

    codes, page = order("")
    assert codes[:3] == ["10", "20", "09"]  # Blekinge, Dalarna, Gotland: by name
    assert codes[-2:] == ["18", "05"]  # Örebro, Östergötland: Swedish order
    assert 'aria-sort="ascending"' in page.split(">Region<")[0].rsplit("<th", 1)[1]

    codes, page = order("sort=held_overall&dir=desc")
    assert codes[:2] == ["07", "20"]
    header = page.split("Genomförda evenemang totalt</a>")[0].rsplit("<th", 1)[1]
    assert 'aria-sort="descending"' in header
    assert page.count("aria-sort=") == 1

    codes, _ = order("sort=step&dir=desc")
    assert codes[:2] == ["20", "07"]
    codes, _ = order("sort=step&dir=asc")
    assert codes[:2] == ["07", "20"]  # regions with no step come last either way

    codes, _ = order("sort=held_overall&dir=desc&kind=workshop")
    assert codes[0] == "20"

    codes, page = order("sort=<script>&dir=sideways&measure=x&kind=party")
    assert codes[:3] == ["10", "20", "09"] and "<script>" not in page


def test_the_map_is_coloured_by_the_chosen_measure(client, logged_in, known_data):
    page = client.get("/manage/overview?measure=reached").get_data(as_text=True)
    svg = page.split("</svg>")[0]
    assert 'data-region="07" data-level="5"' in svg and 'data-region="20" data-level="0"' in svg
    assert f'fill="{PALETTE[5][0]}"' in svg and f'fill="{PALETTE[5][1]}"' in svg
    assert '<option value="reached" selected>' in page
    assert 'value="feedback"' not in page  # no feedback results: nothing to colour by


def test_legend_levels_cover_the_values():
    kronoberg = overview.RegionRow(region("07"), reached=10)
    dalarna = overview.RegionRow(region("20"), reached=3)
    tiles, legend = overview.tile_map([kronoberg, dalarna], "reached")
    assert [t.level for t in tiles] == [5, 2]
    assert [entry.label for entry in legend] == ["Ingen", "1–2", "3–4", "5–6", "7–8", "9–10"]
    _, legend = overview.tile_map([overview.RegionRow(region("07"), reached=2)], "reached")
    assert [entry.label for entry in legend] == ["Ingen", "1", "2"]


def relative_luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


@pytest.mark.parametrize("fill, text_colour", PALETTE)
def test_tile_text_keeps_wcag_aa_contrast(fill, text_colour):
    lighter, darker = sorted((relative_luminance(fill), relative_luminance(text_colour)), reverse=True)
    assert (lighter + 0.05) / (darker + 0.05) >= 4.5


def test_every_region_has_its_own_tile():
    assert len(TILES) == 21 and len(set(TILES.values())) == 21
    assert set(TILES) == {r.code for r in overview.all_regions()}


def test_csv_for_swedish_excel(client, logged_in, known_data):
    response = client.get("/manage/overview.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="regions-overview.csv"' in response.headers["Content-Disposition"]
    body = response.data
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    header, lines = rows[0], {row[0]: row for row in rows[1:]}
    assert len(lines) == 21
    kronoberg = dict(zip(header, lines["07"], strict=True))
    assert kronoberg["Region"] == "Kronoberg" and kronoberg["Nuvarande steg"] == "2"
    assert kronoberg["Stegets namn"] == "Samla aktörerna"
    assert kronoberg["Genomförda evenemang i år"] == "1" and kronoberg["Genomförda evenemang totalt"] == "2"
    assert kronoberg["Regional konferens totalt"] == "1" and kronoberg["Inspirationsdag i år"] == "1"
    assert kronoberg["Nådda deltagare"] == "4" and kronoberg["Öppna besöksförfrågningar"] == "1"
    assert kronoberg["Genomsnittligt betyg i utvärderingen"] == ""
    assert kronoberg["Senaste evenemang"] == utc_to_local(known_data[0].starts_at).date().isoformat()
    assert kronoberg["Nästa evenemang"] == utc_to_local(known_data[2].starts_at).date().isoformat()
    assert lines["12"][2] == ""  # Skåne: no step


def test_the_overview_makes_a_fixed_small_number_of_queries(client, logged_in, count_queries, make_event, organiser):
    db.session.remove()  # a new session, as each real request has
    with count_queries() as empty:
        assert client.get("/manage/overview").status_code == 200
    for n, code in enumerate(TILES):
        event = make_event(
            region_code=code,
            kind=list(EventKind)[n % 5],
            starts_at=local(LAST_YEAR, 3, 1 + n, 9),
            ends_at=local(LAST_YEAR, 3, 1 + n, 15),
        )
        add_registrations(event, (C, "municipality", "Växjö"), (A, "employer", ""))
        regions.record_step(region(code), 1 + n % 5, date(LAST_YEAR, 1, 1), "", organiser)
        visit(code)
    db.session.remove()
    with count_queries() as full:
        assert client.get("/manage/overview?measure=held_overall&sort=reached&dir=desc").status_code == 200
    assert len(full) == len(empty) <= 9  # 7 once the national aggregates are kept
