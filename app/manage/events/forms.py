"""The event form: an event's details as an organiser types them."""

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
    URLField,
)
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.display.labels import kind_choices
from app.display.timezones import NonexistentLocalTime, local_naive, local_to_utc
from app.manage.forms import DATETIME_MESSAGE, LocalDateTimeField, plausible_year
from app.models import MAX_REMINDER_DAYS, EventKind
from app.services.accounts.users import organisers
from app.services.events import MAX_RETENTION_MONTHS, EventDetails, problems_with
from app.services.regions import all_regions, region_by_code
from app.web.forms import Form, at_most, web_address

MAX_CAPACITY = 100_000
TIME_FIELDS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")


def _local_datetime(label, required=False):
    validators = [InputRequired(DATETIME_MESSAGE)] if required else [Optional()]
    return LocalDateTimeField(label, validators=[*validators, plausible_year])


class OrganiserChoiceField(SelectMultipleField):
    """The co-organisers as checkboxes: a multiple select needs Ctrl-click, which few know."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class EventForm(Form):
    """An event's details as an organiser types them, in Swedish local time."""

    title = StringField(_l("Title"), validators=[DataRequired(_l("Give the event a title.")), at_most(200)])
    kind = SelectField(_l("Kind of event"), validators=[InputRequired()])
    region = SelectField(_l("Region"), validators=[Optional()])
    description = TextAreaField(
        _l("Description"),
        validators=[at_most(20000)],
        description=_l("You can use Markdown: **bold**, *italic*, lists and links."),
    )
    starts_at = _local_datetime(_l("Starts"), required=True)
    ends_at = _local_datetime(_l("Ends"), required=True)
    venue_name = StringField(_l("Venue"), validators=[at_most(200)])
    venue_address = StringField(_l("Street address"), validators=[at_most(200)])
    venue_city = StringField(_l("City"), validators=[at_most(100)])
    online_url = URLField(
        _l("Online link"),
        validators=[Optional(), web_address, at_most(500)],
    )
    online_url_private = BooleanField(
        _l("Only for registered participants"),
        description=_l(
            "The link is sent in the confirmation and the reminder and shown on each participant's own page, "
            "never on the public page, in the API or in calendar feeds."
        ),
    )
    contact_name = StringField(
        _l("Contact person"),
        validators=[at_most(120)],
        description=_l("Shown on the event's page and in every email to participants."),
    )
    contact_email = EmailField(
        _l("Contact's email address"),
        validators=[at_most(254)],
        description=_l("Participants' replies to the event's emails go here."),
    )
    contact_phone = TelField(_l("Contact's phone"), validators=[at_most(40)])
    capacity = IntegerField(
        _l("Capacity"),
        validators=[
            Optional(),
            NumberRange(min=1, message=_l("Capacity must be at least 1, or empty for no limit.")),
            NumberRange(max=MAX_CAPACITY, message=_l("Capacity can be at most %(max)d.", max=MAX_CAPACITY)),
        ],
        description=_l("Leave empty for no limit."),
    )
    registration_opens_at = _local_datetime(_l("Registration opens"))
    registration_closes_at = _local_datetime(_l("Registration closes"))
    invitation_only = BooleanField(_l("Invitation only (registration only through an invitation link)"))
    reminder_days = IntegerField(
        _l("Reminder (days before)"),
        default=2,
        validators=[
            Optional(),
            NumberRange(
                min=0,
                max=MAX_REMINDER_DAYS,
                message=_l(
                    "Choose from 0 (no reminder) to %(n)d days.",
                    n=MAX_REMINDER_DAYS,
                ),
            ),
        ],
        description=_l("Confirmed participants get a reminder this many days before the event; 0 sends none."),
    )
    retention_months = IntegerField(
        _l("Keep participants' personal data (months after the event)"),
        default=lambda: current_app.config["REGISTRATION_RETENTION_MONTHS"],
        validators=[
            Optional(),
            NumberRange(
                min=1,
                max=MAX_RETENTION_MONTHS,
                message=_l(
                    "Choose from 1 to %(n)d months.",
                    n=MAX_RETENTION_MONTHS,
                ),
            ),
        ],
        description=_l("After this, names and contact details are erased; the counts in reports stay."),
    )
    certificate_with_survey = BooleanField(
        _l("Attach the certificate of attendance to the feedback survey's email"),
        description=_l("Sent to those checked in; they can always download it from their own page."),
    )
    organisers = OrganiserChoiceField(
        _l("Organisers"),
        coerce=int,
        validators=[Optional()],
        description=_l("Everyone ticked may manage the event. You stay an organiser."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = kind_choices()
        self.region.choices = [("", _l("None (national)"))] + [
            (region.code, f"{region.code} {region.name}") for region in all_regions()
        ]
        self._people = {user.id: user for user in organisers()}
        self.organisers.choices = [(user.id, f"{user.name} ({user.email})") for user in self._people.values()]

    @classmethod
    def for_new_event(cls, author, **kwargs):
        """An empty form whose contact is the author, who can name someone else."""
        form = cls(**kwargs)
        if not form.is_submitted():
            form.contact_name.data = author.name
            form.contact_email.data = author.email
            if author.region:
                form.region.data = author.region.code
        return form

    @classmethod
    def for_event(cls, event, **kwargs):
        """The form filled from a stored event, times shown in local time."""
        form = cls(obj=event, **kwargs)
        if not form.is_submitted():
            form.kind.data = event.kind.value
            form.region.data = event.region.code if event.region else ""
            for name in TIME_FIELDS:
                getattr(form, name).data = local_naive(getattr(event, name))
            form.organisers.data = [user.id for user in event.organisers]
        return form

    def validate(self, extra_validators=None) -> bool:
        """Field checks first, then the event rules of the service, shown next to their fields."""
        if not super().validate(extra_validators):
            return False
        times = {name: self._utc(name) for name in TIME_FIELDS}
        if self.errors:
            return False
        self.details = self._details(times)
        problems = problems_with(self.details)
        self.add_problems(problems)
        return not problems

    def _utc(self, name: str):
        """The field's Stockholm wall-clock time in UTC; a time skipped by summer time is an error."""
        value = getattr(self, name).data
        if value is None:
            return None
        try:
            return local_to_utc(value)
        except NonexistentLocalTime:
            self.add_problems({name: _("That time does not exist: clocks skip an hour when summer time begins.")})
            return None

    def _details(self, times: dict) -> EventDetails:
        return EventDetails(
            kind=EventKind(self.kind.data),
            title=self.title.data or "",
            description=self.description.data or "",
            region=region_by_code(self.region.data),
            venue_name=self.venue_name.data or "",
            venue_address=self.venue_address.data or "",
            venue_city=self.venue_city.data or "",
            online_url=self.online_url.data or "",
            online_url_private=bool(self.online_url_private.data),
            certificate_with_survey=bool(self.certificate_with_survey.data),
            contact_name=self.contact_name.data or "",
            contact_email=self.contact_email.data or "",
            contact_phone=self.contact_phone.data or "",
            capacity=self.capacity.data,
            invitation_only=bool(self.invitation_only.data),
            reminder_days=2 if self.reminder_days.data is None else self.reminder_days.data,
            retention_months=(
                current_app.config["REGISTRATION_RETENTION_MONTHS"]
                if self.retention_months.data is None
                else self.retention_months.data
            ),
            organisers=[self._people[i] for i in self.organisers.data or [] if i in self._people],
            **times,
        )
