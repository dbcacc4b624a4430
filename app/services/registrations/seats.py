"""Seats, counted under a lock on the event (a row lock on PostgreSQL, the database write
lock on SQLite), so concurrent registrations never overbook an event.

Lock order, the same in every transaction, so that none can deadlock with another:
1. the event's row (`lock`, FOR NO KEY UPDATE). Every writer of registrations that changes
   seats, a registration's row or mail listed with the event takes it before it changes a
   row another holder could change. Rows of its own that only refer to the event (a new
   registration, its answers, its mail) may be written before: the reference check takes
   the event's row FOR KEY SHARE, which a NO KEY UPDATE holder lets through, so register()
   writes a newcomer's rows first and holds the lock for the seat decision alone;
   1b. the rows of the parallel sessions whose seats it decides, in ascending id
       (sessions.lock_sessions; issue 16);
2. the registration rows it changes;
3. the content version, raised by the commit after everything else is written
   (app/cache/content_version.py).
Waits are bounded (DATABASE_LOCK_TIMEOUT_MS): a request whose lock does not come in
time answers "busy, try again" (app/web/errors.py) and changes nothing; a registration
waits on while the seats keep being decided (`lock_while_it_moves`).
"""

import time
from datetime import timedelta
from functools import cache
from typing import NamedTuple

from sqlalchemy import bindparam, func, select, text, update
from sqlalchemy.exc import OperationalError

from app.cache import content_version
from app.database import timeouts
from app.extensions import db
from app.models import Event, Registration, RegistrationStatus

# Longest a registration waits for an event's lock while it keeps changing hands (a burst),
# within gunicorn's 30 s timeout; a lock held all along answers "busy" much sooner.
LOCK_BUDGET = timedelta(seconds=20)


def lock(event: Event, *, refresh: bool = False) -> None:
    """Hold the event until the transaction ends, so seat counts cannot race.

    `refresh` reloads the event as it is now (its status or capacity may just have
    changed), in the same statement as the lock.
    """
    lock_event_id(event.id, refresh=refresh)


def lock_event_id(event_id: int, *, refresh: bool = False) -> None:
    if db.session.get_bind().dialect.name == "postgresql":
        # NO KEY UPDATE: rows that only refer to the event may still be written meanwhile.
        statement = select(Event).where(Event.id == event_id).with_for_update(key_share=True)
    else:
        # SQLite has no row locks; a write takes the database write lock for the transaction.
        statement = (
            update(Event)
            .where(Event.id == event_id)
            .values(sequence=Event.sequence, updated_at=Event.updated_at)  # changes nothing, not even the time
            .execution_options(synchronize_session=False, **{content_version.UNCHANGED: True})
        )
        if refresh:
            statement = statement.returning(Event)
    if refresh:
        statement = statement.execution_options(populate_existing=True)
    result = db.session.execute(statement)
    if refresh:
        # The ORM refreshes the event as it reads the row: read it, or nothing is refreshed.
        result.scalars().one()


def seats_taken(event: Event) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Registration).where(Registration.event_id == event.id, Registration.holds_seat)
    )


def free_seats(capacity: int | None, taken: int) -> int | None:
    """Seats left of `capacity` (an event's or a session's) with `taken` seated; None without a limit."""
    return None if capacity is None else max(capacity - taken, 0)


def seats_left(event: Event) -> int | None:
    """Free seats, or None when the event has no limit."""
    if event.capacity is None:
        return None
    # Loaded with the event when its query asked for it (web/lookup.public_event_or_404);
    # None otherwise, and again once the event is refreshed after a commit.
    taken = event.seats_taken
    return free_seats(event.capacity, seats_taken(event) if taken is None else taken)


@cache
def _seats_of_one():
    """Built once: a statement's options and cache key cost more to make than to run."""
    return select(Event.capacity, seats_taken_expression()).where(Event.id == bindparam("event_id"))


def seats_left_of(event_id: int, connection) -> int | None:
    """Free seats of the event with this id, in one statement, on `connection` (a kept page's
    reader, app/cache/content_version.py); None without a limit (or an event)."""
    row = connection.execute(_seats_of_one(), {"event_id": event_id}).first()
    return None if row is None else free_seats(*row)


