"""Feedback surveys: one per event from the default template, its questions, the answers
through each participant's personal link (named or anonymous), and the survey mail.

editing        the survey of an event, its settings and questions
answering      answering through the personal link
mailing        the survey invitations and reminders, queued by the mail worker
template       the default questions
results        the results with charts and filters, and the CSV export
reports        the event report, and ratings compared across events
"""

from app.services.surveys.answering import (
    ANSWER_LIMIT,
    HIDING_SET,
    MISSING,
    YES_NO,
    AlreadyAnswered,
    Submitted,
    SurveyClosed,
    closed_reason,
    edit_key_hash,
    find_link,
    form_values,
    has_answered,
    read_answers,
    response_for,
    submit,
)
from app.services.surveys.editing import (
    LIMITS,
    LOCKED,
    MAX_OPTIONS,
    MAX_QUESTIONS,
    MAX_REMINDER_DAYS,
    QuestionDetails,
    SurveySettings,
    add_question,
    create_from_template,
    delete_question,
    has_responses,
    move_question,
    question_problems,
    settings_problems,
    survey_of,
    update_question,
    update_settings,
)
from app.services.surveys.mailing import HELD_STATUSES, eligible_condition, send_due_survey_mail

__all__ = [
    "ANSWER_LIMIT",
    "AlreadyAnswered",
    "HELD_STATUSES",
    "HIDING_SET",
    "LIMITS",
    "LOCKED",
    "MAX_OPTIONS",
    "MAX_QUESTIONS",
    "MAX_REMINDER_DAYS",
    "MISSING",
    "QuestionDetails",
    "Submitted",
    "SurveyClosed",
    "SurveySettings",
    "YES_NO",
    "add_question",
    "closed_reason",
    "create_from_template",
    "delete_question",
    "edit_key_hash",
    "eligible_condition",
    "find_link",
    "form_values",
    "has_answered",
    "has_responses",
    "move_question",
    "question_problems",
    "read_answers",
    "response_for",
    "send_due_survey_mail",
    "settings_problems",
    "submit",
    "survey_of",
    "update_question",
    "update_settings",
]
