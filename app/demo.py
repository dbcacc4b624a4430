"""Demo data: the events of the article in shared/seed, and a few upcoming ones.

Past events follow the article (the Validation Delegation's work with the regions in
2018–2019); upcoming ones are dated relative to today so the demo looks alive.
"""

import random
from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import select

from app.demo_feedback import add_demo_feedback
from app.extensions import db
from app.models import (
    AgendaItem,
    AgendaItemSpeaker,
    Event,
    EventKind,
    EventStatus,
    Region,
    RegionContact,
    RegionStepRecord,
    Registration,
    RegistrationStatus,
    Role,
    Sector,
    Speaker,
    User,
    VisitNote,
    VisitNoteKind,
    VisitOrigin,
    VisitRequest,
    VisitStatus,
)
from app.models.types import utcnow
from app.services.text import markdown_to_html
from app.timezones import local_to_utc

DEMO_ORGANISER = {"email": "arrangor@example.se", "name": "Anna Arrangör", "password": "samverkan-demo"}
DEMO_ADMIN = {"email": "admin@example.se", "name": "Adam Admin", "password": "samverkan-admin"}


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return local_to_utc(datetime.combine(day, time(hour, minute)))


# Speakers named in the article, with the roles it gives them.
SPEAKERS = {
    "tollen": ("Martin Tollén", "regionutvecklingsnämndens 1:e vice ordförande", "Region Östergötland"),
    "stevrin": ("Cecilia Stevrin", "projektledare", "Motala kommun"),
    "landell": ("Elin Landell", "kanslichef", "Valideringsdelegationen"),
}

# Agenda items: (day of the event from 0, start, end, title, room, speakers, description).
LINKOPING_AGENDA = [
    (0, "09:00", "09:30", "Registrering och kaffe", "", [], ""),
    (0, "09:30", "09:45", "Välkommen och inledning", "", ["tollen"],
     "Varför regional samverkan om validering spelar roll: stora och små kommuner har olika "
     "förutsättningar, och tillsammans kan vi använda våra gemensamma styrkor."),
    (0, "09:45", "10:30", "ESF-projektet Validering i Östergötland – en väg in", "", ["stevrin"],
     "Projektets tre ledord: att **sprida kunskap** om validering, **beskriva nyttan** med den och "
     "**öka samverkan** gällande validering i Östergötland."),
    (0, "10:30", "10:50", "Fika", "", [], ""),
    (0, "10:50", "11:45", "Hur står det till med valideringen i landet?", "", ["landell"],
     "Läget för validering i Sverige, med siffror från maj 2018, och varför det behövs en tydlig "
     "strategisk koppling mellan det regionala kompetensförsörjningsarbetet och arbetet med validering."),
    (0, "11:45", "12:45", "Lunch", "", [], ""),
    (0, "12:45", "13:45", "Panelsamtal: Hur bygger vi regional samverkan om validering?", "",
     ["tollen", "stevrin", "landell"],
     "Med frågor från kommuner, vuxenutbildningar, Arbetsförmedlingen och arbetslivet i Östergötland."),
    (0, "13:45", "14:05", "Fika", "", [], ""),
    (0, "14:05", "15:30", "Workshop i grupper: nästa steg för validering i Östergötland", "", [],
     "Vilka aktörer behöver samverka, och vad kan var och en göra redan i år?"),
    (0, "15:30", "16:00", "Sammanfattning och avslutning", "", ["stevrin"], ""),
]

