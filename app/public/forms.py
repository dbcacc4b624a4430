from flask_babel import lazy_gettext as _l

from app.display.labels import kind_choices
from app.services.regions import all_regions
from app.web.forms import FilterForm, FilterSelectField


class EventFilterForm(FilterForm):
    """The region and kind filters of the public lists."""

    region = FilterSelectField(_l("Region"))
    kind = FilterSelectField(_l("Kind of event"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.region.choices = [("", _l("All regions"))] + [
            (region.code, f"{region.code} {region.name}") for region in all_regions()
        ]
        self.kind.choices = [("", _l("All kinds"))] + kind_choices()
