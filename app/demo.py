"""Demo data: the events of the article in shared/seed, and a few upcoming ones.

Past events follow the article (the Validation Delegation's work with the regions in
2018–2019); upcoming ones are dated relative to today so the demo looks alive.
"""

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import Event, EventKind, EventStatus, Region, RegionStepRecord, Role, User
from app.services.text import markdown_to_html
from app.timezones import local_to_utc

DEMO_ORGANISER = {"email": "arrangor@example.se", "name": "Anna Arrangör", "password": "samverkan-demo"}
DEMO_ADMIN = {"email": "admin@example.se", "name": "Adam Admin", "password": "samverkan-admin"}


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return local_to_utc(datetime.combine(day, time(hour, minute)))


ARTICLE_EVENTS = [
    dict(
        kind=EventKind.WORKSHOP, title="Workshop – regional samverkan om validering", region=None,
        venue_name="Valideringsdelegationen", venue_city="Stockholm",
        day=date(2018, 10, 5), hours=(9, 30, 16, 0), capacity=60, invitation_only=True,
        status=EventStatus.COMPLETED,
        description="Valideringsdelegationen bjuder in **alla regioner** till en workshop om hur "
        "regional samverkan om validering kan byggas upp.",
    ),
    dict(
        kind=EventKind.NATIONAL_CONFERENCE, title="Nationell valideringskonferens", region="21",
        venue_name="Gävle Konserthus", venue_city="Gävle",
        day=date(2018, 11, 13), end_day=date(2018, 11, 14), hours=(10, 0, 15, 0), capacity=300,
        status=EventStatus.COMPLETED,
        description="Region Gävleborg anordnar en nationell konferens om validering, två dagar "
        "med erfarenheter från hela landet.",
    ),
    dict(
        kind=EventKind.INSPIRATION_DAY, title="Inspirationsdag om validering i Östergötland", region="05",
        venue_name="Missionskyrkan", venue_city="Linköping",
        day=date(2019, 1, 31), hours=(9, 0, 16, 0), capacity=120,
        status=EventStatus.COMPLETED,
        description="ESF-projektet *Validering i Östergötland – en väg in* bjuder in representanter "
        "från kommuner, vuxenutbildningar, Arbetsförmedlingen, arbetslivet och politiker i "
        "Östergötland.\n\nVi informerar om projektet och inspirerar till regional samverkan om "
        "validering.",
    ),
    dict(
        kind=EventKind.REGIONAL_CONFERENCE, title="Uppstartskonferens om validering i Kronoberg", region="07",
        venue_name="Regionhuset", venue_city="Växjö",
        day=date(2019, 2, 12), hours=(9, 30, 15, 30), capacity=80,
        status=EventStatus.COMPLETED,
        description="Regionens valideringsaktörer samlas för att diskutera vilka regionala "
        "strukturer som behövs. Valideringsdelegationen berättar om modellen i fem steg.",
    ),
    dict(
        kind=EventKind.REGIONAL_CONFERENCE, title="Regional konferens om validering i Västmanland", region="19",
        venue_name="Aros Congress Center", venue_city="Västerås",
        day=date(2019, 2, 21), hours=(9, 0, 15, 0), capacity=100,
        status=EventStatus.COMPLETED,
        description="En konferens för att starta den regionala samverkan om validering i Västmanland.",
    ),
    dict(
        kind=EventKind.WORKSHOP, title="Uppföljande workshop för regionerna", region=None,
        venue_name="Valideringsdelegationen", venue_city="Stockholm",
        day=date(2019, 9, 24), hours=(9, 30, 16, 0), capacity=60, invitation_only=True,
        status=EventStatus.COMPLETED,
        description="Regionerna lyfter vilka åtgärder som krävs för att valideringsarbetet ska bli "
        "långsiktigt hållbart.",
    ),
]


