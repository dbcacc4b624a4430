"""An event's agenda: adding, changing, moving and copying items, and reading it by day.

The rules:
- An item ends after it starts, and lies within the event's days: from 00:00 on
  its first day to 24:00 on its last, Swedish time. Not within the event's
  announced times, because registration coffee before the start and a dinner
  after the end belong to the programme too; an item outside those times is
  flagged to the organiser instead.
- Two items in the same room at the same time are flagged, not refused, as
  Indico's timetable does: a draft programme is often rough, and a deliberate
  overlap (lunch while the exhibition is open) is the organiser's call. Items in
  different rooms at the same time are parallel sessions and are shown side by side.
- Each item has its own calendar SEQUENCE, raised when its time or room changes.

reading        the event's days, the schedule by day and room, what to check
items          the rules items keep, and adding, changing, moving and copying them
"""

from app.services.agenda.items import (
    DESCRIPTION_MAX,
    ROOM_MAX,
    SPEAKER_NAME_MAX,
    SPEAKER_ORGANISATION_MAX,
    SPEAKER_ROLE_MAX,
    TITLE_MAX,
    ItemDetails,
    MoveRefused,
    SpeakerEntry,
    add_item,
    copy_agenda,
    delete_item,
    duplicate_item,
    follow_event,
    move_item,
    problems_with,
    update_item,
)
from app.services.agenda.reading import (
    DEFAULT_DURATION,
    AgendaDay,
    Slot,
    Track,
    agenda_items,
    event_bounds,
    event_days,
    flagged,
    item_of,
    local_day,
    public_agenda,
    schedule,
    speakers,
    suggested_times,
)

__all__ = [
    "AgendaDay",
    "DEFAULT_DURATION",
    "DESCRIPTION_MAX",
    "ItemDetails",
    "MoveRefused",
    "ROOM_MAX",
    "SPEAKER_NAME_MAX",
    "SPEAKER_ORGANISATION_MAX",
    "SPEAKER_ROLE_MAX",
    "Slot",
    "SpeakerEntry",
    "TITLE_MAX",
    "Track",
    "add_item",
    "agenda_items",
    "public_agenda",
    "copy_agenda",
    "delete_item",
    "duplicate_item",
    "event_bounds",
    "event_days",
    "flagged",
    "item_of",
    "follow_event",
    "local_day",
    "move_item",
    "problems_with",
    "schedule",
    "speakers",
    "suggested_times",
    "update_item",
]
