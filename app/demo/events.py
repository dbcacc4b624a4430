"""Demo events: those of the article in shared/seed, with their agendas, and a few upcoming ones.

Past events follow the article (the Validation Delegation's work with the regions in
2018–2019); upcoming ones are dated relative to today so the demo looks alive.
"""

from datetime import date, timedelta

from app.demo.agendas import GAVLE_AGENDA, LINKOPING_AGENDA, NATIONAL_AGENDA, agenda_items, article_speakers, at
from app.extensions import db
from app.models import Event, EventKind, EventStatus, Region, User
from app.services.text import markdown_to_html

ARTICLE_EVENTS = [
    dict(
        kind=EventKind.WORKSHOP,
        title="Workshop – regional samverkan om validering",
        region=None,
        venue_name="Valideringsdelegationen",
        venue_city="Stockholm",
        day=date(2018, 10, 5),
        hours=(9, 30, 16, 0),
        capacity=60,
        invitation_only=True,
        status=EventStatus.COMPLETED,
        description="Valideringsdelegationen bjuder in **alla regioner** till en workshop om hur "
        "regional samverkan om validering kan byggas upp.",
    ),
    dict(
        kind=EventKind.NATIONAL_CONFERENCE,
        title="Nationell valideringskonferens",
        region="21",
        venue_name="Gävle Konserthus",
        venue_city="Gävle",
        day=date(2018, 11, 13),
        end_day=date(2018, 11, 14),
        hours=(10, 0, 15, 0),
        capacity=300,
        status=EventStatus.COMPLETED,
        agenda=GAVLE_AGENDA,
        description="Region Gävleborg anordnar en nationell konferens om validering, två dagar "
        "med erfarenheter från hela landet.",
    ),
    dict(
        kind=EventKind.INSPIRATION_DAY,
        title="Inspirationsdag om validering i Östergötland",
        region="05",
        venue_name="Missionskyrkan",
        venue_city="Linköping",
        day=date(2019, 1, 31),
        hours=(9, 0, 16, 0),
        capacity=120,
        status=EventStatus.COMPLETED,
        agenda=LINKOPING_AGENDA,
        description="ESF-projektet *Validering i Östergötland – en väg in* bjuder in representanter "
        "från kommuner, vuxenutbildningar, Arbetsförmedlingen, arbetslivet och politiker i "
        "Östergötland.\n\nVi informerar om projektet och inspirerar till regional samverkan om "
        "validering.",
    ),
    dict(
        kind=EventKind.REGIONAL_CONFERENCE,
        title="Uppstartskonferens om validering i Kronoberg",
        region="07",
        venue_name="Regionhuset",
        venue_city="Växjö",
        day=date(2019, 2, 12),
        hours=(9, 30, 15, 30),
        capacity=80,
        status=EventStatus.COMPLETED,
        description="Regionens valideringsaktörer samlas för att diskutera vilka regionala "
        "strukturer som behövs. Valideringsdelegationen berättar om modellen i fem steg.",
    ),
    dict(
        kind=EventKind.REGIONAL_CONFERENCE,
        title="Regional konferens om validering i Västmanland",
        region="19",
        venue_name="Aros Congress Center",
        venue_city="Västerås",
        day=date(2019, 2, 21),
        hours=(9, 0, 15, 0),
        capacity=100,
        status=EventStatus.COMPLETED,
        description="En konferens för att starta den regionala samverkan om validering i Västmanland.",
    ),
    dict(
        kind=EventKind.WORKSHOP,
        title="Uppföljande workshop för regionerna",
        region=None,
        venue_name="Valideringsdelegationen",
        venue_city="Stockholm",
        day=date(2019, 9, 24),
        hours=(9, 30, 16, 0),
        capacity=60,
        invitation_only=True,
        status=EventStatus.COMPLETED,
        description="Regionerna lyfter vilka åtgärder som krävs för att valideringsarbetet ska bli "
        "långsiktigt hållbart.",
    ),
]


