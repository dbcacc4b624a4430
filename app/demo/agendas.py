"""The agendas of the demo events, with the speakers the article names."""

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from app.display.timezones import local_to_utc
from app.extensions import db
from app.models import AgendaItem, AgendaItemSpeaker, Speaker
from app.services.text import markdown_to_html


def at(day: date, hour: int, minute: int = 0) -> datetime:
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


def article_speakers() -> dict[str, Speaker]:
    """The article's speakers, reused if an earlier load made them."""
    found = {}
    for key, (name, role, organisation) in SPEAKERS.items():
        speaker = db.session.scalar(select(Speaker).where(Speaker.name == name, Speaker.organisation == organisation))
        if speaker is None:
            speaker = Speaker(name=name, role=role, organisation=organisation)
            db.session.add(speaker)
        found[key] = speaker
    return found


def agenda_items(first_day: date, items: list[tuple], speakers: dict[str, Speaker]) -> list[AgendaItem]:
    agenda = []
    for position, (day, start, end, title, room, speaker_keys, description) in enumerate(items):
        on = first_day + timedelta(days=day)
        item = AgendaItem(
            title=title,
            room=room,
            position=position,
            description=description,
            description_html=markdown_to_html(description),
            starts_at=at(on, *map(int, start.split(":"))),
            ends_at=at(on, *map(int, end.split(":"))),
        )
        item.speaker_links = [
            AgendaItemSpeaker(speaker=speakers[key], position=n) for n, key in enumerate(speaker_keys)
        ]
        agenda.append(item)
    return agenda
