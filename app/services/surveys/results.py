"""What the answers of one survey say: the results with a chart per question, who has not
answered, and the CSV export.

Every figure is an aggregate query, so a page makes the same few queries however
many people answered. Anonymous surveys are never filtered by sector or municipality:
a small group could point to a person. For the same reason, what could tell a person by
their words or their group waits for FEEDBACK_MIN_GROUP answers (5): the free texts and
the rows of an anonymous survey, and a filtered group of a named one.
"""

import csv
import io
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, distinct, exists, func, select
from sqlalchemy.orm import selectinload

from app.display.charts import BarChart, bar_chart, one_decimal, percent
from app.display.i18n import current_locale
from app.display.labels import SECTOR_LABELS
from app.extensions import db
from app.models import (
    QuestionKind,
    Registration,
    Sector,
    Survey,
    SurveyAnswer,
    SurveyLink,
    SurveyQuestion,
    SurveyRespondent,
    SurveyResponse,
    User,
)
from app.models.survey import CHOICE_KINDS, RATING_SCALE
from app.services import audit
from app.services.registrations.participant_csv import safe_cell


@dataclass
class Filters:
    """Respondents' sector and municipality; only named surveys are filtered."""

    sector: Sector | None = None
    municipality: str = ""

    def __bool__(self) -> bool:
        return self.sector is not None or bool(self.municipality)

    def apply(self, query: Select) -> Select:
        if not self:
            return query
        query = query.join(Registration, SurveyResponse.registration_id == Registration.id)
        if self.sector is not None:
            query = query.where(Registration.sector == self.sector)
        if self.municipality:
            query = query.where(Registration.municipality == self.municipality)
        return query


class TooFewResponses(Exception):
    """Too few answers to show these without pointing to a person."""


def min_group() -> int:
    return current_app.config["FEEDBACK_MIN_GROUP"]


@dataclass
class QuestionResult:
    question: SurveyQuestion
    text: str
    # Responses that answered this question.
    answered: int = 0
    average: float | None = None
    chart: BarChart | None = None
    texts: list[str] = field(default_factory=list)
    # Free texts kept back until enough people have answered.
    withheld: bool = False

    @property
    def average_text(self) -> str:
        return one_decimal(self.average)


@dataclass
class SurveyResults:
    survey: Survey
    invited: int
    # Responses matching the filters (all of them without filters).
    responses: int
    questions: list[QuestionResult]
    filters: Filters
    # A filtered group too small to show; only its size is.
    withheld: bool = False

    @property
    def rate(self) -> float | None:
        return self.responses / self.invited if self.invited and not self.filters else None

    @property
    def rate_text(self) -> str:
        return percent(self.rate)


def _filters_for(survey: Survey, filters: Filters | None) -> Filters:
    return Filters() if survey.anonymous or filters is None else filters


def _answers(survey: Survey, filters: Filters, *columns) -> Select:
    query = (
        select(*columns)
        .select_from(SurveyAnswer)
        .join(SurveyResponse, SurveyAnswer.response_id == SurveyResponse.id)
        .where(SurveyResponse.survey_id == survey.id)
    )
    return filters.apply(query)


def invited_count(survey: Survey) -> int:
    return db.session.scalar(select(func.count()).select_from(SurveyLink).where(SurveyLink.survey_id == survey.id))


def response_count(survey: Survey, filters: Filters | None = None) -> int:
    query = select(func.count()).select_from(SurveyResponse).where(SurveyResponse.survey_id == survey.id)
    return db.session.scalar(_filters_for(survey, filters).apply(query))


def _too_few(survey: Survey, filters: Filters, responses: int) -> bool:
    """Whether these answers could point to a person: an anonymous survey's, or a filtered group's."""
    return (survey.anonymous or bool(filters)) and responses < min_group()


