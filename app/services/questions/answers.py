"""The questions a registration form asks, checking a person's answers, and saving them.

A question shown only when an earlier answer has a given value is checked only when it is
shown: when it is hidden it is not required, and whatever was sent for it is dropped, so a
form filled without JavaScript (where every question shows) keeps only what applies.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import delete, or_, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import CHOICE_KINDS, Event, FormAnswer, FormQuestion, FormQuestionKind, FormQuestionOption, Registration
from app.models.types import utcnow

# Longest answer kept, by kind; longer input is refused, never cut.
TEXT_LIMITS = {FormQuestionKind.SHORT_TEXT: 300, FormQuestionKind.LONG_TEXT: 2000}
NUMBER_LIMIT = Decimal("1000000000")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f]")


def field_name(question: FormQuestion | int) -> str:
    """The form field (and problem key) of a question."""
    return f"q-{question if isinstance(question, int) else question.id}"


def event_questions(event: Event) -> list[FormQuestion]:
    """All the event's questions, archived ones too, with their options, in form order (two
    statements; none for an event that never had a question)."""
    if not event.has_form_questions:
        return []
    return list(
        db.session.scalars(
            select(FormQuestion)
            .options(selectinload(FormQuestion.options))
            .where(FormQuestion.event_id == event.id)
            .order_by(FormQuestion.archived_at.is_not(None), FormQuestion.position, FormQuestion.id)
        )
    )


def answers_locked(event: Event, now: datetime | None = None) -> bool:
    """Whether answers can no longer change: once registration has closed, organisers plan
    (the dinner, the food) with the answers they have."""
    now = now or utcnow()
    closes = event.registration_closes_at
    return (closes is not None and closes <= now) or event.starts_at <= now


def asked_questions(questions: list[FormQuestion]) -> list[FormQuestion]:
    return [question for question in questions if question.archived_at is None]


@dataclass
class CheckedAnswers:
    """What a person answered, checked: the values to save, and the problems by field name."""

    questions: list[FormQuestion]
    # question id → chosen option ids, or the text; hidden and empty questions are left out.
    values: dict[int, list[int] | str] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)


def shown(question: FormQuestion, chosen: dict[int, list[int]]) -> bool:
    """Whether the question applies, given the options chosen so far (question id → option ids)."""
    if question.shown_if_option_id is None:
        return True
    return any(question.shown_if_option_id in options for options in chosen.values())


def check_answers(questions: list[FormQuestion], raw: dict[int, list[str]]) -> CheckedAnswers:
    """Check what was sent for the asked questions (question id → the submitted strings)."""
    checked = CheckedAnswers(asked_questions(questions))
    chosen: dict[int, list[int]] = {}  # in form order, so a condition sees the answers before it
    for question in checked.questions:
        if not shown(question, chosen):
            continue
        sent = [value.strip() for value in raw.get(question.id, []) if value and value.strip()]
        try:
            value = _parse(question, sent)
        except ValueError as problem:
            checked.problems[field_name(question)] = str(problem)
            continue
        if not value:
            if question.required:
                checked.problems[field_name(question)] = _("This question needs an answer.")
            continue
        checked.values[question.id] = value
        if question.is_choice:
            chosen[question.id] = value
    return checked


def _parse(question: FormQuestion, sent: list[str]) -> list[int] | str:
    kind = question.kind
    if kind in CHOICE_KINDS:
        offered = {str(option.id): option.id for option in question.active_options}
        picked = list(dict.fromkeys(offered.get(value) for value in sent))
        if None in picked:
            raise ValueError(_("Choose one of the answers offered."))
        if len(picked) > 1 and kind != FormQuestionKind.MULTIPLE_CHOICE:
            raise ValueError(_("Choose only one answer."))
        return picked
    text = sent[0] if sent else ""
    if len(sent) > 1:
        raise ValueError(_("Give one answer."))
    if not text:
        return ""
    if kind in TEXT_LIMITS:
        if kind == FormQuestionKind.LONG_TEXT:  # a browser sends a text area's line breaks as CRLF
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        if len(text) > TEXT_LIMITS[kind]:
            raise ValueError(_("At most %(n)d characters.", n=TEXT_LIMITS[kind]))
        bad = SINGLE_LINE if kind == FormQuestionKind.SHORT_TEXT else CONTROL_CHARACTERS
        if bad.search(text):
            raise ValueError(_("Write it on one line, without special characters."))
        return text
    if kind == FormQuestionKind.NUMBER:
        return _number(text)
    return _date(text)


def _number(text: str) -> str:
    compact = text.replace(" ", "").replace("\u00a0", "").replace(",", ".")
    try:
        number = Decimal(compact)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or abs(number) >= NUMBER_LIMIT or len(compact) > 20:
        raise ValueError(_("Enter a number, for example 12 or 2,5."))
    return format(number.normalize(), "f") if number != number.to_integral() else str(int(number))


def _date(text: str) -> str:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        day = None
    if day is None or not 1900 <= day.year <= 2100:
        raise ValueError(_("Enter a date as YYYY-MM-DD, for example 2026-05-04."))
    return day.isoformat()


def save_answers(registration: Registration, checked: CheckedAnswers, *, new: bool = False) -> None:
    """Replace the registration's answers to the asked questions; the caller commits.
    `new`: the registration was just made and has no answers to replace.

    Answers to archived questions stay as they are: the form no longer asks them. So does a
    choice the organiser has since renamed or removed (the form no longer offers it), unless
    the person answered that question anew.
    """
    if not checked.questions:
        return
    db.session.flush()  # a new registration needs its id
    if not new:
        archived = select(FormQuestionOption.id).where(FormQuestionOption.archived_at.is_not(None))
        db.session.execute(
            delete(FormAnswer).where(
                FormAnswer.registration_id == registration.id,
                FormAnswer.question_id.in_([question.id for question in checked.questions]),
                or_(
                    FormAnswer.question_id.in_(list(checked.values)),
                    FormAnswer.option_id.is_(None),
                    FormAnswer.option_id.not_in(archived),
                ),
            )
        )
    rows = []
    for question_id, value in checked.values.items():
        if isinstance(value, list):
            rows += [{"question_id": question_id, "option_id": option_id, "text": None} for option_id in value]
        else:
            rows.append({"question_id": question_id, "option_id": None, "text": value})
    if rows:
        # The table's own insert: one executemany, where the ORM's splits rows by their None values.
        db.session.execute(FormAnswer.__table__.insert(), [{"registration_id": registration.id, **row} for row in rows])


def raw_answers_of(registration: Registration) -> dict[int, list[str]]:
    """A registration's saved answers as the form sends them, to fill in its form."""
    raw: dict[int, list[str]] = {}
    for answer in db.session.scalars(select(FormAnswer).where(FormAnswer.registration_id == registration.id)):
        raw.setdefault(answer.question_id, []).append(str(answer.option_id) if answer.option_id else answer.text or "")
    return raw