def _upcoming_events(today: date) -> list[dict]:
    return [
        dict(
            kind=EventKind.WEBINAR, title="Webbinarium: Validering i det regionala kompetensförsörjningsarbetet",
            region=None, online_url="https://meet.example.se/validering",
            day=today + timedelta(days=16), hours=(10, 0, 11, 30), capacity=None,
            status=EventStatus.PUBLISHED,
            description="Ett webbinarium för regionernas strateger om hur validering kopplas till "
            "kompetensförsörjningen.",
        ),
        dict(
            kind=EventKind.INSPIRATION_DAY, title="Inspirationsdag om validering i Kalmar län", region="08",
            venue_name="Kalmarsalen", venue_city="Kalmar",
            day=today + timedelta(days=40), hours=(9, 0, 16, 0), capacity=100,
            status=EventStatus.PUBLISHED,
            description="För kommuner, vuxenutbildning, Arbetsförmedlingen, arbetsgivare och politiker "
            "i Kalmar län.",
        ),
        dict(
            kind=EventKind.REGIONAL_CONFERENCE, title="Uppstartskonferens om validering i Norrbotten",
            region="25", venue_name="Kulturens hus", venue_city="Luleå",
            day=today + timedelta(days=62), hours=(9, 30, 15, 30), capacity=80, invitation_only=True,
            status=EventStatus.PUBLISHED,
            description="Regionens aktörer samlas för att bygga strukturer för validering.",
        ),
        dict(
            kind=EventKind.NATIONAL_CONFERENCE, title="Nationell konferens: Validering i hela landet",
            region=None, venue_name="Stockholm Waterfront", venue_city="Stockholm",
            day=today + timedelta(days=120), end_day=today + timedelta(days=121), hours=(10, 0, 16, 0),
            capacity=400, status=EventStatus.PUBLISHED,
            description="Två dagar om hur validering blir tillgänglig och likvärdig i hela landet.",
        ),
        dict(
            kind=EventKind.WORKSHOP, title="Workshop för referensgruppen", region=None,
            venue_name="Valideringsdelegationen", venue_city="Stockholm",
            day=today + timedelta(days=75), hours=(13, 0, 16, 0), capacity=20, invitation_only=True,
            status=EventStatus.DRAFT,
            description="Referensgruppens regioner ger input till delegationen.",
        ),
    ]


# The article: Östergötland, Kronoberg and Västmanland held start-up conferences; the
# reference group's regions (Dalarna, Gävleborg, Skåne, Örebro, Västra Götaland) are further on.
REFERENCE_GROUP = "Medlem i referensgruppen."
STEP_HISTORY = [
    ("20", 1, date(2018, 3, 1), "Aktörer kartlagda."),
    ("20", 3, date(2018, 9, 1), REFERENCE_GROUP),
    ("21", 2, date(2018, 5, 1), "Konferens med regionens aktörer."),
    ("21", 3, date(2018, 11, 14), REFERENCE_GROUP),
    ("12", 3, date(2018, 9, 1), REFERENCE_GROUP),
    ("18", 2, date(2018, 4, 1), "Konferens med regionens aktörer."),
    ("18", 3, date(2018, 9, 1), REFERENCE_GROUP),
    ("14", 3, date(2018, 9, 1), REFERENCE_GROUP),
    ("14", 4, date(2019, 3, 1), "Samordnare anställd."),
    ("17", 2, date(2018, 6, 1), "Konferens med regionens aktörer."),
    ("05", 1, date(2018, 6, 1), "Kartläggning i ESF-projektet."),
    ("05", 2, date(2019, 1, 31), "Inspirationsdag i Linköping."),
    ("07", 2, date(2019, 2, 12), "Uppstartskonferens."),
    ("19", 2, date(2019, 2, 21), "Regional konferens."),
]


def _ensure_user(spec: dict, role: Role) -> User:
    user = db.session.scalar(select(User).where(User.email == spec["email"]))
    if user is None:
        user = User(email=spec["email"], name=spec["name"], role=role)
        user.set_password(spec["password"])
        db.session.add(user)
    return user


def load_demo_data(today: date | None = None) -> int:
    """Add the demo accounts, events and step history; returns the number of events added."""
    today = today or date.today()
    organiser = _ensure_user(DEMO_ORGANISER, Role.ORGANISER)
    _ensure_user(DEMO_ADMIN, Role.ADMIN)
    regions = {region.code: region for region in db.session.scalars(select(Region))}
    specs = ARTICLE_EVENTS + _upcoming_events(today)
    for spec in specs:
        start_hour, start_minute, end_hour, end_minute = spec["hours"]
        event = Event(
            kind=spec["kind"], title=spec["title"], description=spec["description"],
            description_html=markdown_to_html(spec["description"]),
            region=regions.get(spec["region"]) if spec["region"] else None,
            venue_name=spec.get("venue_name", ""), venue_city=spec.get("venue_city", ""),
            online_url=spec.get("online_url", ""),
            starts_at=_at(spec["day"], start_hour, start_minute),
            ends_at=_at(spec.get("end_day", spec["day"]), end_hour, end_minute),
            capacity=spec["capacity"], invitation_only=spec.get("invitation_only", False),
            status=spec["status"],
        )
        event.organisers = [organiser]
        db.session.add(event)
    for code, step, on, note in STEP_HISTORY:
        db.session.add(RegionStepRecord(region=regions[code], step_number=step, recorded_on=on, note=note))
    db.session.commit()
    return len(specs)