def results(survey: Survey, filters: Filters | None = None) -> SurveyResults:
    """Per question: how many answered, the average of a rating, counts as a bar chart, the free texts."""
    filters = _filters_for(survey, filters)
    responses = response_count(survey, filters)
    if filters and _too_few(survey, filters, responses):
        return SurveyResults(
            survey,
            invited=invited_count(survey),
            responses=responses,
            questions=[QuestionResult(question, question.text(current_locale())) for question in survey.questions],
            filters=filters,
            withheld=True,
        )
    texts_withheld = _too_few(survey, filters, responses)
    locale = current_locale()
    numbers: dict[tuple[int, int], int] = {}
    for question_id, number, count in db.session.execute(
        _answers(survey, filters, SurveyAnswer.question_id, SurveyAnswer.number, func.count())
        .where(SurveyAnswer.number.is_not(None))
        .group_by(SurveyAnswer.question_id, SurveyAnswer.number)
    ):
        numbers[question_id, number] = count
    options: dict[int, int] = dict(
        db.session.execute(
            _answers(survey, filters, SurveyAnswer.option_id, func.count())
            .where(SurveyAnswer.option_id.is_not(None))
            .group_by(SurveyAnswer.option_id)
        ).all()
    )
    answered: dict[int, int] = dict(
        db.session.execute(
            _answers(
                survey, filters, SurveyAnswer.question_id, func.count(distinct(SurveyAnswer.response_id))
            ).group_by(SurveyAnswer.question_id)
        ).all()
    )
    texts: dict[int, list[str]] = {}
    # Answer ids are random: this order is a shuffle, never the order people answered in.
    for question_id, text in (
        []
        if texts_withheld
        else db.session.execute(
            _answers(survey, filters, SurveyAnswer.question_id, SurveyAnswer.text)
            .where(SurveyAnswer.text.is_not(None))
            .order_by(SurveyAnswer.id)
        )
    ):
        texts.setdefault(question_id, []).append(text)

    question_results = []
    for question in survey.questions:
        result = QuestionResult(question, question.text(locale), answered=answered.get(question.id, 0))
        if question.kind == QuestionKind.RATING:
            counts = [(n, numbers.get((question.id, n), 0)) for n in RATING_SCALE]
            total = sum(count for _, count in counts)
            if total:
                result.average = sum(n * count for n, count in counts) / total
            result.chart = _counts_chart(result.text, [(_rating_label(question, n, locale), c) for n, c in counts])
        elif question.kind == QuestionKind.YES_NO:
            result.chart = _counts_chart(
                result.text,
                [
                    (_("Yes"), numbers.get((question.id, 1), 0)),
                    (_("No"), numbers.get((question.id, 0), 0)),
                ],
            )
        elif question.kind in CHOICE_KINDS:
            result.chart = _counts_chart(
                result.text,
                [(option.text(locale), options.get(option.id, 0)) for option in question.options],
                share_of=result.answered,
            )
        else:
            result.texts = texts.get(question.id, [])
            result.withheld = texts_withheld and result.answered > 0
        question_results.append(result)
    return SurveyResults(
        survey,
        invited=invited_count(survey),
        responses=responses,
        questions=question_results,
        filters=filters,
    )


def _rating_label(question: SurveyQuestion, number: int, locale: str) -> str:
    end = question.low_label(locale) if number == 1 else question.high_label(locale) if number == 5 else ""
    return f"{number} – {end}" if end else str(number)


def _counts_chart(title: str, counts: list[tuple[str, int]], share_of: int | None = None) -> BarChart:
    """Counts with their share: of the answers, or (multiple choice) of the people who answered."""
    total = share_of if share_of is not None else sum(count for _, count in counts)
    return bar_chart(
        title,
        [(label, count, f"{count} ({percent(count / total)})" if total else str(count)) for label, count in counts],
    )


