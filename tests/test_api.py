"""The JSON API: regions and published events, with filters, pages and JSON errors."""

import pytest

from app.models import EventKind, EventStatus
from tests.conftest import local


def test_regions_lists_all_21_with_codes(client):
    regions = client.get("/api/v1/regions").get_json()["regions"]
    assert len(regions) == 21
    assert regions[0] == {"code": "01", "name": "Stockholm"}
    assert {"code": "25", "name": "Norrbotten"} in regions


def test_events_carry_the_contract_fields(client, make_event):
    event = make_event(
        title="Inspirationsdag", starts_at=local(2027, 1, 28, 9), ends_at=local(2027, 1, 28, 16), capacity=100
    )
    data = client.get("/api/v1/events").get_json()
    assert data["total"] == 1
    item = data["events"][0]
    assert item["id"] == event.id
    assert item["title"] == "Inspirationsdag"
    assert item["kind"] == "inspiration_day"
    assert item["region"] == {"code": "05", "name": "Östergötland"}
    assert item["starts_at"] == "2027-01-28T09:00:00+01:00"
    assert item["ends_at"] == "2027-01-28T16:00:00+01:00"
    assert item["venue"]["name"] == "Missionskyrkan"
    assert item["url"] == f"http://localhost/events/{event.id}"
    assert item["seats_left"] == 100


def test_summer_time_offsets_are_correct(client, make_event):
    make_event(starts_at=local(2027, 6, 10, 9), ends_at=local(2027, 6, 10, 16))
    item = client.get("/api/v1/events").get_json()["events"][0]
    assert item["starts_at"] == "2027-06-10T09:00:00+02:00"


def test_drafts_never_appear(client, make_event):
    draft = make_event(status=EventStatus.DRAFT)
    assert client.get("/api/v1/events").get_json()["events"] == []
    response = client.get(f"/api/v1/events/{draft.id}")
    assert response.status_code == 404
    assert "message" in response.get_json()["error"]


def test_filters_by_region_kind_and_dates(client, make_event):
    a = make_event(region_code="05", starts_at=local(2027, 1, 10, 9), ends_at=local(2027, 1, 10, 16))
    b = make_event(
        region_code="07", kind=EventKind.WORKSHOP, starts_at=local(2027, 2, 10, 9), ends_at=local(2027, 2, 10, 16)
    )
    c = make_event(region_code="05", starts_at=local(2027, 3, 10, 9), ends_at=local(2027, 3, 10, 16))

    def ids(query):
        return [e["id"] for e in client.get(f"/api/v1/events?{query}").get_json()["events"]]

    assert ids("region=05") == [a.id, c.id]
    assert ids("kind=workshop") == [b.id]
    assert ids("from=2027-02-01") == [b.id, c.id]
    assert ids("to=2027-02-10") == [a.id, b.id]
    assert ids("from=2027-02-10&to=2027-02-10") == [b.id]
    assert ids("region=05&from=2027-02-01&to=2027-12-31") == [c.id]


def test_pagination(client, make_event):
    for day in range(1, 6):
        make_event(starts_at=local(2027, 1, day, 9), ends_at=local(2027, 1, day, 16))
    first = client.get("/api/v1/events?per_page=2").get_json()
    assert len(first["events"]) == 2 and first["total"] == 5
    assert "page=2" in first["next"]
    last = client.get("/api/v1/events?per_page=2&page=3").get_json()
    assert len(last["events"]) == 1 and last["next"] is None


def test_event_detail(client, make_event):
    event = make_event()
    data = client.get(f"/api/v1/events/{event.id}").get_json()["event"]
    assert data["id"] == event.id
    assert "<strong>validering</strong>" in data["description_html"]


@pytest.mark.parametrize(
    "query",
    [
        "region=99",
        "kind=party",
        "from=2027-13-01",
        "to=yesterday",
        "from=2027-02-01&to=2027-01-01",
        "page=0",
        "page=-1",
        "per_page=1000",
        "page=abc",
        "region=%00",
        "page=%C2%B2",
        "per_page=%C2%B2",
        "page=%D9%A3",
        "from=0001-01-01",
        "to=9999-12-31",
        "from=9999-12-31",
        "to=0001-01-01",
        "from=+2027-01-01",
        "from=2027-01-01T00:00",
    ],
)
def test_bad_parameters_give_json_400(client, query):
    response = client.get(f"/api/v1/events?{query}")
    assert response.status_code == 400
    assert response.is_json
    error = response.get_json()["error"]
    assert error["message"] and error["request_id"] == response.headers["X-Request-ID"]


def test_dates_far_out_are_refused_with_the_range_that_works(client):
    message = client.get("/api/v1/events?to=9999-12-31").get_json()["error"]["message"]
    assert message == "to måste vara ett datum som ÅÅÅÅ-MM-DD, från 1900-01-01 till 2999-12-31."
    assert client.get("/api/v1/events?from=1900-01-01&to=2999-12-31").status_code == 200


def test_query_values_named_like_url_for_keywords_stay_out_of_the_next_link(client, make_event):
    for day in range(1, 4):
        make_event(starts_at=local(2027, 1, day, 9), ends_at=local(2027, 1, day, 16))
    response = client.get("/api/v1/events?per_page=1&endpoint=x&_external=0&_method=POST&_anchor=a&kind=")
    assert response.status_code == 200
    assert response.get_json()["next"] == "http://localhost/api/v1/events?page=2&per_page=1&kind="


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/nothing")
    assert response.status_code == 404 and response.is_json
