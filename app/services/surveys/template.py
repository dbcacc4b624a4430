"""The default feedback survey every event starts from.

The texts are translatable source strings; a new survey stores each one resolved in
Swedish and in English, so organisers can then edit them like their own.
"""

from dataclasses import dataclass, field

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.models import QuestionKind, SurveyOption, SurveyQuestion

# The question compared across events (and by region) as the event's rating.
OVERALL = "overall"


@dataclass(frozen=True)
class TemplateQuestion:
    key: str
    kind: QuestionKind
    text: object
    required: bool = False
    low_label: object = ""
    high_label: object = ""
    options: tuple = field(default_factory=tuple)


DEFAULT_QUESTIONS = (
    TemplateQuestion(
        OVERALL,
        QuestionKind.RATING,
        _l("What is your overall rating of the event?"),
        required=True,
        low_label=_l("Very poor"),
        high_label=_l("Very good"),
    ),
    TemplateQuestion(
        "usefulness",
        QuestionKind.RATING,
        _l("How useful was the event for your work?"),
        required=True,
        low_label=_l("Not useful"),
        high_label=_l("Very useful"),
    ),
    TemplateQuestion("most_valuable", QuestionKind.FREE_TEXT, _l("What was most valuable?")),
    TemplateQuestion("could_be_better", QuestionKind.FREE_TEXT, _l("What could have been better?")),
    TemplateQuestion(
        "more_validation",
        QuestionKind.SINGLE_CHOICE,
        _l("Will your organisation work more with validation after the event?"),
        required=True,
        options=(_l("Yes"), _l("Maybe"), _l("No")),
    ),
    TemplateQuestion(
        "future_events",
        QuestionKind.MULTIPLE_CHOICE,
        _l("Which events would you like to take part in later?"),
        options=(
            _l("Inspiration days"),
            _l("Workshops"),
            _l("Regional conferences"),
            _l("National conferences"),
            _l("Webinars"),
        ),
    ),
)


def _both(text) -> tuple[str, str]:
    """The text in Swedish and in English."""
    if not text:
        return "", ""
    with force_locale("sv"):
        swedish = str(text)
    with force_locale("en"):
        english = str(text)
    return swedish, english


def default_questions() -> list[SurveyQuestion]:
    """New, unsaved questions of the default template, in order."""
    questions = []
    for position, spec in enumerate(DEFAULT_QUESTIONS):
        text_sv, text_en = _both(spec.text)
        low_sv, low_en = _both(spec.low_label)
        high_sv, high_en = _both(spec.high_label)
        question = SurveyQuestion(
            position=position,
            kind=spec.kind,
            key=spec.key,
            required=spec.required,
            text_sv=text_sv,
            text_en=text_en,
            low_label_sv=low_sv,
            low_label_en=low_en,
            high_label_sv=high_sv,
            high_label_en=high_en,
        )
        for index, option in enumerate(spec.options):
            option_sv, option_en = _both(option)
            question.options.append(SurveyOption(position=index, text_sv=option_sv, text_en=option_en))
        questions.append(question)
    return questions
