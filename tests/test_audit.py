"""Organisers' actions on an event are logged and shown to its organisers only."""

import pathlib
import re

from sqlalchemy import select

from app.display.labels import AUDIT_LABELS
from app.extensions import db
from app.models import AuditEntry, Event, EventStatus
from tests.test_manage_events import VALID_FORM


def actions(event_id):
    return [
        (entry.action, entry.actor_name, entry.details)
        for entry in db.session.scalars(
            select(AuditEntry).where(AuditEntry.event_id == event_id).order_by(AuditEntry.id)
        )
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


def test_registration_changes_and_exports_are_logged(client, auth, organiser, make_event):
    from app.services import registrations
    from app.services.registrations import RegistrationDetails

    event = make_event(organisers=[organiser], capacity=5)
    person = registrations.register(
        event, RegistrationDetails(name="Pia", email="pia@example.se", sector="region", consent=True), locale="sv"
    ).registration
    auth.login(organiser)
    client.post(f"/manage/events/{event.id}/participants/{person.id}/waitlist")
    client.post(f"/manage/events/{event.id}/participants/{person.id}/confirm")
    client.post(f"/manage/events/{event.id}/checkin/{person.id}", data={"attended": "1"})
    client.post(f"/manage/events/{event.id}/participants/{person.id}/cancel")
    client.get(f"/manage/events/{event.id}/participants.csv")
    assert [action for action, _, _ in actions(event.id)] == [
        "registration.waitlisted",
        "registration.confirmed",
        "registration.checked_in",
        "registration.cancelled",
        "participants.exported",
    ]
    assert all("pia" not in str(details).lower() for _, _, details in actions(event.id))
    page = client.get(f"/manage/events/{event.id}/log").get_data(as_text=True)
    assert "Exporterade deltagarlistan" in page


def test_every_action_the_app_records_has_a_label_for_the_log():
    """The event log shows each action by its label; a new action without one would show its key."""
    recorded = set()
    for path in pathlib.Path("app").rglob("*.py"):
        recorded |= set(re.findall(r'audit\.record\(\s*\w+,\s*"([a-z_.]+)"', path.read_text()))
    recorded |= {f"event.{status.value}" for status in EventStatus if status != EventStatus.DRAFT}
    assert len(recorded) > 40
    assert sorted(recorded - set(AUDIT_LABELS)) == []
