"""Answering a survey through the personal link: what the form shows, what the answers
must be, and storing them, named or anonymously among others."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from app.display.formatting import short_datetime
from app.display.timezones import utc_to_local
from app.extensions import db
from app.models import (
    EventStatus,
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyLink,
    SurveyQuestion,
    SurveyRespondent,
    SurveyResponse,
)
from app.models.survey import RATING_SCALE, random_id
from app.models.tokens import looks_like_token, new_token
from app.models.types import utcnow
from app.services import ValidationError

ANSWER_LIMIT = 5000


class SurveyClosed(Exception):
    """The survey does not take answers now; `str(error)` says why, translated."""


class AlreadyAnswered(Exception):
    """An anonymous survey was answered from another browser: that answer cannot be shown or changed here."""


def find_link(token: str) -> SurveyLink | None:
    """The personal link a token opens; None for anything that is not exactly its token."""
    if not looks_like_token(token):
        return None
    return db.session.scalar(
        select(SurveyLink)
        .where(SurveyLink.token == token)
        .options(
            selectinload(SurveyLink.survey).selectinload(Survey.event),
            selectinload(SurveyLink.survey).selectinload(Survey.questions).selectinload(SurveyQuestion.options),
            selectinload(SurveyLink.registration),
        )
    )


def closed_reason(survey: Survey, now: datetime | None = None) -> str | None:
    """Why the survey takes no answers right now, kindly put; None while it is open."""
    now = now or utcnow()
    if survey.event.status == EventStatus.CANCELLED:
        return _("The event was cancelled, so there is nothing to give feedback on.")
    if now < survey.opens:
        return _("The survey opens %(when)s. Welcome back then!", when=short_datetime(survey.opens))
    if now >= survey.closes:
        return _("The survey closed %(when)s. Thank you for your interest!", when=short_datetime(survey.closes))
    return None


def has_answered(link: SurveyLink) -> bool:
    return db.session.get(SurveyRespondent, (link.survey_id, link.registration_id)) is not None


def edit_key_hash(edit_key: str) -> str:
    return hashlib.sha256(edit_key.encode()).hexdigest()


def response_for(link: SurveyLink, edit_key: str | None = None) -> SurveyResponse | None:
    """The participant's own response: by registration when named; by the browser's key when anonymous."""
    query = (
        select(SurveyResponse)
        .where(SurveyResponse.survey_id == link.survey_id)
        .options(selectinload(SurveyResponse.answers))
    )
    if not link.survey.anonymous:
        return db.session.scalar(query.where(SurveyResponse.registration_id == link.registration_id))
    if not edit_key or len(edit_key) > 100:
        return None
    return db.session.scalar(query.where(SurveyResponse.edit_key_hash == edit_key_hash(edit_key)))


def form_values(survey: Survey, response: SurveyResponse | None) -> MultiDict:
    """A stored response as the answer form's values, to show it for editing."""
    values = MultiDict()
    if response is None:
        return values
    kinds = {question.id: question.kind for question in survey.questions}
    for answer in response.answers:
        name = f"q{answer.question_id}"
        if answer.option_id is not None:
            values.add(name, str(answer.option_id))
        elif answer.text is not None:
            values.add(name, answer.text)
        elif kinds.get(answer.question_id) == QuestionKind.YES_NO:
            values.add(name, "yes" if answer.number else "no")
        elif answer.number is not None:
            values.add(name, str(answer.number))
    return values


YES_NO = {"yes": 1, "no": 0}


def read_answers(survey: Survey, values: MultiDict) -> tuple[list[dict], dict[str, str]]:
    """The answers in a submitted form, checked against each question; problems by field name."""
    answers: list[dict] = []
    problems: dict[str, str] = {}
    for question in survey.questions:
        name = question.field_name
        given = [value.strip() for value in values.getlist(name) if value and value.strip()]
        kind = question.kind
        if not given:
            if question.required:
                problems[name] = str(MISSING[kind])
            continue
        if kind == QuestionKind.FREE_TEXT:
            text = "\n".join(given)
            if len(text) > ANSWER_LIMIT:
                problems[name] = _("At most %(n)d characters.", n=ANSWER_LIMIT)
            else:
                answers.append({"question_id": question.id, "text": text})
            continue
        if kind == QuestionKind.MULTIPLE_CHOICE:
            chosen = _option_ids(question, given)
            if chosen is None:
                problems[name] = _("Choose among the answers shown.")
            else:
                answers.extend({"question_id": question.id, "option_id": option_id} for option_id in chosen)
            continue
        if len(given) > 1:
            problems[name] = str(MISSING[kind])
            continue
        [value] = given
        if kind == QuestionKind.RATING:
            if value not in {str(n) for n in RATING_SCALE}:
                problems[name] = str(MISSING[kind])
            else:
                answers.append({"question_id": question.id, "number": int(value)})
        elif kind == QuestionKind.YES_NO:
            if value not in YES_NO:
                problems[name] = str(MISSING[kind])
            else:
                answers.append({"question_id": question.id, "number": YES_NO[value]})
        else:
            chosen = _option_ids(question, given)
            if chosen is None:
                problems[name] = _("Choose among the answers shown.")
            else:
                answers.append({"question_id": question.id, "option_id": chosen[0]})
    return answers, problems


MISSING = {
    QuestionKind.RATING: _l("Choose a rating from 1 to 5."),
    QuestionKind.YES_NO: _l("Answer yes or no."),
    QuestionKind.SINGLE_CHOICE: _l("Choose one of the answers."),
    QuestionKind.MULTIPLE_CHOICE: _l("Choose at least one answer."),
    QuestionKind.FREE_TEXT: _l("Write an answer."),
}


