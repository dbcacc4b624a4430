"""The event lists say where seats are running out: "Få platser kvar", "Fullt" and, while
registering still puts people on the waiting list, "Reservlista öppen"."""

from datetime import timedelta

import pytest

from app.extensions import db
from app.models import Registration, RegistrationStatus, Sector
from app.models.types import utcnow
from app.services.events import few_seats


def fill(event, seated: int, status=RegistrationStatus.CONFIRMED) -> None:
    for n in range(seated):
        db.session.add(
            Registration(
                event=event,
                name=f"Deltagare {n}",
                email=f"deltagare.{event.id}.{status.value}.{n}@kommun.example",
                organisation="",
                sector=Sector.MUNICIPALITY,
                status=status,
                consent_at=utcnow(),
                privacy_notice_version="1",
            )
        )
    db.session.commit()


def card_of(page: str, title: str) -> str:
    return page.split(f">{title}</a>", 1)[1].split("</article>", 1)[0]


@pytest.mark.parametrize(
    ("left", "capacity", "few"),
    [(10, 100, True), (11, 100, False), (5, 20, True), (6, 20, False), (5, 8, False), (4, 8, True), (0, 10, False)],
)
def test_few_seats_is_a_tenth_or_at_most_five_that_are_at_most_half(left, capacity, few):
    assert few_seats(left, capacity) is few


def test_home_and_region_page_show_full_waiting_list_and_few_seats(client, make_event):
    full_open = make_event(title="Full men öppen", capacity=2)
    full_closed = make_event(title="Full och stängd", capacity=2, registration_closes_at=utcnow() - timedelta(hours=1))
    few = make_event(title="Nästan full", capacity=20)
    roomy = make_event(title="Gott om plats", capacity=20)
    unlimited = make_event(title="Utan gräns")
    fill(full_open, 2)
    fill(full_closed, 2)
    fill(few, 16)
    fill(roomy, 3)
    fill(roomy, 5, status=RegistrationStatus.CANCELLED)  # cancelled ones free their seats

    for path in ("/", "/regions/05"):
        page = client.get(path).get_data(as_text=True)
        assert 'data-seats="full"' in card_of(page, full_open.title)
        assert "Reservlista öppen" in card_of(page, full_open.title)
        assert "Fullt" in card_of(page, full_closed.title)
        assert "Reservlista" not in card_of(page, full_closed.title)
        assert "Få platser kvar" in card_of(page, few.title) and "Fullt" not in card_of(page, few.title)
        for calm in (roomy, unlimited):
            assert "data-seats" not in card_of(page, calm.title)


def test_badges_are_in_english_too(client, make_event):
    event = make_event(title="Workshop", capacity=1)
    fill(event, 1)
    client.get("/language/en")
    card = card_of(client.get("/").get_data(as_text=True), "Workshop")
    assert "Full" in card and "Waiting list open" in card


def test_the_badges_cost_no_statement_of_their_own(client, make_event, count_queries):
    """The seats come with the events (one column), so a list of full, nearly full and roomy
    events runs as many statements as a list of events without limits."""
    for n in range(3):
        make_event(title=f"Utan gräns {n}", region_code="07")
    busy = [make_event(title=f"Begränsad {n}", capacity=10, region_code="05") for n in range(3)]
    fill(busy[0], 10)
    fill(busy[1], 9)

    def statements(path: str) -> tuple[int, str]:
        db.session.remove()  # a new session, as each request has
        with count_queries() as executed:
            page = client.get(path).get_data(as_text=True)
        return len(executed), page

    for calm_path, busy_path in (("/?region=07", "/?region=05"), ("/regions/07", "/regions/05")):
        calm_count, calm_page = statements(calm_path)
        busy_count, busy_page = statements(busy_path)
        assert "data-seats" not in calm_page and busy_page.count("data-seats") == 3  # full + waiting list, few
        assert busy_count == calm_count, (calm_path, busy_path)
