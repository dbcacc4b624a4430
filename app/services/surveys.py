"""Feedback surveys: made from the default template, edited by organisers, mailed out
after the event and answered through personal links.

One response per registration: `SurveyRespondent` (primary key survey + registration)
makes a second first answer fail, so a double click or a second submit edits the
first answer instead of counting twice. Anonymous responses are stored with no link
to the registration; only a hash of a secret kept in the respondent's browser lets
them be changed, so nothing on the server can tie them to a person.
"""

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, delete, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, selectinload
from werkzeug.datastructures import MultiDict

from app.display.formatting import short_datetime
from app.display.timezones import utc_to_local
from app.extensions import db
from app.models import (
    Event,
    EventStatus,
    QuestionKind,
    Registration,
    RegistrationStatus,
    Survey,
    SurveyAnswer,
    SurveyLink,
    SurveyOption,
    SurveyQuestion,
    SurveyRespondent,
    SurveyResponse,
    User,
)
from app.models.survey import CHOICE_KINDS, DEFAULT_OPEN_DAYS, RATING_SCALE, random_id
from app.models.tokens import looks_like_token
from app.models.types import utcnow
from app.services import ValidationError, audit, mail
from app.services.survey_template import default_questions

MAX_REMINDER_DAYS = 30
MAX_QUESTIONS = 50
MAX_OPTIONS = 20
ANSWER_LIMIT = 5000
LIMITS = {"text": 500, "label": 100, "option": 200}
# Surveys of these events are mailed out; drafts and cancelled events never are.
HELD_STATUSES = (EventStatus.PUBLISHED, EventStatus.COMPLETED)
LOCKED = _l("People have already answered, so questions can no longer be removed.")


class SurveyClosed(Exception):
    """The survey does not take answers now; `str(error)` says why, translated."""


class AlreadyAnswered(Exception):
    """An anonymous survey was answered from another browser: that answer cannot be shown or changed here."""


# The survey and its settings

def survey_of(event: Event) -> Survey | None:
    """The event's survey with its questions and options, or None when it has none yet."""
    return db.session.scalar(
        select(Survey).where(Survey.event_id == event.id)
        .options(selectinload(Survey.questions).selectinload(SurveyQuestion.options))
    )


def create_from_template(event: Event, actor: User | None) -> Survey:
    """Give the event its survey, from the default template; the existing one if it has one."""
    if event.status == EventStatus.CANCELLED:
        raise ValidationError({"form": _("The event is cancelled, so it gets no feedback survey.")})
    if (existing := survey_of(event)) is not None:
        return existing
    survey = Survey(event=event, anonymous=True, reminder_days=3, questions=default_questions())
    db.session.add(survey)
    audit.record(actor, "survey.created", event=event)
    try:
        db.session.commit()
    except IntegrityError:  # created in another request a moment ago (a double click)
        db.session.rollback()
        return survey_of(event)
    return survey


def has_responses(survey: Survey) -> bool:
    first = select(SurveyResponse.id).where(SurveyResponse.survey_id == survey.id).limit(1)
    return db.session.scalar(first) is not None


@dataclass
class SurveySettings:
    """When the survey opens and closes, its reminder, and whether answers are anonymous."""

    anonymous: bool
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    reminder_days: int = 3


def settings_problems(survey: Survey, settings: SurveySettings) -> dict[str, str]:
    """The rules a survey's settings must keep, as translated messages by field name."""
    problems: dict[str, str] = {}
    event = survey.event
    opens = settings.opens_at or event.ends_at
    closes = settings.closes_at or event.ends_at + timedelta(days=DEFAULT_OPEN_DAYS)
    if settings.opens_at and settings.opens_at < event.starts_at:
        problems["opens_at"] = _("The survey can open at the earliest when the event starts.")
    if closes <= opens:
        problems["closes_at"] = _("The survey must close after it opens.")
    if not 0 <= settings.reminder_days <= MAX_REMINDER_DAYS:
        problems["reminder_days"] = _("Choose from 0 (no reminder) to %(n)d days.", n=MAX_REMINDER_DAYS)
    if settings.anonymous != survey.anonymous and has_responses(survey):
        problems["anonymous"] = _(
            "People have already answered, so the survey can no longer change between anonymous and named."
        )
    return problems


