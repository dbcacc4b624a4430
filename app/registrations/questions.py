"""The event's own questions in a registration form (public, by invitation, the participant's
own page): read from the posted form, checked with the other fields, shown with their errors.

The fields are plain inputs named q-<id> rather than WTForms fields: the set differs per event,
and a multiple choice posts several values under one name.
"""

from dataclasses import dataclass

from flask import request

from app.display.i18n import current_locale
from app.models import Event, FormQuestion, Registration
from app.services import questions as questions_service
from app.services.questions import CheckedAnswers
from app.services.questions.answers import field_name


@dataclass
class QuestionField:
    """One question as the template shows it."""

    question: FormQuestion
    name: str
    values: list[str]
    error: str | None
    label: str
    help: str
    # "Answer only if …", for a question shown on an earlier answer (all show without JavaScript).
    condition: str | None
    condition_option: int | None

    @property
    def kind(self) -> str:
        return self.question.kind.value

    @property
    def value(self) -> str:
        return self.values[0] if self.values else ""

    @property
    def shown(self) -> str:
        """The answer as text, to read."""
        if self.question.is_choice:
            labels = dict(self.options())
            return ", ".join(labels.get(value, "") for value in self.values)
        return ", ".join(self.values)

    def options(self) -> list[tuple[str, str]]:
        locale = current_locale()
        return [(str(option.id), option.text(locale)) for option in self.question.active_options]


class QuestionFields:
    """The asked questions of an event with what was sent (or saved) for them."""

    def __init__(self, event_questions: list[FormQuestion], raw: dict[int, list[str]], *, locked: bool = False):
        self.all = event_questions
        # Registration has closed: the answers are shown, not asked, and what is sent is ignored.
        self.locked = locked
        self.asked = questions_service.asked_questions(event_questions)
        self.raw = raw
        self.problems: dict[str, str] = {}
        self.checked: CheckedAnswers | None = None

    def validate(self) -> bool:
        if self.locked:
            return True
        self.checked = questions_service.check_answers(self.all, self.raw)
        self.problems = dict(self.checked.problems)
        return not self.problems

    def take_problems(self, problems: dict[str, str]) -> dict[str, str]:
        """Keep the problems that are this part's; return the others."""
        mine = {name for name in problems if name.startswith("q-")}
        self.problems.update({name: problems[name] for name in mine})
        return {name: message for name, message in problems.items() if name not in mine}

    def answers(self) -> CheckedAnswers | None:
        if self.locked:
            return None
        if self.checked is None:
            self.validate()
        return self.checked

    def fields(self) -> list[QuestionField]:
        locale = current_locale()
        option_labels = {o.id: (q, o) for q in self.all for o in q.options}
        shown = []
        for question in self.asked:
            condition = None
            if question.shown_if_option_id in option_labels:
                parent, option = option_labels[question.shown_if_option_id]
                condition = f"{parent.text(locale)} – {option.text(locale)}"
            name = field_name(question)
            shown.append(
                QuestionField(
                    question=question,
                    name=name,
                    values=self.raw.get(question.id, []),
                    error=self.problems.get(name),
                    label=question.text(locale),
                    help=question.help(locale),
                    condition=condition,
                    condition_option=question.shown_if_option_id,
                )
            )
        return shown

    def error_targets(self) -> list[tuple[str, str, str]]:
        """The questions' problems for the form's error summary: (name, the input to jump to
        (a group's first option), message), as app.web.forms.error_list gives the others."""
        found = []
        for f in self.fields():
            if f.error:
                options = f.options() if f.question.is_choice else []
                found.append((f.name, f"{f.name}-{options[0][0]}" if options else f.name, f.error))
        return found

    def __bool__(self) -> bool:
        return bool(self.asked)


def attach_questions(form, event: Event, registration: Registration | None = None) -> None:
    """Give the form the event's questions, filled from the post or the saved answers, and
    leave out the fixed fields the event asks as questions instead."""
    event_questions = questions_service.event_questions(event)
    locked = registration is not None and questions_service.answers_locked(event)
    if form.is_submitted() and not locked:
        raw = {q.id: request.form.getlist(field_name(q)) for q in questions_service.asked_questions(event_questions)}
    elif registration is not None:
        raw = questions_service.raw_answers_of(registration) if event_questions else {}  # or locked
    else:
        raw = {}
    form.questions = QuestionFields(event_questions, raw, locked=locked)
    for name in set(questions_service.FIXED_FIELDS) - set(questions_service.fixed_fields_asked(event_questions)):
        if name in form:
            del form[name]
