"""What registrations hear of the event itself: its cancellation or change (called by
services.events in the same transaction), and the reminders before it."""

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError

from app.database import timeouts
from app.extensions import db
from app.models import ACTIVE_STATUSES, MAX_REMINDER_DAYS, Event, EventStatus, Registration, RegistrationStatus
from app.models.types import utcnow
from app.services.registrations.changes import promote
from app.services.registrations.notices import calendar_file, send
from app.services.registrations.seats import lock, lock_event_id


def event_cancelled(event: Event) -> None:
    """Tell everyone still registered that the event is cancelled, with a calendar cancellation."""
    for registration in _registrations(event, ACTIVE_STATUSES):
        send(
            registration,
            "event_cancelled",
            _l("Cancelled: %(title)s", title=event.title),
            ics=calendar_file(registration, cancel=True),
        )


def event_changed(event: Event, *, moved: bool) -> int:
    """After an organiser's edit: new time or place to those with a seat; free seats to the
    waiting list. Returns how many were mailed of the new time or place."""
    if event.status != EventStatus.PUBLISHED:
        return 0
    lock(event)
    mailed = 0
    if moved and not event.has_ended:
        for registration in _registrations(event, (RegistrationStatus.CONFIRMED,)):
            send(
                registration,
                "event_changed",
                _l("Changed: %(title)s", title=event.title),
                ics=calendar_file(registration, private_link=True),
                private_link=True,  # to those with a seat
            )
            mailed += 1
    promote(event)
    return mailed


def _registrations(event: Event, statuses) -> list[Registration]:
    return list(
        db.session.scalars(
            select(Registration)
            .where(Registration.event_id == event.id, Registration.status.in_(statuses))
            .order_by(Registration.id)
        )
    )


def send_due_reminders(now: datetime | None = None) -> int:
    """Remind confirmed participants `reminder_days` before their event, once each.

    People who registered after the reminder would have gone out are not reminded:
    their confirmation is fresh. Safe with several workers: each reminder is claimed
    with a conditional update before it is queued.
    """
    now = now or utcnow()
    due_from = _reminder_times(now)
    if not due_from:
        return 0
    candidates = db.session.execute(
        select(Registration.id, Registration.event_id, Registration.created_at)
        .where(
            Registration.event_id.in_(due_from),
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.reminder_sent_at.is_(None),
        )
        .order_by(Registration.id)
    ).all()
    sent = 0
    for registration_id, event_id, created_at in candidates:
        if created_at >= due_from[event_id]:
            continue
        try:
            lock_event_id(event_id)
        except OperationalError as error:
            if timeouts.ran_out(error) is None:
                raise
            db.session.rollback()  # the event is held just now: its reminder goes next round
            continue
        claimed = db.session.execute(
            update(Registration)
            .where(Registration.id == registration_id, Registration.reminder_sent_at.is_(None))
            .values(reminder_sent_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed:
            registration = db.session.get(Registration, registration_id)
            send(
                registration,
                "registration_reminder",
                _l("Reminder: %(title)s", title=registration.event.title),
                ics=calendar_file(registration, private_link=True),
                private_link=True,  # to those with a seat
            )
            sent += 1
        db.session.commit()
    return sent


def _reminder_times(now: datetime) -> dict[int, datetime]:
    """The upcoming events whose reminders are due now, with the time they fell due.

    Each event's own `reminder_days` is applied here, to the few events of the next
    weeks, so that only the registrations of those whose time has come are read, not
    those of every event in the coming month.
    """
    events = db.session.execute(
        select(Event.id, Event.starts_at, Event.reminder_days).where(
            Event.status == EventStatus.PUBLISHED,
            Event.reminder_days > 0,
            Event.starts_at > now,
            Event.starts_at <= now + timedelta(days=MAX_REMINDER_DAYS),
        )
    ).all()
    due_from = {event_id: starts_at - timedelta(days=days) for event_id, starts_at, days in events}
    return {event_id: due for event_id, due in due_from.items() if due <= now}
