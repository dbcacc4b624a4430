"""Creating, changing and publishing events, and finding the ones people may see."""

import hashlib
import re
from dataclasses import dataclass, field, fields
from datetime import datetime
from enum import StrEnum

from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload, with_expression

from app.extensions import db
from app.models import MAX_REMINDER_DAYS, Event, EventKind, EventStatus, Region, RegistrationStatus, User
from app.models.types import utcnow
from app.services import ValidationError, agenda, audit, questions, registrations, visits
from app.services.access import can_manage as can_manage  # where the views look for it
from app.services.text import is_web_address, markdown_to_html, normalise_email

MAX_RETENTION_MONTHS = 60
# A phone number as people write it: "070-123 45 67", "+46 (0)13 20 60 00".
PHONE = re.compile(r"\+?[0-9(][0-9 ()-]{4,38}")

# Changing these moves the event in people's calendars, so the calendar SEQUENCE rises.
CALENDAR_FIELDS = ("starts_at", "ends_at", "venue_name", "venue_address", "venue_city", "online_url")


@dataclass
class EventDetails:
    """What an organiser fills in for an event; times are aware datetimes."""

    kind: EventKind
    title: str
    starts_at: datetime
    ends_at: datetime
    description: str = ""
    region: Region | None = None
    venue_name: str = ""
    venue_address: str = ""
    venue_city: str = ""
    online_url: str = ""
    online_url_private: bool = False  # issue 16: the link only for registered participants
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    capacity: int | None = None
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    invitation_only: bool = False
    reminder_days: int = 2
    retention_months: int = 12
    certificate_with_survey: bool = False  # issue 16
    organisers: list[User] = field(default_factory=list)


def problems_with(details: EventDetails) -> dict[str, str]:
    """The rules an event must keep, as translated messages by field name."""
    problems: dict[str, str] = {}
    if not (details.title or "").strip():
        problems["title"] = _("Give the event a title.")
    if details.starts_at and details.ends_at and details.ends_at <= details.starts_at:
        problems["ends_at"] = _("The event must end after it starts.")
    if details.capacity is not None and details.capacity < 1:
        problems["capacity"] = _("Capacity must be at least 1, or empty for no limit.")
    if not 0 <= details.reminder_days <= MAX_REMINDER_DAYS:
        problems["reminder_days"] = _("Choose from 0 (no reminder) to %(n)d days.", n=MAX_REMINDER_DAYS)
    if not 1 <= details.retention_months <= MAX_RETENTION_MONTHS:
        problems["retention_months"] = _("Choose from 1 to %(n)d months.", n=MAX_RETENTION_MONTHS)
    opens, closes = details.registration_opens_at, details.registration_closes_at
    if opens and closes and closes <= opens:
        problems["registration_closes_at"] = _("Registration must close after it opens.")
    if closes and details.ends_at and closes > details.ends_at:
        problems["registration_closes_at"] = _("Registration cannot close after the event has ended.")
    if opens and details.ends_at and opens >= details.ends_at:
        problems["registration_opens_at"] = _("Registration must open before the event ends.")
    if details.kind != EventKind.WEBINAR and not (details.venue_name or details.online_url):
        problems["venue_name"] = _("Give a venue, or an online link for an online event.")
    if details.kind == EventKind.WEBINAR and not details.online_url:
        problems["online_url"] = _("A webinar needs an online link.")
    if details.online_url and not is_web_address(details.online_url.strip()):
        problems["online_url"] = _("Enter a full web address starting with https://.")
    if not (details.contact_name or "").isprintable():  # a line break or a control character
        problems["contact_name"] = _("Write the name on one line.")
    if (details.contact_phone or "").strip() and not PHONE.fullmatch(details.contact_phone.strip()):
        problems["contact_phone"] = _("Enter a phone number: digits, spaces, + and - only.")
    if (details.contact_email or "").strip() and _contact_email(details) is None:
        problems["contact_email"] = _("Enter a valid email address.")
    return problems


def _contact_email(details: EventDetails) -> str | None:
    """The contact address as stored, or None when it cannot be an address."""
    try:
        return normalise_email(details.contact_email)
    except ValidationError:
        return None