GAVLE_AGENDA = [
    (0, "10:00", "10:20", "Välkommen till Gävleborg", "Stora salen", [], "Region Gävleborg hälsar välkommen."),
    (0, "10:20", "11:15", "En nationell strategi för validering", "Stora salen", ["landell"],
     "Validering ska vara tillgänglig och likvärdig i hela landet. Vad betyder det för regionerna?"),
    (0, "11:15", "12:15", "Lunch", "", [], ""),
    (0, "12:15", "13:30", "Validering inom vård och omsorg", "Stora salen", [],
     "Erfarenheter från kommuner som validerar undersköterskor och vårdbiträden."),
    (0, "12:15", "13:30", "Branschvalidering – arbetslivets modeller", "Lilla salen", [],
     "Hur branschernas egna valideringsmodeller kan användas i regionen."),
    (0, "13:30", "13:50", "Fika", "", [], ""),
    (0, "13:50", "15:00", "Regional samverkan – erfarenheter från Gävleborg, Värmland och Örebro",
     "Stora salen", [], "Tre regioner berättar hur de har samlat sina aktörer."),
    (0, "13:50", "15:00", "Validering i vuxenutbildningen", "Lilla salen", [],
     "Kartläggning och validering som en del av studievägen inom Komvux."),
    (0, "15:00", "16:00", "Samtal: vad behöver regionerna från den nationella nivån?", "Stora salen",
     ["landell"], ""),
    (1, "09:00", "09:30", "Kaffe och mingel", "", [], ""),
    (1, "09:30", "10:30", "Modellen i fem steg för regional samverkan", "Stora salen", ["landell"],
     "Från kartläggning till uppföljning: så kan ett samverkansarbete byggas upp."),
    (1, "10:30", "12:00", "Workshop: kartlägga aktörer och behov", "Stora salen", [], ""),
    (1, "10:30", "12:00", "Workshop: gemensam målbild och plan", "Lilla salen", [], ""),
    (1, "12:00", "13:00", "Lunch", "", [], ""),
    (1, "13:00", "14:30", "Panel: vägen framåt för validering i regionerna", "Stora salen", ["landell"], ""),
    (1, "14:30", "15:00", "Sammanfattning och avslutning", "Stora salen", [], ""),
]

NATIONAL_AGENDA = [
    (0, "10:00", "10:30", "Välkommen", "Plenisalen", [], ""),
    (0, "10:30", "11:30", "Validering tillgänglig och likvärdig i hela landet", "Plenisalen", [],
     "Var står vi i dag, och vad återstår?"),
    (0, "11:30", "12:30", "Lunch", "", [], ""),
    (0, "12:30", "14:00", "Validering i det regionala kompetensförsörjningsarbetet", "Plenisalen", [], ""),
    (0, "12:30", "14:00", "Validering för nyanlända", "Sal 2", [], ""),
    (0, "14:00", "14:30", "Fika", "", [], ""),
    (0, "14:30", "16:00", "Digitala verktyg för validering", "Plenisalen", [], ""),
    (0, "14:30", "16:00", "Arbetsgivarnas roll i valideringen", "Sal 2", [], ""),
    (1, "10:00", "11:30", "Workshop: regionala strukturer som håller", "Plenisalen", [], ""),
    (1, "10:00", "11:30", "Workshop: validering och vuxenutbildning", "Sal 2", [], ""),
    (1, "11:30", "12:30", "Lunch", "", [], ""),
    (1, "12:30", "14:00", "Regionerna berättar", "Plenisalen", [], ""),
    (1, "14:00", "14:30", "Fika", "", [], ""),
    (1, "14:30", "15:30", "Panel: nästa steg för validering i Sverige", "Plenisalen", [], ""),
    (1, "15:30", "16:00", "Avslutning", "Plenisalen", [], ""),
]

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
        status=EventStatus.COMPLETED, agenda=GAVLE_AGENDA,
        description="Region Gävleborg anordnar en nationell konferens om validering, två dagar "
        "med erfarenheter från hela landet.",
    ),
    dict(
        kind=EventKind.INSPIRATION_DAY, title="Inspirationsdag om validering i Östergötland", region="05",
        venue_name="Missionskyrkan", venue_city="Linköping",
        day=date(2019, 1, 31), hours=(9, 0, 16, 0), capacity=120,
        status=EventStatus.COMPLETED, agenda=LINKOPING_AGENDA,
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
            capacity=400, status=EventStatus.PUBLISHED, agenda=NATIONAL_AGENDA,
            description="Två dagar om hur validering blir tillgänglig och likvärdig i hela landet.",
        ),
        dict(
            kind=EventKind.WORKSHOP, title="Workshop: validering i praktiken", region="05",
            venue_name="Campus Norrköping", venue_city="Norrköping",
            day=today + timedelta(days=24), hours=(13, 0, 16, 30), capacity=12,
            status=EventStatus.PUBLISHED,
            description="En eftermiddag med exempel på hur kommuner och vuxenutbildning i Östergötland "
            "validerar kompetens tillsammans med arbetsgivare.",
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


# Östergötland's 13 municipalities, for the participants of the Linköping inspiration day.
OSTERGOTLAND = [
    "Linköping", "Norrköping", "Motala", "Mjölby", "Finspång", "Söderköping", "Vadstena",
    "Valdemarsvik", "Åtvidaberg", "Ödeshög", "Boxholm", "Kinda", "Ydre",
]
# The larger municipalities send more people.
MUNICIPALITY_WEIGHTS = [30, 24, 10, 8, 6, 4, 3, 3, 3, 2, 2, 2, 1]
FIRST_NAMES = [
    "Anna", "Erik", "Maria", "Lars", "Karin", "Anders", "Eva", "Johan", "Sara", "Per", "Lena", "Mikael",
    "Emma", "Fredrik", "Sofia", "Jonas", "Åsa", "Magnus", "Elin", "Daniel", "Maja", "Ahmed", "Fatima",
    "Nils", "Ingrid", "Olle", "Linnea", "Björn", "Helena", "Amir",
]
LAST_NAMES = [
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
    "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Lindberg", "Lindqvist", "Ek", "Öberg",
    "Berg", "Holm", "Sandberg", "Hussein", "Ali", "Åkesson",
]
# How the inspiration day's audience was made up ("municipalities, adult education, the
# Public Employment Service, working life and politicians").
SECTOR_WEIGHTS = {
    Sector.MUNICIPALITY: 30, Sector.ADULT_EDUCATION: 25, Sector.PUBLIC_EMPLOYMENT_SERVICE: 12,
    Sector.EMPLOYER: 12, Sector.POLITICIAN: 8, Sector.EDUCATION_PROVIDER: 7, Sector.REGION: 4, Sector.OTHER: 2,
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
        name=f"{first} {last}", email=f"{ascii_name}.{n}@example.se", sector=sector, municipality=municipality,
        organisation=ORGANISATIONS[sector].format(m=municipality), dietary_needs=rng.choice(DIETS),
    )


def _past_registrations(event: Event) -> None:
    """The Linköping inspiration day: about a hundred came, a few cancelled or did not show."""
    rng = random.Random(20190131)
    version = current_app.config["PRIVACY_NOTICE_VERSION"]
    plan = (
        [RegistrationStatus.ATTENDED] * 102 + [RegistrationStatus.CANCELLED] * 6
        + [RegistrationStatus.CONFIRMED] * 7  # registered, did not come
    )
    rng.shuffle(plan)
    for n, status in enumerate(plan):
        # Registered on a working day's office hours, some days to weeks before.
        registered = event.starts_at - timedelta(days=rng.randint(3, 40), minutes=rng.randint(-420, 60))
        db.session.add(Registration(
            event=event, **_person(rng, n), consent_at=registered, privacy_notice_version=version,
            status=status, locale="sv", created_at=registered, updated_at=registered,
            checked_in_at=event.starts_at - timedelta(minutes=rng.randint(0, 40))
            if status == RegistrationStatus.ATTENDED else None,
            cancelled_at=event.starts_at - timedelta(days=1) if status == RegistrationStatus.CANCELLED else None,
        ))


def _upcoming_registrations(events_by_title: dict[str, Event]) -> None:
    """A few people registered for coming events, through the service, so their mail is on the
    "Sent mail" page; the Norrköping workshop is full and has a waiting list."""
    from app.services.registrations import RegistrationDetails, register

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
                name=person["name"], email=person["email"], sector=person["sector"].value,
                organisation=person["organisation"], municipality=person["municipality"],
                dietary_needs=person["dietary_needs"], consent=True,
            )
            register(events_by_title[title], details, locale="sv")


