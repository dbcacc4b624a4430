"""Forms of the participant pages."""

from flask_babel import lazy_gettext as _l

from app.display.labels import registration_status_choices, sector_choices
from app.models import RegistrationStatus, Sector
from app.web.forms import FilterForm, FilterSelectField, search_field


class ParticipantFilterForm(FilterForm):
    """Search and filters of the participant list."""

    q = search_field(_l("Name, email address or organisation"))
    status = FilterSelectField(_l("Status"))
    sector = FilterSelectField(_l("Sector"))
    # An option of one of the event's questions; choices from questions.filter_choices.
    answer = FilterSelectField(_l("Answer"))

    def __init__(self, *args, answer_choices: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.answer.choices = [("", _l("All answers"))] + list(answer_choices)
        self.status.choices = [("", _l("All statuses"))] + registration_status_choices()
        self.sector.choices = [("", _l("All sectors"))] + sector_choices()

    def filters(self) -> dict:
        """The filters that validated; invalid ones are shown as errors and not used."""
        self.validate()
        return {
            "search": self.search(),
            "status": self.chosen(self.status, RegistrationStatus),
            "sector": self.chosen(self.sector, Sector),
            "answer": self.chosen(self.answer, int),
        }
