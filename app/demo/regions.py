"""Demo regions: how far some have come in the five steps, their contact people, and visit requests."""

from datetime import date, timedelta

from app.extensions import db
from app.models import (
    Event,
    EventKind,
    Region,
    RegionContact,
    RegionStepRecord,
    User,
    VisitNote,
    VisitNoteKind,
    VisitOrigin,
    VisitRequest,
    VisitStatus,
)
from app.models.types import utcnow

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


# The reference group's regional strategists (invented people).
REFERENCE_GROUP_CONTACTS = [
    ("20", "Maria Dahl", "Region Dalarna", "maria.dahl@example.com", "023-49 00 00"),
    ("21", "Johan Berg", "Region Gävleborg", "johan.berg@example.com", "026-15 50 00"),
    ("12", "Sofia Lind", "Region Skåne", "sofia.lind@example.com", "044-309 30 00"),
    ("18", "Ahmed Karimi", "Region Örebro län", "ahmed.karimi@example.com", "019-602 10 00"),
    ("14", "Elin Svensson", "Västra Götalandsregionen", "elin.svensson@example.com", "010-441 00 00"),
]


def add_region_history(regions: dict[str, Region]) -> None:
    """The steps regions have taken and the reference group's contact people; the caller commits."""
    for code, step, on, note in STEP_HISTORY:
        db.session.add(RegionStepRecord(region=regions[code], step_number=step, recorded_on=on, note=note))
    for code, name, organisation, email, phone in REFERENCE_GROUP_CONTACTS:
        db.session.add(
            RegionContact(
                region=regions[code],
                name=name,
                role="Regional strateg",
                organisation=organisation,
                email=email,
                phone=phone,
            )
        )


def visit_requests(today: date, regions: dict[str, Region], organiser: User, kalmar_day: Event) -> list[VisitRequest]:
    """A new request from Kronoberg, one that became the Kalmar inspiration day, one declined."""
    consent = dict(consent_at=utcnow(), privacy_notice_version="2026-11", origin=VisitOrigin.REQUEST)
    new = VisitRequest(
        status=VisitStatus.NEW,
        region=regions["07"],
        contact_name="Karin Ek",
        contact_email="karin.ek@example.com",
        contact_phone="0470-58 30 00",
        organisation="Region Kronoberg",
        kind=EventKind.INSPIRATION_DAY,
        period_start=today + timedelta(days=70),
        period_end=today + timedelta(days=100),
        audience_sectors=["municipality", "adult_education", "employer"],
        audience_size=80,
        message="Efter uppstartskonferensen vill vi samla kommunerna igen och inspirera till nästa steg.",
        **consent,
    )
    scheduled = VisitRequest(
        status=VisitStatus.SCHEDULED,
        region=regions["08"],
        contact_name="Lars Holm",
        contact_email="lars.holm@example.com",
        organisation="Region Kalmar län",
        kind=EventKind.INSPIRATION_DAY,
        period_text="Gärna inom två månader",
        audience_sectors=["municipality", "public_employment_service"],
        audience_size=100,
        message="Vill ni komma till Kalmar och berätta om validering?",
        event=kalmar_day,
        assignee=organiser,
        **consent,
    )
    scheduled.notes = [
        VisitNote(
            kind=VisitNoteKind.ANSWER,
            body="Vi kommer gärna! Vi bokar Kalmarsalen.",
            author_id=organiser.id,
            author_name=organiser.name,
        )
    ]
    declined = VisitRequest(
        status=VisitStatus.DECLINED,
        region=regions["09"],
        contact_name="Nils Gotlander",
        contact_email="nils.gotlander@example.com",
        organisation="Region Gotland",
        kind=EventKind.NATIONAL_CONFERENCE,
        period_start=today + timedelta(days=20),
        audience_sectors=["region"],
        audience_size=400,
        message="Kan den nationella konferensen hållas i Visby?",
        assignee=organiser,
        **consent,
    )
    declined.notes = [
        VisitNote(
            kind=VisitNoteKind.ANSWER,
            author_id=organiser.id,
            author_name=organiser.name,
            body="Tack för förslaget! Årets nationella konferens är redan bokad, men vi kommer gärna på en "
            "inspirationsdag.",
        )
    ]
    return [new, scheduled, declined]