# The reference group's regional strategists (invented people).
REFERENCE_GROUP_CONTACTS = [
    ("20", "Maria Dahl", "Region Dalarna", "maria.dahl@example.se", "023-49 00 00"),
    ("21", "Johan Berg", "Region Gävleborg", "johan.berg@example.se", "026-15 50 00"),
    ("12", "Sofia Lind", "Region Skåne", "sofia.lind@example.se", "044-309 30 00"),
    ("18", "Ahmed Karimi", "Region Örebro län", "ahmed.karimi@example.se", "019-602 10 00"),
    ("14", "Elin Svensson", "Västra Götalandsregionen", "elin.svensson@example.se", "010-441 00 00"),
]


def _visit_requests(today: date, regions: dict[str, Region], organiser: User, kalmar_day: Event) -> list[VisitRequest]:
    """A new request from Kronoberg, one that became the Kalmar inspiration day, one declined."""
    consent = dict(consent_at=utcnow(), privacy_notice_version="2026-11", origin=VisitOrigin.REQUEST)
    new = VisitRequest(
        status=VisitStatus.NEW, region=regions["07"], contact_name="Karin Ek", contact_email="karin.ek@example.se",
        contact_phone="0470-58 30 00", organisation="Region Kronoberg", kind=EventKind.INSPIRATION_DAY,
        period_start=today + timedelta(days=70), period_end=today + timedelta(days=100),
        audience_sectors=["municipality", "adult_education", "employer"], audience_size=80,
        message="Efter uppstartskonferensen vill vi samla kommunerna igen och inspirera till nästa steg.",
        **consent,
    )
    scheduled = VisitRequest(
        status=VisitStatus.SCHEDULED, region=regions["08"], contact_name="Lars Holm",
        contact_email="lars.holm@example.se", organisation="Region Kalmar län", kind=EventKind.INSPIRATION_DAY,
        period_text="Gärna inom två månader", audience_sectors=["municipality", "public_employment_service"],
        audience_size=100, message="Vill ni komma till Kalmar och berätta om validering?",
        event=kalmar_day, assignee=organiser, **consent,
    )
    scheduled.notes = [VisitNote(
        kind=VisitNoteKind.ANSWER, body="Vi kommer gärna! Vi bokar Kalmarsalen.", author_id=organiser.id,
        author_name=organiser.name,
    )]
    declined = VisitRequest(
        status=VisitStatus.DECLINED, region=regions["09"], contact_name="Nils Gotlander",
        contact_email="nils.gotlander@example.se", organisation="Region Gotland", kind=EventKind.NATIONAL_CONFERENCE,
        period_start=today + timedelta(days=20), audience_sectors=["region"], audience_size=400,
        message="Kan den nationella konferensen hållas i Visby?", assignee=organiser, **consent,
    )
    declined.notes = [VisitNote(
        kind=VisitNoteKind.ANSWER, author_id=organiser.id, author_name=organiser.name,
        body="Tack för förslaget! Årets nationella konferens är redan bokad, men vi kommer gärna på en "
        "inspirationsdag.",
    )]
    return [new, scheduled, declined]