def seats_taken_expression():
    """Seats taken of the event in the enclosing query, as a column: a list loads its events'
    seats with the events themselves (`with_expression(Event.seats_taken, ...)`)."""
    return (
        select(func.count())
        .select_from(Registration)
        .where(Registration.event_id == Event.id, Registration.holds_seat)
        .correlate(Event)
        .scalar_subquery()
    )


def seats_left_by_event(events: list[Event]) -> dict[int, int | None]:
    """Free seats of several events in one query, for lists."""
    ids = [event.id for event in events if event.capacity is not None]
    taken: dict[int, int] = {}
    if ids:
        taken = dict(
            db.session.execute(
                select(Registration.event_id, func.count())
                .where(Registration.event_id.in_(ids), Registration.holds_seat)
                .group_by(Registration.event_id)
            ).all()
        )
    return {event.id: free_seats(event.capacity, taken.get(event.id, 0)) for event in events}


def status_counts(event: Event) -> dict[RegistrationStatus, int]:
    counts = dict(
        db.session.execute(
            select(Registration.status, func.count())
            .where(Registration.event_id == event.id)
            .group_by(Registration.status)
        ).all()
    )
    return {status: counts.get(status, 0) for status in RegistrationStatus}


class SeatState(NamedTuple):
    taken: int
    waiting: int
    # The address's registration for the event, if it has one.
    registration_id: int | None


# Built once: making the statement cost three times what running it does, twice per registration.
SEAT_STATE = select(
    func.count().filter(Registration.holds_seat),
    func.count().filter(Registration.status == RegistrationStatus.WAITLISTED),
    func.max(Registration.id).filter(Registration.email == bindparam("email")),
).where(Registration.event_id == bindparam("event_id"), Registration.id != bindparam("besides"))


def seat_state(event: Event, email: str, *, besides: int | None = None) -> SeatState:
    """Seats taken, people waiting and the address's registration, in one query; `besides`,
    a registration of this transaction's own not yet decided, is not counted."""
    values = {"event_id": event.id, "email": email, "besides": besides or 0}  # no registration has id 0
    return SeatState(*db.session.execute(SEAT_STATE, values).one())


def gets_seat(event: Event, state: SeatState) -> bool:
    """Whether a newcomer gets a seat: a free seat goes to the waiting list first."""
    return event.capacity is None or (state.taken < event.capacity and not state.waiting)


def lock_while_it_moves(event: Event, before: SeatState, *, email: str, besides: int | None = None) -> None:
    """`lock(event, refresh=True)`, waiting on for as long as the seats keep being decided.

    A wait that runs out (DATABASE_LOCK_TIMEOUT_MS) answers "busy" when one transaction
    held the event all along. In a burst for the last seats the lock passes from one
    registration to the next every few milliseconds and only the queue is long: the
    seats counted (`before`, as `seat_state(event, email, besides=besides)` gave them) have
    changed meanwhile, so the request waits again, within LOCK_BUDGET, and the people of a
    burst are registered rather than turned away. What the transaction wrote before the
    wait stays written: on PostgreSQL the wait runs after a savepoint, and a wait that
    runs out goes back to it alone.
    """
    savepoint = db.session.get_bind().dialect.name == "postgresql"
    deadline = time.monotonic() + LOCK_BUDGET.total_seconds()
    while True:
        if savepoint:
            # Plain SQL: nothing the session tracks changes between it and a rollback to it.
            db.session.execute(text("SAVEPOINT seat_lock"))
        try:
            lock(event, refresh=True)
            return
        except OperationalError as error:
            if not savepoint or timeouts.ran_out(error) != "lock":
                raise
            db.session.execute(text("ROLLBACK TO SAVEPOINT seat_lock"))
            now = seat_state(event, email, besides=besides)
            if (now.taken, now.waiting) == (before.taken, before.waiting) or time.monotonic() > deadline:
                raise
            before = now
