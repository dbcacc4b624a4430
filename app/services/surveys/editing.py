"""The survey of an event, its settings and its questions."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (
    MAX_REMINDER_DAYS,
    Event,
    EventStatus,
    QuestionKind,
    Survey,
    SurveyOption,
    SurveyQuestion,
    SurveyResponse,
    User,
)
from app.models.survey import CHOICE_KINDS, DEFAULT_OPEN_DAYS
from app.services import ValidationError, audit
from app.services.surveys.template import default_questions

MAX_QUESTIONS = 50


MAX_OPTIONS = 20


LIMITS = {"text": 500, "label": 100, "option": 200}


LOCKED = _l("People have already answered, so questions can no longer be removed.")


def survey_of(event: Event) -> Survey | None:
    """The event's survey with its questions and options, or None when it has none yet."""
    return db.session.scalar(
        select(Survey)
        .where(Survey.event_id == event.id)
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
    changed = [
        name
        for name in ("anonymous", "opens_at", "closes_at", "reminder_days")
        if getattr(survey, name) != getattr(settings, name)
    ]
    for name in changed:
        setattr(survey, name, getattr(settings, name))
    if changed:
        audit.record(actor, "survey.changed", event=survey.event, fields=[f"survey_{name}" for name in changed])
    db.session.commit()


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
            kind=question.kind.value,
            text_sv=question.text_sv,
            text_en=question.text_en,
            required=question.required,
            low_label_sv=question.low_label_sv,
            low_label_en=question.low_label_en,
            high_label_sv=question.high_label_sv,
            high_label_en=question.high_label_en,
            options_sv=[o.text_sv for o in question.options],
            options_en=[o.text_en for o in question.options],
        )


def question_problems(
    details: QuestionDetails, question: SurveyQuestion | None = None, *, answered: bool = False
) -> dict[str, str]:
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
    del question.options[len(texts) :]


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
