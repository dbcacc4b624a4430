"""A change of time or place (issue 14): before saving, the organiser is told how many
participants would be mailed and may save without telling them; after saving, how many were
mailed, and which agenda items the new times leave outside. Mail goes through a real SMTP
server."""

import re

from sqlalchemy import select

from app.extensions import db
from app.models import Event, EventStatus, OutboxMessage, RegistrationStatus
from app.services import mail, registrations
from app.services.registrations import RegistrationDetails
from tests.conftest import local
from tests.test_manage_events import VALID_FORM

FORM = {**VALID_FORM, "capacity": "2"}


def changed_mail() -> list[str]:
    return [
        m.recipient for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "event_changed"))
    ]


def previewed(page: str) -> str:
    """The change the preview asked about, as the form sends it back."""
    return re.search(r'name="previewed" value="(\w+)"', page).group(1)


def test_a_new_time_asks_first_then_says_how_many_were_mailed(
    client, auth, organiser, make_event, make_item, mail_server
):
    auth.login(organiser)
    event = make_event(
        organisers=[organiser],
        title=VALID_FORM["title"],
        starts_at=local(2027, 1, 28, 9),
        ends_at=local(2027, 1, 28, 16),
        venue_name="Missionskyrkan",
        venue_address="Apotekaregatan 1",
        venue_city="Linköping",
        capacity=2,
    )
    people = [
        registrations.register(
            event,
            RegistrationDetails(name=name, email=f"{name.lower()}@example.com", sector="municipality", consent=True),
            locale="sv",
        ).registration
        for name in ("Anna", "Bo", "Cecilia")
    ]
    assert [p.status for p in people][-1] == RegistrationStatus.WAITLISTED
    make_item(event, "Välkommen", local(2027, 1, 28, 9), local(2027, 1, 28, 10))
    path = f"/manage/events/{event.id}/edit"

    # A new start: the organiser is asked, and nothing is saved yet.
    asked = client.post(path, data={**FORM, "starts_at": "2027-01-28T10:30"})
    assert asked.status_code == 200
    page = asked.get_data(as_text=True)
    assert 'data-change-preview="2"' in page and "Meddela deltagarna?" in page
    assert "får 2 deltagare med plats ett mejl" in page
    assert 'name="notify" value="yes"' in page and "Spara och meddela deltagarna" in page
    assert 'name="notify" value="no"' in page and "Spara utan att meddela" in page
    db.session.expire_all()
    assert db.session.get(Event, event.id).starts_at == local(2027, 1, 28, 9)
    assert changed_mail() == []

    # Saved silently: nobody is mailed, and the agenda item left before the start is named.
    silent = client.post(
        path,
        data={**FORM, "starts_at": "2027-01-28T10:30", "notify": "no", "previewed": previewed(page)},
        follow_redirects=True,
    )
    page = silent.get_data(as_text=True)
    assert "Dina ändringar är sparade. Inget mejl har skickats." in page
    assert "1 programpunkt ligger nu utanför evenemangets tider" in page
    db.session.expire_all()
    saved = db.session.get(Event, event.id)
    assert saved.starts_at == local(2027, 1, 28, 10, 30) and saved.sequence == 1
    assert changed_mail() == []

    # A new place, told: the two with a seat get the mail through the SMTP server, not the waiting list.
    new_place = {**FORM, "starts_at": "2027-01-28T10:30", "venue_name": "Konsert & Kongress"}
    asked = client.post(path, data=new_place).get_data(as_text=True)
    # The place changed again after the question (Enter sends "tell them"): asked anew, not mailed.
    again = client.post(
        path, data={**new_place, "venue_address": "Konsistoriegatan 3", "notify": "yes", "previewed": previewed(asked)}
    )
    assert again.status_code == 200 and "data-change-preview" in again.get_data(as_text=True)
    assert changed_mail() == []
    told = client.post(path, data={**new_place, "notify": "yes", "previewed": previewed(asked)}, follow_redirects=True)
    page = told.get_data(as_text=True)
    assert "Dina ändringar är sparade. 2 deltagare har fått ett mejl om den nya tiden eller platsen." in page
    assert sorted(changed_mail()) == ["anna@example.com", "bo@example.com"]
    mail.deliver_due()
    changed = [m for m in mail_server.messages if m["Subject"].startswith("Ändrat:")]
    assert sorted(m["To"] for m in changed) == ["Anna <anna@example.com>", "Bo <bo@example.com>"]

    # A new title alone moves nothing: saved at once, no question, no mail.
    plain = client.post(
        path, data={**FORM, "starts_at": "2027-01-28T10:30", "venue_name": "Konsert & Kongress", "title": "Ny rubrik"}
    )
    assert plain.status_code == 302
    assert len(changed_mail()) == 2


def test_a_draft_has_nobody_to_tell_and_saves_at_once(client, auth, organiser, make_event):
    auth.login(organiser)
    event = make_event(organisers=[organiser], status=EventStatus.DRAFT)
    response = client.post(f"/manage/events/{event.id}/edit", data={**FORM, "starts_at": "2027-01-28T11:00"})
    assert response.status_code == 302
    assert "Inget mejl har skickats." in client.get(response.headers["Location"]).get_data(as_text=True)


def test_the_question_does_not_save_what_the_rules_refuse(client, auth, organiser, make_event):
    auth.login(organiser)
    event = make_event(organisers=[organiser])
    registrations.register(
        event,
        RegistrationDetails(name="Anna", email="anna@example.com", sector="municipality", consent=True),
        locale="sv",
    )
    response = client.post(
        f"/manage/events/{event.id}/edit", data={**FORM, "starts_at": "2027-01-28T17:00", "ends_at": "2027-01-28T16:00"}
    )
    assert response.status_code == 400
    assert "data-change-preview" not in response.get_data(as_text=True)
