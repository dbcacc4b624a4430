"""The organiser's view of parallel sessions: who is in each session and who waits, the
CSV for Excel, and the door list per room (issue 16). Reads only; a page makes the same
few queries whatever the number of sessions and people."""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from app.display.timezones import utc_to_local
from app.extensions import db
from app.models import SEATED_STATUSES, ChoiceStatus, Event, ParallelSession, Registration, SessionChoice, SessionSlot
from app.models.registration import ACTIVE_STATUSES
from app.services.registrations.participant_csv import safe_cell
from app.services.registrations.sessions import SessionSeats, seats_by_session, slots_of


@dataclass
class SessionList:
    session: ParallelSession
    seats: SessionSeats
    # Those with a seat, by name; then the waiting list in order.
    seated: list[Registration] = field(default_factory=list)
    waiting: list[Registration] = field(default_factory=list)
    # Each person's choice in the session's slot, by registration id (for moving them).
    choice_of: dict[int, SessionChoice] = field(default_factory=dict)


def session_lists(event: Event) -> list[tuple[SessionSlot, list[SessionList]]]:
    """Every slot with its sessions, each with its counts, its people and its waiting list."""
    slots = slots_of(event, speakers=False)
    seats = seats_by_session(event)
    lists = {
        session.id: SessionList(session, seats.get(session.id, SessionSeats(0, 0, session.capacity)))
        for slot in slots
        for session in slot.sessions
    }
    choices = db.session.scalars(
        select(SessionChoice)
        .join(SessionChoice.registration)
        .join(SessionSlot, SessionSlot.id == SessionChoice.slot_id)
        .where(SessionSlot.event_id == event.id, Registration.status.in_(ACTIVE_STATUSES))
        .options(contains_eager(SessionChoice.registration))
        .order_by(SessionChoice.waitlisted_at, func.lower(Registration.name), Registration.id)
    )
    for choice in choices:
        entry = lists[choice.session_id]
        registration = choice.registration
        entry.choice_of[registration.id] = choice
        if choice.status == ChoiceStatus.SEATED and registration.status in SEATED_STATUSES:
            entry.seated.append(registration)
        else:
            entry.waiting.append(registration)
    for entry in lists.values():
        entry.seated.sort(key=lambda r: (r.name.lower(), r.id))
    return [(slot, [lists[session.id] for session in slot.sessions]) for slot in slots]


def door_lists(event: Event, room: str | None = None) -> list[tuple[str, list[SessionList]]]:
    """The sessions by room, in time order, each with those who have a seat: what is printed
    for each room's door. `room` keeps one room only."""
    rooms: dict[str, list[SessionList]] = defaultdict(list)
    for _slot, entries in session_lists(event):
        for entry in entries:
            rooms[entry.session.item.room].append(entry)
    chosen = sorted(rooms.items(), key=lambda pair: pair[0].lower())
    if room is not None:
        chosen = [pair for pair in chosen if pair[0] == room]
    for _room, entries in chosen:
        entries.sort(key=lambda entry: entry.session.item.starts_at)
    return chosen


@dataclass
class SessionColumns:
    """The participant CSV's columns for parallel sessions: one per slot, holding the session
    the person chose there (marked when they are on its waiting list)."""

    slots: list[SessionSlot]
    # (registration id, slot id) → (session title, whether a seat or a waiting-list place)
    chosen: dict[tuple[int, int], tuple[str, ChoiceStatus]]

    def headers(self) -> list[str]:
        return [slot.title for slot in self.slots]

    def row(self, registration: Registration) -> list[str]:
        cells = []
        for slot in self.slots:
            title, status = self.chosen.get((registration.id, slot.id), ("", None))
            if status == ChoiceStatus.WAITLISTED:
                title = _("%(session)s (waiting list)", session=title)
            cells.append(title)
        return cells


def session_columns(event: Event) -> SessionColumns:
    """Every registration's choice in every slot of the event, in two queries (none for an
    event without parallel sessions)."""
    slots = slots_of(event, speakers=False)
    if not slots:
        return SessionColumns([], {})
    titles = {session.id: session.item.title for slot in slots for session in slot.sessions}
    rows = db.session.execute(
        select(SessionChoice.registration_id, SessionChoice.slot_id, SessionChoice.session_id, SessionChoice.status)
        .join(SessionSlot, SessionSlot.id == SessionChoice.slot_id)
        .where(SessionSlot.event_id == event.id)
    )
    return SessionColumns(
        slots, {(reg_id, slot_id): (titles[session_id], status) for reg_id, slot_id, session_id, status in rows}
    )


def sessions_csv(event: Event) -> bytes:
    """UTF-8 with BOM, semicolon-separated (Swedish Excel): one row per person and session."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(
        [_("Slot"), _("Session"), _("Room"), _("Starts"), _("Place"), _("Name"), _("Email address"), _("Organisation")]
    )
    for slot, entries in session_lists(event):
        for entry in entries:
            item = entry.session.item
            starts = utc_to_local(item.starts_at).strftime("%Y-%m-%d %H:%M")
            for place, people in ((_("Seat"), entry.seated), (_("Waiting list"), entry.waiting)):
                for person in people:
                    writer.writerow(
                        [
                            safe_cell(cell)
                            for cell in (
                                slot.title,
                                item.title,
                                item.room,
                                starts,
                                place,
                                person.name,
                                person.email,
                                person.organisation,
                            )
                        ]
                    )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