def _apply(event: Event, details: EventDetails) -> None:
    problems = problems_with(details)
    if problems:
        raise ValidationError(problems)
    for f in fields(EventDetails):
        value = getattr(details, f.name)
        if f.name == "organisers":
            continue
        if isinstance(value, str):
            value = value.strip()
        setattr(event, f.name, value)
    if event.contact_email:
        event.contact_email = _contact_email(details)
    event.description_html = markdown_to_html(event.description)


def create_event(details: EventDetails, author: User) -> Event:
    """Create a draft event; its author is always among its organisers."""
    event = Event(created_by_id=author.id, status=EventStatus.DRAFT)
    _apply(event, details)
    event.organisers = _with_author(details.organisers, author)
    db.session.add(event)
    audit.record(author, "event.created", event=event)
    db.session.commit()
    return event


@dataclass(frozen=True)
class ChangePreview:
    """What saving an organiser's changes would do: whether the event moves (a new time or
    place) and how many participants with a seat would be mailed about it."""

    moves: bool
    to_notify: int
    # The new time and place the preview was made for: a choice to mail counts for these only.
    change: str = ""


@dataclass(frozen=True)
class SavedChanges:
    """What saving did: how many participants were mailed, and how many agenda items the
    event's new times leave outside them."""

    mailed: int
    agenda_outside: int


def preview_change(event: Event, details: EventDetails) -> ChangePreview:
    """Who would hear of these changes, without saving anything; refuses what saving would."""
    problems = problems_with(details)
    if problems:
        raise ValidationError(problems)
    moves = any(_normalised(getattr(details, name)) != getattr(event, name) for name in CALENDAR_FIELDS)
    to_notify = 0
    if moves and event.status == EventStatus.PUBLISHED and details.ends_at > utcnow():
        to_notify = registrations.status_counts(event)[RegistrationStatus.CONFIRMED]
    new_place_and_time = repr([_normalised(getattr(details, name)) for name in CALENDAR_FIELDS])
    return ChangePreview(moves, to_notify, hashlib.sha256(new_place_and_time.encode()).hexdigest()[:16])


def _normalised(value):
    return value.strip() if isinstance(value, str) else value


def update_event(event: Event, details: EventDetails, editor: User) -> Event:
    """Save an organiser's changes and mail participants of a new time or place."""
    save_changes(event, details, editor, notify=True)
    return event


def save_changes(event: Event, details: EventDetails, editor: User, *, notify: bool) -> SavedChanges:
    """Save an organiser's changes; a change of time or place raises the calendar sequence and,
    with `notify`, is mailed to every participant with a seat (without, a correction goes
    out silently: calendar feeds still update).

    The agenda moves along when the event moves to other days (see `agenda.follow_event`).
    """
    tracked = [f.name for f in fields(EventDetails) if f.name != "organisers"]
    before = {name: getattr(event, name) for name in tracked}
    organisers_before = set(event.organisers)
    _apply(event, details)
    agenda.follow_event(event, before["starts_at"])
    if details.organisers:
        event.organisers = _with_author(details.organisers, editor)
    changed = [name for name in tracked if getattr(event, name) != before[name]]
    if set(event.organisers) != organisers_before:
        changed.append("organisers")
    moved = any(name in CALENDAR_FIELDS for name in changed)
    if moved:
        event.sequence += 1
    if changed:
        audit.record(editor, "event.changed", event=event, fields=changed)
    # Participants hear of a new time or place, and added seats go to the waiting list.
    mailed = registrations.event_changed(event, moved=moved and notify)
    outside = sum(1 for item in event.agenda_items if item.starts_at < event.starts_at or item.ends_at > event.ends_at)
    db.session.commit()
    return SavedChanges(mailed=mailed, agenda_outside=outside)


def _with_author(organisers: list[User], author: User) -> list[User]:
    return organisers if author in organisers else [author, *organisers]