def _ensure_user(spec: dict, role: Role) -> User:
    user = db.session.scalar(select(User).where(User.email == spec["email"]))
    if user is None:
        user = User(email=spec["email"], name=spec["name"], role=role)
        user.set_password(spec["password"])
        db.session.add(user)
    return user


def _speakers() -> dict[str, Speaker]:
    """The article's speakers, reused if an earlier load made them."""
    found = {}
    for key, (name, role, organisation) in SPEAKERS.items():
        speaker = db.session.scalar(select(Speaker).where(Speaker.name == name, Speaker.organisation == organisation))
        if speaker is None:
            speaker = Speaker(name=name, role=role, organisation=organisation)
            db.session.add(speaker)
        found[key] = speaker
    return found


def _agenda(first_day: date, items: list[tuple], speakers: dict[str, Speaker]) -> list[AgendaItem]:
    agenda = []
    for position, (day, start, end, title, room, speaker_keys, description) in enumerate(items):
        on = first_day + timedelta(days=day)
        item = AgendaItem(
            title=title, room=room, position=position, description=description,
            description_html=markdown_to_html(description),
            starts_at=_at(on, *map(int, start.split(":"))), ends_at=_at(on, *map(int, end.split(":"))),
        )
        item.speaker_links = [
            AgendaItemSpeaker(speaker=speakers[key], position=n) for n, key in enumerate(speaker_keys)
        ]
        agenda.append(item)
    return agenda


def load_demo_data(today: date | None = None) -> int:
    """Add the demo accounts, events with their agendas and registrations, step history, reference
    group contacts and visit requests; returns the number of events added."""
    today = today or date.today()
    organiser = _ensure_user(DEMO_ORGANISER, Role.ORGANISER)
    _ensure_user(DEMO_ADMIN, Role.ADMIN)
    regions = {region.code: region for region in db.session.scalars(select(Region))}
    speakers = _speakers()
    specs = ARTICLE_EVENTS + _upcoming_events(today)
    added = []
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
        event.agenda_items = _agenda(spec["day"], spec.get("agenda", []), speakers)
        db.session.add(event)
        added.append(event)
    for code, step, on, note in STEP_HISTORY:
        db.session.add(RegionStepRecord(region=regions[code], step_number=step, recorded_on=on, note=note))
    for code, name, organisation, email, phone in REFERENCE_GROUP_CONTACTS:
        db.session.add(RegionContact(
            region=regions[code], name=name, role="Regional strateg", organisation=organisation, email=email,
            phone=phone,
        ))
    db.session.flush()
    by_title = {event.title: event for event in added}
    _past_registrations(by_title["Inspirationsdag om validering i Östergötland"])
    db.session.flush()
    add_demo_feedback(added)  # after the registrations, so Linköping's survey uses its participants
    db.session.add_all(
        _visit_requests(today, regions, organiser, by_title["Inspirationsdag om validering i Kalmar län"])
    )
    db.session.commit()
    _upcoming_registrations(by_title)
    _address_book_and_invitations(organiser, by_title["Uppstartskonferens om validering i Norrbotten"])
    return len(specs)


