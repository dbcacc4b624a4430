"""Forms of the participant pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Optional

from app.display.labels import registration_status_choices, sector_choices
from app.models import RegistrationStatus, Sector
from app.web.forms import FilterSelectField, at_most


class ParticipantFilterForm(FlaskForm):
    """Search and filters of the participant list; read from the query string."""

    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), at_most(100)],
                    description=_l("Name, email address or organisation"))
    status = FilterSelectField(_l("Status"))
    sector = FilterSelectField(_l("Sector"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = [("", _l("All statuses"))] + registration_status_choices()
        self.sector.choices = [("", _l("All sectors"))] + sector_choices()

    def filters(self) -> dict:
        """The filters that validated; invalid ones are shown as errors and not used."""
        self.validate()
        return {
            "search": (self.q.data or "").strip() if not self.q.errors else "",
            "status": RegistrationStatus(self.status.data) if self.status.data and not self.status.errors else None,
            "sector": Sector(self.sector.data) if self.sector.data and not self.sector.errors else None,
        }
