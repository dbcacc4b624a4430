"""Conversion between the UTC we store and the Swedish local time people type and read."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/Stockholm")


class NonexistentLocalTime(ValueError):
    """A wall-clock time skipped by the switch to summer time (02:00–03:00 in late March)."""


def local_to_utc(naive_local: datetime) -> datetime:
    """Interpret a naive wall-clock time in Stockholm and return it in UTC.

    An ambiguous autumn time (02:00–03:00 occurs twice) takes the first, summer-time
    reading; a time that never occurs on the clock is refused.
    """
    aware = naive_local.replace(tzinfo=LOCAL_TZ)
    round_trip = aware.astimezone(UTC).astimezone(LOCAL_TZ).replace(tzinfo=None)
    if round_trip != naive_local:
        raise NonexistentLocalTime(naive_local.isoformat())
    return aware.astimezone(UTC)


def utc_to_local(moment: datetime) -> datetime:
    return moment.astimezone(LOCAL_TZ)


def local_naive(moment: datetime | None) -> datetime | None:
    """A stored time as the naive local time a datetime-local input shows."""
    return None if moment is None else utc_to_local(moment).replace(tzinfo=None)
