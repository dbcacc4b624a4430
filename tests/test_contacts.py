"""The address book: adding and editing contacts, importing lists through a preview,
adding past participants who agreed, inviting by region and sector, and unsubscribing."""

import re
from io import BytesIO

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    AuditEntry,
    Contact,
    ContactSource,
    Invitation,
    Registration,
    RegistrationStatus,
    Sector,
)
from app.models.types import utcnow
from app.services import ValidationError, invitations
from tests.conftest import region


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def contact_of(email: str) -> Contact | None:
    db.session.expire_all()
    return db.session.scalar(select(Contact).where(Contact.email == email))


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def logged_in(client, auth, organiser):
    auth.login(organiser)
    return client


def add(**fields) -> Contact:
    contact = Contact(**{"name": "", "organisation": "", "municipality": "", **fields})
    db.session.add(contact)
    db.session.commit()
    return contact


@pytest.fixture
def ostergotland():
    """A small address book: Östergötland's municipalities and adult education, and others."""
    e = region("05")
    return [
        add(
            name="Anna Kommun",
            email="anna@linkoping.se",
            sector=Sector.MUNICIPALITY,
            municipality="Linköping",
            region=e,
        ),
        add(
            name="Bo Komvux",
            email="bo@norrkoping.se",
            sector=Sector.ADULT_EDUCATION,
            municipality="Norrköping",
            region=e,
        ),
        add(name="Cilla Företag", email="cilla@example.se", sector=Sector.EMPLOYER, municipality="Motala", region=e),
        add(
            name="Dan Kalmar",
            email="dan@kalmar.se",
            sector=Sector.MUNICIPALITY,
            municipality="Kalmar",
            region=region("08"),
        ),
        add(
            name="Eva Avregistrerad",
            email="eva@mjolby.se",
            sector=Sector.MUNICIPALITY,
            municipality="Mjölby",
            region=e,
            unsubscribed_at=utcnow(),
        ),
    ]


# Pages


def test_adding_and_editing_a_contact_by_hand(logged_in):
    response = logged_in.post(
        "/manage/contacts/new",
        data={
            "name": "Anna Andersson",
            "email": "Anna@Linkoping.se",
            "organisation": "Linköpings kommun",
            "sector": "municipality",
            "municipality": "Linköping",
            "region": "05",
            "locale": "sv",
            "consent_note": "Bad om inbjudningar per telefon",
        },
    )
    assert response.status_code == 302
    contact = contact_of("anna@linkoping.se")
    assert (contact.name, contact.sector, contact.region.code, contact.source) == (
        "Anna Andersson",
        Sector.MUNICIPALITY,
        "05",
        ContactSource.MANUAL,
    )
    assert len(contact.unsubscribe_token) >= 43

    response = logged_in.post(
        f"/manage/contacts/{contact.id}/edit",
        data={
            "name": "Anna Ek",
            "email": "anna@linkoping.se",
            "sector": "",
            "region": "",
            "locale": "en",
        },
    )
    assert response.status_code == 302
    contact = contact_of("anna@linkoping.se")
    assert (contact.name, contact.sector, contact.region, contact.locale) == ("Anna Ek", None, None, "en")


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"email": "inte en adress"}, "email", "Ange en giltig e-postadress."),
        ({"email": "bo@norrkoping.se"}, "email", "Den adressen finns redan i adressboken."),
        ({"sector": "astronaut"}, "sector", "Inte ett giltigt val"),
        ({"region": "99"}, "region", "Inte ett giltigt val"),
        ({"name": "x" * 121}, "name", None),
    ],
)
def test_bad_contact_input_is_refused_next_to_its_field(logged_in, ostergotland, changes, field, message):
    before = count(Contact)
    response = logged_in.post("/manage/contacts/new", data={"email": "ny@example.se", "locale": "sv", **changes})
    assert response.status_code == 400
    assert f'id="{field}-error"' in text(response)
    if message:
        assert message in text(response)
    assert count(Contact) == before


