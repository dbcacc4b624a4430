"""Demo: a two-day national conference, like Gävle's, with two blocks of parallel sessions
(rooms and capacities) and people who chose between them (issue 16).

The registrations and choices are written as rows, not through the registration service,
so the demo queues no mail; every address is at a reserved domain (example.com).
"""

import random
from datetime import date, timedelta

from flask import current_app

from app.demo.agendas import agenda_items, at
from app.demo.people import FIRST_NAMES, LAST_NAMES
from app.extensions import db
from app.models import (
    ChoiceStatus,
    Event,
    EventKind,
    EventStatus,
    ParallelSession,
    Registration,
    RegistrationStatus,
    Sector,
    SessionChoice,
    SessionSlot,
    User,
)
from app.services.text import markdown_to_html

TITLE = "Nationell konferens: Validering för kompetensförsörjning"

AGENDA = [
    (0, "09:30", "10:00", "Registrering och kaffe", "Foajén", [], ""),
    (0, "10:00", "10:30", "Välkommen till Gävle", "Stora salen", [], "Region Gävleborg hälsar välkommen."),
    (0, "10:30", "11:45", "Validering i kompetensförsörjningen – läget i landet", "Stora salen", [], ""),
    (0, "11:45", "13:00", "Lunch", "", [], ""),
    # Block 1: seminars.
    (0, "13:00", "14:30", "Seminarium: validering inom vård och omsorg", "Stora salen", [], ""),
    (0, "13:00", "14:30", "Seminarium: branschernas valideringsmodeller", "Sal B", [], ""),
    (0, "13:00", "14:30", "Seminarium: validering för nyanlända", "Sal C", [], ""),
    (0, "14:30", "15:00", "Fika", "", [], ""),
    (0, "15:00", "16:00", "Panel: arbetsgivarna och valideringen", "Stora salen", [], ""),
    # Block 2: workshops on the second day.
    (1, "09:00", "10:30", "Workshop: regionala strukturer som håller", "Sal B", [], ""),
    (1, "09:00", "10:30", "Workshop: kartlägga kompetens i vuxenutbildningen", "Sal C", [], ""),
    (1, "09:00", "10:30", "Workshop: digitala verktyg för validering", "Sal D", [], ""),
    (1, "10:30", "11:00", "Fika", "", [], ""),
    (1, "11:00", "12:00", "Regionerna berättar", "Stora salen", [], ""),
    (1, "12:00", "12:30", "Avslutning", "Stora salen", [], ""),
]

# Per block: (title, whether "none" is allowed, {agenda item title: seats}).
BLOCKS = [
    (
        "Seminarier, dag 1 eftermiddag",
        True,
        {
            "Seminarium: validering inom vård och omsorg": 150,
            "Seminarium: branschernas valideringsmodeller": 40,
            "Seminarium: validering för nyanlända": 12,
        },
    ),
    (
        "Workshoppar, dag 2 förmiddag",
        False,
        {
            "Workshop: regionala strukturer som håller": 30,
            "Workshop: kartlägga kompetens i vuxenutbildningen": 25,
            "Workshop: digitala verktyg för validering": 8,
        },
    ),
]

PEOPLE = 40
SECTORS = [Sector.MUNICIPALITY, Sector.ADULT_EDUCATION, Sector.REGION, Sector.EMPLOYER, Sector.EDUCATION_PROVIDER]
TOWNS = ["Gävle", "Sandviken", "Hudiksvall", "Bollnäs", "Falun", "Uppsala", "Örebro", "Karlstad"]


def add_conference_with_sessions(organiser: User, today: date) -> Event:
    """The conference, its two blocks of parallel sessions and forty people who chose; the
    seminar on newcomers and the digital workshop are full and have a waiting list. Commits."""
    first_day = today + timedelta(days=75)
    event = Event(
        kind=EventKind.NATIONAL_CONFERENCE,
        title=TITLE,
        description="Två dagar i Gävle om hur validering stärker kompetensförsörjningen. "
        "Välj **ett seminarium** första dagen och **en workshop** andra dagen när du anmäler dig.",
        region=None,
        venue_name="Gävle Konserthus",
        venue_address="Kaserngatan 5",
        venue_city="Gävle",
        starts_at=at(first_day, 9, 30),
        ends_at=at(first_day + timedelta(days=1), 12, 30),
        capacity=300,
        status=EventStatus.PUBLISHED,
        has_parallel_sessions=True,
    )
    event.description_html = markdown_to_html(event.description)
    event.organisers = [organiser]
    event.agenda_items = agenda_items(first_day, AGENDA, {})
    db.session.add(event)
    db.session.flush()
    items = {item.title: item for item in event.agenda_items}
    blocks = []
    for title, allow_none, seats in BLOCKS:
        slot = SessionSlot(event_id=event.id, title=title, allow_none=allow_none)
        slot.sessions = [ParallelSession(item=items[name], capacity=capacity) for name, capacity in seats.items()]
        db.session.add(slot)
        blocks.append(slot)
    db.session.flush()
    _add_people(event, blocks)
    db.session.commit()
    return event


def _add_people(event: Event, blocks: list[SessionSlot]) -> None:
    """People who registered over the past weeks, each choosing per block; the small rooms are
    the most wanted, so they fill and their waiting lists begin."""
    rng = random.Random(16)
    version = current_app.config["PRIVACY_NOTICE_VERSION"]
    seated = {session.id: 0 for block in blocks for session in block.sessions}
    for n in range(PEOPLE):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        ascii_name = f"{first}.{last}".lower().translate(str.maketrans("åäöé", "aaoe"))
        town = rng.choice(TOWNS)
        registered = event.starts_at - timedelta(days=60 - n, hours=rng.randint(0, 8))
        registration = Registration(
            event=event,
            name=f"{first} {last}",
            email=f"{ascii_name}.{n}@example.com",
            organisation=f"{town} kommun",
            sector=rng.choice(SECTORS),
            municipality=town,
            consent_at=registered,
            privacy_notice_version=version,
            status=RegistrationStatus.CONFIRMED,
            locale="sv",
            created_at=registered,
            updated_at=registered,
        )
        db.session.add(registration)
        for block in blocks:
            if block.allow_none and rng.random() < 0.15:
                continue
            # The last session of each block (the smallest room) is wanted by many.
            session = block.sessions[-1] if rng.random() < 0.4 else rng.choice(block.sessions)
            full = session.capacity is not None and seated[session.id] >= session.capacity
            db.session.add(
                SessionChoice(
                    registration=registration,
                    slot_id=block.id,
                    session=session,
                    status=ChoiceStatus.WAITLISTED if full else ChoiceStatus.SEATED,
                    waitlisted_at=registered if full else None,
                    created_at=registered,
                )
            )
            seated[session.id] += 0 if full else 1
