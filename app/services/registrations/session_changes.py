"""Changes to parallel-session choices: by the participant from their own page, by the
organiser (moving a person between sessions), and the organiser's setting up of slots.
Each takes the event's lock, then the sessions' (the lock order of sessions.py)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from app.extensions import db
from app.models import AgendaItem, ChoiceStatus, Event, ParallelSession, Registration, SessionChoice, SessionSlot, User
from app.services import ValidationError, audit
from app.services.registrations.rules import change_refused_reason
from app.services.registrations.seats import lock
from app.services.registrations.sessions import (
    Choices,
    choices_of,
    choose,
    lock_sessions,
    problems_with,
    promote,
    seated_count,
    slots_of,
)

TITLE_LIMIT = 200
MAX_CAPACITY = 100_000


def change_choices(registration: Registration, choices: Choices) -> dict[int, SessionChoice | None]:
    """The participant changes their sessions: a new choice gets a seat when one is free,
    else a place on that session's waiting list; a seat given up goes to the first on
    its waiting list. Unchanged slots keep their seat or place. Returns the choices by slot."""
    if (reason := change_refused_reason(registration)) is not None:
        raise ValidationError({"form": reason})
    event = registration.event
    slots = slots_of(event, speakers=False)
    if problems := problems_with(slots, choices):
        raise ValidationError(problems)
    lock(event)
    before = choices_of(registration)
    changed = [slot for slot in slots if _chosen_id(before.get(slot.id)) != choices.get(slot.id)]
    if not changed:
        db.session.rollback()
        return before
    old_ids = [before[slot.id].session_id for slot in changed if slot.id in before]
    new_ids = [choices[slot.id] for slot in changed if choices.get(slot.id) is not None]
    lock_sessions(old_ids + new_ids)
    for slot in changed:
        if slot.id in before:
            db.session.delete(before.pop(slot.id))
    db.session.flush()
    sessions = {session.id: session for slot in changed for session in slot.sessions}
    for session_id in sorted(new_ids):
        before[sessions[session_id].slot_id] = choose(registration, sessions[session_id])
    promote(event, old_ids)
    db.session.commit()
    return before


def _chosen_id(choice: SessionChoice | None) -> int | None:
    return None if choice is None else choice.session_id


class NeedsConfirmation(Exception):
    """The organiser is moving a person into a full session and has not confirmed it."""


def move(registration: Registration, target: ParallelSession, *, by: User, beyond_capacity: bool = False) -> None:
    """The organiser moves a person into a session of a slot (from another session, or from
    none) and gives them a seat there. A full session takes them only when the organiser
    confirmed it (`beyond_capacity`), else NeedsConfirmation; the seat they leave goes to
    the first on that session's waiting list."""
    event = registration.event
    if target.slot.event_id != event.id:
        raise ValidationError({"session": str(_l("Choose a session of this event."))})
    if not registration.is_active:
        raise ValidationError({"session": str(_l("This registration is cancelled."))})
    lock(event)
    current = choices_of(registration).get(target.slot_id)
    if current is not None and current.session_id == target.id and current.status == ChoiceStatus.SEATED:
        db.session.rollback()
        return
    lock_sessions([target.id] + ([current.session_id] if current else []))
    if not beyond_capacity and not _room_for_one_more(target):
        db.session.rollback()
        raise NeedsConfirmation
    left = current.session_id if current is not None and current.session_id != target.id else None
    if current is None:
        current = SessionChoice(registration=registration, slot_id=target.slot_id, session=target)
        db.session.add(current)
    current.session, current.status, current.waitlisted_at = target, ChoiceStatus.SEATED, None
    audit.record(by, "session.moved", event=event, registration=registration.id, session=target.id)
    db.session.flush()
    if left is not None:
        promote(event, [left])
    db.session.commit()


def take_out(registration: Registration, session: ParallelSession, *, by: User) -> None:
    """The organiser takes a person out of a session, leaving them none in its slot (a slot
    that allows none): their seat goes to the first on its waiting list."""
    event = registration.event
    if session.slot.event_id != event.id:
        raise ValidationError({"session": str(_l("Choose a session of this event."))})
    if not session.slot.allow_none:
        raise ValidationError({"session": str(_l("Everyone chooses a session in this slot: move them instead."))})
    lock(event)
    current = choices_of(registration).get(session.slot_id)
    if current is None or current.session_id != session.id:
        db.session.rollback()  # already out (a second click)
        return
    lock_sessions([session.id])
    db.session.delete(current)
    audit.record(by, "session.left", event=event, registration=registration.id, session=session.id)
    db.session.flush()
    promote(event, [session.id])
    db.session.commit()


