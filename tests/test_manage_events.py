"""Organisers create, edit, duplicate, publish, cancel and delete events."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Event, EventKind, EventStatus
from tests.conftest import local

VALID_FORM = {
    "title": "Inspirationsdag om validering",
    "kind": "inspiration_day",
    "region": "05",
    "description": "Välkommen! <script>alert(1)</script> **Fika** ingår.",
    "starts_at": "2027-01-28T09:00",
    "ends_at": "2027-01-28T16:00",
    "venue_name": "Missionskyrkan",
    "venue_address": "Apotekaregatan 1",
    "venue_city": "Linköping",
    "online_url": "",
    "capacity": "100",
    "registration_opens_at": "",
    "registration_closes_at": "2027-01-20T23:59",
}


@pytest.fixture
def logged_in(auth, organiser):
    auth.login(organiser)
    return organiser


def post_event(client, **changes):
    return client.post("/manage/events/new", data={**VALID_FORM, **changes})


def only_event() -> Event:
    return db.session.scalars(select(Event)).one()


def test_create_event_stores_utc_and_sanitised_description(client, logged_in):
    response = post_event(client)
    assert response.status_code == 302
    event = only_event()
    assert event.status == EventStatus.DRAFT
    assert event.starts_at == datetime(2027, 1, 28, 8, 0, tzinfo=UTC)  # CET is UTC+1
    assert event.organisers == [logged_in]
    assert "<strong>Fika</strong>" in event.description_html
    assert "<script>" not in event.description_html
    assert event.region.code == "05"


def test_summer_time_is_converted_with_its_own_offset(client, logged_in):
    post_event(client, starts_at="2027-06-10T09:00", ends_at="2027-06-10T16:00", registration_closes_at="")
    assert only_event().starts_at == datetime(2027, 6, 10, 7, 0, tzinfo=UTC)  # CEST is UTC+2


def test_event_across_the_switch_to_summer_time_keeps_its_wall_clock_times(client, logged_in):
    # 2027-03-28 clocks go forward at 02:00.
    post_event(
        client,
        kind="national_conference",
        starts_at="2027-03-27T10:00",
        ends_at="2027-03-28T15:00",
        registration_closes_at="",
    )
    event = only_event()
    assert event.starts_at == local(2027, 3, 27, 10) == datetime(2027, 3, 27, 9, 0, tzinfo=UTC)
    assert event.ends_at == datetime(2027, 3, 28, 13, 0, tzinfo=UTC)
    page = client.get(f"/manage/events/{event.id}").get_data(as_text=True)
    assert "10:00" in page and "15:00" in page


def test_a_time_that_does_not_exist_is_refused_next_to_its_field(client, logged_in):
    response = post_event(client, starts_at="2027-03-28T02:30", ends_at="2027-03-28T16:00", registration_closes_at="")
    assert response.status_code == 400
    assert "sommartid" in response.get_data(as_text=True)
    assert db.session.scalars(select(Event)).all() == []


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"title": "  "}, "title", "Ge evenemanget en rubrik."),
        ({"ends_at": "2027-01-28T08:00"}, "ends_at", "Evenemanget måste sluta efter att det börjar."),
        ({"capacity": "0"}, "capacity", "Antalet platser måste vara minst 1"),
        ({"capacity": "-5"}, "capacity", "Antalet platser måste vara minst 1"),
        ({"capacity": "many"}, "capacity", "Antalet platser måste vara minst 1, eller tomt för obegränsat.</div>"),
        ({"registration_closes_at": "2027-02-01T12:00"}, "registration_closes_at", "Anmälan kan inte stänga efter"),
        (
            {"registration_opens_at": "2027-01-29T12:00", "registration_closes_at": ""},
            "registration_opens_at",
            "Anmälan måste öppna innan",
        ),
        ({"starts_at": "not a date"}, "starts_at", "Ange datum och tid, till exempel 2027-03-14 09:30.</div>"),
        ({"kind": "party"}, "kind", "Inte ett giltigt val"),
        ({"venue_name": "", "online_url": ""}, "venue_name", "Ange en plats"),
        ({"online_url": "javascript:alert(1)"}, "online_url", "Ange en fullständig webbadress"),
        ({"online_url": "javascript://example.com/%0aalert(1)"}, "online_url", "Ange en fullständig webbadress"),
        ({"online_url": "data:text/html,<script>alert(1)</script>"}, "online_url", "Ange en fullständig webbadress"),
        ({"title": "x" * 201}, "title", "Högst 200 tecken."),
    ],
)
def test_invalid_input_is_refused_with_a_message_next_to_the_field(client, logged_in, changes, field, message):
    response = post_event(client, **changes)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    assert message in page
    assert db.session.scalars(select(Event)).all() == []


def test_a_time_typed_as_the_hint_shows_is_accepted(client, logged_in):
    # Browsers without a date-time picker give a text box; the hint says "2027-03-14 09:30".
    response = post_event(client, starts_at=" 2027-01-28 09:00", ends_at="2027-01-28 16:00")
    assert response.status_code == 302
    assert only_event().starts_at == datetime(2027, 1, 28, 8, 0, tzinfo=UTC)


def test_edit_changes_the_event_and_a_new_time_raises_the_calendar_sequence(client, logged_in, make_event):
    event = make_event(organisers=[logged_in], status=EventStatus.PUBLISHED)
    form = client.get(f"/manage/events/{event.id}/edit").get_data(as_text=True)
    assert event.title in form
    response = client.post(f"/manage/events/{event.id}/edit", data={**VALID_FORM, "title": "Ny rubrik"})
    assert response.status_code == 302
    db.session.refresh(event)
    assert event.title == "Ny rubrik"
    assert event.sequence == 1
    client.post(f"/manage/events/{event.id}/edit", data={**VALID_FORM, "title": "Bara rubriken"})
    db.session.refresh(event)
    assert event.sequence == 1


def test_duplicate_creates_a_draft_copy(client, logged_in, make_event):
    event = make_event(organisers=[logged_in], title="Workshop")
    response = client.post(f"/manage/events/{event.id}/duplicate")
    copy = db.session.scalars(select(Event).where(Event.id != event.id)).one()
    assert response.headers["Location"].endswith(f"/manage/events/{copy.id}/edit")
    assert copy.status == EventStatus.DRAFT
    assert copy.title == "Kopia av Workshop"
    assert copy.starts_at == event.starts_at
    assert copy.organisers == [logged_in]


def test_publish_cancel_and_delete_follow_the_status_rules(client, logged_in, make_event):
    draft = make_event(organisers=[logged_in], status=EventStatus.DRAFT)
    client.post(f"/manage/events/{draft.id}/publish")
    db.session.refresh(draft)
    assert draft.status == EventStatus.PUBLISHED

    page = client.post(f"/manage/events/{draft.id}/delete", follow_redirects=True).get_data(as_text=True)
    assert "Bara utkast kan tas bort" in page
    assert db.session.get(Event, draft.id) is not None

    client.post(f"/manage/events/{draft.id}/cancel")
    db.session.refresh(draft)
    assert draft.status == EventStatus.CANCELLED
    assert draft.sequence == 1

    other = make_event(organisers=[logged_in], status=EventStatus.DRAFT)
    client.post(f"/manage/events/{other.id}/delete")
    assert db.session.get(Event, other.id) is None


def test_completing_needs_the_event_to_have_ended(client, logged_in, make_event):
    upcoming = make_event(organisers=[logged_in])
    client.post(f"/manage/events/{upcoming.id}/complete")
    db.session.refresh(upcoming)
    assert upcoming.status == EventStatus.PUBLISHED
    held = make_event(organisers=[logged_in], starts_at=local(2019, 1, 31, 9), ends_at=local(2019, 1, 31, 16))
    client.post(f"/manage/events/{held.id}/complete")
    db.session.refresh(held)
    assert held.status == EventStatus.COMPLETED


def test_co_organisers_can_manage_and_others_cannot(client, auth, make_user, make_event):
    owner, co, stranger = make_user(), make_user(), make_user()
    event = make_event(organisers=[owner, co])
    auth.login(co)
    assert client.get(f"/manage/events/{event.id}/edit").status_code == 200
    auth.logout()
    auth.login(stranger)
    assert client.get(f"/manage/events/{event.id}").status_code == 403
    assert client.post(f"/manage/events/{event.id}/publish").status_code == 403
    assert client.get("/manage/").get_data(as_text=True).count(event.title) == 0


def test_admin_manages_every_event(client, auth, admin, make_user, make_event):
    event = make_event(organisers=[make_user()])
    auth.login(admin)
    assert client.get(f"/manage/events/{event.id}/edit").status_code == 200
    assert event.title in client.get("/manage/").get_data(as_text=True)


def test_organisers_can_be_chosen_and_the_author_stays_one(client, logged_in, make_user):
    colleague = make_user(name="Kollega")
    post_event(client, organisers=[str(colleague.id)])
    assert set(only_event().organisers) == {logged_in, colleague}


def test_missing_event_is_404(client, logged_in):
    assert client.get("/manage/events/999999").status_code == 404


def test_the_services_store_only_web_addresses_as_online_links(organiser):
    from app.services import ValidationError, events
    from app.services.events import EventDetails

    details = EventDetails(
        title="Webbinarium",
        kind=EventKind.WEBINAR,
        starts_at=local(2027, 3, 1, 9),
        ends_at=local(2027, 3, 1, 10),
        online_url="javascript://x.se/%0aalert(1)",
    )
    with pytest.raises(ValidationError) as refused:
        events.create_event(details, organiser)
    assert "online_url" in refused.value.problems