def test_the_list_searches_and_filters_by_region_and_sectors(logged_in, ostergotland):
    page = text(logged_in.get("/manage/contacts?region=05&sector=municipality&sector=adult_education"))
    assert "anna@linkoping.se" in page and "bo@norrkoping.se" in page
    assert "cilla@example.se" not in page and "dan@kalmar.se" not in page
    assert "eva@mjolby.se" in page and "Avregistrerad" in page  # listed, marked
    page = text(logged_in.get("/manage/contacts?q=MOTALA"))
    assert "cilla@example.se" in page and "anna@linkoping.se" not in page
    assert logged_in.get("/manage/contacts?region=zz&sector=nope&q=" + "x" * 500).status_code == 200


def test_the_contact_list_makes_the_same_queries_whatever_its_size(logged_in, count_queries):
    def queries() -> int:
        with count_queries() as statements:
            assert logged_in.get("/manage/contacts").status_code == 200
        return len(statements)

    for n in range(3):
        add(email=f"a{n}@example.se", region=region("05"))
    few = queries()
    for n in range(40):
        add(email=f"b{n}@example.se", region=region(f"{(n % 9) + 1:02d}") or region("05"))
    assert queries() == few


def test_an_unsubscribed_contact_cannot_be_deleted_and_others_can(logged_in, ostergotland):
    eva, anna = contact_of("eva@mjolby.se"), contact_of("anna@linkoping.se")
    logged_in.post(f"/manage/contacts/{eva.id}/delete")
    logged_in.post(f"/manage/contacts/{anna.id}/delete")
    assert contact_of("eva@mjolby.se") is not None
    assert contact_of("anna@linkoping.se") is None
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "contacts.deleted")) is not None


# Importing a list


