"""A participant's copy of their data, erasure on request, and erasure after retention,
with the counts reports rely on left intact."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEntry, OutboxMessage, Registration, RegistrationStatus
from app.models.types import utcnow
from app.services import ValidationError, registrations
from app.services.registrations import RegistrationDetails
from tests.conftest import local


def register(event, email="petra@example.se", name="Petra Persson", sector="municipality", municipality="Motala"):
    details = RegistrationDetails(
        name=name,
        email=email,
        sector=sector,
        municipality=municipality,
        organisation="Motala kommun",
        dietary_needs="Vegetarisk",
        consent=True,
    )
    return registrations.register(event, details, locale="sv").registration


def test_participant_downloads_everything_kept_about_them(client, make_event):
    registration = register(make_event(capacity=10))
    response = client.get(f"/r/{registration.manage_token}/data.json")
    assert response.status_code == 200
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["registration"]["email"] == "petra@example.se"
    assert data["registration"]["dietary_needs"] == "Vegetarisk"
    assert data["registration"]["privacy_notice_version"]
    assert data["emails"] and data["emails"][0]["to"] == "petra@example.se"
    assert client.get("/r/tampered/data.json").status_code == 404


def test_participant_erases_their_registration_and_the_seat_passes_on(client, make_event):
    event = make_event(capacity=1)
    first = register(event)
    waiting = register(event, email="nils@example.se", name="Nils Nilsson")
    assert waiting.status == RegistrationStatus.WAITLISTED
    token = first.manage_token

    page = client.get(f"/r/{token}/erase").get_data(as_text=True)
    assert "Radera mina uppgifter" in page
    response = client.post(f"/r/{token}/erase")
    assert response.status_code == 200
    assert "Dina uppgifter är raderade" in response.get_data(as_text=True)

    db.session.expire_all()
    erased = db.session.get(Registration, first.id)
    assert erased.erased_at is not None
    assert erased.name == "" and "petra" not in erased.email and erased.dietary_needs == ""
    assert erased.sector.value == "municipality" and erased.municipality == "Motala"  # counts stay right
    assert (
        db.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.registration_id == first.id)
        )
        == 0
    )
    assert db.session.get(Registration, waiting.id).status == RegistrationStatus.CONFIRMED
    assert client.get(f"/r/{token}").status_code == 404  # the old link opens nothing
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "registration.erased")).one()
    assert "petra" not in json.dumps(entry.details).lower() and entry.actor_name == "system"


def test_admin_erases_a_person_across_all_events(client, auth, admin, make_event):
    register(make_event(), email="Petra@Example.se")
    register(make_event(), email="petra@example.se")
    other = register(make_event(), email="someone@example.se")
    auth.login(admin)
    preview = client.post("/admin/erase", data={"email": "petra@example.se"})
    assert preview.get_data(as_text=True).count("Petra Persson") == 2
    assert (
        db.session.scalar(select(func.count()).select_from(Registration).where(Registration.erased_at.isnot(None))) == 0
    )
    response = client.post("/admin/erase", data={"email": "petra@example.se", "confirm": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert [r.erased_at is not None for r in db.session.scalars(select(Registration).order_by(Registration.id))] == [
        True,
        True,
        False,
    ]
    assert db.session.get(Registration, other.id).name == "Petra Persson"
    assert client.post("/admin/erase", data={"email": "not an address"}).status_code == 400


def test_erase_page_is_admin_only(client, auth, organiser):
    auth.login(organiser)
    assert client.get("/admin/erase").status_code == 403


def test_purge_after_retention_is_repeatable_and_keeps_counts(runner, make_event):
    old = make_event(starts_at=local(2019, 1, 31, 9), ends_at=local(2019, 1, 31, 16), retention_months=12)
    recent = make_event(
        starts_at=utcnow() - timedelta(days=40), ends_at=utcnow() - timedelta(days=40) + timedelta(hours=6)
    )

    def attended(event, email, sector, municipality):
        db.session.add(
            Registration(
                event=event,
                name="Ola",
                email=email,
                sector=sector,
                municipality=municipality,
                consent_at=utcnow(),
                privacy_notice_version="1",
                status=RegistrationStatus.ATTENDED,
            )
        )

    attended(old, "p1@example.se", "municipality", "Motala")
    attended(old, "p2@example.se", "employer", "Linköping")
    attended(old, "p3@example.se", "employer", "Linköping")
    attended(recent, "p4@example.se", "employer", "Linköping")
    db.session.commit()

    dry = runner.invoke(args=["purge-personal-data", "--dry-run"])
    assert "Would erase 3 registrations" in dry.output
    assert (
        db.session.scalar(select(func.count()).select_from(Registration).where(Registration.erased_at.isnot(None))) == 0
    )

    result = runner.invoke(args=["purge-personal-data"])
    assert result.exit_code == 0 and "Erased 3 registrations" in result.output
    db.session.expire_all()
    old_rows = db.session.scalars(select(Registration).where(Registration.event_id == old.id)).all()
    assert all(r.erased_at and r.name == "" for r in old_rows)
    assert sorted((r.sector.value, r.municipality, r.status.value) for r in old_rows) == [
        ("employer", "Linköping", "attended"),
        ("employer", "Linköping", "attended"),
        ("municipality", "Motala", "attended"),
    ]
    assert all(
        r.erased_at is None for r in db.session.scalars(select(Registration).where(Registration.event_id == recent.id))
    )
    again = runner.invoke(args=["purge-personal-data"])
    assert "Erased 0 registrations" in again.output


def test_erasure_and_purge_take_invitations_and_the_address_book_entry_too(make_event, make_user, admin):
    from app.models import Contact, Invitation
    from app.services import invitations, personal_data
    from app.services.invitations import contacts

    organiser = make_user()
    event = make_event(organisers=[organiser])
    other = make_event(organisers=[organiser])
    invitations.import_rows(event, "Petra Persson <petra@example.se>\nOla <ola@example.se>", organiser)
    invitations.import_rows(other, "petra@example.se", organiser)
    contacts.unsubscribe(db.session.scalar(select(Contact).where(Contact.email == "ola@example.se")))

    personal_data.erase_person("Petra@Example.se", by=admin)
    personal_data.erase_person("ola@example.se", by=admin)

    db.session.expire_all()
    assert db.session.scalars(select(Invitation.email)).all() == []
    assert db.session.scalar(select(Contact).where(Contact.email == "petra@example.se")) is None
    # The unsubscribed address is gone too; only its keyed hash keeps it from being invited again.
    assert db.session.scalar(select(Contact).where(Contact.email == "ola@example.se")) is None
    with pytest.raises(ValidationError):
        invitations.import_rows(event, "Ola <ola@example.se>", organiser)
    batch = invitations.preview(event, "OLA@example.se", organiser)
    assert batch.rows[0]["problem"] == "unsubscribed"

    invitations.import_rows(event, "kvar@example.se", organiser)
    event.starts_at, event.ends_at = local(2019, 1, 31, 9), local(2019, 1, 31, 16)
    db.session.commit()
    report = personal_data.purge_expired()
    assert event.id in report.events
    assert db.session.scalars(select(Invitation.email)).all() == []
