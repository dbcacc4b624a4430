"""Form pieces the organisers' pages share: times typed in Swedish local time, and ids posted
back from a list of choices."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField
from wtforms.validators import ValidationError

from app.web.params import record_id

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
MIN_YEAR, MAX_YEAR = 2000, 2100
DATETIME_MESSAGE = _l("Enter a date and time, like 2027-03-14 09:30.")


def plausible_year(form, field):
    """Refuse dates far outside any event's life, which could not be stored or converted."""
    if field.data is not None and not MIN_YEAR <= field.data.year <= MAX_YEAR:
        raise ValidationError(_("Enter a date between %(first)d and %(last)d.", first=MIN_YEAR, last=MAX_YEAR))


class LocalDateTimeField(DateTimeLocalField):
    """A wall-clock time from a datetime-local input, or typed as the hint shows ("2027-03-14 09:30")
    in a browser that offers a plain text box instead; anything else gets the hint as its message."""

    def __init__(self, label=None, **kwargs):
        super().__init__(label, format=[LOCAL_FORMAT, "%Y-%m-%d %H:%M"], **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata([value.strip() for value in valuelist])
        except ValueError:
            raise ValueError(DATETIME_MESSAGE) from None


def posted_id(value) -> int:
    """A posted id, refused (as an invalid choice) when it cannot be one the database holds."""
    number = record_id(str(value))  # the choices' own ids come as numbers
    if number is None:
        raise ValueError("not an id")
    return number
