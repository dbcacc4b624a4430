"""Forms of the address book."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.display.labels import sector_choices
from app.manage.forms import posted_id
from app.manage.imports import AddressListForm
from app.models import Sector
from app.services.invitations.contacts import LIMITS, ContactDetails
from app.services.regions import all_regions, region_by_code
from app.web.forms import FilterForm, FilterSelectField, Form, at_most, search_field

# Optional() lets blank-looking values (" ", "\r") past the choice check: use only known ones.
SECTOR_VALUES = {sector.value for sector in Sector}


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ContactImportForm(AddressListForm):
    region = SelectField(_l("Region for rows without one"), validators=[Optional()], validate_choice=True)
    consent_note = StringField(
        _l("Where the addresses come from"),
        validators=[at_most(LIMITS["consent_note"])],
        description=_l("For example “Participant list of the regional network, 2026”. Kept with each contact."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.region.choices = [("", _l("None"))] + [(r.code, f"{r.code} {r.name}") for r in all_regions()]


class ContactFilterForm(FilterForm):
    """Search and filters of the address book."""

    q = search_field(_l("Name, email address, organisation or municipality"))
    region = FilterSelectField(_l("Region"))
    sector = MultiCheckboxField(_l("Sectors"), validators=[Optional()], validate_choice=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.region.choices = [("", _l("All regions"))] + [(r.code, f"{r.code} {r.name}") for r in all_regions()]
        self.sector.choices = sector_choices()

    def filters(self) -> dict:
        self.validate()
        return {
            "search": self.search(),
            "region": self.chosen(self.region, region_by_code),
            "sectors": [Sector(value) for value in self.sector.data or [] if value in SECTOR_VALUES]
            if not self.sector.errors
            else [],
        }


class ContactForm(Form):
    """A contact as an organiser types it."""

    name = StringField(_l("Name"), validators=[at_most(LIMITS["name"])])
    email = StringField(
        _l("Email address"),
        validators=[InputRequired(_l("Enter an email address.")), at_most(LIMITS["email"])],
    )
    organisation = StringField(_l("Organisation"), validators=[at_most(LIMITS["organisation"])])
    sector = SelectField(_l("Sector"), validators=[Optional()], validate_choice=True)
    municipality = StringField(_l("Municipality"), validators=[at_most(LIMITS["municipality"])])
    region = SelectField(_l("Region"), validators=[Optional()], validate_choice=True)
    locale = SelectField(_l("Language"), choices=[("sv", _l("Swedish")), ("en", _l("English"))], validate_choice=True)
    consent_note = StringField(
        _l("Where the address comes from"),
        validators=[at_most(LIMITS["consent_note"])],
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
            email=self.email.data or "",
            name=self.name.data or "",
            organisation=self.organisation.data or "",
            sector=self.sector.data or "",
            municipality=self.municipality.data or "",
            region_code=self.region.data or "",
            locale=self.locale.data or "sv",
            consent_note=self.consent_note.data or "",
        )


class FromEventForm(Form):
    """Which event's participants (those who agreed) to add to the address book."""

    event = SelectField(_l("Event"), coerce=posted_id, validate_choice=True)
