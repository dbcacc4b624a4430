"""Forms of the invitations and address-book pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.display.labels import invitation_status_choices, sector_choices
from app.models import InvitationStatus, Sector
from app.services.contacts import LIMITS, ContactDetails
from app.services.events import all_regions, region_by_code
from app.web.converters import MAX_ID
from app.web.forms import FilterSelectField, Form, at_most
from app.web.params import record_id

# Optional() lets blank-looking values (" ", "\r") past the choice check: use only known ones.
SECTOR_VALUES = {sector.value for sector in Sector}


def language_choices():
    return [
        ("", _l("Each contact's language (Swedish for new addresses)")), ("sv", _l("Swedish")), ("en", _l("English")),
    ]


class AddressListForm(Form):
    """A pasted list of addresses or an uploaded CSV file."""

    addresses = TextAreaField(
        _l("Paste addresses"), validators=[Optional()],
        description=_l(
            "One per line, like anna.andersson@linkoping.se or Anna Andersson <anna.andersson@linkoping.se>."
        ),
    )
    file = FileField(
        _l("Or upload a CSV file"),
        description=_l("From Excel, with a header row: namn;e-post;organisation;sektor;kommun "
                       "(name, email, organisation, sector, municipality). At most 4 MB and 20 000 rows."),
    )

    def source(self) -> tuple[str | bytes, str]:
        """The text or file to read, and the file's name ("" for pasted text)."""
        upload = self.file.data
        if upload is not None and getattr(upload, "filename", ""):
            return upload.read(), upload.filename
        return self.addresses.data or "", ""

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        upload = self.file.data
        if not (self.addresses.data or "").strip() and not (upload is not None and getattr(upload, "filename", "")):
            self.addresses.errors.append(_l("Paste some addresses or choose a file."))
            return False
        return True


class InviteListForm(AddressListForm):
    language = SelectField(
        _l("Language of the invitations"), choices=language_choices(), default="", validate_choice=True,
    )


class ContactImportForm(AddressListForm):
    region = SelectField(_l("Region for rows without one"), validators=[Optional()], validate_choice=True)
    consent_note = StringField(
        _l("Where the addresses come from"), validators=[at_most(LIMITS["consent_note"])],
        description=_l("For example “Participant list of the regional network, 2026”. Kept with each contact."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.region.choices = [("", _l("None"))] + [(r.code, f"{r.code} {r.name}") for r in all_regions()]


class ConfirmImportForm(Form):
    """The organiser confirms the preview: `expected` is the number of valid rows they saw."""

    expected = IntegerField(validators=[InputRequired(), NumberRange(min=0, max=MAX_ID)])


class InvitationFilterForm(FlaskForm):
    """Search and status filter of the invitation list; read from the query string."""

    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), at_most(100)],
                    description=_l("Name, email address or organisation"))
    status = FilterSelectField(_l("Status"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = [("", _l("All statuses"))] + invitation_status_choices()

    def filters(self) -> dict:
        self.validate()
        return {
            "search": (self.q.data or "").strip() if not self.q.errors else "",
            "status": InvitationStatus(self.status.data) if self.status.data and not self.status.errors else None,
        }


def posted_id(value) -> int:
    """A posted id, refused (as an invalid choice) when it cannot be one the database holds."""
    number = record_id(str(value))  # the choices' own ids come as numbers
    if number is None:
        raise ValueError("not an id")
    return number


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ChooseInvitationsForm(Form):
    """Ticked invitations, e.g. whom to remind. Ids not of the event are ignored by the service."""

    chosen = SelectMultipleField(coerce=posted_id, validate_choice=False)


class ChooseContactsForm(Form):
    """Ticked contacts to invite, and the language of their invitations."""

    chosen = SelectMultipleField(coerce=posted_id, validate_choice=False)
    language = SelectField(
        _l("Language of the invitations"), choices=language_choices(), default="", validate_choice=True,
    )


class ContactFilterForm(FlaskForm):
    """Search and filters of the address book; read from the query string."""

    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), at_most(100)],
                    description=_l("Name, email address, organisation or municipality"))
    region = FilterSelectField(_l("Region"))
    sector = MultiCheckboxField(_l("Sectors"), validators=[Optional()], validate_choice=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.region.choices = [("", _l("All regions"))] + [(r.code, f"{r.code} {r.name}") for r in all_regions()]
        self.sector.choices = sector_choices()

    def filters(self) -> dict:
        self.validate()
        return {
            "search": (self.q.data or "").strip() if not self.q.errors else "",
            "region": region_by_code(self.region.data) if self.region.data and not self.region.errors else None,
            "sectors": [Sector(value) for value in self.sector.data or [] if value in SECTOR_VALUES]
            if not self.sector.errors else [],
        }


class ContactForm(Form):
    """A contact as an organiser types it."""

    name = StringField(_l("Name"), validators=[at_most(LIMITS["name"])])
    email = StringField(
        _l("Email address"), validators=[InputRequired(_l("Enter an email address.")), at_most(LIMITS["email"])],
    )
    organisation = StringField(_l("Organisation"), validators=[at_most(LIMITS["organisation"])])
    sector = SelectField(_l("Sector"), validators=[Optional()], validate_choice=True)
    municipality = StringField(_l("Municipality"), validators=[at_most(LIMITS["municipality"])])
    region = SelectField(_l("Region"), validators=[Optional()], validate_choice=True)
    locale = SelectField(_l("Language"), choices=[("sv", _l("Swedish")), ("en", _l("English"))], validate_choice=True)
    consent_note = StringField(
        _l("Where the address comes from"), validators=[at_most(LIMITS["consent_note"])],
        description=_l("For example “Asked to be invited, phone call 2026-11-03”."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sector.choices = [("", _l("Unknown"))] + sector_choices()
        self.region.choices = [("", _l("None"))] + [(r.code, f"{r.code} {r.name}") for r in all_regions()]

    @classmethod
    def for_contact(cls, contact, **kwargs):
        form = cls(obj=contact, **kwargs)
        if not form.is_submitted():
            form.sector.data = contact.sector.value if contact.sector else ""
            form.region.data = contact.region.code if contact.region else ""
        return form

    def contact_details(self):
        return ContactDetails(
            email=self.email.data or "", name=self.name.data or "", organisation=self.organisation.data or "",
            sector=self.sector.data or "", municipality=self.municipality.data or "",
            region_code=self.region.data or "", locale=self.locale.data or "sv",
            consent_note=self.consent_note.data or "",
        )


class FromEventForm(Form):
    """Which event's participants (those who agreed) to add to the address book."""

    event = SelectField(_l("Event"), coerce=posted_id, validate_choice=True)
