"""Parallel sessions: what a participant may choose per slot, the seats of each session,
and the seat decision, under the same locks as the event's seats (seats.py).

Lock order, the lock order of seats.py extended: 1. the event's row; 2. the rows of the
sessions whose seats change (`lock_sessions`), in ascending id, so two transactions
that both change sessions A and B queue on A and never deadlock; then the registration
rows and the content version as before. A session seat is held by a SEATED choice of a
registration that holds an event seat: a person on the event's waiting list waits on
the session's waiting list too, in order, and a cancelled registration holds nothing.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (
    AgendaItem,
    AgendaItemSpeaker,
    ChoiceStatus,
    Event,
    EventStatus,
    ParallelSession,
    Registration,
    SessionChoice,
    SessionSlot,
)
from app.models.registration import ACTIVE_STATUSES
from app.models.types import utcnow
from app.services.registrations.seats import free_seats
from app.services.registrations.session_notices import mail_session_seat

# What a participant chose: slot id -> session id, or None for "none of them".
Choices = Mapping[int, int | None]


class SessionSeats(NamedTuple):
    seated: int
    waiting: int
    # Free seats, or None when the session has no limit.
    left: int | None

    @property
    def full(self) -> bool:
        return self.left == 0


def slots_of(event: Event, *, speakers: bool = True) -> list[SessionSlot]:
    """The event's slots in time order, each with its sessions and their agenda items
    (one query per level, whatever the number of slots and sessions; none for an event
    without parallel sessions)."""
    if not event.has_parallel_sessions:
        return []
    items = selectinload(SessionSlot.sessions).selectinload(ParallelSession.item)
    if speakers:
        items = items.selectinload(AgendaItem.speaker_links).selectinload(AgendaItemSpeaker.speaker)
    slots = list(db.session.scalars(select(SessionSlot).where(SessionSlot.event_id == event.id).options(items)))
    for slot in slots:
        slot.sessions.sort(key=lambda session: (session.item.starts_at, session.item.position, session.id))
    return sorted(slots, key=_slot_order)


def _slot_order(slot: SessionSlot):
    starts = [session.item.starts_at for session in slot.sessions]
    return (min(starts) if starts else slot.created_at, slot.id)


def seats_by_session(event: Event) -> dict[int, SessionSeats]:
    """Seats taken, people waiting and seats left of every session of the event, in one query."""
    rows = db.session.execute(
        select(
            ParallelSession.id,
            ParallelSession.capacity,
            func.count(SessionChoice.id).filter(SessionChoice.status == ChoiceStatus.SEATED, Registration.holds_seat),
            func.count(SessionChoice.id).filter(
                SessionChoice.status == ChoiceStatus.WAITLISTED, Registration.status.in_(ACTIVE_STATUSES)
            ),
        )
        .join(SessionSlot, SessionSlot.id == ParallelSession.slot_id)
        .outerjoin(SessionChoice, SessionChoice.session_id == ParallelSession.id)
        .outerjoin(Registration, Registration.id == SessionChoice.registration_id)
        .where(SessionSlot.event_id == event.id)
        .group_by(ParallelSession.id, ParallelSession.capacity)
    ).all()
    return {
        session_id: SessionSeats(seated, waiting, free_seats(capacity, seated))
        for session_id, capacity, seated, waiting in rows
    }


def choices_of(registration: Registration) -> dict[int, SessionChoice]:
    """The registration's choices by slot id, with their sessions and items."""
    return {
        choice.slot_id: choice
        for choice in db.session.scalars(
            select(SessionChoice)
            .where(SessionChoice.registration_id == registration.id)
            .options(selectinload(SessionChoice.session).selectinload(ParallelSession.item))
        )
    }


