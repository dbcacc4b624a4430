"""The form of one registration question."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired

from app.display.question_labels import form_question_kind_choices
from app.services.questions import QuestionDetails
from app.services.questions.editing import LIMITS
from app.web.forms import Form, at_most
from app.web.params import record_id


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class RegistrationQuestionForm(Form):
    """A question of the registration form, in Swedish and English, and when it is shown."""

    kind = SelectField(_l("Kind of question"), validators=[InputRequired(_l("Choose a kind of question."))])
    text_sv = StringField(
        _l("Question in Swedish"),
        validators=[DataRequired(_l("Write the question in Swedish.")), at_most(LIMITS["text_sv"])],
    )
    text_en = StringField(_l("Question in English"), validators=[at_most(LIMITS["text_en"])])
    help_sv = StringField(_l("Help text in Swedish"), validators=[at_most(LIMITS["help_sv"])])
    help_en = StringField(_l("Help text in English"), validators=[at_most(LIMITS["help_en"])])
    required = BooleanField(_l("An answer is required"))
    options_sv = TextAreaField(
        _l("Choices in Swedish"),
        description=_l("One per line. Removing a choice keeps the answers already given to it."),
    )
    options_en = TextAreaField(_l("Choices in English"), description=_l("One per line, in the same order."))
    shown_if = SelectField(
        _l("Show the question only when"),
        description=_l("An answer to an earlier single-choice or yes/no question."),
        validate_choice=False,  # the service says which answers a question may depend on
    )

    def __init__(self, *args, conditions: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = form_question_kind_choices()
        self.shown_if.choices = [("", _l("Always"))] + [(str(value), label) for value, label in conditions]

    @classmethod
    def for_question(cls, question, conditions):
        form = cls(conditions=conditions)
        if question is not None and not form.is_submitted():
            form.kind.data = question.kind.value
            form.text_sv.data, form.text_en.data = question.text_sv, question.text_en
            form.help_sv.data, form.help_en.data = question.help_sv, question.help_en
            form.required.data = question.required
            if question.kind.value in ("single_choice", "multiple_choice"):
                form.options_sv.data = "\n".join(o.text_sv for o in question.active_options)
                form.options_en.data = "\n".join(o.text_en for o in question.active_options)
            form.shown_if.data = str(question.shown_if_option_id or "")
        return form

    def details(self) -> QuestionDetails:
        return QuestionDetails(
            kind=self.kind.data or "",
            text_sv=self.text_sv.data or "",
            text_en=self.text_en.data or "",
            help_sv=self.help_sv.data or "",
            help_en=self.help_en.data or "",
            required=bool(self.required.data),
            options_sv=_lines(self.options_sv.data),
            options_en=_lines(self.options_en.data),
            shown_if_option_id=record_id(self.shown_if.data),
        )
