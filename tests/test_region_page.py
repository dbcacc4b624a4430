"""A region's page: people reached by sector and municipality, contact people (organisers
keep them), the region's visit requests for organisers, and its current step."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import (
    AuditEntry,
    EventKind,
    EventStatus,
    RegionContact,
    RegionStepRecord,
    Registration,
    RegistrationStatus,
    Sector,
)
from app.models.types import utcnow
from app.services import regions, visits
from app.services.visits import VisitDetails
from tests.conftest import local, region

A = RegistrationStatus.ATTENDED
C = RegistrationStatus.CONFIRMED


def add_registrations(event, *people):
    """(status, sector, municipality) for each person."""
    for n, (status, sector, municipality) in enumerate(people):
        db.session.add(
            Registration(
                event=event,
                name=f"Person {n}",
                email=f"p{n}-{event.id}@example.se",
                sector=Sector(sector),
                municipality=municipality,
                status=status,
                consent_at=utcnow(),
                privacy_notice_version="2026-11",
            )
        )
    db.session.commit()


@pytest.fixture
def kronoberg_events(make_event):
    """Held events in Kronoberg with and without check-in, and events that do not count."""
    now = utcnow().replace(microsecond=0)
    checked_in = make_event(region_code="07", starts_at=now - timedelta(hours=3), ends_at=now - timedelta(hours=1))
    add_registrations(
        checked_in,
        (A, "municipality", "Växjö"),
        (A, "employer", "Ljungby"),
        (C, "municipality", "Växjö"),  # registered, but check-in was done and they did not come
        (RegistrationStatus.CANCELLED, "politician", "Växjö"),
    )
    no_check_in = make_event(
        region_code="07",
        kind=EventKind.REGIONAL_CONFERENCE,
        status=EventStatus.COMPLETED,
        starts_at=local(2025, 6, 3, 9),
        ends_at=local(2025, 6, 3, 16),
    )
    add_registrations(
        no_check_in,
        (C, "municipality", "växjö "),
        (C, "adult_education", "Älmhult"),
        (C, "municipality", ""),
        (RegistrationStatus.WAITLISTED, "employer", "Växjö"),
    )
    upcoming = make_event(region_code="07")
    add_registrations(upcoming, (C, "municipality", "Växjö"))
    cancelled = make_event(
        region_code="07", status=EventStatus.CANCELLED, starts_at=local(2025, 3, 1, 9), ends_at=local(2025, 3, 1, 16)
    )
    add_registrations(cancelled, (C, "municipality", "Växjö"))
    elsewhere = make_event(region_code="05", starts_at=local(2025, 3, 1, 9), ends_at=local(2025, 3, 1, 16))
    add_registrations(elsewhere, (C, "municipality", "Linköping"))
    return checked_in, no_check_in


def test_people_reached_count_attended_or_confirmed_where_nobody_was_checked_in(kronoberg_events):
    reached = regions.people_reached(region("07"))
    assert reached.total == 5
    assert dict(reached.by_sector) == {"municipality": 3, "employer": 1, "adult_education": 1}
    assert dict(reached.by_municipality) == {"Växjö": 2, "Ljungby": 1, "Älmhult": 1, "": 1}
    assert reached.by_sector[0] == ("municipality", 3)  # most first
    assert regions.people_reached_by_region() == {region("07").id: 5, region("05").id: 1}


def test_the_region_page_shows_people_reached(client, kronoberg_events):
    page = client.get("/regions/07").get_data(as_text=True)
    assert "5 deltagare i regionens evenemang hittills." in page
    assert "Per sektor" in page and "Per kommun" in page and "Älmhult" in page and "Inte angiven" in page
    assert "Genomsnittligt betyg i utvärderingen:" in page and "(inga utvärderingsresultat ännu)" in page


def test_average_feedback_is_empty_until_surveys_exist():
    assert regions.average_feedback_by_region() == {}


def test_average_feedback_comes_from_the_regions_surveys(client, make_event, organiser):
    from tests.test_feedback_results import rated

    rated(make_event, organiser, [5, 4], region_code="07")
    rated(make_event, organiser, [2], region_code=None)  # national: no region's average
    assert regions.average_feedback_by_region() == {region("07").id: 4.5}
    assert "4,5" in client.get("/regions/07").get_data(as_text=True)


# Contact people


CONTACT = {
    "name": "Eva Ek",
    "role": "Regional strateg",
    "organisation": "Region Kronoberg",
    "email": "Eva.Ek@Kronoberg.example.se",
    "phone": "0470-58 30 00",
}


def only_contact() -> RegionContact:
    db.session.expire_all()
    return db.session.scalars(select(RegionContact)).one()


def test_organisers_add_edit_and_remove_contact_people(client, auth, organiser):
    auth.login(organiser)
    response = client.post("/regions/07/contacts", data=CONTACT)
    assert response.status_code == 302 and response.headers["Location"].endswith("/regions/07#contacts")
    contact = only_contact()
    assert contact.region.code == "07" and contact.email == "eva.ek@kronoberg.example.se"

    edit_url = f"/regions/07/contacts/{contact.id}/edit"
    assert 'value="Eva Ek"' in client.get(edit_url).get_data(as_text=True)
    assert client.post(edit_url, data={**CONTACT, "role": "Samordnare"}).status_code == 302
    assert only_contact().role == "Samordnare"
    assert client.get(f"/regions/20/contacts/{contact.id}/edit").status_code == 404  # not Dalarna's contact

    assert client.post(f"/regions/07/contacts/{contact.id}/delete").status_code == 302
    assert db.session.scalars(select(RegionContact)).all() == []
    logged = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert logged == ["region.contact_added", "region.contact_changed", "region.contact_removed"]


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"name": " "}, "name", "Ange ett namn."),
        ({"email": "eva@"}, "email", "Ange en giltig e-postadress."),
        ({"phone": "ring växeln"}, "phone", "Skriv ett telefonnummer med siffror"),
        ({"role": "x" * 121}, "role", ""),
    ],
)
def test_bad_contact_input_is_refused(client, auth, organiser, changes, field, message):
    auth.login(organiser)
    response = client.post("/regions/07/contacts", data={**CONTACT, **changes})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and message in page
    assert db.session.scalars(select(RegionContact)).all() == []


def test_visitors_see_who_the_contacts_are_but_not_their_addresses(client, organiser):
    regions.add_contact(region("07"), regions.ContactDetails(**CONTACT), organiser)
    page = client.get("/regions/07").get_data(as_text=True)
    assert "Eva Ek" in page and "Regional strateg" in page
    assert "eva.ek@" not in page and "0470" not in page and "Lägg till en kontaktperson" not in page


def test_anonymous_visitors_cannot_change_contacts(client, organiser):
    contact = regions.add_contact(region("07"), regions.ContactDetails(**CONTACT), organiser)
    for url in (
        "/regions/07/contacts",
        f"/regions/07/contacts/{contact.id}/edit",
        f"/regions/07/contacts/{contact.id}/delete",
    ):
        response = client.post(url, data=CONTACT)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
    assert client.get(f"/regions/07/contacts/{contact.id}/edit").status_code == 302
    assert only_contact().name == "Eva Ek"


# Visit requests on the region page


def visit(region_code="07", name="Karin Kronoberg"):
    return visits.submit_request(
        VisitDetails(
            region_code=region_code,
            contact_name=name,
            contact_email="karin@example.se",
            kind="workshop",
            period_text="hösten",
            audience_sectors=["municipality"],
            consent=True,
        ),
        locale="sv",
    )


def test_organisers_see_the_regions_open_and_past_requests_and_visitors_do_not(client, auth, organiser):
    visit(name="Öppen Olsson")
    visits.decline(visit(name="Avböjd Andersson"), organiser)
    visit(region_code="20", name="Dalarnas Dan")

    public = client.get("/regions/07").get_data(as_text=True)
    assert "Öppen Olsson" not in public and "Besöksförfrågningar" not in public.split("</header>")[1]

    auth.login(organiser)
    page = client.get("/regions/07").get_data(as_text=True)
    open_part, past_part = page.split('id="visits-heading"')[1].split("Avslutade")
    assert "Öppen Olsson" in open_part and "Avböjd Andersson" in past_part
    assert "Dalarnas Dan" not in page


def test_the_region_page_makes_the_same_number_of_queries_however_much_data(
    client, auth, organiser, make_user, count_queries, kronoberg_events
):
    auth.login(organiser)
    first = visit()
    visits.start_review(first, organiser)
    visits.accept(first, organiser)
    regions.add_contact(region("07"), regions.ContactDetails(**CONTACT), organiser)
    with count_queries() as few:
        client.get("/regions/07")
    for n in range(6):
        other = visit(name=f"Person {n}")
        visits.assign(other, make_user(), organiser)
        regions.add_contact(region("07"), regions.ContactDetails(name=f"Kontakt {n}"), organiser)
    with count_queries() as many:
        client.get("/regions/07")
    assert len(many) == len(few)


# The current step


def test_the_current_step_is_the_latest_by_date_even_when_recorded_later(organiser):
    kronoberg = region("07")
    regions.record_step(kronoberg, 2, date(2025, 2, 1), "", organiser)
    regions.record_step(kronoberg, 1, date(2025, 1, 1), "Efterregistrering", organiser)  # older, entered later
    assert regions.current_steps()[kronoberg.id].step_number == 2
    assert regions.with_history("07").step_records[0].step_number == 2
    regions.record_step(kronoberg, 3, date.today() - timedelta(days=1), "", organiser)
    assert regions.current_steps()[kronoberg.id].step_number == 3
    assert len(db.session.scalars(select(RegionStepRecord)).all()) == 3
