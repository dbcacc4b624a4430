from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired

from app.web.forms import Form, at_most
from app.web.params import whole_number

TITLE_LIMIT = 200


class SlotForm(Form):
    """A slot's name and whether "none" is a choice; its agenda items and their capacities
    are the rows `item_<id>` (a checkbox) and `capacity_<id>` (seats, blank for no limit)."""

    title = StringField(
        _l("Name of the slot"),
        validators=[DataRequired(_l("Give the slot a name.")), at_most(TITLE_LIMIT)],
        description=_l("For example “Seminars, day 1 morning”."),
    )
    allow_none = BooleanField(_l("Participants may choose none of the sessions"), default=True)


def capacities_from(form_data, item_ids: list[int]) -> tuple[dict[int, int | None], list[str]]:
    """The items ticked and their capacities, and what was wrong with the numbers typed."""
    capacities: dict[int, int | None] = {}
    problems = []
    for item_id in item_ids:
        if form_data.get(f"item_{item_id}") != "y":
            continue
        typed = (form_data.get(f"capacity_{item_id}") or "").strip()
        if not typed:
            capacities[item_id] = None
        elif (capacity := whole_number(typed, high=999_999)) is not None:
            capacities[item_id] = capacity
        else:
            problems.append(item_id)
    return capacities, problems
