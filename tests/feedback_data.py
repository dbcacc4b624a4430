"""Helpers for the feedback tests: a held event, its participants, a survey and answers."""

import itertools
from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import Registration, RegistrationStatus, Sector, Survey, SurveyLink, SurveyQuestion
from app.models.types import utcnow
from app.services import surveys

_numbers = itertools.count(1)


def past_event(make_event, organiser=None, *, days_ago: int = 1, **fields):
    """An inspiration day that ended `days_ago` days ago."""
    starts_at = utcnow().replace(microsecond=0) - timedelta(days=days_ago, hours=8)
    return make_event(starts_at=starts_at, organisers=[organiser] if organiser else [], **fields)


def participant(
    event,
    name=None,
    *,
    status=RegistrationStatus.ATTENDED,
    sector=Sector.MUNICIPALITY,
    municipality="Linköping",
    locale="sv",
    organisation="Linköpings kommun",
) -> Registration:
    """A registration as it stands after the event (register() refuses events that have started)."""
    n = next(_numbers)
    registration = Registration(
        event=event,
        name=name or f"Deltagare {n}",
        email=f"deltagare{n}@example.se",
        organisation=organisation,
        sector=sector,
        municipality=municipality,
        consent_at=utcnow(),
        privacy_notice_version="test",
        status=status,
        locale=locale,
        checked_in_at=utcnow() if status == RegistrationStatus.ATTENDED else None,
    )
    db.session.add(registration)
    db.session.commit()
    return registration


def survey_for(event, *, anonymous=True) -> Survey:
    survey = surveys.create_from_template(event, None)
    survey.anonymous = anonymous
    db.session.commit()
    return survey


def links(survey: Survey) -> dict[int, SurveyLink]:
    """The survey's personal links by registration id."""
    db.session.expire_all()
    return {
        link.registration_id: link
        for link in db.session.scalars(select(SurveyLink).where(SurveyLink.survey_id == survey.id))
    }


def question(survey: Survey, key: str) -> SurveyQuestion:
    return next(q for q in survey.questions if q.key == key)


def answers(
    survey: Survey,
    *,
    overall="4",
    usefulness="5",
    valuable="Nätverket",
    better="",
    validation="Ja",
    future=("Workshoppar",),
) -> dict:
    """A complete form, by question key; choices by their Swedish text."""

    def option(key, text):
        return str(next(o.id for o in question(survey, key).options if o.text_sv == text))

    form = {
        f"q{question(survey, 'overall').id}": overall,
        f"q{question(survey, 'usefulness').id}": usefulness,
        f"q{question(survey, 'most_valuable').id}": valuable,
        f"q{question(survey, 'could_be_better').id}": better,
        f"q{question(survey, 'future_events').id}": [option("future_events", text) for text in future],
    }
    if validation:
        form[f"q{question(survey, 'more_validation').id}"] = option("more_validation", validation)
    return form