# The address book: people an Östergötland coordinator invites again and again.
OSTERGOTLAND_CONTACTS = """namn;e-post;organisation;sektor;kommun;län
Maria Lindqvist;maria.lindqvist@example.se;Linköpings kommun;Kommun;Linköping;05
Erik Holm;erik.holm@example.se;Norrköpings kommun;Kommun;Norrköping;05
Sara Ek;sara.ek@example.se;Motala kommun;Kommun;Motala;05
Johan Berg;johan.berg@example.se;Komvux Linköping;Vuxenutbildning;Linköping;05
Fatima Ali;fatima.ali@example.se;Komvux Norrköping;Vuxenutbildning;Norrköping;05
Lena Sandberg;lena.sandberg@example.se;Vuxenutbildningen Mjölby;Vuxenutbildning;Mjölby;05
Ahmed Hussein;ahmed.hussein@example.se;Arbetsförmedlingen Linköping;Arbetsförmedlingen;Linköping;05
Karin Öberg;karin.oberg@example.se;Företagarna Östergötland;Arbetsgivare;Linköping;05
Per Åkesson;per.akesson@example.se;Kommunfullmäktige Finspång;Politiker;Finspång;05
Elin Nilsson;elin.nilsson@example.se;Yrkeshögskolan Norrköping;Utbildningsanordnare;Norrköping;05
Magnus Persson;magnus.persson@example.se;Region Östergötland;Region;Linköping;05
Ingrid Larsson;ingrid.larsson@example.se;Vadstena kommun;Kommun;Vadstena;05
"""
# Invited to the Norrbotten start-up conference, which is by invitation only.
NORRBOTTEN_INVITED = """namn;e-post;organisation;sektor;kommun;län
Anders Lind;anders.lind@example.se;Luleå kommun;Kommun;Luleå;25
Emma Nyström;emma.nystrom@example.se;Piteå kommun;Kommun;Piteå;25
Olle Sundqvist;olle.sundqvist@example.se;Komvux Boden;Vuxenutbildning;Boden;25
Linnea Jonsson;linnea.jonsson@example.se;Arbetsförmedlingen Kiruna;Arbetsförmedlingen;Kiruna;25
Björn Stenberg;bjorn.stenberg@example.se;LKAB;Arbetsgivare;Kiruna;25
Helena Marklund;helena.marklund@example.se;Region Norrbotten;Region;Luleå;25
Nils Lundberg;nils.lundberg@example.se;Gällivare kommun;Kommun;Gällivare;25
"""


def _address_book_and_invitations(organiser: User, norrbotten: Event) -> None:
    """A dozen Östergötland contacts, and invitations to the Norrbotten conference in
    each state an organiser meets: sent, opened, registered, declined."""
    from app.models import Contact, Invitation
    from app.services import address_lists, contacts, invitations
    from app.services.registrations import RegistrationDetails

    # Loaded twice, the contacts are there already and only the new event's invitations are added.
    rows = address_lists.parse(OSTERGOTLAND_CONTACTS)
    contacts.import_rows(rows, organiser, consent_note="Det regionala valideringsnätverket i Östergötland")
    unsubscribed = db.session.scalar(select(Contact).where(Contact.email == "ingrid.larsson@example.se"))
    contacts.unsubscribe(unsubscribed)

    invitations.import_rows(norrbotten, NORRBOTTEN_INVITED, organiser)
    invited = {i.email: i for i in db.session.scalars(select(Invitation).where(Invitation.event_id == norrbotten.id))}
    for email in ("emma.nystrom@example.se", "olle.sundqvist@example.se", "helena.marklund@example.se"):
        invitations.mark_opened(invited[email])
    invitations.decline(invited["olle.sundqvist@example.se"])
    helena = invited["helena.marklund@example.se"]
    invitations.register(helena, RegistrationDetails(
        name=helena.name, email=helena.email, sector=helena.sector.value, organisation=helena.organisation,
        municipality=helena.municipality, consent=True, keep_informed=True,
    ), locale="sv")
