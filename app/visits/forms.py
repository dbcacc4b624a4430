"""The public visit request form and the region contact's answer to a proposal."""

import datetime

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.display.labels import kind_choices, sector_choices
from app.services.regions import all_regions
from app.services.visits import LIMITS, MAX_AUDIENCE, NOTE_LIMIT, Period, VisitDetails
from app.web.forms import Form, at_most


class DayField(DateField):
    """A date typed as YYYY-MM-DD (what a date input sends), refused with a translated message."""

    def __init__(self, label, **kwargs):
        super().__init__(label, format="%Y-%m-%d", validators=[Optional()], **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = datetime.datetime.strptime(valuelist[0].strip(), "%Y-%m-%d").date()
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter a date as YYYY-MM-DD.")) from None


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes, which are easier to use than a multiple select."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        # The service says which values are unknown, in words people understand.
        pass


class PeriodFields:
    """The preferred period: an earliest and a latest date, or words, or both."""

    period_start = DayField(_l("Earliest date"))
    period_end = DayField(_l("Latest date"), description=_l("Leave empty if one day suits you."))
    period_text = StringField(
        _l("Or describe the period"),
        validators=[at_most(LIMITS["period_text"])],
        description=_l('For example "autumn 2027" or "a Tuesday in March".'),
    )

    def period(self) -> Period:
        return Period(self.period_start.data, self.period_end.data, self.period_text.data or "")


class VisitFieldsForm(PeriodFields, Form):
    """What a visit request holds; the public form and the organisers' proposal share it."""

    region = SelectField(_l("Region"), validators=[InputRequired(_l("Choose a region."))])
    contact_name = StringField(
        _l("Contact person"),
        validators=[DataRequired(_l("Enter the contact person's name.")), at_most(LIMITS["contact_name"])],
    )
    contact_email = EmailField(
        _l("Email address"),
        validators=[DataRequired(_l("Enter a valid email address.")), at_most(LIMITS["contact_email"])],
    )
    contact_phone = TelField(_l("Phone"), validators=[at_most(LIMITS["contact_phone"])])
    organisation = StringField(
        _l("Organisation"),
        validators=[at_most(LIMITS["organisation"])],
        description=_l("For example the region, a municipality or a school."),
    )
    kind = SelectField(_l("Kind of event"), validators=[InputRequired(_l("Choose the kind of event."))])
    audience_sectors = CheckboxesField(_l("Who is the event for?"))
    audience_size = IntegerField(
        _l("Expected number of participants"),
        validators=[
            Optional(),
            NumberRange(min=1, max=MAX_AUDIENCE, message=_l("Enter a number from 1 to %(n)d.", n=MAX_AUDIENCE)),
        ],
    )
    message = TextAreaField(_l("Message"), validators=[at_most(LIMITS["message"])])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.region.choices = [("", _l("Choose…"))] + [(region.code, region.name) for region in all_regions()]
        self.kind.choices = [("", _l("Choose…"))] + kind_choices()
        self.audience_sectors.choices = sector_choices()

    def details(self) -> VisitDetails:
        return VisitDetails(
            region_code=self.region.data or "",
            contact_name=self.contact_name.data or "",
            contact_email=self.contact_email.data or "",
            contact_phone=self.contact_phone.data or "",
            organisation=self.organisation.data or "",
            kind=self.kind.data or "",
            period_start=self.period_start.data,
            period_end=self.period_end.data,
            period_text=self.period_text.data or "",
            audience_sectors=list(self.audience_sectors.data or []),
            audience_size=self.audience_size.data,
            message=self.message.data or "",
            consent=bool(getattr(self, "consent", None) and self.consent.data),
        )


class VisitRequestForm(VisitFieldsForm):
    """A region asks for a visit; no account needed."""

    consent = BooleanField(
        _l("I agree that these details are kept and used as the privacy notice describes."),
        validators=[DataRequired(_l("You need to agree to the privacy notice to send the request."))],
    )

    # The requester is the contact person: the field and its error both say "your name".
    contact_name = StringField(
        _l("Your name"),
        validators=[DataRequired(_l("Enter your name.")), at_most(LIMITS["contact_name"])],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.contact_email.description = _l("We send the confirmation and the link to follow your request here.")
        self.message.description = _l("Tell us what you would like the event to give your region.")


class ProposalAnswerForm(PeriodFields, Form):
    """The region's contact answers a proposal: yes, no, or another period."""

    choice = RadioField(
        _l("Your answer"),
        choices=[
            ("accept", _l("Yes, we would like the visit")),
            ("decline", _l("No, thank you")),
            ("suggest", _l("Yes, but in another period")),
        ],
        validators=[InputRequired(_l("Choose an answer."))],
        validate_choice=False,
    )
    message = TextAreaField(_l("Message (optional)"), validators=[at_most(NOTE_LIMIT)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.period_start.description = _l("Only when you suggest another period.")