def _option_ids(question: SurveyQuestion, given: list[str]) -> list[int] | None:
    known = {str(option.id): option.id for option in question.options}
    if any(value not in known for value in given):
        return None
    return sorted({known[value] for value in given})


@dataclass
class Submitted:
    # False when the answer replaced an earlier one.
    created: bool
    # Anonymous surveys: the secret the respondent's browser keeps to change the answer later.
    edit_key: str | None = None


def submit(
    link: SurveyLink, values: MultiDict, *, edit_key: str | None = None, now: datetime | None = None
) -> Submitted:
    """Save a participant's answers: the first time as their response, later as a change to it.

    All answers are checked first; with any problem nothing is saved (ValidationError).
    Raises SurveyClosed outside the survey's window, and AlreadyAnswered when an anonymous
    survey was answered before from a browser that kept the key.
    """
    survey = link.survey
    if (reason := closed_reason(survey, now)) is not None:
        raise SurveyClosed(reason)
    answers, problems = read_answers(survey, values)
    if problems:
        raise ValidationError(problems)
    if survey.anonymous:
        return _submit_anonymous(link, answers, edit_key)
    return _submit_named(link, answers)


def _replace_answers(response: SurveyResponse, answers: list[dict]) -> None:
    # Two saves of one response at once (a double click) take turns, so the second replaces
    # the first's answers instead of adding to them. (SQLite's write lock does this by itself.)
    db.session.execute(select(SurveyResponse.id).where(SurveyResponse.id == response.id).with_for_update())
    db.session.execute(delete(SurveyAnswer).where(SurveyAnswer.response_id == response.id))
    db.session.add_all(SurveyAnswer(response_id=response.id, **answer) for answer in answers)


def _submit_named(link: SurveyLink, answers: list[dict]) -> Submitted:
    survey_id, registration_id = link.survey_id, link.registration_id
    today = utc_to_local(utcnow()).date()
    response = response_for(link)
    created = response is None
    if created:
        response = SurveyResponse(survey_id=survey_id, registration_id=registration_id)
        db.session.add_all([SurveyRespondent(survey_id=survey_id, registration_id=registration_id), response])
        try:
            db.session.flush()
        except IntegrityError:
            # The first answer was saved by another request a moment ago (a double click): edit it.
            db.session.rollback()
            response, created = response_for(link), False
    response.submitted_on = today
    _replace_answers(response, answers)
    db.session.commit()
    return Submitted(created=created)


def _submit_anonymous(link: SurveyLink, answers: list[dict], edit_key: str | None) -> Submitted:
    response = response_for(link, edit_key)
    if response is not None:
        _replace_answers(response, answers)
        db.session.commit()
        return Submitted(created=False, edit_key=edit_key)
    # Only the fact that this registration answered is kept, apart from the answers.
    db.session.add(SurveyRespondent(survey_id=link.survey_id, registration_id=link.registration_id))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise AlreadyAnswered() from None
    new_key = new_token()
    _store_among_others(SurveyResponse(survey_id=link.survey_id, edit_key_hash=edit_key_hash(new_key)), answers)
    db.session.commit()
    return Submitted(created=True, edit_key=new_key)


# How many earlier anonymous responses a new one is written together with.
HIDING_SET = 50


def _store_among_others(response: SurveyResponse, answers: list[dict]) -> None:
    """Write a new anonymous response so that nothing in the database ties it to the
    respondent mark written in the same transaction.

    Ids are random, but a database still records when and in what order rows were written
    (PostgreSQL's transaction ids, a dump's order, SQLite's rowids). So the new response is
    written together with up to HIDING_SET earlier ones, taken out and put back unchanged,
    in random order: all of them then carry the same transaction and no order, and the mark
    points to a group of responses, never to one.
    """
    others = list(
        db.session.scalars(
            select(SurveyResponse)
            .where(SurveyResponse.survey_id == response.survey_id, SurveyResponse.registration_id.is_(None))
            .order_by(func.random())
            .limit(HIDING_SET)
            .options(selectinload(SurveyResponse.answers))
        )
    )
    rows = [(other.id, other.edit_key_hash, [_answer_values(a) for a in other.answers]) for other in others]
    if others:
        ids = [other.id for other in others]
        for other in others:
            db.session.expunge(other)  # with its answers
        db.session.execute(
            delete(SurveyAnswer).where(SurveyAnswer.response_id.in_(ids)),
            execution_options={"synchronize_session": False},
        )
        db.session.execute(
            delete(SurveyResponse).where(SurveyResponse.id.in_(ids)), execution_options={"synchronize_session": False}
        )
    response.id = random_id()
    rows.append((response.id, response.edit_key_hash, answers))
    random = secrets.SystemRandom()
    random.shuffle(rows)
    db.session.add_all(SurveyResponse(id=id_, survey_id=response.survey_id, edit_key_hash=key) for id_, key, _ in rows)
    db.session.flush()
    kept = [SurveyAnswer(response_id=id_, **values) for id_, _, values_list in rows for values in values_list]
    random.shuffle(kept)
    db.session.add_all(kept)


def _answer_values(answer: SurveyAnswer) -> dict:
    return {
        "question_id": answer.question_id,
        "option_id": answer.option_id,
        "number": answer.number,
        "text": answer.text,
    }
