from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.forms import Form


class StepRecordForm(Form):
    step_number = SelectField(_l("Step"), coerce=int, validators=[DataRequired(_l("Choose a step."))])
    recorded_on = DateField(
        _l("Date"), default=date.today, validators=[DataRequired(_l("Enter a date as YYYY-MM-DD."))]
    )
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])
