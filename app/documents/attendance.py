"""The days and hours a certificate states, from the event's times or its agenda."""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.display.timezones import LOCAL_TZ


@dataclass(frozen=True)
class AttendedDay:
    """One day of an event, from its first to its last minute, in Stockholm time."""

    day: date
    starts_at: datetime
    ends_at: datetime

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600


def attended_days(
    starts_at: datetime,
    ends_at: datetime,
    agenda_spans: Iterable[tuple[datetime, datetime]] = (),
) -> list[AttendedDay]:
    """The event's days with their hours.

    A day with agenda items runs from its first item's start to its last item's end (breaks
    included, as a programme is read). Other days follow the event's times: a two-day event
    from 09:00 on the first day to 16:00 on the second runs 09:00–16:00 on both, not through
    the night. An event whose daily end is not after its daily start (18:00 one day to
    12:00 the next) has no such pattern: only its agenda days count, and without an agenda
    the list is empty and the certificate states dates without hours.
    """
    local_start, local_end = starts_at.astimezone(LOCAL_TZ), ends_at.astimezone(LOCAL_TZ)
    by_day: dict[date, AttendedDay] = {}
    first, last = local_start.date(), local_end.date()
    if first == last:
        if local_end > local_start:
            by_day[first] = AttendedDay(first, local_start, local_end)
    elif local_end.time() > local_start.time():
        current = first
        while current <= last:
            by_day[current] = AttendedDay(
                current,
                datetime.combine(current, local_start.time(), LOCAL_TZ),
                datetime.combine(current, local_end.time(), LOCAL_TZ),
            )
            current += timedelta(days=1)
    agenda: dict[date, tuple[datetime, datetime]] = {}
    for item_start, item_end in agenda_spans:
        item_start, item_end = item_start.astimezone(LOCAL_TZ), item_end.astimezone(LOCAL_TZ)
        if item_end <= item_start:
            continue
        key = item_start.date()
        earliest, latest = agenda.get(key, (item_start, item_end))
        agenda[key] = (min(earliest, item_start), max(latest, item_end))
    for key, (earliest, latest) in agenda.items():
        by_day[key] = AttendedDay(key, earliest, latest)
    return [by_day[key] for key in sorted(by_day)]


def total_hours(days: Iterable[AttendedDay]) -> float | None:
    """The days' hours together, to the nearest half hour; None for no days."""
    days = list(days)
    if not days:
        return None
    return math.floor(sum(day.hours for day in days) * 2 + 0.5) / 2
