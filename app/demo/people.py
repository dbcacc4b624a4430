"""Demo people: the demo accounts, the participants of past and coming events, and an
organiser's address book with invitations in every state."""

import random
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Contact, Event, Invitation, Registration, RegistrationStatus, Role, Sector, User
from app.services import invitations
from app.services.invitations import address_lists, contacts
from app.services.registrations import RegistrationDetails, register

DEMO_ORGANISER = {"email": "arrangor@example.com", "name": "Anna Arrangör", "password": "samverkan-demo"}
DEMO_ADMIN = {"email": "admin@example.com", "name": "Adam Admin", "password": "samverkan-admin"}


def ensure_user(spec: dict, role: Role) -> User:
    user = db.session.scalar(select(User).where(User.email == spec["email"]))
    if user is None:
        user = User(email=spec["email"], name=spec["name"], role=role)
        user.set_password(spec["password"])
        db.session.add(user)
    return user


# Östergötland's 13 municipalities, for the participants of the Linköping inspiration day.
OSTERGOTLAND = [
    "Linköping",
    "Norrköping",
    "Motala",
    "Mjölby",
    "Finspång",
    "Söderköping",
    "Vadstena",
    "Valdemarsvik",
    "Åtvidaberg",
    "Ödeshög",
    "Boxholm",
    "Kinda",
    "Ydre",
]


# The larger municipalities send more people.
MUNICIPALITY_WEIGHTS = [30, 24, 10, 8, 6, 4, 3, 3, 3, 2, 2, 2, 1]


FIRST_NAMES = [
    "Anna",
    "Erik",
    "Maria",
    "Lars",
    "Karin",
    "Anders",
    "Eva",
    "Johan",
    "Sara",
    "Per",
    "Lena",
    "Mikael",
    "Emma",
    "Fredrik",
    "Sofia",
    "Jonas",
    "Åsa",
    "Magnus",
    "Elin",
    "Daniel",
    "Maja",
    "Ahmed",
    "Fatima",
    "Nils",
    "Ingrid",
    "Olle",
    "Linnea",
    "Björn",
    "Helena",
    "Amir",
]


LAST_NAMES = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Lindberg",
    "Lindqvist",
    "Ek",
    "Öberg",
    "Berg",
    "Holm",
    "Sandberg",
    "Hussein",
    "Ali",
    "Åkesson",
]


# How the inspiration day's audience was made up ("municipalities, adult education, the
# Public Employment Service, working life and politicians").
SECTOR_WEIGHTS = {
    Sector.MUNICIPALITY: 30,
    Sector.ADULT_EDUCATION: 25,
    Sector.PUBLIC_EMPLOYMENT_SERVICE: 12,
    Sector.EMPLOYER: 12,
    Sector.POLITICIAN: 8,
    Sector.EDUCATION_PROVIDER: 7,
    Sector.REGION: 4,
    Sector.OTHER: 2,
}


ORGANISATIONS = {
    Sector.MUNICIPALITY: "{m} kommun",
    Sector.ADULT_EDUCATION: "Komvux {m}",
    Sector.PUBLIC_EMPLOYMENT_SERVICE: "Arbetsförmedlingen {m}",
    Sector.EMPLOYER: "Företagarna {m}",
    Sector.POLITICIAN: "Kommunfullmäktige, {m}",
    Sector.EDUCATION_PROVIDER: "Yrkeshögskolan {m}",
    Sector.REGION: "Region Östergötland",
    Sector.OTHER: "Studieförbund i {m}",
}


DIETS = ["", "", "", "", "", "Vegetarisk", "Laktosfri", "Glutenfri", "Vegansk", "Nötallergi"]


def _person(rng: random.Random, n: int) -> dict:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    municipality = rng.choices(OSTERGOTLAND, weights=MUNICIPALITY_WEIGHTS)[0]
    sector = rng.choices(list(SECTOR_WEIGHTS), weights=list(SECTOR_WEIGHTS.values()))[0]
    ascii_name = f"{first}.{last}".lower().translate(str.maketrans("åäöé", "aaoe"))
    return dict(
        name=f"{first} {last}",
        email=f"{ascii_name}.{n}@example.com",
        sector=sector,
        municipality=municipality,
        organisation=ORGANISATIONS[sector].format(m=municipality),
        dietary_needs=rng.choice(DIETS),
    )


def add_past_registrations(event: Event) -> None:
    """The Linköping inspiration day: about a hundred came, a few cancelled or did not show."""
    rng = random.Random(20190131)
    version = current_app.config["PRIVACY_NOTICE_VERSION"]
    plan = (
        [RegistrationStatus.ATTENDED] * 102
        + [RegistrationStatus.CANCELLED] * 6
        + [RegistrationStatus.CONFIRMED] * 7  # registered, did not come
    )
    rng.shuffle(plan)
    for n, status in enumerate(plan):
        # Registered on a working day's office hours, some days to weeks before.
        registered = event.starts_at - timedelta(days=rng.randint(3, 40), minutes=rng.randint(-420, 60))
        db.session.add(
            Registration(
                event=event,
                **_person(rng, n),
                consent_at=registered,
                privacy_notice_version=version,
                status=status,
                locale="sv",
                created_at=registered,
                updated_at=registered,
                checked_in_at=event.starts_at - timedelta(minutes=rng.randint(0, 40))
                if status == RegistrationStatus.ATTENDED
                else None,
                cancelled_at=event.starts_at - timedelta(days=1) if status == RegistrationStatus.CANCELLED else None,
            )
        )