def duplicate_event(event: Event, author: User) -> Event:
    """A new draft with the same details and agenda, for the next event in a series."""
    copy = Event(
        created_by_id=author.id,
        status=EventStatus.DRAFT,
        title=_("Copy of %(title)s", title=event.title)[:200],
        **{
            name: getattr(event, name)
            for name in (
                "kind",
                "description",
                "description_html",
                "region_id",
                "venue_name",
                "venue_address",
                "venue_city",
                "online_url",
                "online_url_private",
                "contact_name",
                "contact_email",
                "contact_phone",
                "starts_at",
                "ends_at",
                "capacity",
                "registration_opens_at",
                "registration_closes_at",
                "invitation_only",
                "reminder_days",
                "retention_months",
                "certificate_with_survey",
            )
        },
    )
    copy.organisers = _with_author(list(event.organisers), author)
    agenda.copy_agenda(event, copy)
    db.session.add(copy)
    questions.copy_questions(event, copy)
    audit.record(author, "event.created", event=copy, copied_from=event.id)
    db.session.commit()
    return copy


class StatusChangeRefused(ValueError):
    """The event's status does not allow that step."""


def _change_status(
    event: Event,
    allowed_from: tuple[EventStatus, ...],
    to: EventStatus,
    actor: User | None,
    *,
    moves_calendar=False,
    then=None,
) -> None:
    if event.status not in allowed_from:
        raise StatusChangeRefused(event.status)
    event.status = to
    if moves_calendar:
        event.sequence += 1
    audit.record(actor, f"event.{to.value}", event=event)
    if then is not None:
        then(event)  # in the same transaction, so its mail is saved with the change
    db.session.commit()


def publish_problems(event: Event) -> dict[str, str]:
    """What keeps a draft from being published: the event rules, e.g. a draft made from a
    visit request that has no venue yet."""
    return problems_with(
        EventDetails(**{f.name: getattr(event, f.name) for f in fields(EventDetails) if f.name != "organisers"})
    )


def publish_event(event: Event, actor: User | None) -> None:
    """Make a draft visible to the public; a visit request it was made from becomes scheduled.

    Raises ValidationError when the draft still breaks the event rules.
    """
    if event.status == EventStatus.DRAFT and (problems := publish_problems(event)):
        raise ValidationError(problems)
    _change_status(
        event,
        (EventStatus.DRAFT,),
        EventStatus.PUBLISHED,
        actor,
        then=lambda published: visits.event_published(published, actor),
    )


def cancel_event(event: Event, actor: User | None) -> None:
    """Cancel an event; it stays visible, marked cancelled, so people who planned to come learn of it.

    Everyone registered is emailed a calendar cancellation.
    """
    _change_status(
        event,
        (EventStatus.DRAFT, EventStatus.PUBLISHED),
        EventStatus.CANCELLED,
        actor,
        moves_calendar=True,
        then=registrations.event_cancelled,
    )


def complete_event(event: Event, actor: User | None) -> None:
    """Mark a held event as completed."""
    if event.ends_at > utcnow():
        raise StatusChangeRefused(event.status)
    _change_status(event, (EventStatus.PUBLISHED,), EventStatus.COMPLETED, actor)


def delete_draft(event: Event, actor: User | None) -> None:
    """Delete an event that was never published; the audit log keeps that it existed."""
    if event.status != EventStatus.DRAFT:
        raise StatusChangeRefused(event.status)
    audit.record(actor, "event.deleted", event=event, title=event.title)
    db.session.delete(event)
    db.session.commit()


class Phase(StrEnum):
    """Where an event stands for its organisers, which decides their next step."""

    DRAFT = "draft"
    BEFORE = "before"
    DURING = "during"
    AFTER = "after"
    CANCELLED = "cancelled"


def phase(event: Event, now: datetime | None = None) -> Phase:
    """Draft, before, during or after the event (or cancelled), as its organisers see it."""
    now = now or utcnow()
    if event.status == EventStatus.DRAFT:
        return Phase.DRAFT
    if event.status == EventStatus.CANCELLED:
        return Phase.CANCELLED
    if event.status == EventStatus.COMPLETED or event.ends_at <= now:
        return Phase.AFTER
    return Phase.DURING if event.starts_at <= now else Phase.BEFORE


