"""The date filters (app/display/formatting.py) write dates as Flask-Babel's format_date and
format_datetime write the same patterns, in both languages, across a year and its clock
changes: only the route to the names is shorter."""

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from flask_babel import format_date, format_datetime
from markupsafe import Markup

from app.display import formatting

DAYS = [date(2027, 1, 1) + timedelta(days=n) for n in range(365)]
# Every hour around both clock changes of 2027 (28 March and 31 October), and a midnight.
MOMENTS = [
    start + timedelta(hours=n)
    for start in (datetime(2027, 3, 27, 12, tzinfo=UTC), datetime(2027, 10, 30, 12, tzinfo=UTC))
    for n in range(36)
] + [datetime(2027, 12, 31, 23, 5, tzinfo=UTC)]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_dates_read_as_babel_writes_them(app, language):
    with app.test_request_context(headers={"Cookie": f"lang={language}"}):
        for day in DAYS:
            assert formatting.long_day(day) == format_date(day, "EEEE d MMMM y")
            assert formatting.day(day) == format_date(day, "d MMMM y")
        for moment in MOMENTS:
            assert formatting.long_date(moment) == format_date(moment, "EEEE d MMMM y")
            assert formatting.short_datetime(moment) == format_datetime(moment, "d MMM y HH:mm")
            assert formatting.time_of_day(moment) == format_datetime(moment, "HH:mm")


@pytest.mark.parametrize(
    ("language", "long_day", "short_datetime"),
    [("sv", "lördag 4 december 2027", "4 dec. 2027 09:00"), ("en", "Saturday 4 December 2027", "4 Dec 2027 09:00")],
)
def test_each_language_its_own_names(app, language, long_day, short_datetime):
    with app.test_request_context(headers={"Cookie": f"lang={language}"}):
        assert formatting.long_day(date(2027, 12, 4)) == long_day
        assert formatting.short_datetime(datetime(2027, 12, 4, 8, tzinfo=UTC)) == short_datetime


def test_a_time_span_is_two_time_elements_in_stockholm_time_across_the_clock_changes(app):
    for moment in MOMENTS:
        span = SimpleNamespace(starts_at=moment, ends_at=moment + timedelta(minutes=90))
        start, end = (formatting.utc_to_local(value) for value in (span.starts_at, span.ends_at))
        assert formatting.time_span(span) == Markup(
            f'<time datetime="{start.isoformat()}">{start:%H:%M}</time>–'
            f'<time datetime="{end.isoformat()}">{end:%H:%M}</time>'
        )
    summer = SimpleNamespace(
        starts_at=datetime(2027, 6, 1, 7, tzinfo=UTC), ends_at=datetime(2027, 6, 1, 8, 30, tzinfo=UTC)
    )
    assert formatting.time_span(summer) == (
        '<time datetime="2027-06-01T09:00:00+02:00">09:00</time>–'
        '<time datetime="2027-06-01T10:30:00+02:00">10:30</time>'
    )