def add_upcoming_registrations(events_by_title: dict[str, Event]) -> None:
    """A few people registered for coming events, through the service, so their mail is on the
    "Sent mail" page; the Norrköping workshop is full and has a waiting list."""
    rng = random.Random(2026)
    counts = {
        "Inspirationsdag om validering i Kalmar län": 9,
        "Workshop: validering i praktiken": 14,
        "Nationell konferens: Validering i hela landet": 5,
    }
    n = 1000
    for title, count in counts.items():
        for _ in range(count):
            n += 1
            person = _person(rng, n)
            details = RegistrationDetails(
                name=person["name"],
                email=person["email"],
                sector=person["sector"].value,
                organisation=person["organisation"],
                municipality=person["municipality"],
                dietary_needs=person["dietary_needs"],
                consent=True,
            )
            register(events_by_title[title], details, locale="sv")


# The address book: people an Östergötland coordinator invites again and again.
OSTERGOTLAND_CONTACTS = """namn;e-post;organisation;sektor;kommun;län
Maria Lindqvist;maria.lindqvist@example.com;Linköpings kommun;Kommun;Linköping;05
Erik Holm;erik.holm@example.com;Norrköpings kommun;Kommun;Norrköping;05
Sara Ek;sara.ek@example.com;Motala kommun;Kommun;Motala;05
Johan Berg;johan.berg@example.com;Komvux Linköping;Vuxenutbildning;Linköping;05
Fatima Ali;fatima.ali@example.com;Komvux Norrköping;Vuxenutbildning;Norrköping;05
Lena Sandberg;lena.sandberg@example.com;Vuxenutbildningen Mjölby;Vuxenutbildning;Mjölby;05
Ahmed Hussein;ahmed.hussein@example.com;Arbetsförmedlingen Linköping;Arbetsförmedlingen;Linköping;05
Karin Öberg;karin.oberg@example.com;Företagarna Östergötland;Arbetsgivare;Linköping;05
Per Åkesson;per.akesson@example.com;Kommunfullmäktige Finspång;Politiker;Finspång;05
Elin Nilsson;elin.nilsson@example.com;Yrkeshögskolan Norrköping;Utbildningsanordnare;Norrköping;05
Magnus Persson;magnus.persson@example.com;Region Östergötland;Region;Linköping;05
Ingrid Larsson;ingrid.larsson@example.com;Vadstena kommun;Kommun;Vadstena;05
"""


# Invited to the Norrbotten start-up conference, which is by invitation only.
NORRBOTTEN_INVITED = """namn;e-post;organisation;sektor;kommun;län
Anders Lind;anders.lind@example.com;Luleå kommun;Kommun;Luleå;25
Emma Nyström;emma.nystrom@example.com;Piteå kommun;Kommun;Piteå;25
Olle Sundqvist;olle.sundqvist@example.com;Komvux Boden;Vuxenutbildning;Boden;25
Linnea Jonsson;linnea.jonsson@example.com;Arbetsförmedlingen Kiruna;Arbetsförmedlingen;Kiruna;25
Björn Stenberg;bjorn.stenberg@example.com;LKAB;Arbetsgivare;Kiruna;25
Helena Marklund;helena.marklund@example.com;Region Norrbotten;Region;Luleå;25
Nils Lundberg;nils.lundberg@example.com;Gällivare kommun;Kommun;Gällivare;25
"""


def add_address_book_and_invitations(organiser: User, norrbotten: Event) -> None:
    """A dozen Östergötland contacts, and invitations to the Norrbotten conference in
    each state an organiser meets: sent, opened, registered, declined."""
    # Loaded twice, the contacts are there already and only the new event's invitations are added.
    rows = address_lists.parse(OSTERGOTLAND_CONTACTS)
    contacts.import_rows(rows, organiser, consent_note="Det regionala valideringsnätverket i Östergötland")
    unsubscribed = db.session.scalar(select(Contact).where(Contact.email == "ingrid.larsson@example.com"))
    contacts.unsubscribe(unsubscribed)

    invitations.import_rows(norrbotten, NORRBOTTEN_INVITED, organiser)
    invited = {i.email: i for i in db.session.scalars(select(Invitation).where(Invitation.event_id == norrbotten.id))}
    for email in ("emma.nystrom@example.com", "olle.sundqvist@example.com", "helena.marklund@example.com"):
        invitations.mark_opened(invited[email])
    invitations.decline(invited["olle.sundqvist@example.com"])
    helena = invited["helena.marklund@example.com"]
    invitations.register(
        helena,
        RegistrationDetails(
            name=helena.name,
            email=helena.email,
            sector=helena.sector.value,
            organisation=helena.organisation,
            municipality=helena.municipality,
            consent=True,
            keep_informed=True,
        ),
        locale="sv",
    )
