"""Organisers' actions on an event are logged and shown to its organisers only."""

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEntry, Event
from tests.test_manage_events import VALID_FORM


def actions(event_id):
    return [
        (entry.action, entry.actor_name, entry.details)
        for entry in db.session.scalars(select(AuditEntry).where(AuditEntry.event_id == event_id).order_by(AuditEntry.id))
    ]


def test_create_change_publish_cancel_are_logged_with_who_and_what(client, auth, organiser):
    auth.login(organiser)
    client.post("/manage/events/new", data=VALID_FORM)
    event = db.session.scalars(select(Event)).one()
    client.post(f"/manage/events/{event.id}/edit", data={**VALID_FORM, "title": "Ny rubrik", "capacity": "50"})
    client.post(f"/manage/events/{event.id}/edit", data={**VALID_FORM, "title": "Ny rubrik", "capacity": "50"})
    client.post(f"/manage/events/{event.id}/publish")
    client.post(f"/manage/events/{event.id}/cancel")
    assert actions(event.id) == [
        ("event.created", "Olga Organiser", {}),
        ("event.changed", "Olga Organiser", {"fields": ["title", "capacity"]}),
        ("event.published", "Olga Organiser", {}),
        ("event.cancelled", "Olga Organiser", {}),
    ]
    page = client.get(f"/manage/events/{event.id}/log").get_data(as_text=True)
    assert "Ändrade evenemanget: Rubrik, Antal platser" in page
    assert "Ställde in evenemanget" in page


def test_deleting_a_draft_keeps_its_log(client, auth, organiser, make_event):
    event = make_event(organisers=[organiser], status="draft", title="Utkast")
    auth.login(organiser)
    client.post(f"/manage/events/{event.id}/delete")
    assert actions(event.id) == [("event.deleted", "Olga Organiser", {"title": "Utkast"})]


def test_log_is_for_the_event_organisers_only(client, auth, make_user, make_event):
    event = make_event(organisers=[make_user()])
    assert client.get(f"/manage/events/{event.id}/log").status_code == 302
    auth.login(make_user())
    assert client.get(f"/manage/events/{event.id}/log").status_code == 403
