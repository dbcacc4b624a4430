"""Organisers record a region's step in the five-step model; the history stays."""

from sqlalchemy import select

from app.extensions import db
from app.models import RegionStepRecord


def test_organiser_records_a_step(client, auth, organiser):
    auth.login(organiser)
    response = client.post(
        "/regions/07/steps", data={"step_number": "2", "recorded_on": "2019-02-12", "note": "Uppstart"}
    )
    assert response.status_code == 302
    record = db.session.scalars(select(RegionStepRecord)).one()
    assert record.region.code == "07" and record.step_number == 2 and record.recorded_by == organiser


def test_bad_step_input_is_refused(client, auth, organiser):
    auth.login(organiser)
    for data in (
        {"step_number": "9", "recorded_on": "2019-02-12"},
        {"step_number": "2", "recorded_on": "12/02/2019"},
        {"step_number": "2", "recorded_on": "2999-01-01"},
        {"step_number": "2", "recorded_on": "0001-01-01"},
        {"step_number": "2", "recorded_on": "1999-12-31"},
        {"step_number": "x", "recorded_on": ""},
    ):
        response = client.post("/regions/07/steps", data=data)
        assert response.status_code == 400, data
    assert db.session.scalars(select(RegionStepRecord)).all() == []


def test_anonymous_cannot_record_steps(client):
    response = client.post("/regions/07/steps", data={"step_number": "2", "recorded_on": "2019-02-12"})
    assert response.status_code == 302
    assert db.session.scalars(select(RegionStepRecord)).all() == []


def test_region_page_shows_the_next_and_latest_events_and_links_to_the_rest(client, make_event):
    from datetime import timedelta

    from app.models import EventStatus
    from app.models.types import utcnow

    soon = utcnow().replace(microsecond=0)
    for n in range(22):
        make_event(title=f"Kommande {n:02}", region_code="07", starts_at=soon + timedelta(days=n + 1))
    for n in range(11):
        make_event(
            title=f"Hölls {n:02}",
            region_code="07",
            status=EventStatus.COMPLETED,
            starts_at=soon - timedelta(days=n + 2),
        )
    page = client.get("/regions/07").get_data(as_text=True)
    assert page.count('class="event-card') == 20 + 10
    assert "Kommande 19" in page and "Kommande 20" not in page  # the soonest first
    assert "Hölls 09" in page and "Hölls 10" not in page  # the latest first
    assert 'href="/?region=07"' in page and "Alla kommande evenemang i Kronoberg" in page
    assert 'href="/events/archive?region=07"' in page and "Alla tidigare evenemang i Kronoberg" in page


def test_region_page_without_more_events_has_no_links_to_more(client, make_event):
    make_event(title="Enda dagen", region_code="07")
    page = client.get("/regions/07").get_data(as_text=True)
    assert "Enda dagen" in page
    assert "Alla kommande evenemang" not in page and "Alla tidigare evenemang" not in page
