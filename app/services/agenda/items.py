"""Agenda items: the rules they keep, and adding, changing, moving and copying them."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.display.formatting import long_date
from app.display.timezones import NonexistentLocalTime, local_naive, local_to_utc
from app.extensions import db
from app.models import AgendaItem, AgendaItemSpeaker, Event, Speaker
from app.models.types import utcnow
from app.services import ValidationError
from app.services.agenda.reading import agenda_items, event_bounds, event_days, local_day, room_key
from app.services.text import markdown_to_html

TITLE_MAX, ROOM_MAX, DESCRIPTION_MAX = 200, 100, 20000


SPEAKER_NAME_MAX, SPEAKER_ROLE_MAX, SPEAKER_ORGANISATION_MAX = 120, 200, 200


@dataclass
class SpeakerEntry:
    """One speaker of an item as an organiser gives it: an existing speaker, or a new one."""

    speaker_id: int | None = None
    name: str = ""
    role: str = ""
    organisation: str = ""

    @property
    def is_empty(self) -> bool:
        return self.speaker_id is None and not (self.name.strip() or self.role.strip() or self.organisation.strip())


@dataclass
class ItemDetails:
    """What an organiser fills in for an agenda item; times are aware datetimes."""

    title: str
    starts_at: datetime
    ends_at: datetime
    description: str = ""
    room: str = ""
    speakers: list[SpeakerEntry] = field(default_factory=list)


def problems_with(event: Event, details: ItemDetails) -> dict[str, str]:
    """The rules an item must keep, as translated messages by field name."""
    problems: dict[str, str] = {}
    title = (details.title or "").strip()
    if not title:
        problems["title"] = _("Give the item a title.")
    elif len(title) > TITLE_MAX:
        problems["title"] = _("At most %(n)d characters.", n=TITLE_MAX)
    if len((details.room or "").strip()) > ROOM_MAX:
        problems["room"] = _("At most %(n)d characters.", n=ROOM_MAX)
    if len(details.description or "") > DESCRIPTION_MAX:
        problems["description"] = _("At most %(n)d characters.", n=DESCRIPTION_MAX)
    if details.ends_at <= details.starts_at:
        problems["ends_at"] = _("The item must end after it starts.")
    first, last = event_bounds(event)
    if details.starts_at < first or details.starts_at >= last or details.ends_at > last:
        days = event_days(event)
        problems["starts_at"] = (
            _("The item must lie within the event's day, %(day)s.", day=long_date(event.starts_at))
            if len(days) == 1
            else _(
                "The item must lie within the event's days, %(first)s to %(last)s.",
                first=long_date(event.starts_at),
                last=long_date(event.ends_at),
            )
        )
    for index, entry in enumerate(details.speakers):
        if message := _speaker_problem(entry):
            problems[f"speakers-{index}"] = message
    return problems


def _speaker_problem(entry: SpeakerEntry) -> str | None:
    typed = entry.name.strip() or entry.role.strip() or entry.organisation.strip()
    if entry.speaker_id is not None:
        if typed:
            return _("Choose a speaker from the list or fill in a new one, not both.")
        if db.session.get(Speaker, entry.speaker_id) is None:
            return _("That speaker no longer exists; choose another.")
        return None
    if typed and not entry.name.strip():
        return _("Give the speaker's name.")
    limits = (
        (entry.name, SPEAKER_NAME_MAX, _("The name can have at most %(n)d characters.", n=SPEAKER_NAME_MAX)),
        (entry.role, SPEAKER_ROLE_MAX, _("The role can have at most %(n)d characters.", n=SPEAKER_ROLE_MAX)),
        (
            entry.organisation,
            SPEAKER_ORGANISATION_MAX,
            _("The organisation can have at most %(n)d characters.", n=SPEAKER_ORGANISATION_MAX),
        ),
    )
    for value, limit, message in limits:
        if len(value.strip()) > limit:
            return message
    return None


def _check(event: Event, details: ItemDetails) -> None:
    problems = problems_with(event, details)
    if problems:
        raise ValidationError(problems)


def _find_or_create_speaker(entry: SpeakerEntry) -> Speaker:
    """An existing speaker, or a new one; a new entry that repeats an existing speaker
    exactly (name, role and organisation, ignoring case) reuses that speaker."""
    if entry.speaker_id is not None:
        return db.session.get(Speaker, entry.speaker_id)
    name, role, organisation = entry.name.strip(), entry.role.strip(), entry.organisation.strip()
    existing = db.session.scalar(
        select(Speaker)
        .where(
            func.lower(Speaker.name) == func.lower(name),
            func.lower(Speaker.role) == func.lower(role),
            func.lower(Speaker.organisation) == func.lower(organisation),
        )
        .order_by(Speaker.id)
        .limit(1)
    )
    if existing is not None:
        return existing
    speaker = Speaker(name=name, role=role, organisation=organisation)
    db.session.add(speaker)
    return speaker


def _set_speakers(item: AgendaItem, entries: list[SpeakerEntry]) -> None:
    chosen: list[Speaker] = []
    for entry in entries:
        if entry.is_empty:
            continue
        speaker = _find_or_create_speaker(entry)
        if speaker not in chosen:
            chosen.append(speaker)
    item.speaker_links = [AgendaItemSpeaker(speaker=speaker, position=n) for n, speaker in enumerate(chosen)]


def _apply(item: AgendaItem, details: ItemDetails) -> None:
    with db.session.no_autoflush:  # the speaker look-ups must not flush a half-made item
        _apply_details(item, details)


def _apply_details(item: AgendaItem, details: ItemDetails) -> None:
    item.title = details.title.strip()
    item.description = details.description or ""
    item.description_html = markdown_to_html(item.description)
    item.room = (details.room or "").strip()
    item.starts_at, item.ends_at = details.starts_at, details.ends_at
    _set_speakers(item, details.speakers)
    # Speakers live in their own table; the item's own time stamp says the item changed.
    item.updated_at = utcnow()


def _next_position(event: Event) -> int:
    highest = db.session.scalar(select(func.max(AgendaItem.position)).where(AgendaItem.event_id == event.id))
    return 0 if highest is None else highest + 1


def add_item(event: Event, details: ItemDetails) -> AgendaItem:
    """Add an item to the event's agenda."""
    _check(event, details)
    item = AgendaItem(event=event, position=_next_position(event))
    _apply(item, details)
    db.session.add(item)
    db.session.commit()
    return item


