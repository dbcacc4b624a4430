"""Organisers' feedback forms: the survey's settings, its questions, and the result filters."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional

from app.display.labels import question_kind_choices, sector_choices
from app.display.timezones import NonexistentLocalTime, local_naive, local_to_utc
from app.manage.forms import LocalDateTimeField, plausible_year
from app.models import Sector
from app.services.surveys import LIMITS, MAX_REMINDER_DAYS, QuestionDetails, SurveySettings
from app.services.surveys.results import Filters
from app.web.forms import FilterForm, Form, at_most


class SurveySettingsForm(Form):
    """When the survey opens and closes, its reminder, and anonymity; times in Swedish local time."""

    anonymous = RadioField(
        _l("Answers"),
        choices=[
            ("anonymous", _l("Anonymous: answers are not linked to the participant")),
            (
                "named",
                _l("Named: answers are linked to the registration, and can be filtered by sector and municipality"),
            ),
        ],
        validators=[InputRequired(_l("Choose anonymous or named answers."))],
    )
    opens_at = LocalDateTimeField(
        _l("Opens"),
        validators=[Optional(), plausible_year],
        description=_l("Leave empty to open when the event ends."),
    )
    closes_at = LocalDateTimeField(
        _l("Closes"),
        validators=[Optional(), plausible_year],
        description=_l("Leave empty to close 14 days after the event."),
    )
    reminder_days = IntegerField(
        _l("Reminder (days before closing)"),
        default=3,
        validators=[
            InputRequired(_l("Choose from 0 (no reminder) to %(n)d days.", n=MAX_REMINDER_DAYS)),
            NumberRange(
                min=0,
                max=MAX_REMINDER_DAYS,
                message=_l("Choose from 0 (no reminder) to %(n)d days.", n=MAX_REMINDER_DAYS),
            ),
        ],
        description=_l(
            "Those who have not answered get one reminder this many days before the survey closes; 0 sends none."
        ),
    )

    @classmethod
    def for_survey(cls, survey, **kwargs):
        form = cls(**kwargs)
        if not form.is_submitted():
            form.anonymous.data = "anonymous" if survey.anonymous else "named"
            form.opens_at.data = local_naive(survey.opens_at) if survey.opens_at else None
            form.closes_at.data = local_naive(survey.closes_at) if survey.closes_at else None
            form.reminder_days.data = survey.reminder_days
        return form

    def settings(self) -> SurveySettings | None:
        """The settings in UTC; None (with the problem shown) for a time that does not exist."""
        times = {}
        for name in ("opens_at", "closes_at"):
            value = getattr(self, name).data
            try:
                times[name] = local_to_utc(value) if value else None
            except NonexistentLocalTime:
                self.add_problems({name: _l("That time does not exist: clocks skip an hour when summer time begins.")})
        if self.errors:
            return None
        return SurveySettings(
            anonymous=self.anonymous.data == "anonymous",
            reminder_days=self.reminder_days.data,
            **times,
        )


def _text(label, limit, description=None):
    return StringField(label, validators=[at_most(limit)], description=description)


class QuestionForm(Form):
    """One question, in Swedish and English; answers to choose from one per line."""

    kind = SelectField(_l("Kind of question"), validators=[InputRequired(_l("Choose a kind of question."))])
    text_sv = _text(_l("Question in Swedish"), LIMITS["text"])
    text_en = _text(
        _l("Question in English"),
        LIMITS["text"],
        _l("Shown to people who use the site in English; Swedish is shown when this is empty."),
    )
    required = BooleanField(_l("An answer is required"))
    low_label_sv = _text(_l("Label for 1, in Swedish"), LIMITS["label"], _l("Rating only, e.g. “Very poor”."))
    low_label_en = _text(_l("Label for 1, in English"), LIMITS["label"])
    high_label_sv = _text(_l("Label for 5, in Swedish"), LIMITS["label"], _l("Rating only, e.g. “Very good”."))
    high_label_en = _text(_l("Label for 5, in English"), LIMITS["label"])
    options_sv = TextAreaField(
        _l("Answers to choose from, in Swedish"),
        validators=[at_most(5000)],
        description=_l("Single and multiple choice only: one answer per line."),
    )
    options_en = TextAreaField(
        _l("Answers to choose from, in English"),
        validators=[at_most(5000)],
        description=_l("The same answers in the same order, or empty."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = question_kind_choices()

    @classmethod
    def for_question(cls, question, **kwargs):
        form = cls(**kwargs)
        if not form.is_submitted():
            details = QuestionDetails.of(question)
            for name in (
                "kind",
                "text_sv",
                "text_en",
                "required",
                "low_label_sv",
                "low_label_en",
                "high_label_sv",
                "high_label_en",
            ):
                getattr(form, name).data = getattr(details, name)
            form.options_sv.data = "\n".join(details.options_sv)
            form.options_en.data = "\n".join(details.options_en)
        return form

    def details(self) -> QuestionDetails:
        return QuestionDetails(
            kind=self.kind.data or "",
            text_sv=self.text_sv.data or "",
            text_en=self.text_en.data or "",
            required=bool(self.required.data),
            low_label_sv=self.low_label_sv.data or "",
            low_label_en=self.low_label_en.data or "",
            high_label_sv=self.high_label_sv.data or "",
            high_label_en=self.high_label_en.data or "",
            options_sv=QuestionDetails.lines(self.options_sv.data),
            options_en=QuestionDetails.lines(self.options_en.data),
        )


class FeedbackFilterForm(FilterForm):
    """Filters of the results by the respondents' sector and municipality."""

    sector = SelectField(_l("Sector"), validators=[Optional()], validate_choice=True)
    municipality = SelectField(_l("Municipality"), validators=[Optional()], validate_choice=True)

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.sector.choices = [("", _l("All sectors"))] + sector_choices()
        self.municipality.choices = [("", _l("All municipalities"))] + [(m, m) for m in municipalities]

    def filters(self) -> Filters:
        """The filters that validated; invalid ones are shown as errors and not used."""
        self.validate()
        # Optional() lets blank text through without checking the choices: check them here too.
        sector = self.sector.data if self.sector.data in {s.value for s in Sector} else ""
        municipality = self.municipality.data if self.municipality.data in dict(self.municipality.choices) else ""
        return Filters(
            sector=Sector(sector) if sector and not self.sector.errors else None,
            municipality=municipality if not self.municipality.errors else "",
        )
