from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import DateField, EmailField, SelectField, StringField, TelField, TextAreaField
from wtforms.validators import DataRequired

from app.services.regions import ContactDetails
from app.web.forms import Form, at_most


class StepRecordForm(Form):
    step_number = SelectField(_l("Step"), coerce=int, validators=[DataRequired(_l("Choose a step."))])
    recorded_on = DateField(
        _l("Date"), default=date.today, validators=[DataRequired(_l("Enter a date as YYYY-MM-DD."))]
    )
    note = TextAreaField(_l("Note"), validators=[at_most(2000)])


class RegionContactForm(Form):
    """A region's contact person, e.g. a member of the regional reference group."""

    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter a name.")), at_most(120)])
    role = StringField(_l("Role"), validators=[at_most(120)], description=_l('For example "Regional strategist".'))
    organisation = StringField(_l("Organisation"), validators=[at_most(200)])
    email = EmailField(_l("Email address"), validators=[at_most(254)])
    phone = TelField(_l("Phone"), validators=[at_most(40)])

    def details(self) -> ContactDetails:
        return ContactDetails(
            name=self.name.data or "",
            role=self.role.data or "",
            organisation=self.organisation.data or "",
            email=self.email.data or "",
            phone=self.phone.data or "",
        )
