"""Template filters: dates and times in the visitor's language, in Stockholm time."""

from datetime import date, datetime
from functools import cache
from typing import NamedTuple

from babel import Locale
from flask_babel import get_locale, gettext
from markupsafe import Markup

from app.display.charts import one_decimal, percent
from app.display.labels import (
    AUDIT_LABELS,
    CONTACT_SOURCE_LABELS,
    EVENT_FIELD_LABELS,
    INVITATION_STATUS_LABELS,
    INVITATION_STEP_LABELS,
    KIND_LABELS,
    MAIL_STATUS_LABELS,
    QUESTION_KIND_LABELS,
    REGISTRATION_STATUS_LABELS,
    ROLE_LABELS,
    SECTOR_LABELS,
    STATUS_LABELS,
    VISIT_NOTE_LABELS,
    VISIT_ORIGIN_LABELS,
    VISIT_STATUS_LABELS,
)
from app.display.timezones import utc_to_local
from app.models import Sector

# The dates are written out as Babel's patterns "EEEE d MMMM y", "d MMMM y" and "d MMM y HH:mm"
# would write them, rather than its "full" and "long", which are US order in English
# ("Saturday, December 5, 2026"): English readers here are in Europe, so en-GB order without
# its comma, the same order as Swedish ("lördag 5 december 2026"). Times are 24-hour in both.
# Only the names come from Babel, once per language: formatting a pattern through
# Flask-Babel costs about 20 µs a date (locale, zone and pattern looked up again each time),
# several times a page (tests/test_formatting.py holds them to Babel's own answers).


class CalendarNames(NamedTuple):
    weekdays: tuple[str, ...]  # from Monday, as date.weekday() counts
    months: tuple[str, ...]  # from January
    short_months: tuple[str, ...]


@cache
def _names(locale: Locale | None) -> CalendarNames:
    """The names of the visitor's language."""
    data = locale or Locale.parse("sv")  # outside an app context, as anywhere else: Swedish
    return CalendarNames(
        tuple(data.days["format"]["wide"][n] for n in range(7)),
        tuple(data.months["format"]["wide"][n] for n in range(1, 13)),
        tuple(data.months["format"]["abbreviated"][n] for n in range(1, 13)),
    )


def time_of_day(moment: datetime) -> str:
    # Formatting the fields costs half of strftime("%H:%M").
    local = utc_to_local(moment)
    return f"{local.hour:02}:{local.minute:02}"


def long_date(moment: datetime) -> str:
    """'torsdag 31 januari 2019' / 'Thursday 31 January 2019'."""
    return long_day(utc_to_local(moment).date())


def long_day(day: date) -> str:
    """A calendar date in full: 'tisdag 13 november 2018'."""
    names = _names(get_locale())
    return f"{names.weekdays[day.weekday()]} {day.day} {names.months[day.month - 1]} {day.year}"


def short_datetime(moment: datetime | None) -> str:
    """'4 dec. 2027 09:00' / '4 Dec 2027 09:00'."""
    if moment is None:
        return ""
    local = utc_to_local(moment)
    month = _names(get_locale()).short_months[local.month - 1]
    return f"{local.day} {month} {local.year} {local.hour:02}:{local.minute:02}"


def event_when(starts_at: datetime, ends_at: datetime) -> str:
    """The time span of an event as a person would write it."""
    if utc_to_local(starts_at).date() == utc_to_local(ends_at).date():
        return gettext(
            "%(date)s, %(start)s–%(end)s",
            date=long_date(starts_at),
            start=time_of_day(starts_at),
            end=time_of_day(ends_at),
        )
    return gettext(
        "%(start_date)s %(start)s – %(end_date)s %(end)s",
        start_date=long_date(starts_at),
        start=time_of_day(starts_at),
        end_date=long_date(ends_at),
        end=time_of_day(ends_at),
    )


def day(value: date | None) -> str:
    """A calendar date: '14 mars 2027' / '14 March 2027'."""
    if not value:
        return ""
    return f"{value.day} {_names(get_locale()).months[value.month - 1]} {value.year}"


def visit_period(visit) -> str:
    """A visit request's preferred period as dates, words, or both."""
    parts = []
    if visit.period_start and visit.period_end and visit.period_end != visit.period_start:
        parts.append(f"{day(visit.period_start)} – {day(visit.period_end)}")
    elif visit.period_start:
        parts.append(day(visit.period_start))
    if visit.period_text:
        parts.append(visit.period_text)
    return "; ".join(parts)


def sector_list(values: list[str]) -> str:
    return ", ".join(str(SECTOR_LABELS[Sector(value)]) for value in values if value in set(Sector))


def iso_local(moment: datetime) -> str:
    """For <time datetime="...">: ISO 8601 with the Stockholm offset."""
    return utc_to_local(moment).isoformat()


def time_span(span) -> Markup:
    """An agenda item's or slot's times as two <time> elements, "09:00–10:30": one filter
    where four (`iso_local` and `time_of_day` twice, each escaped) were 2.4 % of a 16-item
    page's instructions. Nothing in it needs escaping (digits, signs, colons and a T)."""
    start, end = utc_to_local(span.starts_at), utc_to_local(span.ends_at)
    return Markup(
        f'<time datetime="{start.isoformat()}">{start.hour:02}:{start.minute:02}</time>–'
        f'<time datetime="{end.isoformat()}">{end.hour:02}:{end.minute:02}</time>'
    )


FILTERS = {
    "event_when": lambda event: event_when(event.starts_at, event.ends_at),
    "long_date": long_date,
    "long_day": long_day,
    "time_of_day": time_of_day,
    "short_datetime": short_datetime,
    "iso_local": iso_local,
    "time_span": time_span,
    "kind_label": lambda kind: KIND_LABELS[kind],
    "status_label": lambda status: STATUS_LABELS[status],
    "role_label": lambda role: ROLE_LABELS[role],
    "audit_label": lambda action: AUDIT_LABELS.get(action, action),
    "field_labels": lambda names: ", ".join(str(EVENT_FIELD_LABELS.get(name, name)) for name in names),
    "mail_status_label": lambda status: MAIL_STATUS_LABELS[status],
    "sector_label": lambda sector: SECTOR_LABELS[sector],
    "registration_status_label": lambda status: REGISTRATION_STATUS_LABELS[status],
    "invitation_status_label": lambda status: INVITATION_STATUS_LABELS[status],
    "invitation_step_label": lambda step: INVITATION_STEP_LABELS[step],
    "contact_source_label": lambda source: CONTACT_SOURCE_LABELS[source],
    "visit_status_label": lambda status: VISIT_STATUS_LABELS[status],
    "visit_origin_label": lambda origin: VISIT_ORIGIN_LABELS[origin],
    "visit_note_label": lambda kind: VISIT_NOTE_LABELS[kind],
    "iso_date": lambda value: value.isoformat() if value else "",
    "day": day,
    "local_date": lambda moment: day(utc_to_local(moment).date()) if moment else "",
    "visit_period": visit_period,
    "sector_list": sector_list,
    "question_kind_label": lambda kind: QUESTION_KIND_LABELS[kind],
    "one_decimal": one_decimal,
    "percent": percent,
}
