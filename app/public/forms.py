from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import Optional

from app.forms import Form
from app.labels import kind_choices
from app.services.events import all_regions


class EventFilterForm(Form):
    """The region and kind filters of the public lists; read from the query string."""

    class Meta:
        csrf = False

    region = SelectField(_l("Region"), validators=[Optional()], validate_choice=True)
    kind = SelectField(_l("Kind of event"), validators=[Optional()], validate_choice=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.region.choices = [("", _l("All regions"))] + [
            (region.code, f"{region.code} {region.name}") for region in all_regions()
        ]
        self.kind.choices = [("", _l("All kinds"))] + kind_choices()
