"""The event issue 17 measures rendering with: a published one-day conference whose
agenda has 16 items (two or three with no speaker, the others one to three), made
through the agenda service as an organiser would (so descriptions are rendered
Markdown), with 40 confirmed registrations of 120 seats. The same event at every
scale, so its render cost and statement count compare across scales.

The runner makes it before the servers start and deletes it at the end.
"""

from datetime import timedelta

from sqlalchemy import select

ITEMS = 16
REGISTERED = 40
TITLE = "Bench: konferens med 16 programpunkter"
TOPICS = [
    "Välkommen och inledning",
    "Läget för validering i Sverige",
    "Erfarenheter från regionen",
    "Validering i praktiken",
    "Samtal: arbetsgivarnas behov",
    "Branschvalidering",
    "Vägledning före validering",
    "Frågor och avslutning",
]
SPEAKERS = [
    ("Lena Gustafsson", "Rektor", "Komvux Växjö"),
    ("Fatima Ahmed", "Projektledare", "Region Kronoberg"),
    ("Johan Lindqvist", "Utvecklingsledare", "Arbetsförmedlingen"),
    ("Maria Berg", "Strateg", "Valideringsdelegationen"),
]


def make_agenda_event(items: int = ITEMS) -> int:
    from app.extensions import db
    from app.models import Event, EventKind, EventStatus, Region, Registration, RegistrationStatus, Sector
    from app.models.types import utcnow
    from app.services import agenda
    from app.services.text import markdown_to_html

    starts_at = utcnow().replace(minute=0, second=0, microsecond=0) + timedelta(days=60)
    description = (
        "Välkommen till en dag om **validering** för kommuner, vuxenutbildning, "
        "Arbetsförmedlingen, arbetsgivare och politiker.\n\n- Läget i landet\n"
        "- Erfarenheter från regionerna\n- Nästa steg"
    )
    event = Event(
        kind=EventKind.REGIONAL_CONFERENCE,
        title=TITLE,
        description=description,
        description_html=markdown_to_html(description),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=8),
        venue_name="Stadshuset",
        venue_address="Drottninggatan 42",
        venue_city="Växjö",
        region=db.session.scalar(select(Region).where(Region.code == "07")),
        capacity=120,
        registration_opens_at=utcnow() - timedelta(days=1),
        status=EventStatus.PUBLISHED,
    )
    db.session.add(event)
    db.session.commit()
    slot = timedelta(minutes=30)
    for n in range(items):
        speakers = (
            []
            if n % 6 == 0
            else [
                agenda.SpeakerEntry(name=name, role=role, organisation=organisation)
                for name, role, organisation in SPEAKERS[n % 4 : n % 4 + 1 + n % 3]
            ]
        )
        agenda.add_item(
            event,
            agenda.ItemDetails(
                title=f"{TOPICS[n % len(TOPICS)]} ({n + 1})",
                starts_at=starts_at + slot * n,
                ends_at=starts_at + slot * (n + 1),
                room=["Stora salen", "Sal B"][n % 2],
                speakers=speakers,
                description=f"{TOPICS[n % len(TOPICS)]}: samtal och frågor om *validering* i regionen.",
            ),
        )
    now = utcnow()
    db.session.add_all(
        Registration(
            event_id=event.id,
            name=f"Bänk Deltagare {n}",
            email=f"agenda-{n}@bench.example.com",
            sector=Sector.MUNICIPALITY,
            consent_at=now,
            privacy_notice_version="2026-11",
            status=RegistrationStatus.CONFIRMED,
        )
        for n in range(REGISTERED)
    )
    db.session.commit()
    return event.id