def managed_events_query(user: User) -> Select:
    """The events a user may manage, newest first."""
    query = select(Event).options(selectinload(Event.region)).order_by(Event.starts_at.desc())
    if not user.is_admin:
        query = query.where(Event.organisers.any(User.id == user.id))
    return query


def managed_events(user: User) -> list[Event]:
    """The events a user may manage, newest first, read whole (for a choice of events)."""
    return list(db.session.scalars(managed_events_query(user)))


def find(event_id: int) -> Event | None:
    return db.session.get(Event, event_id)


def first(query: Select, count: int) -> tuple[list[Event], bool]:
    """The first `count` events of a query, and whether there are more."""
    events = db.session.scalars(query.limit(count + 1)).all()
    return events[:count], len(events) > count


def seats_left(event: Event) -> int | None:
    """Free places, or None when the event has no limit."""
    return registrations.seats_left(event)


class Availability(StrEnum):
    """What a list of events says about the seats, beside each event's title."""

    FULL = "full"  # no seats, and nobody can join the waiting list now
    WAITING_LIST = "waiting_list"  # no seats, but registering puts people on the waiting list
    FEW_SEATS = "few_seats"


def few_seats(seats_left: int, capacity: int) -> bool:
    """At most a tenth of the seats, or at most five that are at most half of them."""
    return 0 < seats_left and (seats_left * 10 <= capacity or (seats_left <= 5 and seats_left * 2 <= capacity))


def availability_by_event(listed: list[Event]) -> dict[int, Availability]:
    """The seat badges of a list of events; events with seats enough (or no limit) are not
    in the answer. Events loaded `with_seats_taken` need no query, others one for them all."""
    unloaded = [event for event in listed if event.seats_taken is None]
    seats = registrations.seats_left_by_event(unloaded) if unloaded else {}
    now = utcnow()
    badges: dict[int, Availability] = {}
    for event in listed:
        if event.seats_taken is None:
            left = seats[event.id]
        else:
            left = registrations.free_seats(event.capacity, event.seats_taken)
        if left is None or event.status != EventStatus.PUBLISHED or event.ends_at <= now:
            continue
        if left == 0:
            open_now = registrations.closed_reason(event, now=now) is None
            badges[event.id] = Availability.WAITING_LIST if open_now else Availability.FULL
        elif few_seats(left, event.capacity):
            badges[event.id] = Availability.FEW_SEATS
    return badges


def public_events_query(
    *,
    region: Region | None = None,
    kind: EventKind | None = None,
    starts_from: datetime | None = None,
    starts_before: datetime | None = None,
    upcoming: bool | None = None,
    statuses: tuple[EventStatus, ...] = (EventStatus.PUBLISHED,),
    load_region: bool = True,
    with_seats_taken: bool = False,
) -> Select:
    """Published events for public lists, the API and feeds; never drafts.

    `upcoming=True` keeps events that have not ended, soonest first; `False` keeps
    past events, latest first. `with_seats_taken` loads each event's seats taken with it,
    for lists that show seat badges (`availability_by_event`).
    """
    assert EventStatus.DRAFT not in statuses
    now = utcnow()
    query = select(Event).where(Event.status.in_(statuses))
    if load_region:  # a region's own page has its region already
        query = query.options(selectinload(Event.region))
    if with_seats_taken:
        query = query.options(with_expression(Event.seats_taken, registrations.seats_taken_expression()))
    if region is not None:
        query = query.where(Event.region_id == region.id)
    if kind is not None:
        query = query.where(Event.kind == kind)
    if starts_from is not None:
        query = query.where(Event.ends_at >= starts_from)
    if starts_before is not None:
        query = query.where(Event.starts_at < starts_before)
    if upcoming is True:
        query = query.where(Event.ends_at >= now).order_by(Event.starts_at, Event.id)
    elif upcoming is False:
        query = query.where(Event.ends_at < now).order_by(Event.starts_at.desc(), Event.id.desc())
    else:
        query = query.order_by(Event.starts_at, Event.id)
    return query