def update_item(item: AgendaItem, details: ItemDetails) -> AgendaItem:
    """Save changes to an item; a new time or room raises its calendar sequence."""
    _check(item.event, details)
    before = (item.starts_at, item.ends_at, room_key(item.room))
    _apply(item, details)
    if (item.starts_at, item.ends_at, room_key(item.room)) != before:
        item.sequence += 1
    db.session.commit()
    return item


def delete_item(item: AgendaItem) -> None:
    """Remove an item from the agenda; its speakers stay, to be picked again."""
    db.session.delete(item)
    db.session.commit()


def duplicate_item(item: AgendaItem) -> AgendaItem:
    """A copy of an item with the same speakers, right after it when that fits the
    event's days (for a series of sessions), otherwise at the same time."""
    event = item.event
    starts_at, ends_at = item.ends_at, item.ends_at + item.duration
    _, last = event_bounds(event)
    if ends_at > last:
        starts_at, ends_at = item.starts_at, item.ends_at
    copy = AgendaItem(
        event=event,
        position=_next_position(event),
        title=item.title,
        description=item.description,
        description_html=item.description_html,
        room=item.room,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    db.session.add(copy)
    copy.speaker_links = [
        AgendaItemSpeaker(speaker=link.speaker, position=link.position) for link in item.speaker_links
    ]
    db.session.commit()
    return copy


class MoveRefused(ValueError):
    """The item is already "first" or "last" in its room that day, or the swap would
    push an item "outside" the event's days."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def move_item(item: AgendaItem, direction: str) -> AgendaItem:
    """Swap an item with the one before ("up") or after ("down") it in the same room on
    the same day. The pair keeps its durations and the gap between them; returns the
    neighbour it swapped with."""
    if direction not in ("up", "down"):
        raise ValueError(direction)
    day, room = local_day(item.starts_at), room_key(item.room)
    neighbours = [
        other
        for other in agenda_items(item.event)
        if local_day(other.starts_at) == day and room_key(other.room) == room
    ]
    index = neighbours.index(item)
    other_index = index - 1 if direction == "up" else index + 1
    if not 0 <= other_index < len(neighbours):
        raise MoveRefused("first" if direction == "up" else "last")
    first, second = sorted((item, neighbours[other_index]), key=neighbours.index)
    if first.starts_at == second.starts_at:
        first.position, second.position = second.position, first.position
    else:
        gap = max(second.starts_at - first.ends_at, timedelta(0))
        first_duration, second_duration = first.duration, second.duration
        start = first.starts_at
        second.starts_at, second.ends_at = start, start + second_duration
        first.starts_at = second.ends_at + gap
        first.ends_at = first.starts_at + first_duration
        for moved in (first, second):
            moved.sequence += 1
            moved.updated_at = utcnow()
        _, last = event_bounds(item.event)
        if first.ends_at > last:
            db.session.rollback()
            raise MoveRefused("outside")
    db.session.commit()
    return neighbours[other_index]


def follow_event(event: Event, previous_starts_at: datetime) -> None:
    """Keep the agenda with its event when the event's dates change (call before committing
    the event). Moved to other days, the items move along and keep their wall-clock times;
    if the new dates leave items outside the event's days, the change is refused."""
    items = list(event.agenda_items)
    if not items:
        return
    days = (local_day(event.starts_at) - local_day(previous_starts_at)).days
    if days:
        for item in items:
            item.starts_at, item.ends_at = _shift(item.starts_at, days), _shift(item.ends_at, days)
            item.sequence += 1
    first, last = event_bounds(event)
    problems = {}
    if any(item.starts_at < first for item in items):
        problems["starts_at"] = _("The agenda has items before this date. Move or delete them first.")
    if any(item.ends_at > last for item in items):
        problems["ends_at"] = _("The agenda has items after this date. Move or delete them first.")
    if problems:
        db.session.rollback()  # nothing of the refused change may be flushed later
        raise ValidationError(problems)


def _shift(moment: datetime, days: int) -> datetime:
    """The same wall-clock time `days` later; a time the clocks skip keeps its UTC distance."""
    try:
        return local_to_utc(local_naive(moment) + timedelta(days=days))
    except NonexistentLocalTime:
        return moment + timedelta(days=days)


def copy_agenda(source: Event, target: Event) -> None:
    """Give a copied event the same agenda (call before committing the copy)."""
    for item in source.agenda_items:
        copy = AgendaItem(
            position=item.position,
            title=item.title,
            description=item.description,
            description_html=item.description_html,
            room=item.room,
            starts_at=item.starts_at,
            ends_at=item.ends_at,
        )
        copy.speaker_links = [
            AgendaItemSpeaker(speaker=link.speaker, position=link.position) for link in item.speaker_links
        ]
        target.agenda_items.append(copy)