def choices_by_registration(event: Event, registration_ids: Iterable[int] | None = None) -> dict[int, list]:
    """Each registration's choices as (slot title, item title, room, status), for lists:
    one query whatever the number of people and sessions."""
    if not event.has_parallel_sessions:
        return {}
    query = (
        select(
            SessionChoice.registration_id,
            SessionSlot.title,
            AgendaItem.title,
            AgendaItem.room,
            SessionChoice.status,
        )
        .join(SessionSlot, SessionSlot.id == SessionChoice.slot_id)
        .join(ParallelSession, ParallelSession.id == SessionChoice.session_id)
        .join(AgendaItem, AgendaItem.id == ParallelSession.agenda_item_id)
        .where(SessionSlot.event_id == event.id)
        .order_by(AgendaItem.starts_at, SessionSlot.id)
    )
    if registration_ids is not None:
        query = query.where(SessionChoice.registration_id.in_(list(registration_ids)))
    found: dict[int, list] = defaultdict(list)
    for registration_id, *rest in db.session.execute(query):
        found[registration_id].append(tuple(rest))
    return found


def seated_items(registration: Registration) -> list[AgendaItem]:
    """The agenda items of the sessions the registration has a seat in (its calendar file)."""
    if not registration.holds_seat:
        return []
    return list(
        db.session.scalars(
            select(AgendaItem)
            .join(ParallelSession, ParallelSession.agenda_item_id == AgendaItem.id)
            .join(SessionChoice, SessionChoice.session_id == ParallelSession.id)
            .where(SessionChoice.registration_id == registration.id, SessionChoice.status == ChoiceStatus.SEATED)
            .options(selectinload(AgendaItem.event), selectinload(AgendaItem.speaker_links))
            .order_by(AgendaItem.starts_at)
        )
    )


def problems_with(slots: list[SessionSlot], choices: Choices) -> dict[str, str]:
    """What is wrong with the choices: a session not of its slot, or none where one is required."""
    problems = {}
    for slot in slots:
        chosen = choices.get(slot.id)
        if chosen is None:
            if not slot.allow_none:
                problems[slot_field(slot)] = str(_l("Choose one of the sessions."))
        elif chosen not in {session.id for session in slot.sessions}:
            problems[slot_field(slot)] = str(_l("Choose one of the sessions shown."))
    return problems


def slot_field(slot: SessionSlot) -> str:
    """The form field's name for a slot."""
    return f"slot_{slot.id}"


def lock_sessions(session_ids: Iterable[int]) -> None:
    """Hold the sessions' rows, in ascending id, until the transaction ends; the caller
    holds the event's lock already (seats.lock). On SQLite the event's lock is the
    database's write lock, which holds every session too."""
    ids = sorted(set(session_ids))
    if not ids or db.session.get_bind().dialect.name != "postgresql":
        return
    db.session.execute(
        select(ParallelSession.id).where(ParallelSession.id.in_(ids)).order_by(ParallelSession.id).with_for_update()
    ).all()


def seated_count(session_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(SessionChoice)
        .join(Registration, Registration.id == SessionChoice.registration_id)
        .where(
            SessionChoice.session_id == session_id,
            SessionChoice.status == ChoiceStatus.SEATED,
            Registration.holds_seat,
        )
    )


def has_free_seat(session: ParallelSession) -> bool:
    """Whether a newcomer gets a seat now: a free seat goes to the waiting list first.
    Read under the session's lock, seated and waiting in one query."""
    if session.capacity is None:
        return True
    seated, waiting = db.session.execute(
        select(
            func.count().filter(SessionChoice.status == ChoiceStatus.SEATED),
            func.count().filter(SessionChoice.status == ChoiceStatus.WAITLISTED),
        )
        .select_from(SessionChoice)
        .join(Registration, Registration.id == SessionChoice.registration_id)
        .where(SessionChoice.session_id == session.id, Registration.holds_seat)
    ).one()
    return seated < session.capacity and not waiting


def likely_seats(event: Event, slots: list[SessionSlot], choices: Choices) -> list[AgendaItem]:
    """Before the locks: the items of the chosen sessions a newcomer with an event seat
    would get a seat in as the seats stand now (one query), so register() can write the
    mail that lists them before it takes the lock; take_seats decides."""
    chosen = {session_id for session_id in choices.values() if session_id is not None}
    if not chosen:
        return []
    seats = seats_by_session(event)
    items = [
        session.item
        for slot in slots
        for session in slot.sessions
        if session.id in chosen
        and (
            session.capacity is None
            or (session.id in seats and not seats[session.id].waiting and not seats[session.id].full)
        )
    ]
    return sorted(items, key=lambda item: item.starts_at)


