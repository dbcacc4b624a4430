"""The event report for funders (participants, attendance and feedback), and ratings compared
across events, kinds and regions. The rating of an event is the average of its survey's
overall question (the default template's first)."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Select, extract, func, select
from sqlalchemy.orm import selectinload

from app.display.charts import BarChart, bar_chart, one_decimal
from app.display.labels import KIND_LABELS, SECTOR_LABELS
from app.extensions import db
from app.models import (
    Event,
    EventKind,
    Region,
    Registration,
    RegistrationStatus,
    Sector,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    User,
)
from app.services.registrations import status_counts
from app.services.surveys.results import SurveyResults, results
from app.services.surveys.template import OVERALL


@dataclass
class GroupCount:
    label: str
    registered: int = 0
    attended: int = 0


@dataclass
class EventReport:
    event: Event
    counts: dict[RegistrationStatus, int]
    by_sector: list[GroupCount]
    by_municipality: list[GroupCount]
    sector_chart: BarChart
    results: SurveyResults | None

    @property
    def registered(self) -> int:
        return self.counts[RegistrationStatus.CONFIRMED] + self.counts[RegistrationStatus.ATTENDED]

    @property
    def attended(self) -> int:
        return self.counts[RegistrationStatus.ATTENDED]

    @property
    def checked_in(self) -> bool:
        return self.attended > 0


SEATED = (RegistrationStatus.CONFIRMED, RegistrationStatus.ATTENDED)


def _group_counts(event: Event, column) -> dict:
    groups: dict = {}
    for key, status, count in db.session.execute(
        select(column, Registration.status, func.count())
        .where(Registration.event_id == event.id, Registration.status.in_(SEATED))
        .group_by(column, Registration.status)
    ):
        group = groups.setdefault(key, [0, 0])
        group[0] += count
        if status == RegistrationStatus.ATTENDED:
            group[1] += count
    return groups


def event_report(event: Event, survey: Survey | None) -> EventReport:
    """Participants by sector and municipality, attendance and the feedback, for a funder's report."""
    sectors = _group_counts(event, Registration.sector)
    by_sector = [GroupCount(str(SECTOR_LABELS[sector]), *sectors[sector]) for sector in Sector if sector in sectors]
    municipalities: dict[str, list[int]] = {}
    for name, (registered, attended) in _group_counts(event, func.trim(Registration.municipality)).items():
        group = municipalities.setdefault(name or "", [0, 0])
        group[0] += registered
        group[1] += attended
    by_municipality = sorted(
        (GroupCount(name or _("Not given"), *counts) for name, counts in municipalities.items()),
        key=lambda g: (-g.registered, g.label.lower()),
    )
    return EventReport(
        event=event,
        counts=status_counts(event),
        by_sector=by_sector,
        by_municipality=by_municipality,
        sector_chart=bar_chart(
            _("Participants by sector"), [(g.label, g.registered, str(g.registered)) for g in by_sector]
        ),
        results=results(survey) if survey is not None else None,
    )


def _overall_ratings(*columns) -> Select:
    return (
        select(*columns, func.avg(SurveyAnswer.number), func.count(SurveyAnswer.id))
        .select_from(SurveyAnswer)
        .join(SurveyQuestion, SurveyAnswer.question_id == SurveyQuestion.id)
        .join(Survey, SurveyQuestion.survey_id == Survey.id)
        .join(Event, Survey.event_id == Event.id)
        .where(SurveyQuestion.key == OVERALL, SurveyAnswer.number.is_not(None))
    )


def _averages(query: Select) -> dict:
    return {key: (float(average), count) for key, average, count in db.session.execute(query)}


def average_rating_by_event(event_ids) -> dict[int, tuple[float, int]]:
    """{event id: (average overall rating, number of ratings)} for the events that have ratings."""
    ids = list(event_ids)
    if not ids:
        return {}
    return _averages(_overall_ratings(Event.id).where(Event.id.in_(ids)).group_by(Event.id))


def average_rating_by_region(region_id: int | None = None) -> dict[int | None, tuple[float, int]]:
    """{region id: (average overall rating, number of ratings)}; national events under None.
    With `region_id`, only that region's (a region's page need not read the whole country)."""
    query = _overall_ratings(Event.region_id).group_by(Event.region_id)
    if region_id is not None:
        query = query.where(Event.region_id == region_id)
    return _averages(query)


def _visible_to(query: Select, user: User) -> Select:
    return query if user.is_admin else query.where(Event.organisers.any(User.id == user.id))


YEAR = extract("year", Event.starts_at)  # the UTC year: events do not start at midnight on New Year's Eve


@dataclass
class RatingRow:
    label: str
    year: int
    average: float
    count: int

    @property
    def average_text(self) -> str:
        return one_decimal(self.average)


@dataclass
class Comparison:
    by_kind: list[RatingRow]
    by_region: list[RatingRow]
    events: list[tuple[Event, float, int]]

    def chart(self, title: str, rows: list[RatingRow]) -> BarChart:
        return bar_chart(
            title,
            [(f"{row.year} · {row.label}", row.average, f"{row.average_text} ({row.count})") for row in rows],
            max_value=5,
        )


def comparison(user: User) -> Comparison:
    """Average overall ratings of the events a user manages (all for an admin), by kind and by
    region per year, and per event."""
    by_kind = [
        RatingRow(str(KIND_LABELS[EventKind(kind)]), int(year), float(average), count)
        for kind, year, average, count in db.session.execute(
            _visible_to(_overall_ratings(Event.kind, YEAR).group_by(Event.kind, YEAR).order_by(YEAR, Event.kind), user)
        )
    ]
    by_region = [
        RatingRow(name or _("National"), int(year), float(average), count)
        for name, year, average, count in db.session.execute(
            _visible_to(
                _overall_ratings(Region.name, YEAR)
                .outerjoin(Region, Event.region_id == Region.id)
                # National events (no region) last in each year, on SQLite as on PostgreSQL.
                .group_by(Region.name, YEAR)
                .order_by(YEAR, Region.name.is_(None), Region.name),
                user,
            )
        )
    ]
    events = [
        (event, float(average), count)
        for event, average, count in db.session.execute(
            _visible_to(
                _overall_ratings(Event)
                .group_by(Event.id)
                .order_by(Event.starts_at.desc(), Event.id)
                .options(selectinload(Event.region)),
                user,
            )
        )
    ]
    return Comparison(by_kind=by_kind, by_region=by_region, events=events)