def update_settings(survey: Survey, settings: SurveySettings, actor: User | None) -> None:
    """Save the survey's window, reminder and anonymity."""
    problems = settings_problems(survey, settings)
    if problems:
        raise ValidationError(problems)
    changed = [name for name in ("anonymous", "opens_at", "closes_at", "reminder_days")
               if getattr(survey, name) != getattr(settings, name)]
    for name in changed:
        setattr(survey, name, getattr(settings, name))
    if changed:
        audit.record(actor, "survey.changed", event=survey.event, fields=[f"survey_{name}" for name in changed])
    db.session.commit()


# Questions

@dataclass
class QuestionDetails:
    """A question as the organiser writes it; choice answers one per line in each language."""

    kind: str
    text_sv: str = ""
    text_en: str = ""
    required: bool = False
    low_label_sv: str = ""
    low_label_en: str = ""
    high_label_sv: str = ""
    high_label_en: str = ""
    options_sv: list[str] = field(default_factory=list)
    options_en: list[str] = field(default_factory=list)

    @staticmethod
    def lines(text: str) -> list[str]:
        return [line.strip() for line in (text or "").splitlines() if line.strip()]

    @classmethod
    def of(cls, question: SurveyQuestion) -> "QuestionDetails":
        return cls(
            kind=question.kind.value, text_sv=question.text_sv, text_en=question.text_en,
            required=question.required, low_label_sv=question.low_label_sv, low_label_en=question.low_label_en,
            high_label_sv=question.high_label_sv, high_label_en=question.high_label_en,
            options_sv=[o.text_sv for o in question.options], options_en=[o.text_en for o in question.options],
        )


def question_problems(details: QuestionDetails, question: SurveyQuestion | None = None,
                      *, answered: bool = False) -> dict[str, str]:
    """The rules of a question; `answered` when people have already answered the survey."""
    problems: dict[str, str] = {}
    if details.kind not in {kind.value for kind in QuestionKind}:
        return {"kind": _("Choose a kind of question.")}
    kind = QuestionKind(details.kind)
    if not (details.text_sv.strip() or details.text_en.strip()):
        problems["text_sv"] = _("Write the question in Swedish, English or both.")
    for name in ("text_sv", "text_en"):
        if len(getattr(details, name).strip()) > LIMITS["text"]:
            problems[name] = _("At most %(n)d characters.", n=LIMITS["text"])
    for name in ("low_label_sv", "low_label_en", "high_label_sv", "high_label_en"):
        if len(getattr(details, name).strip()) > LIMITS["label"]:
            problems[name] = _("At most %(n)d characters.", n=LIMITS["label"])
    if kind in CHOICE_KINDS:
        problems.update(_option_problems(details))
    if question is not None and answered:
        if kind != question.kind:
            problems["kind"] = _("People have already answered, so the kind of question cannot change.")
        elif kind in CHOICE_KINDS and len(_option_texts(details)) != len(question.options):
            problems["options_sv"] = _(
                "People have already answered, so answers cannot be added or removed; you can still change "
                "their wording."
            )
    return problems


def _option_problems(details: QuestionDetails) -> dict[str, str]:
    swedish, english = details.options_sv, details.options_en
    options = swedish or english
    if len(options) < 2:
        return {"options_sv": _("Give at least two answers to choose from, one per line.")}
    if len(options) > MAX_OPTIONS:
        return {"options_sv": _("At most %(n)d answers to choose from.", n=MAX_OPTIONS)}
    if swedish and english and len(swedish) != len(english):
        return {"options_en": _("Give as many English answers as Swedish ones, in the same order.")}
    if any(len(text) > LIMITS["option"] for text in swedish + english):
        return {"options_sv": _("Each answer can be at most %(n)d characters.", n=LIMITS["option"])}
    return {}


def _option_texts(details: QuestionDetails) -> list[tuple[str, str]]:
    count = len(details.options_sv or details.options_en)
    swedish = details.options_sv or [""] * count
    english = details.options_en or [""] * count
    return list(zip(swedish, english, strict=True))


def _apply(question: SurveyQuestion, details: QuestionDetails) -> None:
    question.kind = QuestionKind(details.kind)
    question.required = details.required
    for name in ("text_sv", "text_en", "low_label_sv", "low_label_en", "high_label_sv", "high_label_en"):
        setattr(question, name, getattr(details, name).strip())
    if question.kind != QuestionKind.RATING:
        question.low_label_sv = question.low_label_en = question.high_label_sv = question.high_label_en = ""
    texts = _option_texts(details) if question.kind in CHOICE_KINDS else []
    # Options keep their ids (and their answers) by position; only a new count adds or removes.
    for position, (text_sv, text_en) in enumerate(texts):
        if position < len(question.options):
            option = question.options[position]
        else:
            option = SurveyOption(position=position)
            question.options.append(option)
        option.position, option.text_sv, option.text_en = position, text_sv, text_en
    del question.options[len(texts):]


