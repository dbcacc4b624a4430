"""An event's own registration questions.

templates  the common questions organisers pick from (dietary and accessibility needs among them)
editing    adding, changing, moving and archiving questions; a fixed field turned into a question
answers    the questions a form asks, checking what a person answered (conditions honoured), saving it
reading    answers shown back: per registration, in lists and CSV, counts per choice, the export
"""

from app.services.questions.answers import (
    CheckedAnswers,
    answers_locked,
    asked_questions,
    check_answers,
    event_questions,
    raw_answers_of,
    save_answers,
)
from app.services.questions.editing import (
    QuestionDetails,
    add_question,
    add_template,
    archive,
    condition_choices,
    convert_fixed_field,
    copy_questions,
    fixed_fields_asked,
    move,
    update_question,
)
from app.services.questions.reading import (
    AnswerTable,
    answer_table,
    answered_with,
    checked_pairs,
    choice_counts,
    export_answers,
    filter_choices,
)
from app.services.questions.templates import FIXED_FIELDS, TEMPLATES

__all__ = [
    "FIXED_FIELDS",
    "TEMPLATES",
    "AnswerTable",
    "CheckedAnswers",
    "QuestionDetails",
    "add_question",
    "add_template",
    "answer_table",
    "answers_locked",
    "answered_with",
    "archive",
    "asked_questions",
    "check_answers",
    "checked_pairs",
    "choice_counts",
    "condition_choices",
    "convert_fixed_field",
    "copy_questions",
    "event_questions",
    "export_answers",
    "filter_choices",
    "fixed_fields_asked",
    "move",
    "raw_answers_of",
    "save_answers",
    "update_question",
]
