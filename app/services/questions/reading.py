"""Answers read back: per registration for the lists, the CSV and the printable list; the
counts per choice on the event's page; the filter choices; the personal-data export.

Each reads all it needs in one or two statements, whatever the number of questions or people.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.display.formatting import day as format_day
from app.extensions import db
from app.models import (
    Event,
    FormAnswer,
    FormQuestion,
    FormQuestionKind,
    Registration,
)
from app.services.questions.answers import CheckedAnswers
from app.services.questions.answers import event_questions as questions_of


def _shown(question: FormQuestion, answers: list[FormAnswer], locale: str) -> str:
    if question.is_choice:
        texts = {option.id: option.text(locale) for option in question.options}
        return ", ".join(texts.get(a.option_id, "") for a in answers if a.option_id)
    values = [a.text or "" for a in answers]
    if question.kind == FormQuestionKind.NUMBER:
        values = [value.replace(".", ",") for value in values]  # the Swedish decimal sign
    elif question.kind == FormQuestionKind.DATE:
        values = [format_day(date.fromisoformat(v)) if v else "" for v in values]
    return ", ".join(values)


def checked_pairs(checked: CheckedAnswers, locale: str) -> list[tuple[str, str]]:
    """(question, answer) for what a person has just answered, in form order and before it is
    saved: what their confirmation mail repeats. Texts in `locale` (called under it)."""
    pairs = []
    for question in checked.questions:
        value = checked.values.get(question.id)
        if value:
            # Unsaved rows, only to be shown as saved ones are.
            answers = [FormAnswer(option_id=v) for v in value] if isinstance(value, list) else [FormAnswer(text=value)]
            pairs.append((question.text(locale), _shown(question, answers, locale)))
    return pairs


@dataclass
class AnswerTable:
    """The answers of a set of registrations, ready to show: `columns` are the questions
    (archived ones last, when asked for), `cell(registration, question)` the answer as text."""

    columns: list[FormQuestion]
    answers: dict[int, dict[int, list[FormAnswer]]]
    locale: str

    def cell(self, registration: Registration, question: FormQuestion) -> str:
        return _shown(question, self.answers.get(registration.id, {}).get(question.id, []), self.locale)

    def row(self, registration: Registration) -> list[str]:
        return [self.cell(registration, question) for question in self.columns]

    def headers(self) -> list[str]:
        return [
            question.text(self.locale)
            if question.archived_at is None
            else _("%(question)s (removed)", question=question.text(self.locale))
            for question in self.columns
        ]

    def pairs(self, registration: Registration) -> list[tuple[str, str]]:
        """(question, answer) for the questions this registration answered."""
        return [
            (q.text(self.locale), text) for q, text in zip(self.columns, self.row(registration), strict=True) if text
        ]


def answer_table(
    event: Event,
    event_questions: list[FormQuestion],
    registrations: list[Registration],
    *,
    locale: str,
    archived: bool = False,
) -> AnswerTable:
    """The answers of these registrations to the event's questions (`event_questions(event)`;
    archived ones too with `archived`, as the CSV has them), in one statement."""
    questions = [q for q in event_questions if archived or q.archived_at is None]
    by_registration: dict[int, dict[int, list[FormAnswer]]] = {}
    ids = [registration.id for registration in registrations]
    if questions and ids:
        query = select(FormAnswer).order_by(FormAnswer.id)
        # Every registration of a big list: the event's answers in one go beats a huge IN list.
        query = (
            query.where(FormAnswer.registration_id.in_(ids))
            if len(ids) <= 500
            else query.join(Registration).where(Registration.event_id == event.id)
        )
        for answer in db.session.scalars(query):
            by_registration.setdefault(answer.registration_id, {}).setdefault(answer.question_id, []).append(answer)
    return AnswerTable(questions, by_registration, locale)


def choice_counts(event: Event, locale: str) -> list[tuple[FormQuestion, list[tuple[str, int]]]]:
    """Per asked choice question, how many with a seat chose each option ("42 Ja, 5 Nej")."""
    questions = [q for q in questions_of(event) if q.archived_at is None and q.is_choice]
    if not questions:
        return []
    counts = dict(
        db.session.execute(
            select(FormAnswer.option_id, func.count())
            .join(Registration, Registration.id == FormAnswer.registration_id)
            .where(
                Registration.event_id == event.id,
                Registration.holds_seat,
                FormAnswer.question_id.in_([q.id for q in questions]),
            )
            .group_by(FormAnswer.option_id)
        ).all()
    )
    return [(q, [(o.text(locale), counts.get(o.id, 0)) for o in q.active_options]) for q in questions]


def answered_with(option_id: int):
    """A condition on Registration: the person chose this option (the list's answer filter)."""
    return Registration.id.in_(select(FormAnswer.registration_id).where(FormAnswer.option_id == option_id))


def filter_choices(questions: list[FormQuestion], locale: str) -> list[tuple[str, str]]:
    """The participant list's "answer" filter: every option of the asked choice questions."""
    return [
        (str(option.id), f"{question.text(locale)}: {option.text(locale)}")
        for question in questions
        if question.archived_at is None and question.is_choice
        for option in question.active_options
    ]


def export_answers(registration: Registration) -> list[dict]:
    """The registration's answers for its personal-data export, archived questions included."""
    answers: dict[int, list[FormAnswer]] = {}
    for answer in db.session.scalars(
        select(FormAnswer).where(FormAnswer.registration_id == registration.id).order_by(FormAnswer.id)
    ):
        answers.setdefault(answer.question_id, []).append(answer)
    if not answers:
        return []
    locale = registration.locale
    return [
        {"question": question.text(locale), "answer": _shown(question, answers[question.id], locale)}
        for question in questions_of(registration.event)
        if question.id in answers
    ]