def municipality_choices(survey: Survey) -> list[str]:
    """The municipalities respondents gave, for the filter (named surveys only)."""
    if survey.anonymous:
        return []
    return list(
        db.session.scalars(
            select(distinct(Registration.municipality))
            .join(SurveyResponse, SurveyResponse.registration_id == Registration.id)
            .where(SurveyResponse.survey_id == survey.id, Registration.municipality != "")
            .order_by(Registration.municipality)
        )
    )


def not_answered(survey: Survey) -> list[tuple[Registration, SurveyLink]]:
    """Invited people who have not answered, by name (named surveys only; an anonymous one tells nobody)."""
    if survey.anonymous:
        return []
    answered = exists().where(
        SurveyRespondent.survey_id == SurveyLink.survey_id,
        SurveyRespondent.registration_id == SurveyLink.registration_id,
    )
    return [
        tuple(row)
        for row in db.session.execute(
            select(Registration, SurveyLink)
            .join(SurveyLink, SurveyLink.registration_id == Registration.id)
            .where(SurveyLink.survey_id == survey.id, ~answered)
            .order_by(func.lower(Registration.name), Registration.id)
        )
    ]


def _cell(question: SurveyQuestion, answers: list[SurveyAnswer], locale: str) -> str:
    if not answers:
        return ""
    if question.kind in CHOICE_KINDS:
        names = {option.id: option.text(locale) for option in question.options}
        return ", ".join(names.get(answer.option_id, "") for answer in answers)
    if question.kind == QuestionKind.YES_NO:
        return _("Yes") if answers[0].number else _("No")
    if question.kind == QuestionKind.RATING:
        return str(answers[0].number)
    return answers[0].text or ""


def responses_csv(survey: Survey, filters: Filters | None = None) -> bytes:
    """All answers, one row per response, for Excel: UTF-8 with BOM, semicolons, formulas kept as text.

    Named surveys start each row with who answered; anonymous ones have only the answers,
    and only from FEEDBACK_MIN_GROUP responses on (a row is one person's answers together).
    """
    filters = _filters_for(survey, filters)
    if _too_few(survey, filters, response_count(survey, filters)):
        raise TooFewResponses()
    locale = current_locale()
    query = filters.apply(
        select(SurveyResponse)
        .where(SurveyResponse.survey_id == survey.id)
        .options(selectinload(SurveyResponse.answers), selectinload(SurveyResponse.registration))
    )
    responses = list(db.session.scalars(query.order_by(SurveyResponse.id)))
    if not survey.anonymous:
        responses.sort(key=lambda r: (r.registration.name.lower() if r.registration else "", r.id))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    who = (
        []
        if survey.anonymous
        else [
            _("Name"),
            _("Email address"),
            _("Organisation"),
            _("Sector"),
            _("Municipality"),
            _("Answered"),
        ]
    )
    writer.writerow([safe_cell(text) for text in who + [q.text(locale) for q in survey.questions]])
    for response in responses:
        by_question: dict[int, list[SurveyAnswer]] = {}
        for answer in sorted(response.answers, key=lambda a: (a.option_id or 0, a.id)):
            by_question.setdefault(answer.question_id, []).append(answer)
        row = []
        if not survey.anonymous:
            r = response.registration
            row = [r.name, r.email, r.organisation, SECTOR_LABELS[r.sector], r.municipality] if r else [""] * 5
            row.append(response.submitted_on.isoformat() if response.submitted_on else "")
        row += [_cell(q, by_question.get(q.id, []), locale) for q in survey.questions]
        writer.writerow([safe_cell(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def export_responses(survey: Survey, actor: User, filters: Filters | None = None) -> bytes:
    """The CSV export, recorded in the event's log (it may hold personal data)."""
    data = responses_csv(survey, filters)
    filters = _filters_for(survey, filters)
    details = {"sector": filters.sector.value} if filters.sector else {}
    if filters.municipality:
        details["municipality"] = filters.municipality
    audit.record(actor, "feedback.exported", event=survey.event, **details)
    db.session.commit()
    return data