def test_importing_a_csv_previews_every_row_and_adds_the_valid_ones(logged_in, ostergotland):
    data = (
        "Namn;E-post;Organisation;Sektor;Kommun;Län\r\n"
        "Gun Gren;gun@finspang.se;Finspångs kommun;Kommun;Finspång;\r\n"
        "Hans Holm;hans@example.se;Komvux;Vuxenutbildning;Kalmar;Kalmar län\r\n"
        "Anna Kommun;anna@linkoping.se;;;;\r\n"
        "Eva;eva@mjolby.se;;;;\r\n"
        "Trasig;trasig@;;;;\r\n"
    ).encode("cp1252")
    response = logged_in.post(
        "/manage/contacts/import",
        data={
            "file": (BytesIO(data), "kontakter.csv"),
            "region": "05",
            "consent_note": "Nätverkslista 2026",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    page = text(logged_in.get(location))
    assert "Finns redan i adressboken." in page and "Har avregistrerat sig från inbjudningar." in page
    assert "Inte en giltig e-postadress." in page and 'data-count="valid">2<' in page
    assert count(Contact) == 5

    assert logged_in.post(location, data={"expected": 2}).status_code == 302

    gun, hans = contact_of("gun@finspang.se"), contact_of("hans@example.se")
    assert (gun.region.code, gun.sector, gun.source, gun.consent_note) == (
        "05",
        Sector.MUNICIPALITY,
        ContactSource.IMPORT,
        "Nätverkslista 2026",
    )
    assert hans.region.code == "08" and hans.sector == Sector.ADULT_EDUCATION
    assert count(Contact) == 7
    assert db.session.scalar(select(AuditEntry.details).where(AuditEntry.action == "contacts.imported")) == {"count": 2}


def test_an_import_that_changed_since_the_preview_adds_nothing(logged_in):
    response = logged_in.post("/manage/contacts/import", data={"addresses": "a@example.se\nb@example.se"})
    location = response.headers["Location"]
    add(email="b@example.se")
    response = logged_in.post(location, data={"expected": 2})
    assert response.headers["Location"] == location
    assert count(Contact) == 1
    assert "Finns redan i adressboken." in text(logged_in.get(location))


# Past participants who agreed


def test_only_participants_who_asked_to_be_kept_informed_are_added(logged_in, client, make_event, organiser):
    event = make_event(organisers=[organiser])
    form = {"name": "Karin Lind", "sector": "adult_education", "consent": "y", "municipality": "Linköping"}
    client.post(f"/events/{event.id}/register", data={**form, "email": "ja@example.se", "keep_informed": "y"})
    client.post(f"/events/{event.id}/register", data={**form, "email": "nej@example.se"})
    client.post(f"/events/{event.id}/register", data={**form, "email": "obekraftad@example.se", "keep_informed": "y"})
    agreed = db.session.scalar(select(Registration).where(Registration.email == "ja@example.se"))
    assert agreed.keep_informed_at is not None and agreed.keep_informed_confirmed_at is None
    # Only the mailbox's owner, from the link in the confirmation, makes it count.
    client.post(f"/r/{agreed.manage_token}/keep-informed", data={"wanted": "yes"})
    add(email="finns@example.se")
    db.session.add(
        Registration(
            event=event,
            name="Finns",
            email="finns@example.se",
            sector=Sector.OTHER,
            consent_at=utcnow(),
            privacy_notice_version="1",
            status=RegistrationStatus.CONFIRMED,
            keep_informed_at=utcnow(),
            keep_informed_confirmed_at=utcnow(),
        )
    )
    db.session.commit()

    response = logged_in.post("/manage/contacts/from-event", data={"event": event.id})

    assert response.status_code == 302
    assert "1 lades till i adressboken; 1 fanns redan där; 2 bad inte om att hållas informerade." in text(
        logged_in.get("/manage/contacts")
    )
    contact = contact_of("ja@example.se")
    assert contact.source == ContactSource.REGISTRATION and contact.sector == Sector.ADULT_EDUCATION
    assert contact.region.code == "05" and event.title in contact.consent_note
    assert contact_of("nej@example.se") is None and contact_of("obekraftad@example.se") is None


def test_participants_of_another_organisers_event_cannot_be_taken(logged_in, make_event, make_user):
    event = make_event(organisers=[make_user()])
    response = logged_in.post("/manage/contacts/from-event", data={"event": event.id})
    assert response.status_code == 302 and count(Contact) == 0


# Inviting from the address book


def test_inviting_by_region_and_sectors_previews_then_invites(logged_in, make_event, organiser, ostergotland):
    event = make_event(organisers=[organiser], title="Inspirationsdag i Linköping")
    url = f"/manage/events/{event.id}/invitations/from-contacts"

    page = text(logged_in.get(url + "?region=05&sector=municipality&sector=adult_education"))

    shown = re.findall(r'name="chosen" value="(\d+)"', page)
    assert sorted(shown) == sorted(str(contact_of(e).id) for e in ("anna@linkoping.se", "bo@norrkoping.se"))
    assert "eva@mjolby.se" not in page  # unsubscribed: never listed

    response = logged_in.post(url, data={"chosen": shown, "language": ""})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert 'data-count="valid">2<' in text(logged_in.get(location))
    logged_in.post(location, data={"expected": 2})

    invited = db.session.scalars(select(Invitation.email).order_by(Invitation.email)).all()
    assert invited == ["anna@linkoping.se", "bo@norrkoping.se"]
    anna = db.session.scalar(select(Invitation).where(Invitation.email == "anna@linkoping.se"))
    assert (anna.name, anna.sector, anna.municipality) == ("Anna Kommun", Sector.MUNICIPALITY, "Linköping")
    assert anna.contact_id == contact_of("anna@linkoping.se").id


def test_inviting_by_hand_from_the_address_book_and_an_unsubscribed_id_posted_anyway(
    logged_in, make_event, organiser, ostergotland
):
    event = make_event(organisers=[organiser])
    url = f"/manage/events/{event.id}/invitations/from-contacts"
    page = text(logged_in.get(url + "?q=cilla"))
    assert "cilla@example.se" in page
    eva = contact_of("eva@mjolby.se")
    response = logged_in.post(url, data={"chosen": [contact_of("cilla@example.se").id, eva.id]})
    location = response.headers["Location"]
    page = text(logged_in.get(location))
    assert "Har avregistrerat sig från inbjudningar." in page and 'data-count="valid">1<' in page
    logged_in.post(location, data={"expected": 1})
    assert db.session.scalars(select(Invitation.email)).all() == ["cilla@example.se"]


def test_choosing_nobody_is_refused(logged_in, make_event, organiser):
    event = make_event(organisers=[organiser])
    response = logged_in.post(f"/manage/events/{event.id}/invitations/from-contacts", data={"chosen": []})
    assert response.status_code == 400 and "Välj minst en kontakt att bjuda in." in text(response)


# Unsubscribing


def test_unsubscribing_stops_every_later_invitation(client, logged_in, make_event, organiser):
    event = make_event(organisers=[organiser])
    invitations.import_rows(event, "anna@example.se", organiser)
    contact = contact_of("anna@example.se")
    url = f"/u/{contact.unsubscribe_token}"

    page = client.get(url)
    assert page.status_code == 200 and page.headers["Referrer-Policy"] == "same-origin"
    assert contact_of("anna@example.se").unsubscribed_at is None  # opening the link changes nothing
    response = client.post(url)

    assert response.status_code == 302
    assert contact_of("anna@example.se").unsubscribed_at is not None
    assert 'data-unsubscribed="yes"' in text(client.get(url))

    other = make_event(organisers=[organiser])
    response = logged_in.post(
        f"/manage/events/{other.id}/invitations/new",
        data={"addresses": "anna@example.se\nbo@example.se"},
    )
    page = text(logged_in.get(response.headers["Location"]))
    assert "Har avregistrerat sig från inbjudningar." in page and 'data-count="valid">1<' in page
    with pytest.raises(ValidationError):
        invitations.import_rows(other, "anna@example.se", organiser)
    assert count(Invitation, Invitation.event_id == other.id) == 0

    client.post(url + "/resubscribe")
    assert contact_of("anna@example.se").unsubscribed_at is None


def test_the_address_book_needs_a_login(client, ostergotland):
    contact = contact_of("anna@linkoping.se")
    for url in (
        "/manage/contacts",
        "/manage/contacts/new",
        f"/manage/contacts/{contact.id}/edit",
        "/manage/contacts/import",
        "/manage/contacts/import/1",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
    for url in (
        f"/manage/contacts/{contact.id}/delete",
        "/manage/contacts/from-event",
        "/manage/contacts/import/1/discard",
    ):
        response = client.post(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
    assert contact_of("anna@linkoping.se") is not None


def test_address_book_posts_refuse_a_missing_csrf_token(make_app, make_user, ostergotland):
    from tests.conftest import PASSWORD

    app = make_app()
    client = app.test_client(csrf=False)
    with app.app_context():
        user = make_user()
        csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', text(client.get("/login"))).group(1)
        client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": csrf})
        contact = contact_of("anna@linkoping.se")
        for url in (
            "/manage/contacts/new",
            f"/manage/contacts/{contact.id}/edit",
            f"/manage/contacts/{contact.id}/delete",
            "/manage/contacts/import",
            "/manage/contacts/import/1",
            "/manage/contacts/import/1/discard",
            "/manage/contacts/from-event",
        ):
            response = client.post(url, data={"email": "x@example.se", "addresses": "x@example.se", "expected": 1})
            assert response.status_code == 400, url
        assert contact_of("anna@linkoping.se") is not None and contact_of("x@example.se") is None