def add_question(survey: Survey, details: QuestionDetails, actor: User | None) -> SurveyQuestion:
    """Add a question at the end of the survey."""
    if len(survey.questions) >= MAX_QUESTIONS:
        raise ValidationError({"form": _("A survey can have at most %(n)d questions.", n=MAX_QUESTIONS)})
    problems = question_problems(details)
    if problems:
        raise ValidationError(problems)
    question = SurveyQuestion(position=len(survey.questions))
    _apply(question, details)
    survey.questions.append(question)
    audit.record(actor, "survey.question_added", event=survey.event)
    db.session.commit()
    return question


def update_question(question: SurveyQuestion, details: QuestionDetails, actor: User | None) -> None:
    """Change a question; once people have answered, only its wording and whether it is required."""
    problems = question_problems(details, question, answered=has_responses(question.survey))
    if problems:
        raise ValidationError(problems)
    _apply(question, details)
    audit.record(actor, "survey.question_changed", event=question.survey.event, question=question.id)
    db.session.commit()


def delete_question(question: SurveyQuestion, actor: User | None) -> None:
    """Remove a question, while nobody has answered yet (its answers would be lost)."""
    survey = question.survey
    if has_responses(survey):
        raise ValidationError({"form": str(LOCKED)})
    survey.questions.remove(question)
    _renumber(survey)
    audit.record(actor, "survey.question_removed", event=survey.event)
    db.session.commit()


def move_question(question: SurveyQuestion, step: int, actor: User | None) -> None:
    """Move a question one place up (-1) or down (+1); at either end nothing moves."""
    survey = question.survey
    order = list(survey.questions)
    index = order.index(question)
    other = index + step
    if step not in (-1, 1) or not 0 <= other < len(order):
        return
    order[index], order[other] = order[other], order[index]
    _renumber(survey, order)
    audit.record(actor, "survey.question_moved", event=survey.event, question=question.id)
    db.session.commit()


def _renumber(survey: Survey, order: list[SurveyQuestion] | None = None) -> None:
    for position, question in enumerate(order if order is not None else survey.questions):
        question.position = position


# Answering through the personal link