def choose(registration: Registration, session: ParallelSession) -> SessionChoice:
    """Put the registration in the session, seated when it has an event seat and the
    session a free one, else on the session's waiting list. The caller holds the locks."""
    seated = registration.holds_seat and has_free_seat(session)
    choice = SessionChoice(
        registration=registration,
        slot_id=session.slot_id,
        session=session,
        status=ChoiceStatus.SEATED if seated else ChoiceStatus.WAITLISTED,
        waitlisted_at=None if seated else utcnow(),
    )
    db.session.add(choice)
    db.session.flush()
    return choice


def take_seats(registration: Registration, choices: Choices, *, new: bool = False) -> list[AgendaItem]:
    """The choices of a registration just made (`new`: it has none yet) or taken up again,
    inside register()'s lock on the event; returns the items it has a seat in, for its
    calendar file."""
    chosen = sorted({session_id for session_id in choices.values() if session_id is not None})
    if not new:
        db.session.execute(delete(SessionChoice).where(SessionChoice.registration_id == registration.id))
    if not chosen:
        return []
    lock_sessions(chosen)
    # Read again as they are now that they are held. Their items are known already
    # (register() validated the choices with them), so they cost no query here.
    sessions = db.session.scalars(
        select(ParallelSession)
        .where(ParallelSession.id.in_(chosen))
        .order_by(ParallelSession.id)
        .execution_options(populate_existing=True)
    ).all()
    made = [choose(registration, session) for session in sessions]
    return sorted((c.session.item for c in made if c.status == ChoiceStatus.SEATED), key=lambda i: i.starts_at)


def give_up_seats(registration: Registration) -> None:
    """The registration lost its event seat (moved to the waiting list by the organiser):
    its session seats go to the sessions' waiting lists, and it waits there again, last,
    should it get a seat back. The caller holds the event's lock and commits."""
    if not registration.event.has_parallel_sessions:
        return
    choices = db.session.scalars(
        select(SessionChoice).where(
            SessionChoice.registration_id == registration.id, SessionChoice.status == ChoiceStatus.SEATED
        )
    ).all()
    lock_sessions(choice.session_id for choice in choices)
    now = utcnow()
    for choice in choices:
        choice.status, choice.waitlisted_at = ChoiceStatus.WAITLISTED, now
    promote(registration.event, [choice.session_id for choice in choices])


def promote(event: Event, session_ids: Iterable[int] | None = None) -> list[SessionChoice]:
    """Give the sessions' free seats to their waiting lists in order, and mail each person;
    the caller holds the event's lock and commits. Only people with an event seat move up."""
    if not event.has_parallel_sessions:
        return []
    if event.status != EventStatus.PUBLISHED or event.starts_at <= utcnow():
        return []
    db.session.flush()
    query = select(ParallelSession).join(SessionSlot).where(SessionSlot.event_id == event.id)
    if session_ids is not None:
        query = query.where(ParallelSession.id.in_(list(session_ids)))
    sessions = db.session.scalars(query.order_by(ParallelSession.id)).all()
    seats = seats_by_session(event)
    waiting = [session for session in sessions if seats.get(session.id, SessionSeats(0, 0, None)).waiting]
    lock_sessions(session.id for session in waiting)
    promoted: list[SessionChoice] = []
    for session in waiting:
        query = (
            select(SessionChoice)
            .join(Registration, Registration.id == SessionChoice.registration_id)
            .where(
                SessionChoice.session_id == session.id,
                SessionChoice.status == ChoiceStatus.WAITLISTED,
                Registration.holds_seat,
            )
            .order_by(SessionChoice.waitlisted_at, SessionChoice.id)
        )
        if session.capacity is not None:
            free = session.capacity - seated_count(session.id)
            if free <= 0:
                continue
            query = query.limit(free)
        for choice in db.session.scalars(query):
            choice.status, choice.waitlisted_at = ChoiceStatus.SEATED, None
            promoted.append(choice)
    db.session.flush()
    for choice in promoted:
        mail_session_seat(choice, seated_items(choice.registration))
    return promoted