def _room_for_one_more(target: ParallelSession) -> bool:
    return target.capacity is None or seated_count(target.id) < target.capacity


# --- Setting up slots ------------------------------------------------------------------


def save_slot(
    event: Event,
    *,
    title: str,
    allow_none: bool,
    capacities: dict[int, int | None],
    by: User,
    slot: SessionSlot | None = None,
) -> SessionSlot:
    """Make a slot (or change one) of the agenda items in `capacities` (item id -> seats,
    None for no limit). An item leaves the slot only while nobody has chosen it; a larger
    capacity gives its new seats to the session's waiting list."""
    title = " ".join(title.split())
    problems = {}
    if not title:
        problems["title"] = str(_l("Give the slot a name."))
    elif len(title) > TITLE_LIMIT:
        problems["title"] = str(_l("At most %(limit)d characters.", limit=TITLE_LIMIT))
    if len(capacities) < 2:
        problems["items"] = str(_l("Choose at least two agenda items to choose between."))
    if any(c is not None and not 0 <= c <= MAX_CAPACITY for c in capacities.values()):
        problems["items"] = str(_l("A capacity is a whole number from 0 to %(max)d.", max=MAX_CAPACITY))
    items = db.session.scalars(
        select(AgendaItem).where(AgendaItem.event_id == event.id, AgendaItem.id.in_(list(capacities)))
    )
    items = {item.id: item for item in items}
    if set(items) != set(capacities):
        problems["items"] = str(_l("Choose agenda items of this event."))
    taken = set(
        db.session.scalars(
            select(ParallelSession.agenda_item_id).where(
                ParallelSession.agenda_item_id.in_(list(capacities)),
                *([ParallelSession.slot_id != slot.id] if slot is not None else []),
            )
        )
    )
    if taken:
        problems["items"] = str(_l("An agenda item can be in one slot only."))
    if problems:
        raise ValidationError(problems)
    lock(event)
    if slot is None:
        slot = SessionSlot(event_id=event.id, title=title, allow_none=allow_none)
        db.session.add(slot)
    event.has_parallel_sessions = True
    slot.title, slot.allow_none = title, allow_none
    existing = {session.agenda_item_id: session for session in slot.sessions}
    lock_sessions(session.id for session in existing.values())
    for item_id, session in existing.items():
        if item_id not in capacities:
            if _chosen_by_anyone(session):
                db.session.rollback()
                raise ValidationError(
                    {
                        "items": str(
                            _l(
                                "People have chosen “%(title)s”: move them first.",
                                title=items.get(item_id, session.item).title,
                            )
                        )
                    }
                )
            db.session.delete(session)
    for item_id, capacity in capacities.items():
        if item_id in existing:
            existing[item_id].capacity = capacity
        else:
            slot.sessions.append(ParallelSession(agenda_item_id=item_id, capacity=capacity))
    audit.record(by, "session.slot_saved", event=event, slot=title)
    db.session.flush()
    promote(event, [session.id for session in slot.sessions])
    db.session.commit()
    return slot


def _chosen_by_anyone(session: ParallelSession) -> bool:
    return db.session.scalar(select(func.count()).where(SessionChoice.session_id == session.id)) > 0


def delete_slot(slot: SessionSlot, *, by: User) -> None:
    """Remove a slot; its sessions stay on the agenda as ordinary items, and the choices made in it go."""
    event_id = slot.event_id
    event = db.session.get(Event, event_id)
    lock(event)
    audit.record(by, "session.slot_deleted", event=event, slot=slot.title)
    db.session.execute(delete(SessionChoice).where(SessionChoice.slot_id == slot.id))
    db.session.delete(slot)
    db.session.flush()
    event.has_parallel_sessions = (
        db.session.scalar(select(func.count()).select_from(SessionSlot).where(SessionSlot.event_id == event_id)) > 0
    )
    db.session.commit()


def record_export(event: Event, *, by: User) -> None:
    """Log that someone took the session lists out of the system."""
    audit.record(by, "sessions.exported", event=event)
    db.session.commit()