def _upcoming_events(today: date) -> list[dict]:
    return [
        dict(
            kind=EventKind.WEBINAR,
            title="Webbinarium: Validering i det regionala kompetensförsörjningsarbetet",
            region=None,
            online_url="https://meet.example.com/validering",
            day=today + timedelta(days=16),
            hours=(10, 0, 11, 30),
            capacity=None,
            status=EventStatus.PUBLISHED,
            description="Ett webbinarium för regionernas strateger om hur validering kopplas till "
            "kompetensförsörjningen.",
        ),
        dict(
            kind=EventKind.INSPIRATION_DAY,
            title="Inspirationsdag om validering i Kalmar län",
            region="08",
            venue_name="Kalmarsalen",
            venue_city="Kalmar",
            day=today + timedelta(days=40),
            hours=(9, 0, 16, 0),
            capacity=100,
            status=EventStatus.PUBLISHED,
            description="För kommuner, vuxenutbildning, Arbetsförmedlingen, arbetsgivare och politiker i Kalmar län.",
        ),
        dict(
            kind=EventKind.REGIONAL_CONFERENCE,
            title="Uppstartskonferens om validering i Norrbotten",
            region="25",
            venue_name="Kulturens hus",
            venue_city="Luleå",
            day=today + timedelta(days=62),
            hours=(9, 30, 15, 30),
            capacity=80,
            invitation_only=True,
            status=EventStatus.PUBLISHED,
            description="Regionens aktörer samlas för att bygga strukturer för validering.",
        ),
        dict(
            kind=EventKind.NATIONAL_CONFERENCE,
            title="Nationell konferens: Validering i hela landet",
            region=None,
            venue_name="Stockholm Waterfront",
            venue_city="Stockholm",
            day=today + timedelta(days=120),
            end_day=today + timedelta(days=121),
            hours=(10, 0, 16, 0),
            capacity=400,
            status=EventStatus.PUBLISHED,
            agenda=NATIONAL_AGENDA,
            description="Två dagar om hur validering blir tillgänglig och likvärdig i hela landet.",
        ),
        dict(
            kind=EventKind.WORKSHOP,
            title="Workshop: validering i praktiken",
            region="05",
            venue_name="Campus Norrköping",
            venue_city="Norrköping",
            day=today + timedelta(days=24),
            hours=(13, 0, 16, 30),
            capacity=12,
            status=EventStatus.PUBLISHED,
            description="En eftermiddag med exempel på hur kommuner och vuxenutbildning i Östergötland "
            "validerar kompetens tillsammans med arbetsgivare.",
        ),
        dict(
            kind=EventKind.WORKSHOP,
            title="Workshop för referensgruppen",
            region=None,
            venue_name="Valideringsdelegationen",
            venue_city="Stockholm",
            day=today + timedelta(days=75),
            hours=(13, 0, 16, 0),
            capacity=20,
            invitation_only=True,
            status=EventStatus.DRAFT,
            description="Referensgruppens regioner ger input till delegationen.",
        ),
    ]


def add_events(organiser: User, regions: dict[str, Region], today: date) -> list[Event]:
    """The article's events and the upcoming ones, organised by `organiser`; the caller commits."""
    speakers = article_speakers()
    added = []
    for spec in ARTICLE_EVENTS + _upcoming_events(today):
        start_hour, start_minute, end_hour, end_minute = spec["hours"]
        event = Event(
            kind=spec["kind"],
            title=spec["title"],
            description=spec["description"],
            description_html=markdown_to_html(spec["description"]),
            region=regions.get(spec["region"]) if spec["region"] else None,
            venue_name=spec.get("venue_name", ""),
            venue_city=spec.get("venue_city", ""),
            online_url=spec.get("online_url", ""),
            starts_at=at(spec["day"], start_hour, start_minute),
            ends_at=at(spec.get("end_day", spec["day"]), end_hour, end_minute),
            capacity=spec["capacity"],
            invitation_only=spec.get("invitation_only", False),
            status=spec["status"],
            contact_name=organiser.name,  # as the event form fills it in
            contact_email=organiser.email,
        )
        event.organisers = [organiser]
        event.agenda_items = agenda_items(spec["day"], spec.get("agenda", []), speakers)
        db.session.add(event)
        added.append(event)
    return added