def find_link(token: str) -> SurveyLink | None:
    """The personal link a token opens; None for anything that is not exactly its token."""
    if not looks_like_token(token):
        return None
    return db.session.scalar(
        select(SurveyLink).where(SurveyLink.token == token).options(
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
    query = select(SurveyResponse).where(SurveyResponse.survey_id == link.survey_id).options(
        selectinload(SurveyResponse.answers)
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


def submit(link: SurveyLink, values: MultiDict, *, edit_key: str | None = None,
           now: datetime | None = None) -> Submitted:
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
    new_key = secrets.token_urlsafe(32)
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
    others = list(db.session.scalars(
        select(SurveyResponse)
        .where(SurveyResponse.survey_id == response.survey_id, SurveyResponse.registration_id.is_(None))
        .order_by(func.random()).limit(HIDING_SET)
        .options(selectinload(SurveyResponse.answers))
    ))
    rows = [(other.id, other.edit_key_hash, [_answer_values(a) for a in other.answers]) for other in others]
    if others:
        ids = [other.id for other in others]
        for other in others:
            db.session.expunge(other)  # with its answers
        db.session.execute(delete(SurveyAnswer).where(SurveyAnswer.response_id.in_(ids)),
                           execution_options={"synchronize_session": False})
        db.session.execute(delete(SurveyResponse).where(SurveyResponse.id.in_(ids)),
                           execution_options={"synchronize_session": False})
    response.id = random_id()
    rows.append((response.id, response.edit_key_hash, answers))
    random = secrets.SystemRandom()
    random.shuffle(rows)
    db.session.add_all(
        SurveyResponse(id=id_, survey_id=response.survey_id, edit_key_hash=key) for id_, key, _ in rows
    )
    db.session.flush()
    kept = [SurveyAnswer(response_id=id_, **values) for id_, _, values_list in rows for values in values_list]
    random.shuffle(kept)
    db.session.add_all(kept)


def _answer_values(answer: SurveyAnswer) -> dict:
    return {"question_id": answer.question_id, "option_id": answer.option_id, "number": answer.number,
            "text": answer.text}


# Invitations and reminders, queued by the mail worker

def _open_surveys(now: datetime):
    """Surveys of held events whose window is open now (opening and closing default to the event's end)."""
    return select(Survey.id).join(Event, Survey.event_id == Event.id).where(
        Event.status.in_(HELD_STATUSES),
        or_(Survey.opens_at <= now, and_(Survey.opens_at.is_(None), Event.ends_at <= now)),
        or_(Survey.closes_at > now,
            and_(Survey.closes_at.is_(None), Event.ends_at > now - timedelta(days=DEFAULT_OPEN_DAYS))),
    )


def eligible_condition():
    """Who is asked for feedback: those who attended; everyone confirmed when nobody was checked in.
    Never an erased registration: its address is gone."""
    other = aliased(Registration)
    checked_in = exists().where(other.event_id == Registration.event_id, other.status == RegistrationStatus.ATTENDED)
    return and_(Registration.erased_at.is_(None), or_(
        Registration.status == RegistrationStatus.ATTENDED,
        and_(Registration.status == RegistrationStatus.CONFIRMED, ~checked_in),
    ))


def send_due_survey_mail(now: datetime | None = None) -> int:
    """Queue the survey invitations and reminders due now; returns how many were queued.

    Each participant is invited once, when the survey opens, and reminded once,
    `reminder_days` before it closes, if they have not answered. Safe with several
    workers: an invitation is claimed by inserting its unique link, a reminder by a
    conditional update.
    """
    now = now or utcnow()
    survey_ids = list(db.session.scalars(_open_surveys(now)))
    if not survey_ids:
        return 0
    return _invite(survey_ids, now) + _remind(survey_ids, now)


def _invite(survey_ids: list[int], now: datetime) -> int:
    already = exists().where(SurveyLink.survey_id == Survey.id, SurveyLink.registration_id == Registration.id)
    pending = db.session.execute(
        select(Survey.id, Registration.id).join(Registration, Registration.event_id == Survey.event_id)
        .where(Survey.id.in_(survey_ids), eligible_condition(), ~already)
        .order_by(Survey.id, Registration.id)
    ).all()
    sent = 0
    for survey_id, registration_id in pending:
        link = SurveyLink(survey_id=survey_id, registration_id=registration_id, invited_at=now)
        db.session.add(link)
        try:
            db.session.flush()
        except IntegrityError:  # another worker invited this person a moment ago
            db.session.rollback()
            continue
        _mail(link, "survey_invitation", _l("What did you think of %(title)s?", title=link.survey.event.title))
        db.session.commit()
        sent += 1
    return sent


def _remind(survey_ids: list[int], now: datetime) -> int:
    survey_ids = _reminders_due(survey_ids, now)
    if not survey_ids:
        return 0
    answered = exists().where(
        SurveyRespondent.survey_id == SurveyLink.survey_id,
        SurveyRespondent.registration_id == SurveyLink.registration_id,
    )
    candidates = db.session.scalars(
        select(SurveyLink)
        .where(SurveyLink.survey_id.in_(survey_ids), SurveyLink.reminded_at.is_(None), ~answered,
               SurveyLink.registration.has(Registration.erased_at.is_(None)))
        .options(selectinload(SurveyLink.survey).selectinload(Survey.event))
        .order_by(SurveyLink.id)
    ).all()
    sent = 0
    for link in candidates:
        due_from = link.survey.closes - timedelta(days=link.survey.reminder_days)
        # Someone invited after the reminder time has a fresh invitation: no reminder on top.
        if link.invited_at >= due_from:
            continue
        claimed = db.session.execute(
            update(SurveyLink).where(SurveyLink.id == link.id, SurveyLink.reminded_at.is_(None))
            .values(reminded_at=now).execution_options(synchronize_session=False)
        ).rowcount
        if claimed:
            _mail(link, "survey_reminder",
                  _l("Reminder: what did you think of %(title)s?", title=link.survey.event.title))
            sent += 1
        db.session.commit()
    return sent


def _reminders_due(survey_ids: list[int], now: datetime) -> list[int]:
    """Those of the open surveys whose reminder time has come: only their links are read."""
    surveys = db.session.scalars(
        select(Survey).where(Survey.id.in_(survey_ids), Survey.reminder_days > 0).options(selectinload(Survey.event))
    )
    return [survey.id for survey in surveys if now >= survey.closes - timedelta(days=survey.reminder_days)]


def _mail(link: SurveyLink, template: str, subject) -> None:
    registration = link.registration
    mail.enqueue(
        registration.email, template, locale=registration.locale, subject=subject, to_name=registration.name,
        event=link.survey.event, registration=registration, survey=link.survey, link=link,
    )

