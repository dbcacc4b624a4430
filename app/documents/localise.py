"""The one place the documents borrow the app's wording of dates and names.

Call these inside flask_babel.force_locale (the documents do): they answer in that language.
If app.display.formatting or app.display.labels move, only the imports below change.
"""

from datetime import date, datetime

from flask_babel import format_decimal, ngettext

from app.display.formatting import day, time_of_day
from app.display.labels import KIND_LABELS


def calendar_day(value: date) -> str:
    """'5 december 2026' / 'December 5, 2026'."""
    return day(value)


def clock(moment: datetime) -> str:
    """'09:30', in Stockholm time."""
    return time_of_day(moment)


def kind_label(kind: str) -> str:
    """An event kind's name ('Nationell konferens'); an unknown kind as it is stored."""
    label = KIND_LABELS.get(kind)
    return str(label) if label is not None else kind


def hours_text(hours: float) -> str:
    """'1 timme', '6,5 timmar' / '6.5 hours'."""
    plural_count = 1 if hours == 1 else 2
    # Not %(num)s: flask_babel puts the plural count there, and the text shows a decimal.
    return ngettext("%(hours)s hour", "%(hours)s hours", plural_count, hours=format_decimal(hours, "0.#"))
