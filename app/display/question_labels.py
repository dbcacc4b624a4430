"""Translated names of the kinds of registration question (app/models/question.py)."""

from flask_babel import lazy_gettext as _l

from app.models import FormQuestionKind

FORM_QUESTION_KIND_LABELS = {
    FormQuestionKind.SHORT_TEXT: _l("Short text"),
    FormQuestionKind.LONG_TEXT: _l("Long text"),
    FormQuestionKind.SINGLE_CHOICE: _l("Single choice"),
    FormQuestionKind.MULTIPLE_CHOICE: _l("Multiple choice"),
    FormQuestionKind.YES_NO: _l("Yes or no"),
    FormQuestionKind.NUMBER: _l("Number"),
    FormQuestionKind.DATE: _l("Date"),
}


def form_question_kind_choices() -> list[tuple[str, str]]:
    return [(kind.value, label) for kind, label in FORM_QUESTION_KIND_LABELS.items()]
