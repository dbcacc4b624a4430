"""Demo events: those of the article in shared/seed, with their agendas, and a few upcoming ones.

Past events follow the article (the Validation Delegation's work with the regions in
2018–2019); upcoming ones are dated relative to today so the demo looks alive.
"""

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from app.display.timezones import local_to_utc
from app.extensions import db
from app.models import AgendaItem, AgendaItemSpeaker, Event, EventKind, EventStatus, Region, Speaker, User
from app.services.text import markdown_to_html


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
    (
        0,
        "09:30",
        "09:45",
        "Välkommen och inledning",
        "",
        ["tollen"],
        "Varför regional samverkan om validering spelar roll: stora och små kommuner har olika "
        "förutsättningar, och tillsammans kan vi använda våra gemensamma styrkor.",
    ),
    (
        0,
        "09:45",
        "10:30",
        "ESF-projektet Validering i Östergötland – en väg in",
        "",
        ["stevrin"],
        "Projektets tre ledord: att **sprida kunskap** om validering, **beskriva nyttan** med den och "
        "**öka samverkan** gällande validering i Östergötland.",
    ),
    (0, "10:30", "10:50", "Fika", "", [], ""),
    (
        0,
        "10:50",
        "11:45",
        "Hur står det till med valideringen i landet?",
        "",
        ["landell"],
        "Läget för validering i Sverige, med siffror från maj 2018, och varför det behövs en tydlig "
        "strategisk koppling mellan det regionala kompetensförsörjningsarbetet och arbetet med validering.",
    ),
    (0, "11:45", "12:45", "Lunch", "", [], ""),
    (
        0,
        "12:45",
        "13:45",
        "Panelsamtal: Hur bygger vi regional samverkan om validering?",
        "",
        ["tollen", "stevrin", "landell"],
        "Med frågor från kommuner, vuxenutbildningar, Arbetsförmedlingen och arbetslivet i Östergötland.",
    ),
    (0, "13:45", "14:05", "Fika", "", [], ""),
    (
        0,
        "14:05",
        "15:30",
        "Workshop i grupper: nästa steg för validering i Östergötland",
        "",
        [],
        "Vilka aktörer behöver samverka, och vad kan var och en göra redan i år?",
    ),
    (0, "15:30", "16:00", "Sammanfattning och avslutning", "", ["stevrin"], ""),
]


GAVLE_AGENDA = [
    (0, "10:00", "10:20", "Välkommen till Gävleborg", "Stora salen", [], "Region Gävleborg hälsar välkommen."),
    (
        0,
        "10:20",
        "11:15",
        "En nationell strategi för validering",
        "Stora salen",
        ["landell"],
        "Validering ska vara tillgänglig och likvärdig i hela landet. Vad betyder det för regionerna?",
    ),
    (0, "11:15", "12:15", "Lunch", "", [], ""),
    (
        0,
        "12:15",
        "13:30",
        "Validering inom vård och omsorg",
        "Stora salen",
        [],
        "Erfarenheter från kommuner som validerar undersköterskor och vårdbiträden.",
    ),
    (
        0,
        "12:15",
        "13:30",
        "Branschvalidering – arbetslivets modeller",
        "Lilla salen",
        [],
        "Hur branschernas egna valideringsmodeller kan användas i regionen.",
    ),
    (0, "13:30", "13:50", "Fika", "", [], ""),
    (
        0,
        "13:50",
        "15:00",
        "Regional samverkan – erfarenheter från Gävleborg, Värmland och Örebro",
        "Stora salen",
        [],
        "Tre regioner berättar hur de har samlat sina aktörer.",
    ),
    (
        0,
        "13:50",
        "15:00",
        "Validering i vuxenutbildningen",
        "Lilla salen",
        [],
        "Kartläggning och validering som en del av studievägen inom Komvux.",
    ),
    (0, "15:00", "16:00", "Samtal: vad behöver regionerna från den nationella nivån?", "Stora salen", ["landell"], ""),
    (1, "09:00", "09:30", "Kaffe och mingel", "", [], ""),
    (
        1,
        "09:30",
        "10:30",
        "Modellen i fem steg för regional samverkan",
        "Stora salen",
        ["landell"],
        "Från kartläggning till uppföljning: så kan ett samverkansarbete byggas upp.",
    ),
    (1, "10:30", "12:00", "Workshop: kartlägga aktörer och behov", "Stora salen", [], ""),
    (1, "10:30", "12:00", "Workshop: gemensam målbild och plan", "Lilla salen", [], ""),
    (1, "12:00", "13:00", "Lunch", "", [], ""),
    (1, "13:00", "14:30", "Panel: vägen framåt för validering i regionerna", "Stora salen", ["landell"], ""),
    (1, "14:30", "15:00", "Sammanfattning och avslutning", "Stora salen", [], ""),
]


NATIONAL_AGENDA = [
    (0, "10:00", "10:30", "Välkommen", "Plenisalen", [], ""),
    (
        0,
        "10:30",
        "11:30",
        "Validering tillgänglig och likvärdig i hela landet",
        "Plenisalen",
        [],
        "Var står vi i dag, och vad återstår?",
    ),
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
            online_url="https://meet.example.se/validering",
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
            title=title,
            room=room,
            position=position,
            description=description,
            description_html=markdown_to_html(description),
            starts_at=_at(on, *map(int, start.split(":"))),
            ends_at=_at(on, *map(int, end.split(":"))),
        )
        item.speaker_links = [
            AgendaItemSpeaker(speaker=speakers[key], position=n) for n, key in enumerate(speaker_keys)
        ]
        agenda.append(item)
    return agenda


def add_events(organiser: User, regions: dict[str, Region], today: date) -> list[Event]:
    """The article's events and the upcoming ones, organised by `organiser`; the caller commits."""
    speakers = _speakers()
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
            starts_at=_at(spec["day"], start_hour, start_minute),
            ends_at=_at(spec.get("end_day", spec["day"]), end_hour, end_minute),
            capacity=spec["capacity"],
            invitation_only=spec.get("invitation_only", False),
            status=spec["status"],
        )
        event.organisers = [organiser]
        event.agenda_items = _agenda(spec["day"], spec.get("agenda", []), speakers)
        db.session.add(event)
        added.append(event)
    return added
